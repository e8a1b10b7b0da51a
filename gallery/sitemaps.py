"""The gallery's part of /sitemap.xml (assembled in union_site/sitemaps.py): the published albums."""

from django.contrib.sitemaps import Sitemap

from gallery.models import Album


class AlbumSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Album.objects.published().only("id", "updated_at").order_by("-event_on", "-id")

    def lastmod(self, item):
        return item.updated_at
