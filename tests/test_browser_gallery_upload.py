"""Bulk upload in a real browser, as an editor does it: 25 photos chosen at once go one per request with a progress
bar each and one for the whole upload, a photo already in the album is skipped and reported, a request lost on the
way is marked and sent again alone; without JavaScript the plain form still takes a few files."""

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from gallery.models import Album
from tests.factories import jpeg, log_in_staff, serious_accessibility_problems, written
from tests.workers import run_worker
from union_site.roles import EDITOR

pytestmark = pytest.mark.django_db(transaction=True)

SHOT = str(Path(__file__).resolve().parent.parent / "test-results" / "gallery-upload-{}.png")


def camera_like(n, size=(800, 600)):
    """A JPEG that compresses as photos do (noise over a gradient, about 100 KB at 800×600), different for each n."""
    gradient = Image.linear_gradient("L").resize(size).rotate(15 * n)
    noise = Image.effect_noise(size, 30 + n)
    buffer = io.BytesIO()
    Image.merge("RGB", (noise, gradient, Image.blend(noise, gradient, 0.5))).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def editor_on_upload_page(open_page, live_server, album, **options):
    page = log_in_staff(open_page(viewport={"width": 1280, "height": 900}, **options), live_server.url, "wang", EDITOR)
    page.goto(f"{live_server.url}/admin/gallery/album/{album.pk}/upload/")
    return page


def test_25_photos_go_one_per_request_with_progress_and_the_duplicate_is_skipped(
    live_server, open_page, role_groups, tmp_path
):
    album = Album.objects.create(title="职工运动会")
    photos = [written(tmp_path / f"DSC_{n:04d}.jpg", camera_like(n)) for n in range(25)]
    page = editor_on_upload_page(open_page, live_server, album, bypass_csp=True)
    # one of them is already in the album (uploaded yesterday under another name)
    page.set_input_files("input[type=file][name=files]", [str(photos[0])])
    page.click("input[type=submit]")
    expect(page.locator("#upload-heading")).to_have_text("上传完成：1 张已上传，0 张重复已跳过，0 张未通过")
    page.reload()
    assert album.photos.count() == 1

    timings = []
    page.on("requestfinished", lambda request: request.method == "POST" and timings.append(request))
    page.fill("input[name=credit]", "记者 王五")
    page.set_input_files("input[type=file][name=files]", [str(path) for path in photos])
    page.click("input[type=submit]")
    expect(page.locator(".upload-report tbody tr")).to_have_count(25)
    expect(page.locator(".upload-report progress")).to_have_count(25)
    page.wait_for_timeout(300)
    page.screenshot(path=SHOT.format("during"), full_page=True)  # some sent, some still waiting
    heading = page.locator("#upload-heading")
    expect(heading).to_have_text("上传完成：24 张已上传，1 张重复已跳过，0 张未通过", timeout=120_000)
    overall = page.locator("#upload-overall")
    assert overall.evaluate("bar => bar.value === bar.max")
    assert page.locator("#upload-count").inner_text() == "已处理 25 / 25 个文件"
    duplicate = page.locator("tr.upload-duplicate")
    expect(duplicate).to_have_count(1)
    assert "DSC_0000.jpg" in duplicate.inner_text() and "内容完全相同" in duplicate.inner_text()
    expect(page.locator("li.warning", has_text="相册尚未在网站显示")).to_be_visible()
    page.screenshot(path=SHOT.format("done"), full_page=True)
    assert serious_accessibility_problems(page, within="#content-main") == []  # the admin's own frame: its theme's job

    assert len(timings) == 25  # one request per file
    seconds = [request.timing["responseEnd"] / 1000 for request in timings]
    print("每个请求的时间（秒）：", " ".join(f"{s:.2f}" for s in seconds), f"最长 {max(seconds):.2f}")
    assert max(seconds) < 15  # nginx's proxy_read_timeout is 60 s; on 2 shared cores one photo takes a second or two
    assert album.photos.count() == 25
    assert set(album.photos.values_list("credit", flat=True)) == {"记者 王五", ""}
    assert {f"DSC_{n:04d}.jpg" for n in range(25)} == set(album.photos.values_list("original_name", flat=True))
    # the table stays inside the page at 1280 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    run_worker()
    assert album.photos.filter(renditions_ready=True).count() == 25


def test_a_request_lost_on_the_way_is_sent_again_alone(live_server, open_page, role_groups, tmp_path):
    album = Album.objects.create(title="劳模报告会")
    photos = [written(tmp_path / f"现场{n}.jpg", jpeg(colour=(40 * n, 20, 90))) for n in range(4)]
    page = editor_on_upload_page(open_page, live_server, album, expected_errors=["ERR_CONNECTION_RESET"])
    sent, lost = [], []

    def network(route):
        sent.append(route.request.post_data_buffer)
        if b"\xe7\x8e\xb0\xe5\x9c\xba2.jpg" in route.request.post_data_buffer and not lost:  # 现场2.jpg, first time
            lost.append(1)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/upload/file/", network)
    page.set_input_files("input[type=file][name=files]", [str(path) for path in photos])
    page.click("input[type=submit]")
    heading = page.locator("#upload-heading")
    expect(heading).to_have_text("上传中断：1 个文件没有发送成功；3 张已上传，0 张重复已跳过，0 张未通过")
    failed = page.locator("tr.upload-failed")
    assert "现场2.jpg" in failed.inner_text() and "可以重新上传" in failed.inner_text()
    page.screenshot(path=SHOT.format("failed"), full_page=True)
    assert album.photos.count() == 3 and len(sent) == 4

    page.get_by_role("button", name="重新上传未成功的 1 个文件").click()
    expect(heading).to_have_text("上传完成：4 张已上传，0 张重复已跳过，0 张未通过")
    assert len(sent) == 5  # only the lost one again
    expect(page.get_by_role("button", name="重新上传未成功的 1 个文件")).to_be_hidden()
    assert album.photos.count() == 4


def test_without_javascript_the_form_still_takes_a_few_files(live_server, open_page, role_groups, tmp_path):
    album = Album.objects.create(title="职工书画展")
    photos = [str(written(tmp_path / f"{n}.jpg", jpeg(colour=(60 * n, 90, 20)))) for n in range(3)]
    photos.append(photos[0])  # the same file chosen twice
    page = editor_on_upload_page(open_page, live_server, album, java_script_enabled=False)
    page.set_input_files("input[type=file][name=files]", photos)
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert "3 张已上传，1 张重复已跳过，0 张未通过" in page.locator("h2").first.inner_text()
    assert page.locator("tr.upload-duplicate").count() == 1
    assert album.photos.count() == 3
    page.screenshot(path=SHOT.format("nojs"), full_page=True)
