"""Pictures pasted into an article's body as data: URLs (a screenshot pasted into the editor) become uploads like the
editor's own: checked by the one validator, stored under editor/<year>/<month>/, the src rewritten; a picture that
cannot be used refuses the save, naming it, and a refused or rolled-back save leaves no file behind."""

import base64
import re

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import RequestFactory

from news.admin import ArticleAdmin
from news.models import Article
from tests.factories import (
    article_change_url,
    article_form_data,
    fetch_status,
    heic,
    jpeg,
    jpeg_with_gps,
    media_base,
    png,
    stored_image,
    stored_name,
    stored_names,
)

pytestmark = pytest.mark.django_db
Status = Article.Status


def data_url(data, mime="image/png"):
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def sources(body):
    return re.findall(r'<img[^>]* src="([^"]*)"', body)


def save(client, article, body, **changes):
    return client.post(article_change_url(article), article_form_data(article, body=body, **changes))


def form_errors(response):
    return re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', response.content.decode(), re.S)


@pytest.fixture
def draft(make_article):
    return make_article(status=Status.DRAFT, body="<p>原来的正文</p>")


def test_pasted_screenshot_is_stored_clean_and_its_src_rewritten(
    client, editor, draft, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    body = (
        f'<p>截图：</p><figure class="image"><img src="{data_url(jpeg_with_gps(), "image/jpeg")}" alt="现场"></figure>'
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = save(client, draft, body)
    assert response.status_code == 302, form_errors(response)
    draft.refresh_from_db()
    assert "data:" not in draft.body
    [src] = sources(draft.body)
    assert re.fullmatch(re.escape(media_base()) + r"editor/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", src)
    assert 'alt="现场"' in draft.body and "<p>截图：</p>" in draft.body  # the rest of the body as it was
    [stored] = stored_names()
    assert stored == stored_name(src)
    picture = stored_image(stored)  # through the validator: re-encoded, GPS and EXIF gone
    assert picture.format == "JPEG" and not picture.getexif() and "exif" not in picture.info
    assert fetch_status(client, src) == 200


def test_the_same_picture_pasted_twice_is_stored_once(client, editor, draft, django_capture_on_commit_callbacks):
    client.force_login(editor)
    picture = data_url(png())
    with django_capture_on_commit_callbacks(execute=True):
        save(client, draft, f'<p><img src="{picture}"></p><p><img src="{picture}" alt="又一次"></p>')
    draft.refresh_from_db()
    first, second = sources(draft.body)
    assert first == second and first.endswith(".png")
    assert len(stored_names()) == 1


def test_a_picture_that_cannot_be_used_refuses_the_save_naming_it(
    client, editor, draft, settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_IMAGE_MAX_BYTES = 2048
    client.force_login(editor)
    big = jpeg(size=(600, 400), quality=100)
    assert len(big) > 2048
    body = (
        '<p><img src="/media/editor/2026/01/0123456789abcdef0123456789abcdef.jpg" alt="已上传的图片"></p>'
        f'<p><img src="{data_url(b"<svg onload=alert(1)>", "image/png")}"></p>'
        f'<p><img src="{data_url(jpeg())}"></p>'  # a good one: not stored either, the save is refused
        f'<p><img src="{data_url(big, "image/jpeg")}"></p>'
        f'<p><img src="{data_url(heic(), "image/heic")}"></p>'
        '<p><img src="data:image/png;base64,iVBORw0KGgo***"></p>'
        '<p><img src="blob:https://www.example.org/5f0c0e2a-8d3b-4c1e-9a51-2d6b3c9e7f10"></p>'
        '<p><img src="file:///C:/Users/user/AppData/Local/Temp/msohtmlclip1/01/clip_image002.png"></p>'
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = save(client, draft, body)
    assert response.status_code == 200
    page = response.content.decode()
    assert "正文中的第 2 张图片无法使用：不支持的格式（只接受 JPEG、PNG、WebP、GIF 图片）。请删除后重新插入。" in page
    assert "正文中的第 3 张图片" not in page
    assert "正文中的第 4 张图片无法使用：文件太大（最大 2 KB），请压缩后再上传。请删除后重新插入。" in page
    assert "正文中的第 5 张图片无法使用：iPhone 照片为 HEIC 格式" in page
    assert "正文中的第 6 张图片无法使用：图片数据不完整，无法读取。" in page
    assert "正文中的第 7 张图片无法使用：图片没有上传完成" in page
    assert "正文中的第 8 张图片无法使用：图片指向您电脑上的文件" in page
    draft.refresh_from_db()
    assert draft.body == "<p>原来的正文</p>"
    assert stored_names() == []


def test_a_save_refused_for_another_reason_stores_nothing(client, editor, draft, django_capture_on_commit_callbacks):
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = save(client, draft, f'<p><img src="{data_url(png())}"></p>', title="")
    assert response.status_code == 200 and form_errors(response)
    assert stored_names() == []
    draft.refresh_from_db()
    assert draft.body == "<p>原来的正文</p>"


def test_a_save_rolled_back_after_the_form_stores_nothing(editor, draft, django_capture_on_commit_callbacks):
    request = RequestFactory().post(article_change_url(draft))
    request.user = editor
    form_class = ArticleAdmin(Article, admin.site).get_form(request, draft, change=True)
    form = form_class(article_form_data(draft, body=f'<p><img src="{data_url(png())}"></p>'), instance=draft)
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            assert form.is_valid(), form.errors
            form.save()
            transaction.set_rollback(True)  # e.g. an edit conflict found while saving
    assert stored_names() == []
    draft.refresh_from_db()
    assert draft.body == "<p>原来的正文</p>"
