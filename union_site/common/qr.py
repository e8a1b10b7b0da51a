"""QR codes of this site's addresses (微信扫一扫), drawn here with segno as inline SVG and kept in the cache: a page
that shows one asks the cache, not segno, each time it is rendered (and rendered pages are cached anyway)."""

import hashlib

import segno
from django.core.cache import cache
from django.utils.safestring import mark_safe

PREFIX = "qr:v1:"
KEEP_SECONDS = 30 * 24 * 3600  # an address's QR code never changes


def qr_svg(url, title="本页二维码"):
    """`url` as an inline SVG (no width/height: CSS sizes it), with an accessible title."""
    key = PREFIX + hashlib.blake2b(f"{url}|{title}".encode(), digest_size=16).hexdigest()
    svg = cache.get(key)
    if svg is None:
        code = segno.make(url, error="m")
        svg = code.svg_inline(
            scale=4, border=2, dark="#000", light="#fff", title=title, omitsize=True, svgclass="qr-code"
        )
        cache.set(key, svg, KEEP_SECONDS)
    return mark_safe(svg)  # noqa: S308 - segno's SVG of an address, escaped by segno (title included)
