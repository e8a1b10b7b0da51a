"""The read-only JSON API at /api/v1/ (README "开放接口"): columns, articles, albums, 数说五年 and 下载中心, for a
mini-program, the App and other union sites. django-ninja: the OpenAPI 3 schema at /api/v1/schema/ and its
browsable page at /api/v1/docs/ (Swagger UI served from the package's own static files) come from the schemas.

Only what the public pages show, by the apps' own rules: Article.objects.published(), Album/Photo published(),
Period/Section/Metric published(), Attachment public(). Answers go through the page cache like any public page
(ETag, 304, invalidated by the content generation); union_site/api/middleware.py adds CORS and the rate limit."""

from datetime import date
from math import ceil

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import Swagger

from achievements.models import Period
from achievements.views import sections_with_figures
from gallery.models import Album
from gallery.views import PHOTO_ORDER
from news.downloads import Chosen, download_rows
from news.models import Article, Column
from news.search_tokens import search_char_count
from union_site.api import schemas
from union_site.api.rows import Rows
from union_site.reports.periods import local_bounds
from union_site.search import MIN_QUERY_CHARS, FoundArticles, article_matches, clean_query

MAX_PAGE_SIZE = 50
api = NinjaAPI(
    title="滨州市总工会网站开放接口",
    version="1",
    description=(
        "只读接口，供小程序、App 和其他工会网站使用。只返回网站上公开的内容（与网页同一规则）。"
        "列表按页返回：?page=1&page_size=20（每页最多 50 条），回答里有 next/previous 地址。"
        "时间均为北京时间（+08:00），图片和链接均为绝对地址，图片同时给出 WebP 和 JPEG。"
        "回答带 ETag，可用 If-None-Match 得到 304。每个 IP 每分钟的请求数有限，超出返回 429。"
    ),
    urls_namespace="api",
    openapi_url="schema/",
    docs_url="docs/",
    docs=Swagger(settings={"defaultModelsExpandDepth": 0}),
)


class Paging(Schema):
    page: int = Field(1, ge=1, description="第几页，从 1 开始")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1—{MAX_PAGE_SIZE}")


class ArticleFilters(Paging):
    column: str | None = Field(None, max_length=50, description="栏目网址名（见 /columns）")
    date_from: date | None = Field(None, description="发布日期不早于，如 2026-01-01（北京时间）")
    date_to: date | None = Field(None, description="发布日期不晚于")
    q: str | None = Field(None, max_length=50, description="搜索词，至少两个字；标题中有的排在前面")


class DownloadFilters(Paging):
    column: str | None = Field(None, max_length=50, description="栏目网址名")
    kind: str | None = Field(None, max_length=10, description="格式（pdf、docx …）或类别（word、excel …）")
    q: str | None = Field(None, max_length=50, description="按文件名称查找")


def page_of(request, items, paging):
    """One page of `items` (a queryset, or FoundArticles), with the addresses of its neighbours."""
    paginator = Paginator(items, paging.page_size)
    try:
        page = paginator.page(paging.page)
    except EmptyPage:
        if paging.page > 1:
            raise HttpError(404, f"没有第 {paging.page} 页：共 {paginator.num_pages} 页。") from None
        page = paginator.page(1)

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return page, {
        "count": paginator.count,
        "page": page.number,
        "page_size": paging.page_size,
        "pages": max(1, ceil(paginator.count / paging.page_size)),
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
    }


@api.get("/columns", response=list[schemas.Column], summary="栏目", tags=["新闻"])
def columns(request):
    """导航栏中的栏目（至少有一篇公开文章的），按网站上的顺序。"""
    rows = Rows(request)
    return [rows.column(column) for column in Column.objects.in_nav()]


@api.get("/articles", response=schemas.ArticlePage, summary="文章列表", tags=["新闻"])
def articles(request, filters: Query[ArticleFilters]):
    """公开的文章，置顶的在前，然后按发布时间从新到旧；有搜索词时标题中有它的在前。"""
    found = Article.objects.published().for_listing().select_related("album__cover")
    if filters.column:
        column = Column.objects.filter(slug=filters.column).first()
        if column is None:
            raise HttpError(400, f"没有网址名为“{filters.column}”的栏目，请用 /api/v1/columns 中的 slug。")
        found = found.filter(column=column)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise HttpError(400, "date_from 不能晚于 date_to。")
    if filters.date_from:
        found = found.filter(publish_at__gte=local_bounds(filters.date_from, filters.date_from)[0])
    if filters.date_to:
        found = found.filter(publish_at__lt=local_bounds(filters.date_to, filters.date_to)[1])
    if filters.q is not None:
        found = searched(found, filters.q)
    page, meta = page_of(request, found, filters)
    rows = Rows(request)
    return {**meta, "results": [rows.article_item(article) for article in page.object_list]}


