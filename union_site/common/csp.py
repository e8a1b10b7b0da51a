"""Content-Security-Policy (django-csp): strict on public pages; the admin additionally allows inline styles and
blob:/data: images, which CKEditor 5 needs (it injects <style> elements and previews uploads as blobs)."""

from csp.middleware import CSPMiddleware
from django.conf import settings


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.update is None and request.path_info.startswith(settings.CSP_ADMIN_PREFIX):
            parts.update = settings.CSP_ADMIN_UPDATE
        return parts
