"""The anonymous page cache (union_site/page_cache.py): a visitor gets the page from the cache until anything on it
changes or a scheduled article's minute comes; staff never share it; conditional requests get a 304."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article
from union_site.models import SiteSettings


def test_a_second_visit_is_served_from_the_cache_without_the_database(client, make_article, django_assert_num_queries):
    make_article(title="工会要闻一则")
    first = client.get("/")
    assert first["X-Cache"] == "MISS"
    with django_assert_num_queries(0):
        second = client.get("/")
    assert second["X-Cache"] == "HIT"
    assert second.content == first.content
    assert "工会要闻一则" in second.content.decode()


@pytest.mark.parametrize("url", ["/", "/news/", "/feeds/news/", "/sitemap.xml", "/robots.txt"])
def test_every_public_page_feed_and_sitemap_is_cached(client, make_article, url):
    make_article()
    assert client.get(url)["X-Cache"] == "MISS"
    assert client.get(url)["X-Cache"] == "HIT"


def test_publishing_shows_on_the_cached_pages_at_once(client, make_article, column):
    make_article(title="旧的一篇")
    for url in ["/", column.get_absolute_url()]:
        client.get(url)
    draft = make_article(title="刚发布的通知", status=Article.Status.DRAFT)
    assert "刚发布的通知" not in client.get("/").content.decode()
    draft.status = Article.Status.PUBLISHED
    draft.save()
    for url in ["/", column.get_absolute_url()]:
        response = client.get(url)
        assert response["X-Cache"] == "MISS"
        assert "刚发布的通知" in response.content.decode()


def test_withdrawing_an_article_removes_it_from_its_cached_page_at_once(client, make_article):
    article = make_article(title="将被撤下的文章")
    assert client.get(article.get_absolute_url()).status_code == 200
    article.status = Article.Status.ARCHIVED
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "将被撤下的文章" not in client.get("/").content.decode()


def test_a_change_of_site_settings_shows_on_every_cached_page(client, make_article):
    make_article()
    client.get("/")
    settings_record = SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_PK).first() or SiteSettings(
        pk=SiteSettings.SINGLETON_PK
    )
    settings_record.site_name = "某某市总工会"
    settings_record.save()
    assert "某某市总工会" in client.get("/").content.decode()


def test_a_scheduled_article_appears_at_its_minute_without_anyone_saving(client, make_article, clock, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    make_article(title="早就发布的")
    make_article(title="定时发布的", publish_at=timezone.now() + timedelta(minutes=30))
    first = client.get("/")
    assert "定时发布的" not in first.content.decode()
    assert client.get("/")["X-Cache"] == "HIT"
    clock.forward(29 * 60)
    assert client.get("/")["X-Cache"] == "HIT"
    clock.forward(61)
    response = client.get("/")
    assert response["X-Cache"] == "MISS"
    assert "定时发布的" in response.content.decode()


def test_a_column_made_ahead_by_the_save_still_joins_the_navigation_at_its_first_articles_minute(
    client, make_article, clock, django_capture_on_commit_callbacks
):
    """The editor's save works out the new generation's navigation (page_cache.make_ahead) while the column's only
    article is still scheduled: the column is listed from that minute on, not before and not from the saved list."""
    from news.models import Column

    column = Column.objects.create(name="职工书屋", slug="reading-room", order=5)
    make_article(title="早就发布的")
    with django_capture_on_commit_callbacks(execute=True):
        make_article(column=column, title="定时发布的", publish_at=timezone.now() + timedelta(minutes=30))
    assert "/news/c/reading-room/" not in client.get("/").content.decode()
    clock.forward(30 * 60 + 1)
    assert 'href="/news/c/reading-room/"' in client.get("/").content.decode()


def test_a_failure_making_the_navigation_ahead_loses_no_save(
    client, make_article, monkeypatch, django_capture_on_commit_callbacks
):
    from union_site import page_cache
    from union_site.common import generation

    def broken(token, topics):
        raise RuntimeError("数据库忙")

    monkeypatch.setattr(generation, "_ahead", [broken])
    before = generation.current()
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="照样发布")
    assert Article.objects.get(pk=article.pk).title == "照样发布"
    assert generation.current() != before
    assert "照样发布" in client.get("/").content.decode()  # the visitor's page makes the navigation itself
    assert page_cache.navigation(generation.current())


def test_many_saves_in_one_transaction_make_the_navigation_ahead_once(
    make_article, monkeypatch, django_capture_on_commit_callbacks
):
    """An import of many rows commits many bumps at once: only the last generation's values are worth making."""
    from django.db import transaction

    from union_site.common import generation

    made = []
    monkeypatch.setattr(generation, "_ahead", [lambda token, topics: made.append(token)])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for n in range(5):
            make_article(title=f"导入的第{n}篇")
    assert made == [generation.current()]


