import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from union_site.common.richtext import render_html

register = template.Library()


@register.filter
def richtext(html):
    """Stored rich text, sanitized once more on the way out."""
    return render_html(html)


@register.filter
def highlight(text, query):
    """`text` escaped, with every occurrence of `query` (any case) wrapped in <mark>."""
    text = str(text or "")
    if not query:
        return escape(text)
    parts = re.split(f"({re.escape(query)})", text, flags=re.IGNORECASE)
    return mark_safe(  # noqa: S308 - every part is escaped
        "".join(f"<mark>{escape(part)}</mark>" if i % 2 else escape(part) for i, part in enumerate(parts))
    )
