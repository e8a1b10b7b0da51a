"""The album page: responsive thumbnails with WebP, captions, pagination, a flat query count, nothing inline."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from gallery.models import Album, Photo
from gallery.views import PHOTOS_PER_PAGE
from news.models import Article
from tests.factories import tiny_jpeg

pytestmark = pytest.mark.django_db

FEATURE_TITLE = "“数”说服务发展新故事 赋能品质滨州更“出彩”"


def text(page):
    return re.sub(r"<[^>]+>", "", page).replace("&quot;", '"').replace("&#x27;", "'")


def figures(page):
    return re.findall(r"<figure>.*?</figure>", page, re.S)


@pytest.fixture
def album_of(db):
    def make(n, **fields):
        fields.setdefault("is_published", True)  # new albums start hidden (issue #7); these pages show them
        album = Album.objects.create(title=fields.pop("title", f"相册{n}"), **fields)
        for i in range(n):
            Photo.objects.create(album=album, caption=f"第{i + 1}张的图说", order=i + 1, image=tiny_jpeg())
        return album

    return make


def test_each_photo_has_responsive_webp_and_jpeg_sources(client, demo):
    album = Album.objects.get(articles__title=FEATURE_TITLE)
    page = client.get(album.get_absolute_url()).content.decode()
    photos = list(album.photos.order_by("order", "id"))
    shown = figures(page)
    assert len(shown) == len(photos) == 3
    for photo, figure in zip(photos, shown, strict=True):
        medium_width = photo.medium_size[0]
        assert medium_width == 960  # the seed's placeholders are 1600 wide
        webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', figure)
        assert webp.group(1) == f"{photo.thumbnail_webp.url} 480w, {photo.medium_webp.url} 960w"
        assert webp.group(2).startswith("(max-width: 640px) 50vw")
        img = re.search(r"<img [^>]+>", figure).group(0)
        assert f'src="{photo.thumbnail.url}"' in img
        assert f'srcset="{photo.thumbnail.url} 480w, {photo.medium.url} 960w"' in img
        assert 'sizes="(max-width: 640px) 50vw' in img
        assert 'width="480" height="320"' in img and 'loading="lazy"' in img
        assert f'alt="{photo.alt}"' in img
        link = re.search(r"<a [^>]+>", figure).group(0)
        assert f'href="{photo.large.url}"' in link and "data-viewer-item" in link
        assert f'data-webp="{photo.large_webp.url}"' in link
        assert f'data-width="{photo.large_size[0]}" data-height="{photo.large_size[1]}"' in link
        assert photo.large_size == (1600, 1067)
        caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S).group(1)
        assert photo.caption in text(caption) and "示意图" in caption  # the seed's photos are placeholders


def test_album_page_shows_its_details_and_links_back_to_its_article(client, demo):
    album = Album.objects.get(articles__title=FEATURE_TITLE)
    article = album.articles.get()
    page = client.get(album.get_absolute_url()).content.decode()
    assert f'<h1 class="page-title">{album.title}</h1>' in page
    assert "2023年4月27日" in page and "共 3 张" in page
    assert album.description in text(page)
    assert f'<a href="{article.get_absolute_url()}">{article.title}</a>' in page.replace("&quot;", '"')
    assert "相关报道" in page
    assert f'href="{reverse("gallery:list")}"' in page  # breadcrumbs
    assert 'class="pagination"' not in page  # one page only


def test_unpublished_related_article_is_not_linked(client, demo):
    album = Album.objects.get(articles__title=FEATURE_TITLE)
    article = album.articles.get()
    album.articles.update(status=Article.Status.DRAFT)
    page = client.get(album.get_absolute_url()).content.decode()
    assert "相关报道" not in page and article.get_absolute_url() not in page


def test_credit_and_captions_are_shown(client, album_of):
    album = album_of(3)
    Photo.objects.filter(order=2).update(credit="张三 摄", is_placeholder=False)
    page = client.get(album.get_absolute_url()).content.decode()
    for i in range(1, 4):
        assert f"第{i}张的图说" in page
    assert '<span class="credit">（张三 摄）</span>' in page
    assert "示意图" not in page


def test_tiny_originals_get_no_larger_medium_candidate(client, album_of):
    album = album_of(1)
    photo = album.photos.get()
    page = client.get(album.get_absolute_url()).content.decode()
    assert f'srcset="{photo.thumbnail.url} 480w"' in page  # the 60px medium would only be worse
    assert 'data-width="60" data-height="40"' in page


def test_photos_are_paginated(client, album_of):
    assert PHOTOS_PER_PAGE == 48
    album = album_of(60)
    first = client.get(album.get_absolute_url()).content.decode()
    assert len(figures(first)) == 48
    assert "共 60 张" in first
    assert "第1张的图说" in first and "第48张的图说" in first and "第49张的图说" not in first
    assert 'href="?page=2" rel="next"' in first and "第 1 / 2 页" in first

    second = client.get(album.get_absolute_url() + "?page=2").content.decode()
    assert len(figures(second)) == 12
    assert "共 60 张" in second
    assert "第49张的图说" in second and "第60张的图说" in second and "第48张的图说" not in second
    assert 'href="?page=1" rel="prev"' in second and "第 2 / 2 页" in second
    assert "（第 2 页）" in second.split("</title>")[0]

    assert client.get(album.get_absolute_url() + "?page=3").status_code == 404
    assert client.get(album.get_absolute_url() + "?page=abc").status_code == 404


def test_link_to_a_photo_on_a_later_page_finds_its_page(client, album_of):
    album = album_of(60)
    photo = album.photos.get(order=50)
    response = client.get(album.get_absolute_url() + f"?photo={photo.pk}")
    assert response.status_code == 302
    assert response["Location"] == f"{album.get_absolute_url()}?page=2#photo-{photo.pk}"
    first = album.photos.get(order=1)
    response = client.get(album.get_absolute_url() + f"?photo={first.pk}")
    assert response["Location"] == f"{album.get_absolute_url()}#photo-{first.pk}"
    other = album_of(1, title="别的相册").photos.get()
    assert client.get(album.get_absolute_url() + f"?photo={other.pk}").status_code == 404
    assert client.get(album.get_absolute_url() + "?photo=x").status_code == 404


def test_empty_album_says_so(client, album_of):
    page = client.get(album_of(0).get_absolute_url()).content.decode()
    assert "共 0 张" in page and "还没有照片" in page


def test_query_count_is_the_same_for_10_and_120_photos(client, album_of, django_assert_max_num_queries):
    small, large = album_of(10, title="小相册"), album_of(120, title="大相册")
    with django_assert_max_num_queries(8) as few:
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(large.get_absolute_url()).content.decode()
    assert len(figures(page)) == 48
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(large.get_absolute_url() + "?page=3").status_code == 200


def test_unpublished_album_is_404(client, album_of):
    album = album_of(2, is_published=False)
    assert client.get(album.get_absolute_url()).status_code == 404
    assert client.get(album.get_absolute_url() + "?photo=1").status_code == 404


def test_album_page_has_nothing_inline_and_loads_the_viewer(client, demo):
    album = Album.objects.get(articles__title=FEATURE_TITLE)
    page = client.get(album.get_absolute_url()).content.decode()
    assert "<script>" not in page and "<style" not in page and " style=" not in page and " on" + "click" not in page
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all(" src=" in tag for tag in scripts)
    head = page.split("</head>")[0]
    assert '<script src="/static/gallery/viewer.js" defer></script>' in head
    assert '<link rel="stylesheet" href="/static/gallery/viewer.css">' in head


def test_viewer_files_are_found_and_small():
    for name in ["gallery/viewer.js", "gallery/viewer.css"]:
        path = Path(finders.find(name))
        assert path.is_file() and path.stat().st_size < 7000, name
    assert "no library" in Path(finders.find("gallery/viewer.js")).read_text().split("*/")[0]


def test_query_count_does_not_grow_with_related_articles(client, album_of, make_article, django_assert_max_num_queries):
    album = album_of(2)
    make_article(album=album)
    with django_assert_max_num_queries(8) as one:
        assert client.get(album.get_absolute_url()).status_code == 200
    for _ in range(4):
        make_article(album=album)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(album.get_absolute_url()).content.decode()
    assert page.count("测试文章") == 5
