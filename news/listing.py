"""A column's list as its pages show it (news/_listing.html: the 来稿单位 filter, the items, the pagination), and
what a publish in a column changes for every visitor alike, kept as common pieces (union_site/common/page_parts.py)
of the column's topic: its first page's list, and its newest articles, in which its newest articles' 上一篇/下一篇/
相关文章 are found without a query. Both are made by the editor's save in that column once it has committed
(`make_ahead`), so that the first visitor after a publish finds them made."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from news.models import Article, Column, around_in
from news.topics import column_topic
from union_site.common import page_parts

PAGE_SIZE = 20
LISTING = "news/_listing.html"
PIECE = "column-listing"
NEWEST = "column-newest"
NEWEST_COUNT = 25  # the 24 newest articles of a column find their neighbours in it; a crowd reads the new ones


def layout(column, units, unit):
    """What a column's list shows besides the items: its units, the chosen one, and the kind's layout."""
    kind = column.kind
    return {
        "column": column,
        "units": units,
        "unit": unit,
        "page_query": f"unit={unit['id']}&" if unit else "",
        "show_lead": kind != Column.Kind.NOTICE,  # 通知公告: a dated list of titles
        "with_cover": kind == Column.Kind.PHOTO,
    }


def column_units(articles):
    """[{id, name, count}]: the 来稿单位 of `articles` (a column's public ones), most items first. One query."""
    rows = (
        articles.filter(contributing_unit__isnull=False)
        .order_by()
        .values("contributing_unit_id", "contributing_unit__name")
        .annotate(count=Count("id"))
        .order_by("-count", "contributing_unit__name")
    )
    return [
        {"id": row["contributing_unit_id"], "name": row["contributing_unit__name"], "count": row["count"]}
        for row in rows
    ]


def first_page_html(column):
    """The list of `column`'s first page (its pk, slug and kind suffice): three queries (units, count, items)."""
    articles = Article.objects.published().for_listing().filter(column_id=column.pk)
    page = Paginator(articles, PAGE_SIZE).page(1)
    context = {"articles": page.object_list, "page_obj": page, "paginator": page.paginator}
    return render_to_string(LISTING, {**context, **layout(column, column_units(articles), None)})


def first_page(request, column, made=None):
    """The first page's list of `column`, from its piece; made now (or `made`, just rendered) when it is missing."""
    html = page_parts.common_piece(
        request, PIECE, [column.pk], [column_topic(column.pk)], lambda: made or first_page_html(column)
    )
    return mark_safe(html)  # noqa: S308 - a rendered template


def newest(request, column_id):
    """The column's NEWEST_COUNT newest articles (Article.objects.newest_of_column), from their piece."""
    return page_parts.common_piece(
        request, NEWEST, [column_id], [column_topic(column_id)], lambda: newest_rows(column_id)
    )


def newest_rows(column_id):
    return Article.objects.newest_of_column(column_id, NEWEST_COUNT)


def around(request, article):
    """ArticleQuerySet.around of the public `article` (its pk and column suffice) from its column's newest, or None
    when it is not among them."""
    return around_in(newest(request, article.column_id), article.pk, NEWEST_COUNT)


def make_ahead(topics, lifetime):
    """After a save, once it has committed: the first page's list and the newest articles of each column whose topic
    it renewed, kept `lifetime(now)` seconds (the new generation's pages' lifetime; union_site/page_cache.py calls
    this)."""
    ids = [int(topic.split(":")[1]) for topic in topics if topic.startswith(column_topic(""))]
    for column in Column.objects.filter(pk__in=ids).only("pk", "slug", "kind"):
        renewed = [column_topic(column.pk)]
        page_parts.make_common_piece(
            PIECE, [column.pk], renewed, lambda column=column: first_page_html(column), lifetime
        )
        page_parts.make_common_piece(
            NEWEST, [column.pk], renewed, lambda column=column: newest_rows(column.pk), lifetime
        )
