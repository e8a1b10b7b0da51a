"""Images uploaded from the article editor: only people who write articles may upload, every file is checked and
stored under a generated name, and the editor shows our Chinese message when a file is refused."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.sites import AdminSite
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse
from PIL import Image

from news.admin import ArticleAdmin
from news.forms import ArticleAdminForm
from news.models import Article
from tests.factories import fetch_status, heic, jpeg_with_gps, media_base, stored_name, stored_names
from union_site.common.concurrency import EditConflictMixin

pytestmark = pytest.mark.django_db

URL = "/admin/editor-upload/"


def gps_upload(name="现场照片.jpg"):
    return SimpleUploadedFile(name, jpeg_with_gps(), content_type="image/jpeg")


def test_the_upload_url_is_ours_and_the_packages_view_is_not_routed():
    assert reverse("editor_upload") == URL
    with pytest.raises(Exception):  # noqa: B017 - NoReverseMatch: django-ckeditor-5's own view has no URL
        reverse("ck_editor_5_upload_file")


def test_anonymous_upload_is_refused_and_nothing_stored(client):
    response = client.post(URL, {"upload": gps_upload()})
    assert response.status_code in (302, 403)
    assert stored_names() == []


def test_staff_without_article_permission_is_refused(client, reporter):
    client.force_login(reporter)
    response = client.post(URL, {"upload": gps_upload()})
    assert response.status_code == 403
    assert "权限" in response.json()["error"]["message"]
    assert stored_names() == []


def test_editor_uploads_a_photo_stored_clean_under_a_generated_name(client, editor):
    client.force_login(editor)
    response = client.post(URL, {"upload": gps_upload()})
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith(media_base() + "editor/") and url.endswith(".jpg") and "现场照片" not in url
    name = stored_name(url)
    assert default_storage.exists(name)
    with default_storage.open(name) as stored:
        image = Image.open(stored)
        assert image.size == (64, 48) and not image.getexif() and "exif" not in image.info
    assert stored_names() == [name]
    assert fetch_status(client, url) == 200  # served back: by the test site as in development, or by the bucket


def test_refused_file_gets_the_chinese_message_and_nothing_is_stored(client, editor):
    client.force_login(editor)
    fake = SimpleUploadedFile("photo.jpg", "这是一段文字".encode(), content_type="image/jpeg")
    response = client.post(URL, {"upload": fake})
    assert response.status_code == 400
    assert response.json() == {"error": {"message": "不支持的格式（只接受 JPEG、PNG、WebP、GIF 图片）。"}}
    assert stored_names() == []


def test_iphone_heic_photo_gets_the_hint_and_nothing_is_stored(client, editor):
    client.force_login(editor)
    response = client.post(URL, {"upload": SimpleUploadedFile("IMG_0001.HEIC", heic(), content_type="image/heic")})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("iPhone 照片为 HEIC 格式，本站暂不支持。")
    assert stored_names() == []


def test_post_without_a_file_is_a_clear_error(client, editor):
    client.force_login(editor)
    response = client.post(URL, {})
    assert response.status_code == 400 and "没有收到文件" in response.json()["error"]["message"]


def test_csrf_token_is_required(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(URL, {"upload": gps_upload()}).status_code == 403
    assert stored_names() == []


def test_upload_with_the_csrf_header_the_editor_sends_is_accepted(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    client.get(reverse("admin:news_article_add"))  # the admin page sets the csrftoken cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert not settings.CSRF_COOKIE_HTTPONLY  # the editor's script reads the cookie
    response = client.post(URL, {"upload": gps_upload()}, headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_get_is_not_allowed(client, editor):
    client.force_login(editor)
    assert client.get(URL).status_code == 405


def test_failed_storage_write_leaves_no_partial_file(client, editor, local_media, monkeypatch):
    client.force_login(editor)

    def write_half_then_fail(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read()[:10])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", write_half_then_fail)
    response = client.post(URL, {"upload": gps_upload()})
    assert response.status_code == 500 and "保存失败" in response.json()["error"]["message"]
    assert stored_names() == []


# --- the form the article admin will use -------------------------------------------------------------------------


def editor_config(html):
    start = html.index('<script id="id_body_script" type="application/json">') + len(
        '<script id="id_body_script" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_article_form_renders_the_editor_pointing_at_our_upload_view():
    form = ArticleAdminForm()
    html = str(form["body"])
    assert 'class="django_ckeditor_5"' in html
    assert f'data-upload-url="{URL}"' in html and 'data-csrf_cookie_name="csrftoken"' in html
    config = editor_config(html)
    assert config["language"] == "zh-cn"
    assert "uploadImage" in config["toolbar"]["items"] and "Markdown" in config["removePlugins"]
    media = str(form.media)
    assert "django_ckeditor_5/dist/bundle.js" in media and "translations/zh-cn.js" in media
    assert "//cdn" not in media and "https://" not in media


def test_article_admin_page_with_the_form_renders_the_editor(superuser):
    assert issubclass(ArticleAdmin.form, EditConflictMixin)  # the edit-conflict check and the editor together
    request = RequestFactory().get("/admin/news/article/add/")
    request.user = superuser
    response = ArticleAdmin(Article, AdminSite()).add_view(request)
    html = response.render().content.decode()
    assert 'class="django_ckeditor_5"' in html and f'data-upload-url="{URL}"' in html
    assert "django_ckeditor_5/dist/bundle.js" in html and 'name="loaded_version"' in html


# Recorded from CKEditor 5 (config "news") in Chromium: heading, link, quote, list, an uploaded picture with its
# caption, and a table. The editor adds an inline aspect-ratio style and list-item ids; the sanitizer drops those.
EDITOR_OUTPUT = (
    '<h2>小标题一</h2><p>正文，见<a href="https://www.bzgh.gov.cn">https://www.bzgh.gov.cn</a>。</p>'
    "<blockquote><p>引用一段</p></blockquote>"
    '<ul><li data-list-item-id="e2ccea2af438ead075ead5498559583f2">一项</li>'
    '<li data-list-item-id="e53d352540306945a2fa6821660e4b760">二项</li></ul>'
    '<figure class="image"><img style="aspect-ratio:800/600;" src="/media/editor/2026/11/784964a68a5c4430.jpg" '
    'width="800" height="600"><figcaption>图为活动现场</figcaption></figure>'
    '<figure class="table"><table><tbody><tr><td><p>指标</p><p>链接</p></td><td>&nbsp;</td></tr>'
    "<tr><td>&nbsp;</td><td>&nbsp;</td></tr></tbody></table></figure>"
)


def test_the_sanitizer_keeps_what_the_editor_produces(make_article):
    body = make_article(body=EDITOR_OUTPUT).body
    assert (
        '<figure class="image"><img src="/media/editor/2026/11/784964a68a5c4430.jpg" width="800" height="600">'
        "<figcaption>图为活动现场</figcaption></figure>"
    ) in body
    assert '<figure class="table"><table><tbody><tr><td><p>指标</p><p>链接</p></td>' in body
    assert '<a href="https://www.bzgh.gov.cn" rel="noopener noreferrer">' in body
    assert "<h2>小标题一</h2>" in body and "<blockquote><p>引用一段</p></blockquote>" in body
    assert "<ul><li>一项</li><li>二项</li></ul>" in body
    assert "style=" not in body and "data-list-item-id" not in body
