"""The home page's news: 头条, 图片新闻 and the columns' blocks (_home_news.html), everything of it that an article's
save changes. The same HTML for every visitor, so it is a common piece (union_site/common/page_parts.py) under
NEWS in a hole of the home page's part: made by the editor's save once it has committed (page_cache.make_ahead), so
that the first visitor after a publish finds it made; made by a visitor when it is missing."""

import functools
from dataclasses import dataclass

from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from gallery.models import Album
from news.models import Article, Column
from news.topics import NEWS
from union_site.common import page_parts

HOME_COLUMN_ITEMS = 6
HOME_SLIDES = 5
HOME_ALBUMS = 4
PIECE = "home-news"


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


def column_blocks(columns):
    """The block of each of `columns` (its newest HOME_COLUMN_ITEMS articles); a column with none is left off (not
    shown as a blank box). One query for all (Article.objects.column_lists)."""
    template = get_template("news/_column_block.html")
    lists = Article.objects.published().column_lists(columns, HOME_COLUMN_ITEMS)
    return [
        mark_safe(template.render({"column": column, "items": items}))  # noqa: S308 - a rendered template
        for column, items in zip(columns, lists, strict=True)
        if items
    ]


def news_html(columns):
    """The home page's news under the navigation's `columns`: four queries at most (头条, 图片新闻, the albums when
    they fill it, the columns' lists)."""
    photo_column = next((c for c in columns if c.kind == Column.Kind.PHOTO), None)
    context = {
        "headline": Article.objects.headline(),
        "slides": photo_news_slides(functools.cache(newest_albums)),
        "photo_news_url": photo_column.get_absolute_url() if photo_column else reverse("gallery:list"),
        "column_blocks": column_blocks([c for c in columns if c.kind != Column.Kind.PHOTO]),
    }
    return render_to_string("_home_news.html", context)


def news(request, columns):
    """The home page's news, from its piece."""
    html = page_parts.common_piece(request, PIECE, [], [NEWS], lambda: news_html(columns))
    return mark_safe(html)  # noqa: S308 - a rendered template


def make_ahead(columns, lifetime):
    """After a save, once it has committed: the new generation's news under its navigation's `columns`, kept
    `lifetime(now)` seconds (page_cache.make_ahead calls this)."""
    page_parts.make_common_piece(PIECE, [], [NEWS], lambda: news_html(columns), lifetime)
