from django.conf import settings

from news.models import Column


def site(request):
    """The site name and the navigation columns, on every page (one small query)."""
    return {"site_name": settings.SITE_NAME, "nav_columns": Column.objects.in_nav()}
