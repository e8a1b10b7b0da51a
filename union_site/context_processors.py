from django.utils.functional import SimpleLazyObject

from news.models import Column
from union_site.site_settings import get_quick_links, get_site_settings


def site(request):
    """On every page: the site name and settings (网站设置, read once and only when a template uses them: usually
    from the cache, else one query), and the navigation columns (one small query, `nav_columns`)."""
    site_settings = SimpleLazyObject(get_site_settings)
    return {
        "site_settings": site_settings,
        "site_name": SimpleLazyObject(lambda: site_settings.site_name),
        "quick_links": SimpleLazyObject(get_quick_links),
        "nav_columns": SimpleLazyObject(lambda: nav_columns(request)),
    }


def nav_columns(request):
    """The columns of the main navigation, read once per request however often they are asked for: base.html lists
    them twice, and the home page's blocks (HomeView) and the news list's tabs are the same columns."""
    if not hasattr(request, "_nav_columns"):
        request._nav_columns = list(Column.objects.in_nav())
    return request._nav_columns
