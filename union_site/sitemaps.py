"""The sitemap: /sitemap.xml is the index (django.contrib.sitemaps.views.index) of the sections below, each at
/sitemap-<section>.xml in parts of `limit` URLs (?p=2, ?p=3, … as Django numbers them): each app's own sitemaps
(news: articles and column pages; gallery: albums) and the fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gallery.sitemaps import AlbumSitemap
from news.sitemaps import ArticleSitemap, ColumnSitemap


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.7
    limit = 1000

    def items(self):
        return ["home", "news:list", "achievements:index", "gallery:list"]

    def location(self, item):
        return reverse(item)


# section name (the URL's /sitemap-<section>.xml) → its sitemap; the index lists them in this order
SITEMAPS = {
    "static": StaticSitemap,
    "columns": ColumnSitemap,
    "articles": ArticleSitemap,
    "albums": AlbumSitemap,
}
