from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django.views.static import serve

from achievements.models import Metric
from union_site import home
from union_site.common.page_parts import PartCachedView, hole, making
from union_site.common.preferences import COOKIE_AGE, ELDER_COOKIE
from union_site.common.storage import local_root, signs_urls
from union_site.context_processors import nav_columns
from union_site.health import health
from union_site.outage import RETRY_AFTER, logged_already
from union_site.search import search_site

HOME_META = {"ColumnName": "首页", "ColumnType": "首页"}  # 网页标签 (union_site/compliance.py); og:title: the site name
SEARCH = "站内搜索"
SEARCH_META = {"ColumnName": SEARCH, "og:title": SEARCH}


def home_more():
    """数说五年's highlighted figures and the newest albums: they depend on no article, so they are part of the home
    page's part (made again only when anything but articles changes)."""
    context = {"figures": Metric.objects.published().highlighted().select_related("section")[:8]}
    context["albums"] = home.newest_albums()[: home.HOME_ALBUMS]
    return mark_safe(render_to_string("_home_more.html", context))  # noqa: S308 - a rendered template


class HomeView(PartCachedView, TemplateView):
    template_name = "home.html"

    def part(self):
        """Made again when anything but articles changes (union_site/common/page_parts.py); its news (头条, 图片新闻,
        the columns' blocks), which every publish changes, is a piece of its own in a hole (union_site/home.py), and
        数说五年's figures and the albums are part of it."""
        return "home", [], []

    def part_fills(self, meta):
        return {"news": home.news(self.request, nav_columns(self.request))}

    def get_context_data(self, **kwargs):
        request = self.request
        if making(request):
            news = hole(request, "news", None)
        else:
            news = home.news(request, nav_columns(request))  # the navigation's own read of the columns
        return super().get_context_data(news=news, more=home_more(), page_meta=HOME_META, **kwargs)


class SearchView(TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        found = search_site(self.request.GET.get("q", ""), self.request.GET.get("page", 1))
        return super().get_context_data(crumbs=[(None, SEARCH)], page_meta=SEARCH_META, **found, **kwargs)


@never_cache
def healthz(request):
    """For load balancers and monitoring: what is up and down (union_site/health.py); 503 when the database is."""
    answer, status = health()
    response = JsonResponse(answer, status=status)
    if status == 503:  # the database is down; the check logged why
        response["Retry-After"] = str(RETRY_AFTER)
        logged_already(response)
    return response


def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /search/", "Disallow: /elder-mode/"]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def elder_mode(request):
    """长者模式 on (?on=1) or off (?on=0), remembered in a cookie, then back to the page the visitor came from
    (`next`, when it is a page of this site). A plain link, so it works without JavaScript."""
    response = HttpResponseRedirect(safe_next(request))
    if request.GET.get("on") == "1":
        response.set_cookie(ELDER_COOKIE, "1", max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


def safe_next(request):
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else reverse("home")


def media_file(request, path):
    """Uploaded files at MEDIA_URL, when Django serves them itself: from the local folder (development, tests;
    production lets nginx do it), or, when they live in a bucket, a redirect to the bucket's address for them
    (a fresh signed one when URLs are signed), so that /media/ links stay good."""
    root = local_root(default_storage)
    if root is not None:
        return serve(request, path, document_root=root)
    response = HttpResponseRedirect(default_storage.url(path))
    response["Cache-Control"] = "private, max-age=300" if signs_urls(default_storage) else "public, max-age=86400"
    return response
