from django.apps import AppConfig
from django.contrib.sites.apps import SitesConfig as DjangoSitesConfig


class RedirectsConfig(AppConfig):
    """The 404 log (its table) and the redirect rules around django.contrib.redirects. Its own label: "redirects" is
    Django's app. Listed after django.contrib.redirects, so that its admin replaces Django's redirect admin."""

    name = "union_site.redirects"
    label = "site_redirects"
    verbose_name = "404 记录"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from union_site.redirects import column_slugs

        column_slugs.connect()


class SitesConfig(DjangoSitesConfig):
    """django.contrib.sites (needed by the redirects) under a name of its own in the admin: its Chinese name 站点 is
    already the name of union_site's section (网站设置, 友情链接)."""

    verbose_name = "站点域名"
