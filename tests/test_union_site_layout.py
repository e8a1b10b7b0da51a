"""The public pages as a visitor gets them: page weight, pictures that do not shift the page, 长者模式 kept in a
cookie, the home page's 图片新闻, and the article's share link."""

import re
from datetime import date

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.urls import reverse

from news.models import Article
from tests.factories import jpeg, make_album_with_cover
from union_site.common.preferences import ELDER_COOKIE

pytestmark = pytest.mark.django_db

FEATURE_TITLE = "“数”说服务发展新故事 赋能品质滨州更“出彩”"
HOME_BUDGET = 100_000  # bytes of HTML, CSS and JavaScript; photos not counted


def static_bytes(url):
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, url
    with open(path, "rb") as f:
        return len(f.read())


def test_home_page_with_its_css_and_scripts_weighs_under_100_kb(client, demo):
    page = client.get(reverse("home")).content.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) + re.findall(r'<script src="([^"]+)"', page)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    total = len(page.encode()) + sum(static_bytes(url) for url in assets)
    assert total < HOME_BUDGET, f"{total} bytes: {assets}"


def test_key_pages_have_one_h1_and_pictures_that_keep_their_place(client, demo):
    """width and height reserve a picture's space before it loads (no layout shift); alt is always there."""
    article = Article.objects.get(title=FEATURE_TITLE)
    urls = ["/", "/news/c/news/", article.get_absolute_url(), "/achievements/", "/gallery/", "/search/?q=劳模"]
    urls.append(article.album.get_absolute_url())
    for url in urls:
        page = client.get(url).content.decode()
        assert page.count("<h1") == 1, url
        for img in re.findall(r"<img\b[^>]*>", page):
            assert re.search(r'\swidth="\d+"', img) and re.search(r'\sheight="\d+"', img), (url, img)
            assert re.search(r'\salt="[^"]*"', img), (url, img)
    assert client.get("/no-such-page/").content.decode().count("<h1") == 1


def test_elder_mode_link_sets_the_cookie_and_returns_to_the_page(client, db):
    response = client.get(reverse("elder_mode"), {"on": "1", "next": "/news/?page=2"})
    assert response.status_code == 302 and response["Location"] == "/news/?page=2"
    cookie = response.cookies[ELDER_COOKIE]
    assert cookie.value == "1" and cookie["max-age"] >= 300 * 24 * 3600 and cookie["samesite"] == "Lax"
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-Hans" class="elder">' in page
    assert "退出长者模式" in page

    response = client.get(reverse("elder_mode"), {"on": "0", "next": "/"})
    assert response.cookies[ELDER_COOKIE].value == ""  # deleted
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-Hans">' in page and ">长者模式<" in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_elder_mode_never_sends_the_visitor_off_the_site(client, db, target):
    response = client.get(reverse("elder_mode"), {"on": "1", "next": target})
    assert response["Location"] == "/"


def test_every_page_links_to_elder_mode_with_its_own_address(client, db):
    page = client.get("/achievements/?x=1").content.decode()
    assert f'href="{reverse("elder_mode")}?on=1&amp;next=/achievements/%3Fx%3D1"' in page
    assert 'rel="nofollow"' in page


@pytest.fixture
def albums(db):
    """Six albums with a cover, newest first."""
    made = []
    for i in range(6):
        album = make_album_with_cover(f"相册{i}", caption=f"图{i}", event_on=date(2024, 1, 1 + i), is_published=True)
        made.insert(0, album)
    return made


def carousel(client):
    page = client.get(reverse("home")).content.decode()
    return page, page.split('class="carousel-track"')[1].split("</ul>")[0]


def test_photo_news_shows_articles_with_a_cover_then_album_covers(client, albums, make_article):
    page, track = carousel(client)
    assert track.count("<li") == 5  # no article with a cover yet: the newest albums' covers
    for album in albums[:5]:
        assert album.get_absolute_url() in track and album.cover.thumbnail.url in track
    assert 'href="#slide-5"' in page  # numbered links work without JavaScript

    with_cover = make_article(title="有封面的图片新闻", cover=ContentFile(jpeg((90, 60)), "cover.jpg"))
    make_article(title="没有封面的新闻")
    page, track = carousel(client)
    assert track.count("<li") == 5
    first = track.split("<li")[1]
    assert with_cover.get_absolute_url() in first and with_cover.cover.url in first and "有封面的图片新闻" in first
    assert "没有封面的新闻" not in track
    assert albums[4].get_absolute_url() not in track  # pushed out by the article


def test_photo_news_never_moves_by_itself():
    with open(finders.find("js/site.js"), encoding="utf-8") as f:
        script = f.read()
    assert "setInterval" not in script and "autoplay" not in script.lower()


def test_home_lists_only_columns_with_articles_and_the_newest_first(client, make_article, column):
    old = make_article(title="旧闻")
    new = make_article(title="新闻甲")
    Article.objects.filter(pk=old.pk).update(publish_at=new.publish_at.replace(year=2020))
    page = client.get(reverse("home")).content.decode()
    block = page.split(f'id="col-{column.slug}"')[1]
    assert block.index("新闻甲") < block.index("旧闻")


def test_article_page_shows_its_address_to_copy(client, make_article):
    article = make_article()
    page = client.get(article.get_absolute_url() + "?fs=l").content.decode()
    assert f'value="http://testserver{article.get_absolute_url()}" readonly' in page
    assert 'data-copy="share-url" hidden' in page  # shown by site.js only
