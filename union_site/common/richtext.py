"""The one sanitizer for rich text: an allow-list (nh3). Body HTML is cleaned on save and again on render."""

import nh3
from django.utils.safestring import mark_safe

TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "hr",
    "span",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "*": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitize_html(html):
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_html(html):
    """Sanitized again at render time, so stored HTML is never trusted as it is."""
    return mark_safe(sanitize_html(html))  # noqa: S308 - output of the allow-list sanitizer
