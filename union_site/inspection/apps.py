from django.apps import AppConfig


class InspectionConfig(AppConfig):
    """网站巡检: the checks an inspector of government websites makes (README, 网站巡检), run on the site's own
    data: columns and the home page kept up to date, links that work, figures verified, letters answered."""

    name = "union_site.inspection"
    label = "inspection"
    verbose_name = "网站巡检"
    default_auto_field = "django.db.models.BigAutoField"
