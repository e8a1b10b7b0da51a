"""The sitemap: /sitemap.xml is an index of the sections' parts, each part a page of `limit` URLs, what search engines
get of the public pages and nothing else."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.utils import timezone

from gallery.models import Album
from gallery.sitemaps import AlbumSitemap
from news.models import Article
from news.sitemaps import ArticleSitemap
from tests.factories import make_album_with_cover

pytestmark = pytest.mark.django_db

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "http://testserver"
SECTIONS = ["static", "columns", "articles", "albums"]


def parse(response, root_tag):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own output, not untrusted input)
    assert root.tag == f"{NS}{root_tag}"
    return root


def index_entries(client):
    """[(part URL, lastmod text or None)] of the sitemap index."""
    root = parse(client.get("/sitemap.xml"), "sitemapindex")
    return [(entry.findtext(f"{NS}loc"), entry.findtext(f"{NS}lastmod")) for entry in root.iter(f"{NS}sitemap")]


def part_urls(client, url):
    root = parse(client.get(url.removeprefix(SITE)), "urlset")
    return [entry.findtext(f"{NS}loc") for entry in root.iter(f"{NS}url")]


def all_urls(client):
    """Every URL of every part the index names, in order (duplicates kept, so a test can see them)."""
    return [url for part, _ in index_entries(client) for url in part_urls(client, part)]


def absolute(obj):
    return f"{SITE}{obj.get_absolute_url()}"


def test_sitemap_xml_is_the_index_of_the_sections(client):
    assert [part for part, _ in index_entries(client)] == [f"{SITE}/sitemap-{name}.xml" for name in SECTIONS]


def test_each_section_is_its_own_sitemap(client, make_article, column):
    article = make_article()
    album = Album.objects.create(title="职工运动会", is_published=True)
    assert part_urls(client, "/sitemap-static.xml") == [
        f"{SITE}{page}" for page in ("/", "/news/", "/achievements/", "/gallery/", "/downloads/", "/channels/")
    ]
    assert part_urls(client, "/sitemap-columns.xml") == [absolute(column)]
    assert part_urls(client, "/sitemap-articles.xml") == [absolute(article)]
    assert part_urls(client, "/sitemap-albums.xml") == [absolute(album)]
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_lists_public_pages_only(client, make_article, column):
    published = make_article()
    draft = make_article(status=Article.Status.DRAFT)
    in_review = make_article(status=Article.Status.REVIEW)
    scheduled = make_article(publish_at=timezone.now() + timedelta(days=1))
    expired = make_article(unpublish_at=timezone.now() - timedelta(minutes=1))
    album = Album.objects.create(title="职工运动会", is_published=True)
    hidden_album = Album.objects.create(title="未公开相册", is_published=False)
    urls = all_urls(client)
    assert absolute(published) in urls and absolute(album) in urls and absolute(column) in urls
    for hidden in (draft, in_review, scheduled, expired, hidden_album):
        assert absolute(hidden) not in urls
    for page in ("/", "/news/", "/achievements/", "/gallery/"):
        assert f"{SITE}{page}" in urls


def test_articles_come_in_parts_that_together_hold_exactly_the_published_ones(client, make_article, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 3)
    published = [make_article() for _ in range(8)]
    make_article(status=Article.Status.DRAFT)
    make_article(publish_at=timezone.now() + timedelta(hours=1))
    make_article(unpublish_at=timezone.now() - timedelta(hours=1))
    parts = [part for part, _ in index_entries(client) if "/sitemap-articles.xml" in part]
    base = f"{SITE}/sitemap-articles.xml"
    assert parts == [base, f"{base}?p=2", f"{base}?p=3"]
    found = [part_urls(client, part) for part in parts]
    assert [len(urls) for urls in found] == [3, 3, 2]
    listed = [url for urls in found for url in urls]
    assert sorted(listed) == sorted(absolute(article) for article in published)  # each once, none missing
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-articles.xml?p=x").status_code == 404


def test_a_new_article_goes_on_the_last_part(client, make_article, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    for _ in range(3):
        make_article()
    first = part_urls(client, "/sitemap-articles.xml")
    newest = make_article(publish_at=timezone.now())  # the newest by publishing time too
    assert part_urls(client, "/sitemap-articles.xml") == first
    assert part_urls(client, "/sitemap-articles.xml?p=2")[-1] == absolute(newest)


def test_albums_come_in_parts_too(client, monkeypatch):
    monkeypatch.setattr(AlbumSitemap, "limit", 2)
    albums = [Album.objects.create(title=f"相册{i}", is_published=True) for i in range(3)]
    Album.objects.create(title="未公开相册", is_published=False)
    parts = [part for part, _ in index_entries(client) if "/sitemap-albums.xml" in part]
    assert len(parts) == 2
    assert sorted(url for part in parts for url in part_urls(client, part)) == sorted(map(absolute, albums))


def test_articles_carry_their_last_change(client, make_article):
    article = make_article()
    root = parse(client.get("/sitemap-articles.xml"), "urlset")
    (entry,) = root.iter(f"{NS}url")
    assert entry.findtext(f"{NS}loc") == absolute(article)
    assert entry.findtext(f"{NS}lastmod") == timezone.localdate(article.updated_at).isoformat()  # a Beijing date
    assert entry.findtext(f"{NS}changefreq") == "monthly"
    assert entry.findtext(f"{NS}priority") == "0.8"


def test_index_gives_each_section_its_last_change(client, make_article):
    older, newer = make_article(), make_article()
    Article.objects.filter(pk=older.pk).update(updated_at=timezone.now() + timedelta(days=1))  # edited last
    hidden = make_article(status=Article.Status.DRAFT)
    Article.objects.filter(pk=hidden.pk).update(updated_at=timezone.now() + timedelta(days=3))  # not public: ignored
    album = Album.objects.create(title="职工运动会", is_published=True)
    cache.clear()  # the updates above sent no signal: no cached page of before them
    lastmods = {part.removeprefix(SITE): lastmod for part, lastmod in index_entries(client)}
    older.refresh_from_db()
    assert newer.updated_at < older.updated_at
    assert datetime.fromisoformat(lastmods["/sitemap-articles.xml"]) == older.updated_at
    assert datetime.fromisoformat(lastmods["/sitemap-albums.xml"]) == album.updated_at
    assert lastmods["/sitemap-static.xml"] is None  # fixed pages: no date to give


def test_queries_per_part_do_not_grow_with_the_rows(client, make_article, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 20)
    monkeypatch.setattr(AlbumSitemap, "limit", 20)

    def add(n):
        for i in range(n):
            make_article()
            make_album_with_cover(f"相册{Album.objects.count()}-{i}", is_published=True)

    pages = ["/sitemap.xml", "/sitemap-articles.xml", "/sitemap-albums.xml", "/sitemap-columns.xml"]
    add(5)
    budgets = {}
    for page in pages:
        cache.clear()  # measure the page as made, not the page cache's copy
        with django_assert_max_num_queries(8) as made:
            assert client.get(page).status_code == 200
        budgets[page] = len(made.captured_queries)
    add(55)  # three parts of articles, three of albums
    for page in [*pages, "/sitemap-articles.xml?p=3", "/sitemap-albums.xml?p=3"]:
        cache.clear()
        with django_assert_max_num_queries(budgets[page.split("?")[0]]):
            assert client.get(page).status_code == 200
    assert len(part_urls(client, "/sitemap-articles.xml?p=3")) == 20


def test_robots_txt_names_the_index(client):
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert index_entries(client)  # …and that is the index


def test_entries_are_escaped_and_dated_in_beijing_time():
    from union_site.templatetags.site_tags import sitemap_entries

    late_evening_utc = datetime(2026, 1, 31, 17, 0, tzinfo=UTC)  # 01:00 on 1 February in Beijing
    entry = {
        "location": "http://testserver/a?b=1&c=<2>",
        "lastmod": late_evening_utc,
        "changefreq": None,
        "priority": "",
    }
    assert sitemap_entries([entry]) == (
        "<url><loc>http://testserver/a?b=1&amp;c=&lt;2&gt;</loc><lastmod>2026-02-01</lastmod></url>\n"
    )
