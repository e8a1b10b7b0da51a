"""The album page's photo viewer in a real browser: tap, keys, swipe, focus, Back button, and no JavaScript."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from gallery.models import Album
from tests.factories import absolute

SHOTS = Path(__file__).resolve().parent.parent / "test-results"

pytestmark = pytest.mark.django_db(transaction=True)

LOADED = (
    "() => { const i = document.querySelector('.viewer-stage img'); return i && i.complete && i.naturalWidth > 0; }"
)
CLOSED = "() => !document.documentElement.classList.contains('viewer-open') && history.state === null"
FOCUS_IN_DIALOG = "document.querySelector('dialog.viewer').contains(document.activeElement)"


@pytest.fixture
def album(demo):
    album = Album.objects.get(title__contains="劳模大典")
    album.ordered_photos = list(album.photos.order_by("order", "id"))
    return album


def phone(open_page, **options):
    return open_page(viewport={"width": 375, "height": 812}, device_scale_factor=2, has_touch=True, **options)


def swipe(page, dx):
    """A one-finger horizontal swipe across the middle of the viewer, as the phone's touch screen sends it."""
    box = page.locator(".viewer-stage").bounding_box()
    x, y = box["x"] + box["width"] / 2 - dx / 2, box["y"] + box["height"] / 2
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, 6):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x + dx * step / 5, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_phone_visitor_browses_the_album_in_the_viewer(live_server, open_page, album):
    SHOTS.mkdir(exist_ok=True)
    photos = album.ordered_photos
    page = phone(open_page)
    page.goto(live_server.url + reverse("gallery:list"))
    page.goto(live_server.url + album.get_absolute_url())
    columns = page.evaluate("getComputedStyle(document.querySelector('.photo-grid')).gridTemplateColumns")
    assert len(columns.split()) == 2  # two photos a row on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(SHOTS / "gallery-album-375.png"), full_page=True)

    links = page.locator("a[data-viewer-item]")
    dialog = page.locator("dialog.viewer")
    counter = dialog.locator(".viewer-counter")
    caption = dialog.locator(".viewer-caption")
    expect(dialog).to_be_hidden()
    links.first.click()

    expect(dialog).to_be_visible()
    assert page.evaluate("document.querySelector('dialog.viewer').matches(':modal')")
    page.wait_for_function(LOADED)
    image = dialog.locator(".viewer-stage img")
    assert image.evaluate("img => img.naturalWidth") > 1000
    assert image.evaluate("img => img.currentSrc").endswith(photos[0].large_webp.url)  # Chromium takes the WebP
    assert image.get_attribute("alt") == photos[0].alt
    expect(counter).to_have_text("第 1 / 3 张")
    expect(caption).to_contain_text(photos[0].caption)
    expect(caption).to_contain_text("示意图")
    assert page.evaluate(FOCUS_IN_DIALOG)
    assert page.evaluate("getComputedStyle(document.documentElement).overflow") == "hidden"  # page does not scroll
    for name in ("上一张", "下一张", "关闭"):
        box = dialog.get_by_role("button", name=name).bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48, name
    expect(dialog.get_by_role("button", name="上一张")).to_be_disabled()
    assert image.bounding_box()["width"] == pytest.approx(375, abs=1)  # the picture spans the phone's width
    assert caption.evaluate("p => parseFloat(getComputedStyle(p).fontSize)") >= 18
    page.screenshot(path=str(SHOTS / "gallery-viewer-375.png"))

    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text("第 2 / 3 张")
    expect(caption).to_contain_text(photos[1].caption)

    swipe(page, -150)  # finger moves left: the next photo
    expect(counter).to_have_text("第 3 / 3 张")
    expect(caption).to_contain_text(photos[2].caption)
    expect(dialog.get_by_role("button", name="下一张")).to_be_disabled()
    swipe(page, -150)  # no photo after the last: stays
    expect(counter).to_have_text("第 3 / 3 张")
    swipe(page, 150)  # finger moves right: the previous photo
    expect(counter).to_have_text("第 2 / 3 张")
    page.wait_for_function(LOADED)

    for key in ["Tab"] * 5 + ["Shift+Tab"] * 5:
        page.keyboard.press(key)
        assert page.evaluate(FOCUS_IN_DIALOG), key
    page.keyboard.press("Tab")
    page.screenshot(path=str(SHOTS / "gallery-viewer-375-focus.png"))

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.wait_for_function(CLOSED)  # the dialog's close event comes a moment after it hides
    assert page.evaluate("document.activeElement === document.querySelector('a[data-viewer-item]')")
    assert page.evaluate("getComputedStyle(document.documentElement).overflow") != "hidden"

    # The phone's Back button closes the viewer and stays on the album.
    links.nth(2).click()
    expect(counter).to_have_text("第 3 / 3 张")
    page.go_back()
    expect(dialog).to_be_hidden()
    page.wait_for_function(CLOSED)
    assert page.url == live_server.url + album.get_absolute_url()
    assert page.evaluate("document.activeElement === document.querySelectorAll('a[data-viewer-item]')[2]")

    # Tapping the buttons; 关闭 closes.
    links.first.tap()
    dialog.get_by_role("button", name="下一张").tap()
    expect(counter).to_have_text("第 2 / 3 张")
    dialog.get_by_role("button", name="上一张").tap()
    expect(counter).to_have_text("第 1 / 3 张")
    dialog.get_by_role("button", name="关闭").tap()
    expect(dialog).to_be_hidden()
    page.wait_for_function(CLOSED)  # the viewer took back its step in the history...
    page.go_back()  # ...so Back now leaves the album
    page.wait_for_url(live_server.url + reverse("gallery:list"))


