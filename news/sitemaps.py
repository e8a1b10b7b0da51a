"""The news sections of the sitemap (assembled in union_site/sitemaps.py): published articles and the column pages.

A part of the articles is `limit` URLs: one COUNT (Django's paginator) and one slice in id order of the two columns
its URLs need, as plain rows (a model instance each costs more than the rest of the URL).
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from news.models import Article, Column

PART_SIZE = 1000  # URLs per sitemap part (Django's default, 50,000, makes one 1.4 MB file at 10,000 articles)


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8
    limit = PART_SIZE

    def items(self):
        # In id order (the primary key): a new article goes on the last part, the earlier parts stay as they were.
        return Article.objects.published().order_by("id").values_list("id", "updated_at", named=True)

    def location(self, item):
        return reverse("news:detail", kwargs={"pk": item.id})  # Article.get_absolute_url, without the instance

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """For the sitemap index: one MAX query (Django's default reads every item)."""
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class ColumnSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6
    limit = PART_SIZE

    def items(self):
        return Column.objects.only("id", "slug").order_by("order", "id")
