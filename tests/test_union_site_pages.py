"""Every public page shows the seed's content, in Chinese."""

import re

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from achievements.models import Honor, Metric, Section
from gallery.models import Album, Photo
from news.models import Article, Column
from tests.factories import fetch

pytestmark = pytest.mark.django_db

FEATURE_TITLE = "“数”说服务发展新故事 赋能品质滨州更“出彩”"


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def text(page):
    """What a reader sees: tags dropped, entities for quotes undone."""
    return re.sub(r"<[^>]+>", "", page).replace("&quot;", '"').replace("&#x27;", "'")


def feature(demo):
    return Article.objects.get(title=FEATURE_TITLE)


def test_home_shows_headline_columns_figures_and_albums(client, demo):
    page = html(client, reverse("home"))
    assert "滨州市总工会" in page
    assert FEATURE_TITLE in text(page)
    assert "头条" in page
    for column in Column.objects.in_nav():
        assert column.name in page and column.get_absolute_url() in page
    assert reverse("achievements:index") in page and "数说五年" in page
    assert reverse("gallery:list") in page
    for metric in Metric.objects.highlighted():
        assert metric.label in page
    assert "11.1" in page and "万余人" in page
    for album in Album.objects.published()[:4]:
        assert album.title in text(page)


def test_article_page_has_kicker_title_subtitle_byline_date_body_and_album(client, demo):
    article = feature(demo)
    page = html(client, article.get_absolute_url())
    seen = text(page)
    assert FEATURE_TITLE in seen
    assert "——滨州市工会第六次代表大会五年来工作掠影" in seen
    assert "本报通讯员 张玥群 杜一听 尚文超" in seen
    assert article.publish_at.astimezone().strftime("%Y") + "年" in seen
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", page.split('class="article-body')[1].split("</div>")[0])
    assert len(headings) == 4 and all(h.startswith("五年来") for h in headings)
    assert "劳模工匠宣讲团开展常态化宣讲活动520余场" in seen
    assert article.album and article.album.get_absolute_url() in page


def test_news_list_and_every_column_page_render(client, demo):
    assert FEATURE_TITLE in text(html(client, reverse("news:list")))
    for column in Column.objects.all():
        assert column.name in html(client, column.get_absolute_url())


def test_figures_page_shows_every_seed_figure_in_its_section(client, demo):
    page = text(html(client, reverse("achievements:index")))
    for section in Section.objects.all():
        assert section.title in page
    metrics = Metric.objects.all()
    assert metrics.count() >= 45
    for metric in metrics:
        assert metric.display_value() in page, metric.label
        assert metric.label in page
    for written in ["520余场", "11.1万余人", "55.3万人", "4642个", "约3.33万人", "100%", "1000余万元", "近19万人"]:
        assert written in page
    for honor in Honor.objects.all():
        assert honor.title in page
    assert "全国网络正能量新媒体" in page


def test_figures_page_sections_appear_in_order_with_honors_apart_from_numbers(client, demo):
    page = html(client, reverse("achievements:index"))
    positions = [page.index(s.title) for s in Section.objects.order_by("order")]
    assert positions == sorted(positions)
    honors_block = page.split('class="honors"')[1].split("</ul>")[0]
    assert 'class="figure-card"' not in honors_block


def test_gallery_lists_albums_and_album_page_shows_photos_with_thumbnails(client, demo, settings):
    page = text(html(client, reverse("gallery:list")))
    for album in Album.objects.published():
        assert album.title in page
    album = Album.objects.get(articles__title=FEATURE_TITLE)
    page = html(client, album.get_absolute_url())
    for photo in album.photos.all():
        assert photo.caption in text(page)
        assert photo.thumbnail.url in page and photo.large.url in page
        assert default_storage.exists(photo.thumbnail.name)
    assert FEATURE_TITLE in text(page)  # the album links back to its article


def test_every_caption_of_the_seed_is_in_some_album(client, demo):
    shown = "".join(text(html(client, a.get_absolute_url())) for a in Album.objects.published())
    for caption in Photo.objects.values_list("caption", flat=True):
        assert caption in shown
    assert "全市首届职工运动会皮划艇比赛。" in shown


def test_photo_files_are_served(client, demo):
    photo = Photo.objects.first()
    assert fetch(client, photo.thumbnail.url) == (200, "image/jpeg")  # by the test site, or by the bucket


def test_unpublished_album_is_hidden(client, demo):
    album = Album.objects.first()
    album.is_published = False
    album.save()
    assert client.get(album.get_absolute_url()).status_code == 404
    assert album.title not in text(html(client, reverse("gallery:list")))


def test_unknown_url_gets_chinese_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "返回首页" in page and 'lang="zh-Hans"' in page


def test_server_error_gets_chinese_500_page_without_traceback(db, settings, monkeypatch):
    import union_site.views

    def broken(*args, **kwargs):
        raise RuntimeError("secret-internal-detail")

    monkeypatch.setattr(union_site.views.HomeView, "get_context_data", broken)
    client = Client(raise_request_exception=False)
    response = client.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错" in page
    assert "secret-internal-detail" not in page and "Traceback" not in page


def test_health_and_robots(client, db):
    health = client.get("/healthz")
    assert health.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}
    assert "no-store" in health["Cache-Control"]
    assert "Disallow: /admin/" in client.get("/robots.txt").content.decode()


def test_search_finds_seed_content(client, demo):
    page = text(html(client, reverse("search") + "?q=劳模"))
    assert FEATURE_TITLE in page
    assert "劳模工匠" in page or "劳动模范" in page
