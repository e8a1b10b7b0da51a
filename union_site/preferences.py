"""Visitor preferences kept in a cookie, so they work without JavaScript: 长者模式 (elder mode, 适老化).

A link on every page goes to `elder_mode` (union_site/views.py), which sets or clears the cookie and sends the
visitor back; `context` below puts `elder_mode` into every template, and base.html then renders
<html class="elder">, which site.css turns into larger type, wider line spacing, stronger contrast and bigger
targets."""

ELDER_COOKIE = "elder"
COOKIE_AGE = 365 * 24 * 3600


def elder_mode_on(request):
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def context(request):
    """Context processor: `elder_mode` on every page."""
    return {"elder_mode": elder_mode_on(request)}


def vary_on_cookies(get_response):
    """Middleware: a page's HTML depends on the 字号 and 长者模式 cookies, so say so to any cache in front (nginx,
    a CDN), or one visitor's large type would be served to the next."""
    from django.utils.cache import patch_vary_headers

    def middleware(request):
        response = get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ["Cookie"])
        return response

    return middleware
