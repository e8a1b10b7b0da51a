"""Error pages in Chinese: 400 (a request the site cannot read), 403 (no permission; the admin's look inside the
admin), 413 (a form body over the request limits, also with debug on), 500, and 503 through union_site.outage.

400, 413, 500 and 503 pages are standalone (`_standalone.html`): rendered without the request, so no context
processor runs and they need neither the database nor a valid Host header. The 403 page is an ordinary page of
the site (or of the admin): the visitor is known and the database answers.

Django answers a body over `DATA_UPLOAD_MAX_MEMORY_SIZE`, or more files or fields than allowed, with a bare
"Bad Request (400)", or its technical page when debug is on. `RequestLimitMiddleware` reads the form body itself
just before the CSRF check would, and answers these limits with our page; the handlers below catch what is read
elsewhere.
"""

import logging
import sys

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse

from union_site.common.multipart import TooManyFiles, too_many_files_message
from union_site.outage import is_outage, maintenance_response

LIMIT_ERRORS = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)

logger = logging.getLogger(__name__)


def size_label(size):
    return f"{size / (1024 * 1024):.4g} MB"


def standalone_page(template_name, status, **context):
    page = loader.render_to_string(template_name, {"site_name": settings.SITE_NAME, **context})
    return HttpResponse(page, status=status)


def too_big_page():
    return standalone_page(
        "413.html",
        413,
        limit=size_label(settings.DATA_UPLOAD_MAX_MEMORY_SIZE),
        file_limit=size_label(getattr(settings, "UPLOAD_IMAGE_MAX_BYTES", 20 * 1024 * 1024)),
        attachment_limit=size_label(getattr(settings, "ATTACHMENT_MAX_BYTES", 50 * 1024 * 1024)),
        max_files=settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    )


def limit_page(error):
    """The page for a body over one of Django's request limits."""
    if isinstance(error, RequestDataTooBig):
        return too_big_page()
    if isinstance(error, TooManyFilesSent):
        count = error.count if isinstance(error, TooManyFiles) else None
        reason = too_many_files_message(count)
    else:
        reason = f"表单的项目太多（每次最多 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 项），网站未能处理，内容没有保存。"
    return standalone_page("400.html", 400, reason=reason)


class RequestLimitMiddleware:
    """Goes before CsrfViewMiddleware. Views exempt from CSRF read their body themselves (the bulk upload counts its
    files first), so they are left alone; what they read is caught by process_exception."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if request.method != "POST" or getattr(callback, "csrf_exempt", False):
            return None
        try:
            request.POST  # noqa: B018 - parsed now rather than by the CSRF check a moment later
        except LIMIT_ERRORS as error:
            return self.refuse(request, error)
        except OSError:  # the client went away mid-body: the CSRF check says so (UnreadablePostError)
            return None
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, LIMIT_ERRORS):
            return self.refuse(request, exception)
        return None

    @staticmethod
    def refuse(request, error):
        logger.warning("request over the limits refused: %s %s (%s)", request.method, request.path, error)
        return limit_page(error)


# --- handler400, handler403, handler500 (union_site/urls.py) -------------------------------------------------------


def bad_request(request, exception):
    if isinstance(exception, LIMIT_ERRORS):
        return limit_page(exception)
    return standalone_page("400.html", 400)


def permission_denied(request, exception):
    if request.path.startswith(reverse("admin:index")) and getattr(request.user, "is_staff", False):
        context = {**admin.site.each_context(request), "title": "没有权限"}
        return render(request, "admin/403.html", context, status=403)
    return render(request, "403.html", status=403)


def server_error(request):
    """500, or the 503 maintenance page when the error is a database outage that escaped the middleware (raised
    in another middleware, or by the 404 page's own queries). Django calls this while handling the error, so
    sys.exc_info() is that error."""
    error = sys.exc_info()[1]
    if error is not None and is_outage(error):
        return maintenance_response(request, error)
    return standalone_page("500.html", 500)
