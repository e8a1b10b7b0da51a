"""The sitemap at /sitemap.xml: each app's own sitemaps (news: articles and column pages; gallery: albums) and the
fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gallery.sitemaps import AlbumSitemap
from news.sitemaps import ArticleSitemap, ColumnSitemap


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7

    def items(self):
        return ["home", "news:list", "achievements:index", "gallery:list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "static": StaticSitemap,
    "columns": ColumnSitemap,
    "articles": ArticleSitemap,
    "albums": AlbumSitemap,
}
