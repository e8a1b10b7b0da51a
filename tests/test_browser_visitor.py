"""A visitor on a phone, in Debian's chromium: reads the headline, makes the type larger, turns on 长者模式 (and it
stays on), copies the article's link, searches, walks an album's photos with the keyboard, and opens the menu with
the keyboard. Then the same site with JavaScript switched off."""

import pytest
from playwright.sync_api import expect

from gallery.models import Album
from news.models import Article

pytestmark = pytest.mark.django_db(transaction=True)

FEATURE_TITLE = "“数”说服务发展新故事 赋能品质滨州更“出彩”"
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2}


def font_px(locator):
    return locator.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")


def is_elder(page):
    return page.evaluate("document.documentElement.classList.contains('elder')")


def test_phone_visitor_reads_adjusts_searches_and_browses(live_server, open_page, demo):
    page = open_page(**PHONE)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(live_server.url + "/")

    # The headline article.
    page.locator(".headline").get_by_role("link", name=FEATURE_TITLE, exact=True).click()
    expect(page.locator("h1")).to_have_text(FEATURE_TITLE)
    article_url = page.url
    page.wait_for_load_state("load")
    body = page.locator(".article-body")
    normal = font_px(body)

    # 字号【大】: larger body text, remembered.
    page.get_by_role("link", name="大号字").click()
    expect(body).to_have_class("article-body fs-l")
    page.wait_for_load_state("load")  # the stylesheet too: on a busy machine the DOM can be there before it
    assert font_px(body) > normal

    # Share: the button copies the page's address and says so.
    page.get_by_role("button", name="复制链接").click()
    expect(page.locator(".copy-status")).to_have_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == article_url.split("?")[0]

    # 长者模式: back on the same article, larger type; it stays on for the next page.
    here = page.url  # the article, with ?fs=l
    page.get_by_role("link", name="长者模式").click()
    page.wait_for_url(here)
    assert is_elder(page)
    assert font_px(page.locator("body")) >= 18
    expect(body).to_have_class("article-body fs-l")  # the type size chosen earlier is kept too
    assert any(c["name"] == "elder" and c["value"] == "1" for c in page.context.cookies())
    page.locator(".site-header .brand").click()
    page.wait_for_url(live_server.url + "/")
    assert is_elder(page)
    toggle = page.get_by_role("link", name="退出长者模式")
    assert toggle.bounding_box()["height"] >= 44

    # Search from the header.
    page.locator("#site-search").fill("劳模")
    page.locator("#site-search").press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator(".search-results")).to_contain_text(FEATURE_TITLE)

    # An album, its photos walked with the keyboard in the viewer.
    album = Album.objects.get(articles__title=FEATURE_TITLE)
    page.goto(live_server.url + "/gallery/")
    page.get_by_role("link", name=album.title).first.click()
    expect(page.locator("h1")).to_have_text(album.title)
    page.wait_for_load_state()  # gallery/viewer.js has run
    first = page.locator("a[data-viewer-item]").first
    first.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.viewer")
    counter = dialog.locator(".viewer-counter")
    expect(dialog).to_be_visible()
    total = album.photos.count()
    expect(counter).to_have_text(f"第 1 / {total} 张")
    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text(f"第 2 / {total} 张")
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text(f"第 1 / {total} 张")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.wait_for_function("() => document.activeElement === document.querySelector('a[data-viewer-item]')")

    # The phone menu, with the keyboard: Tab to it, Enter opens, Escape closes and stays on the button.
    page.goto(live_server.url + "/")
    menu = page.locator("details.nav-menu")
    summary = menu.locator("summary")
    expect(summary).to_be_visible()
    expect(page.locator(".nav-wide")).to_be_hidden()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    else:
        pytest.fail("栏目导航 cannot be reached with Tab")
    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="数说五年")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "首页"
    page.keyboard.press("Escape")
    expect(menu.get_by_role("link", name="数说五年")).to_be_hidden()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"

    # 长者模式 off again.
    page.get_by_role("link", name="退出长者模式").click()
    page.wait_for_url(live_server.url + "/")
    assert not is_elder(page)


def test_without_javascript_everything_still_works(live_server, open_page, demo):
    page = open_page(**PHONE, java_script_enabled=False)
    article = Article.objects.get(title=FEATURE_TITLE)
    page.goto(live_server.url + article.get_absolute_url())

    # The address is there to copy by hand; the copy and print buttons need JavaScript, so they are not shown.
    share = page.get_by_label("本文链接")
    expect(share).to_have_value(live_server.url + article.get_absolute_url())
    assert share.get_attribute("readonly") is not None
    expect(page.get_by_role("button", name="复制链接")).to_be_hidden()
    expect(page.get_by_role("link", name="打印")).to_be_hidden()

    # 长者模式 is a link: the server sets the cookie and comes back.
    page.get_by_role("link", name="长者模式").click()
    page.wait_for_url(live_server.url + article.get_absolute_url())
    assert is_elder(page)

    # The phone menu is a <details>: it opens without a script.
    page.locator("details.nav-menu summary").click()
    page.locator("details.nav-menu").get_by_role("link", name="活动图集").click()
    page.wait_for_url(live_server.url + "/gallery/")
    assert is_elder(page)

    # 图片新闻 on the home page: a row that scrolls sideways, with numbered links to each picture.
    page.goto(live_server.url + "/")
    slides = page.locator(".carousel-track > li")
    assert slides.count() >= 2
    page.locator(".carousel-pager a").nth(1).click()
    target = slides.nth(1).evaluate("s => s.offsetLeft")
    for _ in range(50):  # the row scrolls smoothly
        if abs(page.locator(".carousel-track").evaluate("t => t.scrollLeft") - target) <= 2:
            break
        page.wait_for_timeout(50)
    else:
        pytest.fail("the numbered link did not bring its picture into view")
