"""The sitemap at /sitemap.xml: published articles and albums, the column pages and the fixed pages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from gallery.models import Album
from news.models import Article, Column


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("id", "updated_at").order_by("-publish_at", "-id")

    def lastmod(self, item):
        return item.updated_at


class ColumnSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return Column.objects.only("id", "slug")


class AlbumSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Album.objects.published().only("id", "updated_at").order_by("-event_on", "-id")

    def lastmod(self, item):
        return item.updated_at


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
