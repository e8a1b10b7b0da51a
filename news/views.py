from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, ListView

from news import listing
from news.models import COLUMN_TYPE_NEWS, SEARCH_FIELDS, Article, Column
from news.topics import NEWS, article_topic, column_topic
from union_site.common import counters, generation, preferences
from union_site.common.page_parts import PartCachedView, allowance, hole, making, pieces

NEWS_CENTRE = "新闻中心"
# 网页标签 of the list of all columns (union_site/compliance.py)
NEWS_CENTRE_META = {"ColumnName": NEWS_CENTRE, "ColumnType": COLUMN_TYPE_NEWS, "og:title": NEWS_CENTRE}


class ArticleListView(PartCachedView, ListView):
    template_name = "news/article_list.html"
    context_object_name = "articles"
    paginate_by = listing.PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().for_listing()

    def part(self):
        """Cached by page number; made again when any article changes (union_site/common/page_parts.py)."""
        return "news-list", [self.request.GET.get("page", "")], [NEWS]

    def layout(self):
        """What the list shows besides titles: breadcrumbs, leads, covers; and its 网页标签."""
        return {"crumbs": [(None, NEWS_CENTRE)], "show_lead": True, "with_cover": False, "page_meta": NEWS_CENTRE_META}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.layout(), **kwargs)