def test_an_article_leaves_its_cached_pages_at_its_unpublish_time(client, make_article, clock):
    article = make_article(title="限时通知", unpublish_at=timezone.now() + timedelta(minutes=10))
    assert "限时通知" in client.get("/").content.decode()
    clock.forward(10 * 60 + 1)
    assert "限时通知" not in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_shared_caches_may_keep_a_page_no_longer_than_the_next_scheduled_change(client, make_article, settings):
    settings.PAGE_CACHE_SHARED_SECONDS = 300
    make_article(publish_at=timezone.now() + timedelta(seconds=90))
    control = client.get("/")["Cache-Control"]
    assert control.startswith("public, max-age=0, s-maxage=")
    assert 85 <= int(control.rsplit("=", 1)[1]) <= 90


def test_the_elder_mode_and_font_size_cookies_get_their_own_copy_other_cookies_share_one(client, make_article):
    article = make_article()
    url = article.get_absolute_url()
    plain = client.get(url)
    client.cookies["elder"] = "1"
    elder = client.get(url)
    assert elder["X-Cache"] == "MISS"
    assert 'class="elder"' in elder.content.decode() and 'class="elder"' not in plain.content.decode()
    del client.cookies["elder"]
    client.cookies["_tracking"] = "abc"  # a cookie the page does not depend on
    assert client.get(url)["X-Cache"] == "HIT"
    assert "Cookie" not in client.get(url).get("Vary", "")


def test_choosing_a_font_size_is_never_stored_for_others(client, make_article):
    url = make_article().get_absolute_url()
    chosen = client.get(url + "?fs=l")
    assert chosen.cookies["fs"].value == "l"
    assert client.get(url + "?fs=l")["X-Cache"] == "MISS"  # it sets a cookie each time: not stored


def test_an_unchanged_page_answers_a_conditional_request_with_304(client, make_article):
    article = make_article()
    etag = client.get("/")["ETag"]
    again = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    article.title = "改过的标题"
    article.save()
    changed = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "改过的标题" in changed.content.decode()
    assert changed["ETag"] != etag


def test_staff_pages_and_previews_bypass_the_cache_and_are_private(client, editor, make_article):
    draft = make_article(title="未发布的草稿", status=Article.Status.DRAFT)
    client.force_login(editor)
    preview = client.get(draft.get_absolute_url())
    assert preview.status_code == 200 and preview["X-Cache"] == "BYPASS"
    assert "private" in preview["Cache-Control"]
    home = client.get("/")
    assert home["X-Cache"] == "BYPASS" and "private" in home["Cache-Control"]
    client.logout()
    client.cookies.clear()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "未发布的草稿" not in client.get("/").content.decode()


def test_pages_that_opt_out_are_not_stored(client, db):
    assert client.get(reverse("healthz"))["X-Cache"] == "MISS"
    assert client.get(reverse("healthz"))["X-Cache"] == "MISS"  # never_cache
    assert client.get("/news/no-such-page/").status_code == 404
    assert client.get("/news/no-such-page/")["X-Cache"] == "MISS"  # only whole 200 pages are kept
