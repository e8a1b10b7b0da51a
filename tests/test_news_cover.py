"""An article's cover image goes through the same validator as every other upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from news.models import Article
from tests.factories import article_change_url, article_form_data, phone_photo, stored_image, stored_names

pytestmark = pytest.mark.django_db


def test_cover_from_a_phone_is_stored_upright_without_metadata(client, reviewer, make_article, settings):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(reviewer)
    cover = SimpleUploadedFile("我的照片-GPS.jpg", phone_photo(), content_type="image/jpeg")
    response = client.post(article_change_url(article), {**article_form_data(article), "cover": cover})
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert "GPS" not in article.cover.name and "我的照片" not in article.cover.name
    stored = stored_image(article.cover.name)
    assert not stored.getexif() and "exif" not in stored.info


def test_a_fake_cover_is_refused_in_chinese_and_nothing_is_stored(client, reviewer, make_article, settings):
    article = make_article(status=Article.Status.DRAFT)
    client.force_login(reviewer)
    fake = SimpleUploadedFile("cover.jpg", b"<html>not a picture</html>", content_type="image/jpeg")
    response = client.post(article_change_url(article), {**article_form_data(article), "cover": fake})
    assert response.status_code == 200
    assert "不支持的格式（只接受 JPEG、PNG、WebP、GIF 图片）" in response.content.decode()
    article.refresh_from_db()
    assert not article.cover
    assert stored_names() == []


def test_admin_add_page_accepts_only_images(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("admin:news_article_add")).content.decode()
    assert 'accept="image/*"' in page
