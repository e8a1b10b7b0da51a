"""The public-body compliance kit on every page (issue #7): government meta tags in <head> and the compliance footer
(an official document's particulars are news's: {% document_meta %} in news/templatetags/news_tags.py). Markup lives
in the partial templates named below, so a designer can restyle it without touching Python."""

from django import template
from django.template.loader import render_to_string

from union_site.compliance import page_meta
from union_site.models import ICP_URL
from union_site.site_settings import get_quick_links, get_site_settings

register = template.Library()


def _site_settings(context):
    """The request's 网站设置 (the context processor's lazy copy, so one read per request), else from the cache."""
    return context.get("site_settings") or get_site_settings()


@register.simple_tag(takes_context=True)
def gov_meta(context):
    """<meta> tags for SiteName, ColumnName, ArticleTitle… and Open Graph (union_site/compliance.py)."""
    return render_to_string("compliance/_gov_meta.html", page_meta(context, _site_settings(context)))


@register.simple_tag(takes_context=True)
def site_footer(context):
    """主办单位, contacts, 网站标识码, 备案号 with their links, 党政机关网站标识, 友情链接: each only when set."""
    links = context.get("quick_links")
    return render_to_string(
        "compliance/_footer.html",
        {
            "site": _site_settings(context),
            "links": get_quick_links() if links is None else links,
            "icp_url": ICP_URL,
        },
    )
