"""A page's query count does not grow with the number of rows it lists."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from achievements.models import Metric, Period, Section
from gallery.models import Album, Photo
from tests.factories import tiny_jpeg
from union_site import context_processors
from union_site.models import SiteSettings

pytestmark = pytest.mark.django_db

PAGES = ["home", "news:list", "achievements:index", "gallery:list"]


@pytest.fixture
def rows(make_article, column):
    period = Period.objects.create(name="测试时期", start_year=2018, end_year=2023)
    section = Section.objects.create(period=period, title="测试板块")

    def make(n):
        for i in range(n):
            make_article(is_pinned=i % 7 == 0)
            Metric.objects.create(section=section, label=f"指标{n}-{i}", value=1000 + i, unit="个", is_highlight=True)
            album = Album.objects.create(title=f"相册{n}-{i}", is_published=True)
            photo = Photo.objects.create(album=album, caption=f"图{i}", image=tiny_jpeg())
            album.cover = photo
            album.save()

    return make


@pytest.mark.parametrize("name", PAGES)
def test_query_count_is_the_same_for_5_and_100_rows(client, rows, name, django_assert_max_num_queries):
    rows(5)
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse(name)).status_code == 200
    rows(95)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_column_page_query_count_is_flat(client, rows, column, django_assert_max_num_queries):
    rows(5)
    with django_assert_max_num_queries(12) as small:
        client.get(column.get_absolute_url())
    rows(95)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(column.get_absolute_url())


def test_album_page_query_count_is_flat(client, django_assert_max_num_queries):
    album = Album.objects.create(title="大相册", is_published=True)

    def add(n):
        for i in range(n):
            Photo.objects.create(album=album, caption=f"图{i}", image=tiny_jpeg())

    add(5)
    with django_assert_max_num_queries(10) as small:
        assert client.get(album.get_absolute_url()).status_code == 200
    add(95)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(album.get_absolute_url()).content.decode()
    assert page.count("<figure>") == 48  # the first page of photos


@pytest.mark.parametrize("name", PAGES)
def test_navigation_settings_and_links_are_read_once_per_page(client, rows, name):
    """base.html lists the navigation twice and the home page's blocks are the same columns: one query for them all;
    网站设置 and 友情链接 (header, footer, meta tags) one each; none of the three once they are in the cache (the
    navigation is remembered per content generation, union_site/common/generation.py)."""
    rows(3)
    reads = {
        "nav": 'FROM "news_column" WHERE ("news_column"."is_in_nav" AND EXISTS',
        "settings": 'FROM "union_site_sitesettings"',
        "links": 'FROM "union_site_quicklink"',
    }
    for cached in (False, True):
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse(name), {"v": int(cached)}).status_code == 200  # a new URL: not the page cache's
        counts = {what: sum(table in q["sql"] for q in page.captured_queries) for what, table in reads.items()}
        assert counts == {"nav": 0 if cached else 1, "settings": 0 if cached else 1, "links": 0 if cached else 1}


def test_an_articles_save_reads_the_navigation_again_but_not_the_site_settings(client, rows, make_article, monkeypatch):
    """An article's save can change which columns the navigation lists (a column is listed once it has a public
    article), so the next page asks for them again; 网站设置 depends on no article and is kept in the process
    (generation.any_of_request), not even asked of the cache. A settings save has it read again."""
    rows(3)
    settings_reads = []
    read_settings = context_processors.get_site_settings
    monkeypatch.setattr(context_processors, "get_site_settings", lambda: settings_reads.append(1) or read_settings())
    nav = 'FROM "news_column" WHERE ("news_column"."is_in_nav" AND EXISTS'

    def reads(n):
        settings_reads.clear()
        with CaptureQueriesContext(connection) as page:
            assert client.get("/news/", {"v": n}).status_code == 200  # a new URL: rendered
        return {"nav": sum(nav in q["sql"] for q in page.captured_queries), "settings": len(settings_reads)}

    reads(0)
    assert reads(1) == {"nav": 0, "settings": 0}
    make_article(title="新发布的一篇")
    assert reads(2) == {"nav": 1, "settings": 0}
    SiteSettings(site_name="某某市总工会").save()
    assert reads(3) == {"nav": 1, "settings": 1}


def test_an_editors_save_makes_the_navigation_of_the_next_visitors_page(
    client, make_article, django_capture_on_commit_callbacks
):
    """The save that publishes a column's first article works out, once committed, the navigation and the next
    scheduled change under the new content generation (page_cache.make_ahead): the first page after it lists the
    column at once and asks the database for neither."""
    from news.models import Column

    quiet = Column.objects.create(name="职工书屋", slug="reading-room", order=5)
    assert "/news/c/reading-room/" not in client.get("/news/").content.decode()  # no public article: not listed
    with django_capture_on_commit_callbacks(execute=True):
        make_article(column=quiet, title="职工书屋第一篇")
    with CaptureQueriesContext(connection) as page:
        html = client.get("/news/", {"v": 1}).content.decode()
    assert 'href="/news/c/reading-room/"' in html
    sql = " ".join(q["sql"] for q in page.captured_queries)
    assert 'FROM "news_column" WHERE ("news_column"."is_in_nav" AND EXISTS' not in sql  # the navigation
    assert 'SELECT (SELECT U0."publish_at"' not in sql  # the next scheduled change


def test_an_article_page_with_attachments_reads_as_much_at_10_as_at_10000_articles(client, make_article, column):
    """At most 8 queries, the 附件 list included (one prefetch however many files). Measured as a page cache miss
    costs once the navigation, 网站设置 and the window's view-count task are in place (the first request of a
    content generation adds those, the same at any size)."""
    from news.attachments import attach_file
    from news.models import Article, article_fill_derived_fields
    from tests.factories import pdf, xlsx

    article = make_article(title="关于举办职工运动会的通知")
    attach_file(article, "报名表.xlsx", xlsx(), order=1)
    attach_file(article, "竞赛规程.pdf", pdf(), order=2)

    def add(n, start):
        rows = []
        for i in range(start, start + n):
            row = Article(column=column, title=f"批量文章{i}", body=f"<p>正文{i}</p>", status=Article.Status.PUBLISHED)
            article_fill_derived_fields(row)
            rows.append(row)
        Article.objects.bulk_create(rows, batch_size=1000)

    def page_queries(v):
        client.get(article.get_absolute_url(), {"warm": v})
        with CaptureQueriesContext(connection) as page:
            response = client.get(article.get_absolute_url(), {"v": v})
        assert response.status_code == 200 and "报名表" in response.content.decode()
        return len(page.captured_queries)

    add(9, 0)
    small = page_queries(1)
    add(9990, 9)
    assert small <= 8 and page_queries(2) == small
