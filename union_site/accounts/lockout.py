"""The page django-axes answers with once a username has failed too often from one address (AXES_LOCKOUT_CALLABLE).

It is the same page whether or not the username exists, and it says when to try again in Beijing time. Every
refused try while locked starts the 30 minutes again (axes' default), so that time is counted from this request."""

import math
from datetime import timedelta

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils import timezone


def retry_at(request):
    """The minute from which a login is accepted again (rounded up, so "10:31" is never early)."""
    cool_off = get_cool_off(request) or timedelta(0)
    started = getattr(request, "axes_attempt_time", None) or timezone.now()
    at = timezone.localtime(started + cool_off)
    if at.second or at.microsecond:
        at = at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return at


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request) or timedelta(0)
    context = {
        **admin.site.each_context(request),
        "title": "登录已暂停",
        "retry_at": retry_at(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": math.ceil(cool_off.total_seconds() / 60),
    }
    response = TemplateResponse(
        request, "admin/accounts/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    return response.render()
