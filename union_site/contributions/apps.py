from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    """基层投稿 (README "基层投稿"): the 来稿单位 (county, industry and grassroots unions, departments), the 通讯员
    bound to one of them, and the monthly 信息采用情况通报 built from how their items were used."""

    name = "union_site.contributions"
    label = "contributions"
    verbose_name = "基层投稿"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from union_site.common import generation
        from union_site.contributions.models import Unit

        # An article page shows its 来稿单位's name, a column page lists items by unit: a renamed unit ends them.
        generation.watch(Unit)
