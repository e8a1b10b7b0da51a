from django.apps import AppConfig


class UnionSiteConfig(AppConfig):
    name = "union_site"
    verbose_name = "站点"