class ColumnView(ArticleListView):
    """One column; `?unit=<id>`: only the items of that 来稿单位 (README "基层投稿"), chosen from the units the column
    has public items of, which the page lists."""

    def part(self):
        """Cached by column, page and unit; made again when an article of this column changes. The first page, which
        most visitors read and every publish in the column changes, keeps only what is around its list (made again
        when the column or any content but articles changes), and the list is a piece of its own in a hole
        (`listing`): a publish makes the list again, not the page. Other pages and a unit's are made whole, as
        whether they exist at all (or are a 404) depends on the column's articles."""
        column_id = column_ids(self.request).get(self.kwargs["slug"])
        if column_id is None:
            return None  # no such column: the usual 404
        if self.first_page():
            return "column-frame", [column_id], []
        query = self.request.GET
        return "column", [column_id, query.get("page", ""), query.get("unit", "")], [column_topic(column_id)]

    def first_page(self):
        query = self.request.GET
        return "unit" not in query and query.get("page", "") in ("", "1")

    def part_meta(self):
        return {"slug": self.column.slug, "kind": self.column.kind}

    def part_fills(self, meta):
        if not self.first_page():
            return {}
        column = Column(pk=column_ids(self.request)[self.kwargs["slug"]], slug=meta["slug"], kind=meta["kind"])
        return {"listing": listing.first_page(self.request, column, getattr(self, "made_listing", None))}

    def get_queryset(self):
        self.column = get_object_or_404(Column, slug=self.kwargs["slug"])
        articles = super().get_queryset().filter(column=self.column)
        self.units = listing.column_units(articles)
        self.unit = self.chosen_unit()
        return articles.filter(contributing_unit_id=self.unit["id"]) if self.unit else articles

    def chosen_unit(self):
        wanted = self.request.GET.get("unit")
        if wanted is None:
            return None
        unit = next((unit for unit in self.units if str(unit["id"]) == wanted), None)
        if unit is None:
            raise Http404("本栏目没有这个来稿单位的文章。")
        return unit

    def layout(self):
        crumbs = [(None, self.column.name)]
        if self.unit:
            crumbs = [(self.column.get_absolute_url(), self.column.name), (None, self.unit["name"])]
        return {
            **listing.layout(self.column, self.units, self.unit),
            "crumbs": crumbs,
            "page_meta": self.column.page_meta(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if making(self.request) and self.first_page():  # the frame's part: its list goes in as a piece (`listing`)
            self.made_listing = render_to_string(listing.LISTING, context)
            context["listing"] = hole(self.request, "listing", None)
        return context


def column_ids(request):
    """{slug: id} of every column, once per ANY token in this process (a column's save renews ANY)."""
    return generation.remembered(
        generation.any_of_request(request), "column_ids", lambda: dict(Column.objects.values_list("slug", "id"))
    )


class ArticleDetailView(PartCachedView, DetailView):
    template_name = "news/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        qs = (
            Article.objects.select_related("column", "album", "album__cover", "contributing_unit")
            .defer(*SEARCH_FIELDS)
            .prefetch_related("attachments")  # 附件 under the body: one query however many
        )
        if self.request.user.has_perm("news.view_article"):
            return qs  # staff preview unpublished articles; the page says so
        return qs.published()

    def part(self):
        """A visitor's page from the cached part of this article and 字号, made again when the article changes, with
        its 上一篇/下一篇/相关文章 in a hole: a piece of its own, made again when its column's list changes
        (`around`). No query: a kept part is proof that the article is public, being made only from its public
        page and never kept past a change of the article (its topic) or the next scheduled publish or 下线时间 (the
        parts' lifetime); without one the page is made as always, a 404 when the article is not public."""
        pk = self.kwargs["pk"]
        return "article", [pk, preferences.font_size(self.request)], [article_topic(pk)]

    def part_reads(self):
        pk = self.kwargs["pk"]
        return [counters.counter_key(Article, pk), counters.stored_key(Article, pk)]  # with the topics' tokens

    def part_meta(self):
        return {"column_id": self.object.column_id, "publish_at": self.object.publish_at}

    def part_fills(self, meta):
        pk = self.kwargs["pk"]
        self.counted = True  # the public page is served
        article = Article(pk=pk, column_id=meta["column_id"], publish_at=meta["publish_at"])
        views = counters.shown(Article, pk, found=self.part_read) + 1
        return {"views": views, "around": self.around(article)}

    def around(self, article):
        """上一篇/下一篇/相关文章 of `article` (its pk, column and 发布时间 suffice). For a visitor, one of its
        column's newest is found among them (news/listing.py, made by the save that changed them), and any other
        is a piece of its own kept by its column; staff and previews ask the database."""

        def render(found):
            previous, following, related = found
            context = {"previous": previous, "following": following, "related": related}
            return render_to_string("news/_article_around.html", context)

        found = listing.around(self.request, article) if allowance(self.request) else None
        if found is not None:
            return mark_safe(render(found))  # noqa: S308 - a rendered template
        wanted = [("article-around", [article.pk], [column_topic(article.column_id)])]
        html = pieces(self.request, wanted, lambda indexes: [render(Article.objects.around(article))])[0]
        return mark_safe(html)  # noqa: S308 - a rendered template

    def get_object(self, queryset=None):
        """阅读数: a visitor's view is counted in the cache each time the page is served (from the page cache too) and
        written to the database in batches (union_site/common/counters.py); staff reading or previewing are not
        counted. Shown: stored + pending, this view included."""
        article = super().get_object(queryset)
        request = self.request
        self.counted = article.is_public and request.method == "GET" and not request.user.is_authenticated
        article.view_count += counters.pending(Article, article.pk) + self.counted
        return article

    def get_context_data(self, **kwargs):
        article, column = self.object, self.object.column
        return super().get_context_data(
            column=column,
            crumbs=[(column.get_absolute_url(), column.name), (None, "正文")],
            around=hole(self.request, "around", None) if making(self.request) else self.around(article),
            font_size=preferences.font_size(self.request),  # 字号【大 中 小】, union_site/common/preferences.py
            font_sizes=preferences.FONT_SIZES,
            share_url=self.request.build_absolute_uri(article.get_absolute_url()),
            page_meta=article.page_meta(),
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        return self.finish(super().render_to_response(context, **kwargs))

    def finish(self, response):
        response = preferences.remember_font_size(self.request, response)
        if self.counted:
            counters.count_when_served(response, Article, self.kwargs["pk"])
        return response
