"""The album's admin page as an editor sees it at 1280 px: 25 photos as a grid of thumbnails with their original file
names, no sideways scrolling, not a page of 6000 px; captions typed in place, one caption applied to the selected
photos, the order changed by dragging."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from gallery.models import Album
from tests.factories import distinct_jpegs, log_in_staff, make_photo, serious_accessibility_problems
from union_site.roles import EDITOR

SHOTS = Path(__file__).resolve().parent.parent / "test-results"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def album(db):
    from django.core.files.base import ContentFile

    album = Album.objects.create(title="全市职工运动会")
    for n, data in enumerate(distinct_jpegs(25, (120, 80))):
        make_photo(album, image=ContentFile(data, name="x.jpg"), order=n + 1, original_name=f"IMG_{n + 1:04d}.jpg")
    return album


def test_25_photos_as_a_grid_that_fits_1280_px(live_server, open_page, role_groups, album):
    page = log_in_staff(
        open_page(viewport={"width": 1280, "height": 900}, bypass_csp=True), live_server.url, "wang", EDITOR
    )
    page.goto(f"{live_server.url}/admin/gallery/album/{album.pk}/change/")
    cards = page.locator(".photo-card")
    expect(cards).to_have_count(25)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 4000, height
    first = cards.first
    assert first.locator(".photo-card-name").inner_text() == "IMG_0001.jpg"
    assert first.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert "photos/" not in page.locator(".photo-cards").inner_text()  # no storage path, no "照片 44"
    assert "照片 " not in page.locator(".photo-cards").inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "album-grid-1280.png"), full_page=True)
    assert serious_accessibility_problems(page, within="#photos-group") == []  # the admin's own frame: its theme's job

    # one caption for the first three, a credit for all of them, then the second photo's own caption
    for n in range(3):
        cards.nth(n).get_by_label("选中").check()
    page.fill("#id_bulk_caption", "男子100米决赛")
    page.get_by_role("button", name="应用到所选照片").click()
    expect(page.locator("li.success")).to_contain_text("已应用到所选的 3 张照片")
    captions = list(album.photos.order_by("order").values_list("caption", flat=True))
    assert captions[:3] == ["男子100米决赛"] * 3 and captions[3] == ""

    cards.nth(1).get_by_label("图片说明").fill("冲线瞬间")
    cards.nth(1).get_by_label("替代文字").fill("运动员撞线，裁判举旗")
    # drag the fifth photo to the front
    cards.nth(4).locator(".photo-card-picture").drag_to(cards.nth(0).locator(".photo-card-picture"))
    assert cards.nth(0).locator(".photo-card-name").inner_text() == "IMG_0005.jpg"
    page.locator("input[name=_continue]").click()
    expect(page.locator("li.success")).to_be_visible()
    ordered = list(album.photos.order_by("order", "id").values_list("original_name", flat=True))
    assert ordered[:3] == ["IMG_0005.jpg", "IMG_0001.jpg", "IMG_0002.jpg"]
    second = album.photos.get(original_name="IMG_0002.jpg")
    assert (second.caption, second.alt_text) == ("冲线瞬间", "运动员撞线，裁判举旗")


def test_order_numbers_work_without_javascript(live_server, open_page, role_groups, album):
    page = log_in_staff(
        open_page(viewport={"width": 1280, "height": 900}, java_script_enabled=False), live_server.url, "li", EDITOR
    )
    page.goto(f"{live_server.url}/admin/gallery/album/{album.pk}/change/")
    page.locator(".photo-card").nth(24).get_by_label("排序").fill("0")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    assert page.locator(".photo-card").first.locator(".photo-card-name").inner_text() == "IMG_0025.jpg"
