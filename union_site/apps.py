from django.apps import AppConfig
from django.db.models.signals import post_migrate


class UnionSiteConfig(AppConfig):
    name = "union_site"
    verbose_name = "站点"

    def ready(self):
        from union_site import site_settings  # noqa: F401 - connects the cache-clearing receivers
        from union_site.common import generation
        from union_site.page_cache import make_ahead
        from union_site.roles import sync_roles_after_migrate

        watch_public_content()
        generation.ahead(make_ahead)  # the editor's save makes the new generation's navigation, not the next visitor

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="union_site.sync_roles")


# What the public pages show: any save or delete of these bumps the content generation, which ends every cached
# page and fragment (union_site/page_cache.py). History records, export logs and form tokens are not content.
CONTENT_APPS = ("news", "gallery", "achievements")
CONTENT_MODELS_HERE = ("SiteSettings", "QuickLink")


def watch_public_content():
    from django.apps import apps

    from news.topics import watch_articles
    from union_site.common import generation

    article = apps.get_model("news", "Article")
    watch_articles(article)  # by its topics: the other columns' parts stay good
    models = [
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical") and model is not article
    ]
    models += [apps.get_model("union_site", name) for name in CONTENT_MODELS_HERE]
    generation.watch(*models)
