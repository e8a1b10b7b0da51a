"""Cached parts of pages (union_site/common/page_parts.py): after a publish, the pages it does not touch are made
from their parts, the ones it touches are made again; per-visitor holes are filled on every request."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from news.models import Article, Column
from tests.factories import make_album_with_cover
from union_site.common import counters
from union_site.contributions.models import Unit


@pytest.fixture
def other_column(make_article):
    """A second column, already in the navigation (a column's first article changes every page's navigation)."""
    column = Column.objects.create(name="基层动态", slug="grassroots", order=98)
    make_article(column=column, title="基层动态的第一篇", publish_at=timezone.now() - timedelta(days=30))
    return column


def quietly_retitle(article, title):
    """A change no signal reports (QuerySet.update): shows only where a page is really made again."""
    Article.objects.filter(pk=article.pk).update(title=title)


def test_a_publish_in_another_column_leaves_an_articles_page_to_its_part(client, make_article, other_column):
    article = make_article(title="工会要闻：原标题")
    url = article.get_absolute_url()
    assert "原标题" in client.get(url).content.decode()
    quietly_retitle(article, "工会要闻：新标题")
    make_article(column=other_column, title="基层动态一则")  # a publish: every cached page is stale
    again = client.get(url)
    assert again["X-Cache"] == "MISS"
    assert "原标题" in again.content.decode()  # made from its part, not rendered again
    make_article(title="工会要闻：同栏目新稿")  # the same column: only its 上一篇/下一篇/相关文章 are made again
    fresh = client.get(url).content.decode()
    assert "同栏目新稿" in fresh and "原标题" in fresh
    Article.objects.get(pk=article.pk).save()  # the article's own save: its page is made again
    assert "新标题" in client.get(url).content.decode()


def test_a_publish_in_the_same_column_shows_in_its_articles_next_and_related(client, make_article):
    make_article(title="更早的一篇", publish_at=timezone.now() - timedelta(days=3))
    older = make_article(title="较早的一篇", publish_at=timezone.now() - timedelta(days=2))
    assert "下一篇：没有了" in client.get(older.get_absolute_url()).content.decode()
    make_article(title="今天的新稿", publish_at=timezone.now() - timedelta(minutes=1))
    page = client.get(older.get_absolute_url()).content.decode()
    assert "今天的新稿</a></p>" in page and "下一篇：没有了" not in page


def test_a_column_list_is_made_again_only_when_its_own_articles_change(client, make_article, column, other_column):
    first = make_article(title="栏目里的第一篇")
    url = column.get_absolute_url()
    assert "栏目里的第一篇" in client.get(url).content.decode()
    quietly_retitle(first, "悄悄改过的标题")
    make_article(column=other_column, title="别的栏目")
    assert "栏目里的第一篇" in client.get(url).content.decode()
    first.refresh_from_db()
    first.column = other_column  # moved away: the old column's list loses it
    first.save()
    assert "悄悄改过的标题" not in client.get(url).content.decode()
    assert "悄悄改过的标题" in client.get(other_column.get_absolute_url()).content.decode()


def test_any_other_change_makes_every_part_again(client, make_article, column):
    article = make_article(title="原来的标题")
    client.get(article.get_absolute_url())
    quietly_retitle(article, "改后的标题")
    column.name = "工会要闻（新名）"
    column.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "改后的标题" in page and "工会要闻（新名）" in page


def test_the_home_page_is_made_again_after_any_publish(client, make_article, other_column):
    client.get("/")
    make_article(column=other_column, title="首页上的新稿")
    assert "首页上的新稿" in client.get("/").content.decode()


def test_the_home_page_after_a_publish_makes_again_only_its_news(client, make_article, column, other_column):
    from gallery.models import Album

    mine = make_article(title="工会要闻：首页原题")
    album = make_album_with_cover("首页上的图集", is_published=True)
    home = client.get("/").content.decode()
    assert "工会要闻：首页原题" in home and "基层动态的第一篇" in home and "首页上的图集" in home
    quietly_retitle(mine, "工会要闻：悄悄改题")
    Album.objects.filter(pk=album.pk).update(title="悄悄改名的图集")
    make_article(column=other_column, title="基层动态：首页新稿", is_headline=False)
    home = client.get("/").content.decode()
    assert "基层动态：首页新稿" in home and "工会要闻：悄悄改题" in home  # the news: 头条, 图片新闻, blocks made again
    assert "首页上的图集" in home  # the albums below, from the home page's part (图片新闻 shows the new name)


def test_the_editors_save_makes_the_home_pages_news_for_the_next_visitor(
    client, make_article, other_column, django_capture_on_commit_callbacks, django_assert_num_queries
):
    make_article(title="昨天的要闻")
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        make_article(column=other_column, title="基层动态：刚发的一篇", is_headline=True)
    with django_assert_num_queries(0):
        home = client.get("/").content.decode()
    assert "基层动态：刚发的一篇" in home and "昨天的要闻" in home


def test_the_home_pages_albums_show_a_new_one_at_once(client, make_article):
    make_article()
    assert "首页上的新图集" not in client.get("/").content.decode()
    make_album_with_cover("首页上的新图集", is_published=True)
    assert "首页上的新图集" in client.get("/").content.decode()


def test_each_request_fills_its_own_views_and_return_address(client, make_article, other_column):
    article = make_article(title="阅读数一文")
    url = article.get_absolute_url()
    client.get(url)
    make_article(column=other_column)  # the page cache's copy is gone; the part stays
    page = client.get(url + "?from=wechat").content.decode()
    assert "阅读：2" in page
    assert f"next=/news/{article.pk}/%3Ffrom%3Dwechat" in page
    assert "\x00" not in page
    assert "阅读：3" in client.get(url + "?from=qq").content.decode()


def test_a_scheduled_article_reaches_its_columns_part_at_its_minute(client, make_article, column, clock, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    make_article(title="已发布的")
    make_article(title="定时的稿件", publish_at=timezone.now() + timedelta(minutes=20))
    url = column.get_absolute_url()
    assert "定时的稿件" not in client.get(url).content.decode()
    clock.forward(20 * 60 + 1)
    assert "定时的稿件" in client.get(url + "?again=1").content.decode()


def test_staff_pages_are_rendered_whole_and_never_stored_as_parts(client, editor, make_article):
    article = make_article(title="员工看到的标题")
    client.force_login(editor)
    assert "员工看到的标题" in client.get(article.get_absolute_url()).content.decode()
    client.logout()
    client.cookies.clear()
    quietly_retitle(article, "访客看到的新标题")
    assert "访客看到的新标题" in client.get(article.get_absolute_url()).content.decode()


def test_views_are_added_up_in_the_process_and_sent_in_one_increment(client, make_article, settings):
    settings.COUNTER_FLUSH_SECONDS = 60  # the sending thread waits; flush() below is its round
    article = make_article()
    for _ in range(3):
        assert client.get(article.get_absolute_url()).status_code == 200
    key = counters.counter_key(Article, article.pk)
    from django.core.cache import cache

    assert cache.get(key) is None  # nothing sent yet: the cache was asked for the page only
    assert counters.pending(Article, article.pk) == 3  # this process's unsent views count
    counters.flush()
    assert cache.get(key) == 3 and counters.pending(Article, article.pk) == 3
    assert counters.write_back(Article) == 3
    article.refresh_from_db()
    assert article.view_count == 3 and counters.pending(Article, article.pk) == 0


def test_an_article_made_from_its_part_asks_the_database_nothing_and_counts_on(
    client, make_article, settings, django_assert_num_queries
):
    """A kept part is proof the article is public; its 阅读数 is the count the last write-back stored (kept in the
    cache beside the database) plus the views pending since."""
    settings.COUNTER_FLUSH_SECONDS = 0  # each view reaches the cache at once
    article = make_article(title="零查询的文章")
    url = article.get_absolute_url()
    client.get(url)
    client.get(url, {"v": 1})
    counters.write_back(Article)  # 2 views into the database, and its new count into the cache
    with django_assert_num_queries(0):
        page = client.get(url, {"v": 2}).content.decode()  # a new address: made from the part
    assert "零查询的文章" in page and "阅读：3" in page
    assert "阅读：4" in client.get(url, {"v": 3}).content.decode()


def test_a_kept_part_does_not_outlive_its_article_being_withdrawn(client, make_article):
    article = make_article(title="将被撤回的文章")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(url, {"v": 1}).status_code == 404


def test_a_publish_in_a_column_makes_its_first_pages_list_again_not_the_page(
    client, make_article, column, django_capture_on_commit_callbacks, monkeypatch
):
    from news import listing

    monkeypatch.setattr(listing, "make_ahead", lambda topics, lifetime: None)  # the save does not make the list
    make_article(title="栏目原有的一篇")
    url = column.get_absolute_url()
    assert "栏目原有的一篇" in client.get(url).content.decode()
    Column.objects.filter(pk=column.pk).update(description="悄悄改过的栏目介绍")  # shows only where it is made again
    with django_capture_on_commit_callbacks(execute=True):  # the editor's save, committed
        make_article(title="栏目新发的一篇")
    with CaptureQueriesContext(connection) as asked:
        page = client.get(url).content.decode()
    assert "栏目新发的一篇" in page and "栏目原有的一篇" in page  # the list, made again
    assert "悄悄改过的栏目介绍" not in page  # what is around it, from the column's part
    assert len(asked) == 3 and all('FROM "news_column"' not in q["sql"] for q in asked)  # units, count, items


def test_the_editors_save_makes_its_columns_first_list_for_the_next_visitor(
    client, make_article, column, django_capture_on_commit_callbacks, django_assert_num_queries
):
    unit = Unit.objects.create(name="邹平市总工会")
    make_article(title="栏目原有的一篇")
    url = column.get_absolute_url()
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="编辑刚发的一篇", contributing_unit=unit)
    with django_assert_num_queries(0):
        page = client.get(url).content.decode()
    assert "编辑刚发的一篇" in page and "栏目原有的一篇" in page
    assert "邹平市总工会（1）" in page  # the 来稿单位 filter, made with it


def test_a_columns_later_page_is_made_whole_and_goes_when_its_articles_do(client, make_article, column):
    articles = [make_article(title=f"第{n}篇") for n in range(21)]  # two pages of 20
    url = column.get_absolute_url()
    assert client.get(url, {"page": 2}).status_code == 200
    articles[0].status = Article.Status.DRAFT
    articles[0].save()
    assert client.get(url, {"page": 2}).status_code == 404  # no second page any more: not a frame around nothing
