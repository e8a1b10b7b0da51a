"""The news part of /sitemap.xml (assembled in union_site/sitemaps.py): published articles and the column pages."""

from django.contrib.sitemaps import Sitemap

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
