import datetime
import html
import re

from django import template
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from union_site.common import generation, page_parts, preferences
from union_site.common.richtext import render_html

register = template.Library()


@register.tag
def fragment(parser, token):
    """{% fragment "nav" value… %}…{% endfragment %}: the enclosed markup rendered once per ANY token (renewed by
    every change but an article's), preference variant (长者模式, 字号) and listed values, in this process
    (union_site/common/generation.py, `remembered`). For the parts of base.html every page shares (navigation, footer,
    links in <head>): whatever the markup depends on besides those and preferences must be among the values (the
    navigation's columns, which articles change: `nav_version`). Rendered each time without a request."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])


class FragmentNode(template.Node):
    def __init__(self, nodelist, vary_on):
        self.nodelist, self.vary_on = nodelist, vary_on

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        key = ("fragment", preferences.variant(request), *(value.resolve(context) for value in self.vary_on))
        return generation.remembered(generation.any_of_request(request), key, lambda: self.nodelist.render(context))


@register.simple_tag(takes_context=True)
def hole(context, name, value):
    """{% hole "views" article.view_count %}: the value, or a marker while a cached part of the page is being made,
    which each request fills with its own (union_site/common/page_parts.py)."""
    request = context.get("request")
    return page_parts.hole(request, name, value) if request is not None else value


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


@register.simple_tag
def sitemap_entries(urlset):
    """The <url> entries of one part of the sitemap (sitemap_section.xml), one a line, what Django's sitemap.xml writes
    (no hreflang links: the site has one language). Written here because the template language takes about 70 ms for
    a part of 1,000 URLs, more than everything else the part costs; this takes about 10."""
    return mark_safe("".join(map(_sitemap_entry, urlset)))  # noqa: S308 - every value is escaped


def _sitemap_entry(url):
    entry = f"<url><loc>{html.escape(url['location'])}</loc>"
    if url["lastmod"]:
        entry += f"<lastmod>{_sitemap_date(url['lastmod'])}</lastmod>"
    if url["changefreq"]:
        entry += f"<changefreq>{html.escape(url['changefreq'])}</changefreq>"
    if url["priority"]:
        entry += f"<priority>{html.escape(url['priority'])}</priority>"
    return entry + "</url>\n"


def _sitemap_date(value):
    """The date in Beijing time, as {{ lastmod|date:"Y-m-d" }} gives it."""
    if isinstance(value, datetime.datetime):
        value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value.isoformat()
