"""RSS feeds and robots.txt: what feed readers and search engines get (the sitemap: test_union_site_sitemaps.py)."""

import html
from datetime import timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from news.models import Article, Column

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"
SITE_FEED = "/feeds/news/"


def parse(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own output, not untrusted input)


def feed_titles(root):
    return [item.findtext("title") for item in root.iter("item")]


@pytest.fixture
def other_column(db):
    return Column.objects.create(name="基层动态", slug="grassroots", order=98)


# Feeds


def test_site_feed_is_at_feeds_news():
    assert reverse("feed") == SITE_FEED


def test_site_feed_is_rss_with_chinese_text(client, make_article):
    article = make_article(
        title="市总工会召开全委会议", summary="会议总结了五年来的工作。", byline="本报通讯员 张三 李四"
    )
    response = client.get(SITE_FEED)
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse(response)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("title") == "滨州市总工会 - 新闻"
    assert channel.findtext("link") == "http://testserver/news/"
    assert channel.findtext("description")
    item = channel.find("item")
    url = f"http://testserver{article.get_absolute_url()}"
    assert item.findtext("title") == "市总工会召开全委会议"
    assert item.findtext("link") == url
    assert item.findtext("guid") == url
    assert item.findtext("description") == "会议总结了五年来的工作。"
    assert item.findtext(f"{DC}creator") == "本报通讯员 张三 李四"
    assert item.findtext("category") == "测试栏目"
    assert item.findtext("pubDate")


def test_feed_description_is_the_start_of_the_body_as_plain_text(client, make_article):
    make_article(summary="", body="<p>职工<strong>之家</strong> A &amp; B&nbsp;C</p>")
    item = parse(client.get(SITE_FEED)).find("channel/item")
    # Escaped once more for readers, which read descriptions as HTML: they show "职工之家 A & B C".
    assert item.findtext("description") == "职工之家 A &amp; B\xa0C"


class Markup(HTMLParser):
    """What a feed reader finds when it reads a text as HTML: the elements and entities in it."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append(tag)

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.found.append(f"/{tag}")


def markup_in(text):
    parser = Markup()
    parser.feed(text)
    parser.close()
    return parser.found


@pytest.mark.parametrize("url", [SITE_FEED, "/news/c/test-column/feed/"])
def test_titles_and_descriptions_are_escaped_text_that_a_reader_shows_as_written(client, make_article, url):
    summary = "<img src=x onerror=alert(1)> 职工 & 家属<script>alert(2)</script>"
    title = "<b>劳模</b> & 工匠 <a href='//evil.example'>点此</a>"
    make_article(title=title, summary=summary)
    make_article(summary="", body="<p>正文 &lt;img src=x onerror=alert(3)&gt; 结束</p>")
    items = parse(client.get(url)).findall("channel/item")
    assert [item.find("description").findall("*") for item in items] == [[], []]  # no XML element either
    for item in items:
        for text in (item.findtext("title"), item.findtext("description")):
            assert "<" not in text and markup_in(text) == []  # after one decode: text, no markup
    first, second = items
    assert html.unescape(first.findtext("description")) == summary  # what the reader shows: the summary as written
    assert html.unescape(first.findtext("title")) == title
    assert html.unescape(second.findtext("description")) == "正文 <img src=x onerror=alert(3)> 结束"


def test_site_feed_is_newest_first_and_holds_at_most_30(client, make_article):
    now = timezone.now()
    for n in range(35):
        make_article(title=f"第{n}篇", publish_at=now - timedelta(hours=n))
    make_article(title="置顶的旧文章", publish_at=now - timedelta(days=30), is_pinned=True)
    titles = feed_titles(parse(client.get(SITE_FEED)))
    assert titles == [f"第{n}篇" for n in range(30)]


def test_feeds_hold_only_published_articles(client, make_article, column):
    now = timezone.now()
    make_article(title="已发布的文章")
    make_article(title="草稿文章", status=Article.Status.DRAFT)
    make_article(title="待审核文章", status=Article.Status.REVIEW)
    make_article(title="定时发布的文章", publish_at=now + timedelta(hours=1))
    make_article(title="已下线的文章", unpublish_at=now - timedelta(minutes=1))
    for url in (SITE_FEED, reverse("news:column_feed", args=[column.slug])):
        assert feed_titles(parse(client.get(url))) == ["已发布的文章"]


def test_control_characters_written_around_save_still_give_valid_xml(client, make_article, column):
    article = make_article(summary="摘要", byline="通讯员")
    nul = "\x00" if connection.vendor != "postgresql" else ""  # PostgreSQL refuses to store NUL at all
    Article.objects.filter(pk=article.pk).update(
        title=f"标题\x0b含{nul}控制字符", summary="摘\x01要", byline="通讯\x1f员"
    )
    Column.objects.filter(pk=column.pk).update(name="测试\x0c栏目", description="说\x08明")
    for url in (SITE_FEED, reverse("news:column_feed", args=[column.slug])):
        channel = parse(client.get(url)).find("channel")
        item = channel.find("item")
        assert item.findtext("title") == "标题含控制字符"
        assert item.findtext("description") == "摘要"
        assert item.findtext(f"{DC}creator") == "通讯员"
        assert item.findtext("category") == "测试栏目"
    assert channel.findtext("title") == "滨州市总工会 - 测试栏目"
    assert channel.findtext("description") == "说明"


def test_column_feed_holds_only_that_column(client, make_article, column, other_column):
    make_article(title="本栏目的文章")
    make_article(title="别的栏目的文章", column=other_column)
    url = reverse("news:column_feed", args=[column.slug])
    assert url == "/news/c/test-column/feed/"
    channel = parse(client.get(url)).find("channel")
    assert channel.findtext("title") == "滨州市总工会 - 测试栏目"
    assert channel.findtext("link") == f"http://testserver{column.get_absolute_url()}"
    assert feed_titles(channel) == ["本栏目的文章"]
    assert set(feed_titles(parse(client.get(SITE_FEED)))) == {"本栏目的文章", "别的栏目的文章"}


def test_unknown_column_feed_is_404(client):
    assert client.get("/news/c/no-such-column/feed/").status_code == 404


@pytest.mark.parametrize("url", [SITE_FEED, "/news/c/test-column/feed/"])
def test_feed_query_count_is_flat(client, make_article, url, django_assert_max_num_queries):
    for _ in range(5):
        make_article()
    with django_assert_max_num_queries(4) as small:
        assert len(feed_titles(parse(client.get(url)))) == 5
    for _ in range(45):
        make_article()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(feed_titles(parse(client.get(url)))) == 30


def test_pages_link_to_their_feeds(client, column, make_article):
    make_article()
    home = client.get(reverse("home")).content.decode()
    assert f'type="application/rss+xml" title="滨州市总工会 新闻" href="{SITE_FEED}"' in home
    page = client.get(column.get_absolute_url()).content.decode()
    column_feed = reverse("news:column_feed", args=[column.slug])
    assert f'<a href="{column_feed}">RSS 订阅</a>' in page
    assert f'type="application/rss+xml" title="滨州市总工会 测试栏目" href="{column_feed}"' in page
    assert "RSS 订阅" not in client.get(reverse("news:list")).content.decode()


# robots.txt


def test_robots_txt_points_to_the_sitemap(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
