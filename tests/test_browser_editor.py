"""An editor writes an article in CKEditor 5 in a real browser, uploads a photo from the editor's toolbar, saves,
and the stored body keeps the paragraph, the table and the picture, whose file exists."""

from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User

from news.forms import ArticleAdminForm
from news.models import Article, Column
from tests.factories import (
    authenticator,
    jpeg_with_gps,
    log_in_admin,
    media_base,
    stored_image,
    stored_name,
    stored_names,
    written,
)

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
PASSWORD = "a-long-test-password-1"


pytestmark = pytest.mark.django_db(transaction=True)


def test_the_article_admin_uses_the_editor():
    assert issubclass(admin.site._registry[Article].form, ArticleAdminForm)


@pytest.fixture
def errors():
    """What the browser reports as an error: a Content-Security-Policy violation, a script error, a failed request."""
    found = []
    yield found
    assert not found, found


@pytest.fixture
def page(browser, errors):
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="zh-CN")

    def console(message):
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):  # the admin has none
            errors.append(f"{message.text} ({message.location['url']})")

    page.on("console", console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    page.close()


@pytest.fixture
def photo(tmp_path):
    return written(tmp_path / "活动现场.jpg", jpeg_with_gps((800, 600), (190, 30, 40)))  # 800x600, GPS in EXIF


def log_in(page, base_url):
    user = User.objects.create_superuser("browser-writer", password=PASSWORD)  # role groups vanish after flushes
    device = authenticator(user)  # a superuser enters a code after the password
    log_in_admin(page, base_url, "browser-writer", PASSWORD, device)


def test_editor_writes_uploads_a_photo_and_saves(live_server, page, photo):
    Column.objects.create(name="工会要闻", slug="union-news")
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/news/article/add/")
    page.select_option("#id_column", label="工会要闻")
    page.fill("#id_title", "编辑器里写的稿件")

    body = page.locator(".ck-editor__editable")
    body.click()
    page.keyboard.type("全市工会系统深入开展劳动竞赛。")
    assert page.get_by_role("button", name="加粗").first.is_visible()  # the editor speaks Chinese

    page.locator("input.ck-hidden[type=file]").set_input_files(str(photo))  # what 从电脑上传图片 opens
    uploaded = body.locator(f"figure.image img[src^='{media_base()}editor/']")
    uploaded.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth === 800", arg=uploaded.element_handle())

    alt = page.locator(".ck-text-alternative-form input")  # the 替换文本 form opens by itself after the upload
    alt.fill("活动现场")
    alt.press("Enter")
    page.keyboard.press("ArrowDown")  # leave the picture (still selected after the upload) for a new paragraph
    page.keyboard.type("图为活动现场。")
    page.get_by_role("button", name="插入表格").click()
    page.locator(".ck-insert-table-dropdown-grid-box").nth(11).click()  # 2 rows x 2 columns
    page.keyboard.type("指标")
    page.screenshot(path=str(SHOTS / "admin-editor.png"), full_page=True)

    page.click("input[name=_save]")
    assert "编辑器里写的稿件" in page.locator(".messagelist").inner_text()

    stored = Article.objects.get(title="编辑器里写的稿件").body
    assert "<p>全市工会系统深入开展劳动竞赛。</p>" in stored and "<p>图为活动现场。</p>" in stored
    assert '<figure class="table"><table>' in stored and "<td>指标</td>" in stored
    assert 'alt="活动现场"' in stored
    src = stored.split('<figure class="image"><img src="', 1)[1].split('"', 1)[0]
    assert src.startswith(media_base() + "editor/") and "活动现场" not in src
    image = stored_image(stored_name(src))
    assert image.size == (800, 600) and not image.getexif()


def test_a_refused_file_shows_our_message_and_leaves_no_picture(live_server, page, errors, tmp_path):
    fake = tmp_path / "照片.jpg"
    fake.write_text("这不是图片", encoding="utf-8")
    log_in(page, live_server.url)
    page.goto(live_server.url + "/admin/news/article/add/")
    page.locator(".ck-editor__editable").click()
    with page.expect_event("dialog") as shown:  # CKEditor 5 shows the server's error.message in an alert
        page.locator("input.ck-hidden[type=file]").set_input_files(str(fake))
    dialog = shown.value
    assert "不支持的格式（只接受 JPEG、PNG、WebP、GIF 图片）" in dialog.message
    dialog.dismiss()
    page.wait_for_function("!document.querySelector('.ck-editor__editable img')")
    assert stored_names("editor") == []
    errors[:] = [error for error in errors if "status of 400" not in error]  # the refusal itself
