from django.utils.functional import SimpleLazyObject

from union_site.common import generation
from union_site.page_cache import navigation
from union_site.site_settings import get_quick_links, get_site_settings


def site(request):
    """On every page: the site name and settings (网站设置), the 友情链接 and the navigation columns (`nav_columns`),
    each read only when a template uses it, and then once per token in this process (`generation.remembered`:
    the navigation per content generation, the rest per ANY token, which an article's save leaves as it was):
    usually nothing is asked of the cache or the database for them."""
    site_settings = SimpleLazyObject(lambda: remembered(request, "site_settings", get_site_settings))
    return {
        "site_settings": site_settings,
        "site_name": SimpleLazyObject(lambda: site_settings.site_name),
        "quick_links": SimpleLazyObject(lambda: remembered(request, "quick_links", get_quick_links)),
        "nav_columns": SimpleLazyObject(lambda: nav_columns(request)),
        # What the navigation fragments ({% fragment %} in base.html, news/article_list.html) vary on besides the
        # content generation: the columns listed, which change by the clock too (below).
        "nav_version": SimpleLazyObject(lambda: ",".join(str(column.pk) for column in nav_columns(request))),
    }


def remembered(request, key, make):
    """Kept under ANY: 网站设置 and the 友情链接 depend on no article."""
    return generation.remembered(generation.any_of_request(request), key, make)


def nav_columns(request):
    """The columns of the main navigation (union_site/page_cache.py `navigation`, made once per content generation):
    base.html lists them twice, and the home page's blocks (HomeView) and the news list's tabs are the same columns.
    A list of this request's own; the columns in it are shared, not to be changed."""
    if not hasattr(request, "_nav_columns"):
        request._nav_columns = list(navigation(generation.of_request(request)))
    return request._nav_columns
