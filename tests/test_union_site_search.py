"""Search finds Chinese words inside longer runs of Chinese text, ranks title matches first, highlights them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article

pytestmark = pytest.mark.django_db


def search(client, q, **params):
    response = client.get(reverse("search"), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def seen(page):
    return re.sub(r"<[^>]+>", "", page)


def test_search_finds_a_word_inside_a_run_of_chinese(client, make_article):
    make_article(title="滨州市总工会召开全市工会工作会议")
    page = search(client, "工会")
    assert "滨州市总工会召开全市工会工作会议" in seen(page)
    assert "<mark>工会</mark>" in page


def test_search_looks_in_body_text_not_markup(client, make_article):
    make_article(title="一篇通知", body='<p class="lead-in">全市职工书屋<strong>示范点</strong>名单</p>')
    assert "一篇通知" in seen(search(client, "职工书屋示范点"))
    assert "没有找到" in search(client, "lead-in")  # attribute text is not content


def test_title_matches_rank_before_body_matches(client, make_article):
    make_article(title="基层动态汇总", body="<p>劳模工匠宣讲团走进企业</p>", publish_at=timezone.now())
    make_article(title="劳模工匠宣讲团成立", body="<p>内容</p>", publish_at=timezone.now() - timedelta(days=30))
    page = seen(search(client, "劳模"))
    assert page.index("劳模工匠宣讲团成立") < page.index("基层动态汇总")


def test_results_are_paginated(client, make_article):
    for _ in range(25):
        make_article(body="<p>职工运动会</p>")
    first, second = search(client, "运动会"), search(client, "运动会", page=2)
    assert "共 25 篇" in first and "第 1 / 2 页" in first
    assert seen(second).count("职工运动会") == 5


def test_pages_list_title_hits_newest_first_then_the_others_newest_first(client, make_article):
    now = timezone.now()
    for n in range(22):  # 劳模 in the title, one a day back from yesterday
        make_article(title=f"劳模事迹第{n}篇", body="<p>内容</p>", publish_at=now - timedelta(days=n + 1))
    for n in range(3):  # 劳模 in the text only, newer than every title hit
        make_article(title=f"基层动态第{n}篇", body="<p>劳模宣讲</p>", publish_at=now - timedelta(minutes=n + 1))
    first, second = seen(search(client, "劳模")), seen(search(client, "劳模", page=2))
    assert "共 25 篇" in first
    listed = lambda page: list(dict.fromkeys(re.findall(r"(劳模事迹|基层动态)第(\d+)篇", page)))  # noqa: E731 title, snippet
    assert listed(first) == [("劳模事迹", str(n)) for n in range(20)]
    assert listed(second) == [
        ("劳模事迹", "20"),
        ("劳模事迹", "21"),
        ("基层动态", "0"),
        ("基层动态", "1"),
        ("基层动态", "2"),
    ]


def test_search_never_shows_unpublished_articles(client, make_article):
    make_article(title="劳模工匠宣讲草稿", status=Article.Status.DRAFT)
    page = search(client, "劳模")
    assert "劳模工匠宣讲草稿" not in page
    assert "没有找到" in page


@pytest.mark.parametrize("query", ["工会\x00", "\x00\x01\x02", "\x1b[31m工会", "工" * 5000, "   ", "%", "_", "'\""])
def test_odd_queries_get_a_friendly_page(client, make_article, query):
    make_article(title="工会新闻")
    search(client, query)


def test_overlong_query_says_it_was_cut(client, db):
    assert "关键词太长" in search(client, "工" * 200)


def test_empty_query_explains_what_to_do(client, db):
    assert "请输入" in search(client, "")


def test_percent_and_underscore_are_literal(client, make_article):
    make_article(title="普通标题")
    assert "没有找到" in search(client, "%") and "没有找到" in search(client, "_")
