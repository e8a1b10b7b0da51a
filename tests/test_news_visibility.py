"""Who sees which article: the one `published()` rule, as a visitor meets it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article
from union_site.common import counters

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED])
def test_unpublished_articles_are_hidden_from_visitors(client, make_article, status):
    article = make_article(status=status, title="未公开的稿件")
    assert "未公开的稿件" not in page(client, reverse("news:list"))[1]
    assert "未公开的稿件" not in page(client, article.column.get_absolute_url())[1]
    assert client.get(article.get_absolute_url()).status_code == 404


PAST, FUTURE = timedelta(days=-1), timedelta(days=1)
KINDS = {  # (status, publish_at from now, unpublish_at from now, public?)
    "draft": (Article.Status.DRAFT, PAST, None, False),
    "review": (Article.Status.REVIEW, PAST, None, False),
    "scheduled": (Article.Status.PUBLISHED, FUTURE, None, False),
    "live": (Article.Status.PUBLISHED, PAST, None, True),
    "live until later": (Article.Status.PUBLISHED, PAST, FUTURE, True),
    "expired": (Article.Status.PUBLISHED, PAST, PAST / 2, False),
    "archived": (Article.Status.ARCHIVED, PAST, None, False),
}


@pytest.mark.parametrize("kind", KINDS)
def test_published_and_is_public_agree(make_article, kind):
    status, publish_in, unpublish_in, public = KINDS[kind]
    now = timezone.now()
    article = make_article(status=status, publish_at=now + publish_in, unpublish_at=unpublish_in and now + unpublish_in)
    assert Article.objects.published().filter(pk=article.pk).exists() is public
    assert article.is_public is public


def test_scheduled_article_appears_when_its_time_comes(client, make_article, monkeypatch):
    article = make_article(title="定时发布的通知", publish_at=timezone.now() + timedelta(hours=1))
    assert "定时发布的通知" not in page(client, reverse("news:list"))[1]
    assert client.get(article.get_absolute_url()).status_code == 404

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "定时发布的通知" in page(client, reverse("news:list"))[1]
    assert client.get(article.get_absolute_url()).status_code == 200


def test_article_is_withdrawn_at_its_unpublish_time(client, make_article):
    article = make_article(title="已过期的公告", unpublish_at=timezone.now() - timedelta(minutes=1))
    assert "已过期的公告" not in page(client, reverse("news:list"))[1]
    assert client.get(article.get_absolute_url()).status_code == 404


def test_staff_preview_unpublished_article_with_banner(client, make_article, editor):
    article = make_article(status=Article.Status.DRAFT, title="还在写的稿子")
    client.force_login(editor)
    status, html = page(client, article.get_absolute_url())
    assert status == 200
    assert "还在写的稿子" in html and "预览" in html


def test_public_article_has_no_preview_banner_and_counts_views(client, make_article):
    article = make_article(title="公开文章")
    client.get(article.get_absolute_url())
    status, html = page(client, article.get_absolute_url())
    assert status == 200 and "预览" not in html
    # counted in the cache, written to the database in batches (tests/test_news_view_counts.py)
    assert counters.pending(Article, article.pk) == 2


def test_list_is_newest_first_with_pinned_on_top(client, make_article):
    make_article(title="较早的文章", publish_at=timezone.now() - timedelta(days=3))
    make_article(title="最新的文章", publish_at=timezone.now() - timedelta(minutes=1))
    make_article(title="置顶的文章", publish_at=timezone.now() - timedelta(days=9), is_pinned=True)
    html = page(client, reverse("news:list"))[1]
    assert html.index("置顶的文章") < html.index("最新的文章") < html.index("较早的文章")


def test_lists_are_paginated(client, make_article, column):
    for _ in range(21):
        make_article()
    first = page(client, column.get_absolute_url())[1]
    second = page(client, column.get_absolute_url() + "?page=2")[1]
    assert "测试文章1<" in first and "测试文章21<" not in first
    assert "测试文章21<" in second
    assert "第 2 / 2 页" in second


def test_unknown_column_is_404(client, db):
    assert client.get(reverse("news:column", kwargs={"slug": "no-such-column"})).status_code == 404


def test_body_is_sanitized_on_save(make_article):
    body = '<p onclick="x()">好</p><script>alert(1)</script><a href="javascript:alert(1)">链接</a>'
    article = make_article(body=body)
    assert "script" not in article.body
    assert "onclick" not in article.body
    assert "javascript:" not in article.body
    assert "好" in article.body and "链接" in article.body


def test_control_characters_are_stripped_from_titles(make_article):
    article = make_article(title="标题\x0b带\x00控制符")
    article.refresh_from_db()
    assert article.title == "标题带控制符"


def test_article_page_links_previous_and_next_in_its_column(client, make_article):
    old = make_article(title="较早一篇", publish_at=timezone.now() - timedelta(days=2))
    middle = make_article(title="中间一篇", publish_at=timezone.now() - timedelta(days=1))
    new = make_article(title="最新一篇", publish_at=timezone.now() - timedelta(hours=1))
    make_article(title="草稿不算", status=Article.Status.DRAFT, publish_at=timezone.now() - timedelta(hours=30))
    html = page(client, middle.get_absolute_url())[1]
    prev_next = html.split('class="prev-next"')[1].split("</nav>")[0]
    assert f'href="{old.get_absolute_url()}" rel="prev"' in prev_next
    assert f'href="{new.get_absolute_url()}" rel="next"' in prev_next
    assert "草稿不算" not in html
    assert "相关文章" in html


def test_font_size_switch_works_without_javascript_and_is_remembered(client, make_article):
    article = make_article()
    assert 'class="article-body fs-m"' in page(client, article.get_absolute_url())[1]
    response = client.get(article.get_absolute_url() + "?fs=l")
    assert 'class="article-body fs-l"' in response.content.decode()
    assert response.cookies["fs"].value == "l"
    assert 'class="article-body fs-l"' in page(client, article.get_absolute_url())[1]  # cookie remembered
    assert 'class="article-body fs-m"' in page(client, article.get_absolute_url() + "?fs=<script>")[1]


def test_lead_from_body_reads_as_plain_text(make_article):
    article = make_article(summary="", body="<p>工会&amp;职工&nbsp;同行</p>")
    assert article.lead == "工会&职工\xa0同行"
