"""The parts of base.html every page shares (navigation, brand, footer, links in <head>) are rendered once per content
generation and kept ({% fragment %}, union_site/common/generation.py `remembered`): a change a visitor can see in them
shows on the very next page rendered, and pages that differ in them never share one."""

import re

import pytest
from django.template import engines
from django.test import RequestFactory

from news.models import Column
from union_site.models import QuickLink, SiteSettings

pytestmark = pytest.mark.django_db


def page(client, url, **extra):
    """A page rendered now: a query string never asked before, so never the page cache's copy."""
    page.count = getattr(page, "count", 0) + 1
    response = client.get(url, {"fresh": page.count}, **extra)
    assert response.status_code == 200 and response["X-Cache"] == "MISS"
    return response.content.decode()


def current_links(html):
    """The names the main navigation marks as the current page."""
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>", html.index('<nav class="site-nav"'))]
    return set(re.findall(r'aria-current="page">([^<]+)</a>', nav))


def test_a_change_of_site_settings_shows_on_the_next_page_rendered(client, make_article):
    article = make_article()
    for url in ("/", article.get_absolute_url(), article.column.get_absolute_url()):
        assert "滨州市总工会" in page(client, url)
    record = SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_PK).first() or SiteSettings()
    record.site_name = "某某市总工会"
    record.site_code = "3716000009"
    record.save()
    for url in ("/", article.get_absolute_url(), article.column.get_absolute_url()):
        html = page(client, url)
        assert '<span class="brand-name">某某市总工会</span>' in html  # the header
        assert "网站标识码：3716000009" in html and "© " in html and "某某市总工会 版权所有" in html  # the footer
        assert 'title="某某市总工会 新闻"' in html  # the feed link in <head>
        assert "滨州市总工会" not in html


def test_a_renamed_column_shows_in_the_navigation_at_once(client, make_article, column):
    article = make_article()
    before = page(client, article.get_absolute_url())
    assert ">测试栏目</a>" in before
    column.name = "工会动态"
    column.save()
    for url in (article.get_absolute_url(), column.get_absolute_url(), "/"):
        html = page(client, url)
        assert ">工会动态</a>" in html and ">测试栏目</a>" not in html  # main navigation and the list's side navigation


def test_a_new_quick_link_shows_in_the_footer_at_once(client):
    assert "友情链接" not in page(client, "/news/")
    QuickLink.objects.create(name="山东省总工会", url="https://www.sdgh.org.cn/", order=1)
    assert ">山东省总工会</a>" in page(client, "/news/")


def test_each_page_marks_its_own_place_in_the_navigation(client, make_article, column):
    other = Column.objects.create(name="通知公告", slug="notices", order=1)
    article = make_article(column=other)
    make_article()  # a column is in the navigation once it has a public article (Column.objects.in_nav)
    assert current_links(page(client, "/")) == {"首页"}
    assert current_links(page(client, column.get_absolute_url())) == {"测试栏目"}
    assert current_links(page(client, other.get_absolute_url())) == {"通知公告"}
    assert current_links(page(client, article.get_absolute_url())) == {"通知公告"}
    assert current_links(page(client, "/achievements/")) == {"数说五年"}
    assert current_links(page(client, "/gallery/")) == {"活动图集"}
    assert current_links(page(client, "/news/")) == set()
    assert current_links(page(client, "/")) == {"首页"}  # nothing carried over from the pages before


def test_elder_mode_gets_a_fragment_of_its_own():
    template = engines["django"].from_string(
        "{% load site_tags %}{% fragment 'probe' %}{% if elder_mode %}长者{% else %}普通{% endif %}{% endfragment %}"
    )
    factory = RequestFactory()
    normal, elder = factory.get("/"), factory.get("/", HTTP_COOKIE="elder=1")
    assert template.render({"elder_mode": False}, normal) == "普通"
    assert template.render({"elder_mode": True}, elder) == "长者"
    assert template.render({"elder_mode": False}, factory.get("/")) == "普通"


def test_elder_mode_pages_show_the_same_navigation_and_footer(client, make_article):
    article = make_article()
    normal = page(client, article.get_absolute_url())
    client.cookies["elder"] = "1"
    elder = page(client, article.get_absolute_url())
    assert '<html lang="zh-Hans" class="elder">' in elder and 'class="elder"' not in normal
    for start, end in (('<nav class="site-nav"', "</nav>"), ('<footer class="site-footer">', "</footer>")):
        part = [html[html.index(start) : html.index(end, html.index(start))] for html in (normal, elder)]
        assert part[0] == part[1] and len(part[0]) > 100
