from django.apps import AppConfig


class UnionSiteConfig(AppConfig):
    name = "union_site"
    verbose_name = "站点"

    def ready(self):
        from union_site import site_settings  # noqa: F401 - connects the cache-clearing receivers
