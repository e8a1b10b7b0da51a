from django import template

from union_site.richtext import render_html

register = template.Library()


@register.filter
def richtext(html):
    """Stored rich text, sanitized once more on the way out."""
    return render_html(html)
