"""The sitemap: /sitemap.xml is the index (`index`) of the sections below, each at /sitemap-<section>.xml in parts
of `limit` URLs (?p=2, ?p=3, … as Django numbers them; `section`): each app's own sitemaps (news: articles and
column pages; gallery: albums) and the fixed pages.

The two views are Django's (django.contrib.sitemaps.views) with one change: every URL is on the host the sitemap was
fetched from (the sitemap protocol accepts no other), where Django's would write the domain of the sites framework's
one record, installed for the redirects (union_site/redirects/sites.py)."""

from datetime import UTC, datetime, time

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.contrib.sites.requests import RequestSite
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import http_date

from gallery.sitemaps import AlbumSitemap
from news.sitemaps import ArticleSitemap, ColumnSitemap


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7
    limit = 1000

    def items(self):
        return ["home", "news:list", "achievements:index", "gallery:list", "downloads:index", "sharing:channels"]

    def location(self, item):
        return reverse(item)


# section name (the URL's /sitemap-<section>.xml) → its sitemap; the index lists them in this order
SITEMAPS = {
    "static": StaticSitemap,
    "columns": ColumnSitemap,
    "articles": ArticleSitemap,
    "albums": AlbumSitemap,
}


XML = "application/xml"


@x_robots_tag
def index(request):
    """The index: each section's parts, with the section's last change. No Last-Modified header: the fixed pages
    have no date, so the index as a whole has none (as Django's view decides)."""
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = request.build_absolute_uri(reverse("sitemap_section", kwargs={"section": name}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        entries += [SitemapIndexItem(f"{url}?p={page}", lastmod) for page in range(2, sitemap.paginator.num_pages + 1)]
    return TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type=XML)


@x_robots_tag
def section(request, section, template_name="sitemap_section.xml"):
    """One part (?p=N) of one section, its Last-Modified the newest change in it."""
    if section not in SITEMAPS:
        raise Http404(f"No sitemap section {section!r}")
    sitemap = SITEMAPS[section]()
    try:
        urls = sitemap.get_urls(page=request.GET.get("p", 1), site=RequestSite(request), protocol=request.scheme)
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page of the sitemap") from None
    lastmod = getattr(sitemap, "latest_lastmod", None)
    if lastmod is not None and not isinstance(lastmod, datetime):
        lastmod = datetime.combine(lastmod, time.min, tzinfo=UTC)
    headers = {"Last-Modified": http_date(lastmod.timestamp())} if lastmod else None
    return TemplateResponse(request, template_name, {"urlset": urls}, content_type=XML, headers=headers)