def test_desktop_visitor_drags_with_the_mouse_and_steps_with_arrow_keys(live_server, open_page, album):
    SHOTS.mkdir(exist_ok=True)
    photos = album.ordered_photos
    page = open_page(viewport={"width": 1280, "height": 800})
    page.goto(live_server.url + album.get_absolute_url())
    page.locator("a[data-viewer-item]").nth(1).click()
    dialog = page.locator("dialog.viewer")
    page.wait_for_function(LOADED)
    expect(dialog.locator(".viewer-counter")).to_have_text("第 2 / 3 张")
    box = dialog.locator(".viewer-stage img").bounding_box()
    assert box["height"] <= 800 * 0.8 + 1  # fits the screen with room for caption and buttons
    page.screenshot(path=str(SHOTS / "gallery-viewer-1280.png"))

    # A mouse drag works like a swipe.
    stage = dialog.locator(".viewer-stage").bounding_box()
    x, y = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x - 200, y, steps=5)
    page.mouse.up()
    expect(dialog.locator(".viewer-counter")).to_have_text("第 3 / 3 张")
    expect(dialog.locator(".viewer-caption")).to_contain_text(photos[2].caption)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    expect(dialog.locator(".viewer-counter")).to_have_text("第 1 / 3 张")
    dialog.get_by_role("button", name="关闭").click()
    expect(dialog).to_be_hidden()
    page.wait_for_function(CLOSED)
    assert page.evaluate("document.activeElement === document.querySelectorAll('a[data-viewer-item]')[1]")


def test_without_javascript_a_photo_opens_the_large_jpeg(live_server, open_page, album):
    page = phone(open_page, java_script_enabled=False)
    page.goto(live_server.url + album.get_absolute_url())
    assert page.locator("dialog").count() == 0
    page.locator("a[data-viewer-item]").first.click()
    page.wait_for_url(absolute(album.ordered_photos[0].large.url, live_server.url))  # the site's, or the bucket's
    assert page.evaluate("document.images[0].naturalWidth") == 1600


@pytest.mark.parametrize("width, height", [(320, 568), (812, 375)])
def test_viewer_fits_small_and_sideways_phones(live_server, open_page, album, width, height):
    SHOTS.mkdir(exist_ok=True)
    page = open_page(viewport={"width": width, "height": height}, device_scale_factor=2, has_touch=True)
    page.goto(live_server.url + album.get_absolute_url())
    page.locator("a[data-viewer-item]").first.click()
    page.wait_for_function(LOADED)
    dialog = page.locator("dialog.viewer")
    for element in dialog.locator(".viewer-button, .viewer-counter, .viewer-caption").all():
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5
        assert box["y"] >= 0 and box["y"] + box["height"] <= height + 0.5
    shown = dialog.locator(".viewer-stage").bounding_box()
    assert shown["height"] >= height * 0.3  # the picture keeps a good share of the screen
    page.screenshot(path=str(SHOTS / f"gallery-viewer-{width}x{height}.png"))
