"""The gallery's section of the sitemap (assembled in union_site/sitemaps.py): the published albums, as plain rows of
the two columns their URLs need (news/sitemaps.py explains)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from gallery.models import Album

PART_SIZE = 1000  # URLs per sitemap part


class AlbumSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    limit = PART_SIZE

    def items(self):
        return Album.objects.published().order_by("id").values_list("id", "updated_at", named=True)

    def location(self, item):
        return reverse("gallery:album", kwargs={"pk": item.id})  # Album.get_absolute_url, without the instance

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        """For the sitemap index: one MAX query (Django's default reads every item)."""
        return Album.objects.published().aggregate(latest=Max("updated_at"))["latest"]