def searched(articles, raw):
    query = clean_query(raw)
    if search_char_count(query) < MIN_QUERY_CHARS:
        raise HttpError(400, f"搜索词至少要有 {MIN_QUERY_CHARS} 个字。")
    matches = article_matches(query)
    return FoundArticles(articles, *matches) if matches else FoundArticles(articles.none())


@api.get("/articles/{article_id}", response=schemas.ArticleDetail, summary="文章", tags=["新闻"])
def article(request, article_id: int):
    """一篇公开的文章，含正文（网页用和小程序用两种）和附件。草稿、定时未到、已下线的文章为 404。"""
    found = Article.objects.published().select_related("column", "album__cover").prefetch_related("attachments")
    return Rows(request).article_detail(get_object_or_404(found, pk=article_id))


@api.get("/albums", response=schemas.AlbumPage, summary="相册列表", tags=["图集"])
def albums(request, paging: Query[Paging]):
    """在网站显示的相册，按活动日期从新到旧。"""
    page, meta = page_of(request, Album.objects.published().for_listing(), paging)
    rows = Rows(request)
    return {**meta, "results": [rows.album_item(album) for album in page.object_list]}


@api.get("/albums/{album_id}", response=schemas.AlbumDetail, summary="相册及照片", tags=["图集"])
def album(request, album_id: int):
    """一个相册和它在网站上显示的全部照片（按相册中的顺序），每张有缩略图、中图、大图。"""
    found = get_object_or_404(Album.objects.published().select_related("cover"), pk=album_id)
    photos = list(found.photos.published().order_by(*PHOTO_ORDER))
    return Rows(request).album_detail(found, photos)


@api.get("/periods", response=list[schemas.PeriodItem], summary="数说五年：时期", tags=["数说五年"])
def periods(request):
    """在网站显示的时期，最近的在前。"""
    rows = Rows(request)
    return [rows.period_item(period) for period in Period.objects.published()]


@api.get("/periods/{period_id}", response=schemas.PeriodDetail, summary="数说五年：板块与指标", tags=["数说五年"])
def period(request, period_id: int):
    """一个时期的各板块，每个板块的指标（数值、单位、修饰、网站写法、逐年数值、数据来源）和荣誉。"""
    found = get_object_or_404(Period.objects.published(), pk=period_id)
    sections = list(sections_with_figures(found.sections.all()))
    return Rows(request).period_detail(found, sections)


@api.get("/downloads", response=schemas.DownloadPage, summary="下载中心", tags=["下载中心"])
def downloads(request, filters: Query[DownloadFilters]):
    """公开文章的附件，文章从新到旧（与网站“下载中心”相同）。"""
    chosen = Chosen(column=filters.column or "", kind=filters.kind or "", q=(filters.q or "").strip())
    page, meta = page_of(request, download_rows(chosen), filters)
    rows = Rows(request)
    return {**meta, "results": [rows.download_item(attachment) for attachment in page.object_list]}


@api.get("/", summary="接口目录", tags=["说明"], include_in_schema=False)
def index(request):
    def absolute(name, **kwargs):
        return request.build_absolute_uri(reverse(f"api:{name}", kwargs=kwargs))

    return {
        "说明": "滨州市总工会网站只读接口。文档见 docs，OpenAPI 3 描述见 schema。",
        "docs": absolute("openapi-view"),
        "schema": absolute("openapi-json"),
        "columns": absolute("columns"),
        "articles": absolute("articles"),
        "albums": absolute("albums"),
        "periods": absolute("periods"),
        "downloads": absolute("downloads"),
    }


# --- errors, in Chinese ------------------------------------------------------------------------------------------

FIELD_HINTS = {
    "int_parsing": "应为整数",
    "greater_than_equal": "太小",
    "less_than_equal": "太大",
    "date_from_datetime_parsing": "应为日期，如 2026-01-01",
    "date_parsing": "应为日期，如 2026-01-01",
    "date_from_datetime_inexact": "应为日期，如 2026-01-01",
    "string_too_long": "太长",
    "missing": "不能缺少",
}


def explain(error):
    name = next((str(part) for part in reversed(error.get("loc", ())) if isinstance(part, str)), "参数")
    hint = FIELD_HINTS.get(error.get("type"), "无效")
    context = error.get("ctx") or {}
    for key, word in (("ge", "不能小于"), ("le", "不能大于"), ("max_length", "最多字数")):
        if key in context:
            hint += f"（{word} {context[key]}）"
    return f"参数 {name} {hint}"


@api.exception_handler(ValidationError)
def bad_parameters(request, error):
    problems = [explain(item) for item in error.errors]
    return api.create_response(
        request, {"detail": "请求参数有误：" + "；".join(problems) + "。", "errors": problems}, status=400
    )


@api.exception_handler(Http404)
def not_found(request, error):
    return api.create_response(request, {"detail": "没有找到：内容不存在或尚未公开。"}, status=404)


@api.exception_handler(HttpError)
def refused(request, error):
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)
