"""A visitor and an editor use the site in a real browser (Debian's chromium, driven by Playwright)."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from news.models import Article
from union_site.roles import EDITOR

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
FEATURE_TITLE = "“数”说服务发展新故事 赋能品质滨州更“出彩”"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    errors = []
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # Chromium asks for it on bare images
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield page
    context.close()
    assert not errors, errors  # no Content-Security-Policy violation, no broken script


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_visitor_on_a_phone_reads_the_feature_and_opens_its_album(live_server, phone, demo):
    SHOTS.mkdir(exist_ok=True)
    phone.goto(live_server.url + "/")
    assert phone.locator("header").get_by_text("滨州市总工会").first.is_visible()
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(SHOTS / "home-375.png"), full_page=True)

    phone.get_by_role("link", name=FEATURE_TITLE).first.click()
    assert phone.locator("h1").inner_text() == FEATURE_TITLE
    assert phone.get_by_text("——滨州市工会第六次代表大会五年来工作掠影").is_visible()
    assert phone.locator(".article-body h2").count() == 4
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(SHOTS / "article-375.png"), full_page=True)

    phone.locator(".related-album a").click()
    first = phone.locator(".photo-grid img").first
    first.scroll_into_view_if_needed()
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=first.element_handle())
    phone.locator(".photo-grid a").first.click()  # the viewer opens the large picture
    large = phone.locator("dialog.viewer .viewer-stage img")
    phone.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=large.element_handle())
    assert large.evaluate("img => img.naturalWidth") >= 1000


def test_figures_page_reads_as_a_newspaper_on_a_phone(live_server, phone, demo):
    phone.goto(live_server.url + "/achievements/")
    cards = phone.locator(".figure-card")
    assert cards.count() >= 45
    assert "11.1万余人" in phone.locator(".figure-section").first.inner_text().replace("\n", "")
    assert no_horizontal_scroll(phone)
    phone.screenshot(path=str(SHOTS / "achievements-375.png"), full_page=True)


def test_editor_logs_in_and_saves_a_draft(live_server, browser, demo, role_groups):
    user = User.objects.create_user("browser-editor", password="a-long-test-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITOR))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "browser-editor")
    page.fill("#id_password", "a-long-test-password-1")
    page.click("input[type=submit]")
    assert page.get_by_text("内容管理").first.is_visible()
    page.goto(live_server.url + "/admin/news/article/add/")
    page.select_option("#id_column", label="工会要闻")
    page.fill("#id_title", "浏览器里写的草稿")
    page.locator(".ck-editor__editable").click()
    page.keyboard.type("正文")
    page.click("input[name=_save]")
    page.locator(".messagelist").wait_for()  # the saved page has loaded: a screenshot mid-navigation fails
    page.wait_for_load_state()
    assert "浏览器里写的草稿" in page.locator(".messagelist").inner_text()
    page.screenshot(path=str(SHOTS / "admin-saved.png"))
    assert Article.objects.get(title="浏览器里写的草稿").status == Article.Status.DRAFT
    page.close()
