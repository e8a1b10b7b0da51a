from django.apps import AppConfig
from django.db.models.signals import post_migrate


class UnionSiteConfig(AppConfig):
    name = "union_site"
    verbose_name = "站点"

    def ready(self):
        from union_site import site_settings  # noqa: F401 - connects the cache-clearing receivers
        from union_site.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="union_site.sync_roles")
