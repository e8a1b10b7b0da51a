"""The main navigation's columns (Column.objects.in_nav, the one rule): 显示在导航栏 ticked and at least one public
article. An empty column gets its entry with its first public article, on the next page rendered; one whose first
article is scheduled gets it at that minute, with no save in between (union_site/context_processors.py); it leaves
when its last public article goes offline. 下载中心 is always there."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article, Column

pytestmark = pytest.mark.django_db


def nav(client, url="/"):
    """The names in the main navigation of a page rendered now (a query string never asked before)."""
    nav.count = getattr(nav, "count", 0) + 1
    html = client.get(url, {"fresh": nav.count}).content.decode()
    part = html[html.index('<nav class="site-nav"') : html.index("</nav>", html.index('<nav class="site-nav"'))]
    return re.findall(r'<ul class="nav-list nav-wide">.*?</ul>', part, re.S)[0]


def side_nav(client, url):
    nav.count = getattr(nav, "count", 0) + 1
    html = client.get(url, {"fresh": nav.count}).content.decode()
    return html[html.index('<aside class="side-nav"') : html.index("</aside>")]


@pytest.fixture
def policies(db):
    return Column.objects.create(name="政策文件", slug="policies", kind=Column.Kind.NOTICE, order=2)


def test_an_empty_column_has_no_entry_until_it_has_a_public_article(client, make_article, column, policies):
    make_article()  # 测试栏目 has one
    assert ">测试栏目</a>" in nav(client) and ">政策文件</a>" not in nav(client)
    assert ">政策文件</a>" not in side_nav(client, column.get_absolute_url())
    assert client.get(policies.get_absolute_url()).status_code == 200  # the page still answers, empty

    draft = make_article(column=policies, status=Article.Status.DRAFT)
    assert ">政策文件</a>" not in nav(client)
    draft.status = Article.Status.PUBLISHED
    draft.save()
    assert ">政策文件</a>" in nav(client) and ">政策文件</a>" in side_nav(client, column.get_absolute_url())
    assert list(Column.objects.in_nav()) == [policies, column]


def test_a_column_not_ticked_for_the_navigation_stays_out(client, make_article, column):
    make_article()
    column.is_in_nav = False
    column.save()
    assert ">测试栏目</a>" not in nav(client)


def test_a_column_whose_first_article_is_scheduled_appears_at_its_minute(client, make_article, policies, monkeypatch):
    make_article(column=policies, publish_at=timezone.now() + timedelta(minutes=10))
    assert ">政策文件</a>" not in nav(client)
    assert ">政策文件</a>" not in nav(client, "/news/")  # both pages' navigation kept for this content generation

    later = timezone.now() + timedelta(minutes=11)  # no save in between: the same content generation
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert ">政策文件</a>" in nav(client)
    assert ">政策文件</a>" in nav(client, "/news/")


def test_a_column_leaves_when_its_last_article_goes_offline(client, make_article, policies, monkeypatch):
    make_article(column=policies, unpublish_at=timezone.now() + timedelta(minutes=5))
    assert ">政策文件</a>" in nav(client)
    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert ">政策文件</a>" not in nav(client)


def test_the_download_centre_is_in_the_navigation(client):
    assert 'href="/downloads/">下载中心</a>' in nav(client)
