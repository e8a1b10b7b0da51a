"""Two middlewares for signed-in staff; an anonymous visitor (no session cookie) passes both untouched, so public
pages get no session, no Set-Cookie and no `Vary: Cookie` from them.

- IdleLogoutMiddleware ends a session that has been idle longer than `SESSION_IDLE_MINUTES` and tells the admin's
  page script (static/js/admin_session.js) how long the session has left.
- TwoFactorMiddleware keeps a user who must enter a code (union_site/accounts/two_factor.py) and has not yet done so
  in this session out of every admin page (they are sent to the code or enrolment page) and shows the public site to
  them as to an anonymous visitor (no draft previews). It runs after django-otp's OTPMiddleware."""

import time
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from union_site.accounts.two_factor import must_enter_code

LAST_ACTIVITY_KEY = "last_activity"
STAMP_EVERY = 60  # seconds: the session row is rewritten at most once a minute, not on every request

# What a user who still owes a code may open: the steps of the second factor, and the way out.
OPEN_BEFORE_CODE = {
    "admin:login",
    "admin:logout",
    "accounts:setup",
    "accounts:verify",
    "accounts:backup_codes",
    "accounts:keepalive",
}


def clock():
    """Seconds since the epoch (tests move it)."""
    return time.time()


@cache
def admin_prefix():
    return reverse("admin:index")


def _signed_in(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated


def start_idle_clock(sender, request, user, **kwargs):
    """user_logged_in receiver: a fresh login counts as activity."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(clock())


class IdleLogoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request):
            idle = settings.SESSION_IDLE_MINUTES * 60
            now = clock()
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > idle:
                logout(request)
                if request.path_info.startswith(admin_prefix()):
                    messages.warning(
                        request,
                        f"您已超过 {settings.SESSION_IDLE_MINUTES} 分钟没有操作，为了安全已自动退出登录。"
                        "请重新登录；正在编辑而未保存的内容，登录后可以恢复。",
                    )
            else:
                if last is None or now - last >= STAMP_EVERY:
                    last = int(now)
                    request.session[LAST_ACTIVITY_KEY] = last
                request.session_idle = {
                    "seconds_left": max(0, int(last + idle - now)),
                    "warning_seconds": settings.SESSION_IDLE_WARNING_SECONDS,
                    "minutes": settings.SESSION_IDLE_MINUTES,
                }
        return self.get_response(request)


def second_step_url(request):
    """The code page (or, with no authenticator yet, the enrolment page), returning to this page afterwards."""
    name = "accounts:verify" if user_has_device(request.user) else "accounts:setup"
    back = request.get_full_path() if request.method == "GET" else admin_prefix()
    return f"{reverse(name)}?{urlencode({'next': back})}"


def _view_name(request):
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _signed_in(request) and not request.user.is_verified() and must_enter_code(request.user):
            if _view_name(request) not in OPEN_BEFORE_CODE:
                if request.path_info.startswith(admin_prefix()):
                    return redirect(second_step_url(request))
                request.user = AnonymousUser()
        return self.get_response(request)
