import functools
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from django.views.static import serve

from achievements.models import Metric
from gallery.models import Album
from news.models import Article, Column
from news.topics import NEWS, column_topic
from union_site.common.page_parts import PartCachedView, pieces
from union_site.common.preferences import COOKIE_AGE, ELDER_COOKIE
from union_site.common.storage import local_root, signs_urls
from union_site.context_processors import nav_columns
from union_site.health import health
from union_site.outage import RETRY_AFTER, logged_already
from union_site.search import search_site

HOME_COLUMN_ITEMS = 6
HOME_SLIDES = 5
HOME_ALBUMS = 4
HOME_META = {"ColumnName": "首页", "ColumnType": "首页"}  # 网页标签 (union_site/compliance.py); og:title: the site name
SEARCH = "站内搜索"
SEARCH_META = {"ColumnName": SEARCH, "og:title": SEARCH}


@dataclass(frozen=True)
class Slide:
    """One picture of the home page's 图片新闻."""

    title: str
    url: str
    src: str
    srcset: str = ""
    kind: str = "图片新闻"


def article_slide(article):
    return Slide(article.title, article.get_absolute_url(), article.cover.url)


def album_slide(album):
    cover = album.shown_cover
    return Slide(album.title, album.get_absolute_url(), cover.rendition_url("thumbnail"), cover.srcset, kind="活动图集")


def photo_news_slides(albums, count=HOME_SLIDES):
    """图片新闻: the newest published articles that have a cover picture; when there are fewer than `count`, the
    covers of the newest albums (`albums()`, asked only then) fill the rest. One query, two when albums fill."""
    articles = Article.objects.published().with_cover().for_listing()[:count]
    slides = [article_slide(article) for article in articles]
    if len(slides) < count:
        slides += [album_slide(album) for album in albums() if album.shown_cover][: count - len(slides)]
    return slides


def newest_albums():
    return list(Album.objects.published().for_listing()[: max(HOME_SLIDES, HOME_ALBUMS)])


def column_blocks(request, columns):
    """The home page's block of each column (its newest HOME_COLUMN_ITEMS articles), "" for a column with none (left
    off, not shown as a blank box). Kept as pieces by column (common/page_parts.py): after a publish in 工会要闻 only
    its block is made again, the others' lists being asked nothing."""
    template = get_template("news/_column_block.html")

    def make(indexes):
        chosen = [columns[index] for index in indexes]
        lists = Article.objects.published().column_lists(chosen, HOME_COLUMN_ITEMS)
        return [
            template.render({"column": column, "items": items}) if items else ""
            for column, items in zip(chosen, lists, strict=True)
        ]

    wanted = [("home-column", [column.pk], [column_topic(column.pk)]) for column in columns]
    return [mark_safe(html) for html in pieces(request, wanted, make) if html]  # noqa: S308 - rendered templates


def home_more(request, albums):
    """数说五年's highlighted figures and the newest albums (`albums()`): they depend on no article (ANY), so a
    publish leaves this piece as it was."""

    def make(indexes):
        context = {"figures": Metric.objects.published().highlighted().select_related("section")[:8]}
        context["albums"] = albums()[:HOME_ALBUMS]
        return [render_to_string("_home_more.html", context)]

    return mark_safe(pieces(request, [("home-more", [], [])], make)[0])  # noqa: S308 - a rendered template


class HomeView(PartCachedView, TemplateView):
    template_name = "home.html"

    def part(self):
        """Made again when any article changes, or anything else (union_site/common/page_parts.py); its column
        blocks and figures are pieces of their own."""
        return "home", [], [NEWS]

    def get_context_data(self, **kwargs):
        request = self.request
        columns = nav_columns(request)  # the navigation's own read of them
        albums = functools.cache(newest_albums)  # asked at most once, by whichever needs them
        photo_column = next((c for c in columns if c.kind == Column.Kind.PHOTO), None)
        listed = [c for c in columns if c.kind != Column.Kind.PHOTO]
        return super().get_context_data(
            headline=Article.objects.headline(),
            slides=photo_news_slides(albums),
            photo_news_url=photo_column.get_absolute_url() if photo_column else reverse("gallery:list"),
            column_blocks=column_blocks(request, listed),
            more=home_more(request, albums),
            page_meta=HOME_META,
            **kwargs,
        )


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
