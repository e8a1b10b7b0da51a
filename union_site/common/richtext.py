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


# The tags WeChat's mini-program `rich-text` component keeps, of those TAGS allows (figure and figcaption are not
# among them: their content stays, the tags go). Pictures take the width of the screen at most.
MINIPROGRAM_TAGS = TAGS - {"figure", "figcaption"}
MINIPROGRAM_ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
MINIPROGRAM_IMG_STYLE = {"img": {"style": "max-width:100%;height:auto;display:block;"}}


def _absolute_sources(absolute):
    """An nh3 attribute filter: every picture's and link's address made absolute by `absolute(url)`."""

    def keep(tag, attribute, value):
        if (tag, attribute) in {("img", "src"), ("a", "href")}:
            return absolute(value)
        return value

    return keep


def absolute_html(html, absolute):
    """The body as the site shows it, with its pictures and links at absolute addresses (for other sites and apps)."""
    return nh3.clean(
        html or "",
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_absolute_sources(absolute),
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def miniprogram_html(html, absolute):
    """The body for a WeChat mini-program's `rich-text`: only the tags it keeps, no classes, pictures at absolute
    addresses and no wider than the screen."""
    return nh3.clean(
        html or "",
        tags=MINIPROGRAM_TAGS,
        attributes=MINIPROGRAM_ATTRIBUTES,
        attribute_filter=_absolute_sources(absolute),
        set_tag_attribute_values=MINIPROGRAM_IMG_STYLE,
        url_schemes={"http", "https"},
        link_rel=None,
    )
