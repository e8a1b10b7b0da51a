"""Visitor preferences kept in cookies, so they work without JavaScript: 长者模式 (elder mode, 适老化) on every page
and 字号【大 中 小】 on articles.

长者模式: a link on every page goes to `elder_mode` (union_site/views.py), which sets or clears the cookie and sends
the visitor back; `context` below puts `elder_mode` into every template, and base.html then renders
<html class="elder">, which site.css turns into larger type, wider line spacing, stronger contrast and bigger
targets.

字号: the article page's links add ?fs=l|m|s; the article view reads the choice with `font_size` and keeps it with
`remember_font_size`, so the next article opens at the same size."""

ELDER_COOKIE = "elder"
FONT_COOKIE = "fs"
FONT_SIZES = {"l": "大", "m": "中", "s": "小"}
DEFAULT_FONT_SIZE = "m"
COOKIE_AGE = 365 * 24 * 3600


def elder_mode_on(request):
    return request.COOKIES.get(ELDER_COOKIE) == "1"


def font_size(request):
    """The size chosen by a link just now, else the remembered one, else 中."""
    chosen = request.GET.get(FONT_COOKIE) or request.COOKIES.get(FONT_COOKIE)
    return chosen if chosen in FONT_SIZES else DEFAULT_FONT_SIZE


def remember_font_size(request, response):
    """Keep a size chosen by a link (?fs=l) for the following pages."""
    chosen = request.GET.get(FONT_COOKIE)
    if chosen in FONT_SIZES:
        response.set_cookie(FONT_COOKIE, chosen, max_age=COOKIE_AGE, samesite="Lax")
    return response


def context(request):
    """Context processor: `elder_mode` on every page."""
    return {"elder_mode": elder_mode_on(request)}


def variant(request):
    """The preferences a page's HTML depends on, as a short key: what the page cache (union_site/page_cache.py) and
    nginx's micro-cache (deploy/nginx.conf) key on, instead of the whole Cookie header."""
    font = request.COOKIES.get(FONT_COOKIE)
    return f"elder={int(elder_mode_on(request))}|fs={font if font in FONT_SIZES else ''}"
