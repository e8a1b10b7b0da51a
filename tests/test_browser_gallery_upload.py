"""Bulk upload in a real browser: choosing more files than one upload may hold is refused before anything is sent,
with the sentence the server would give; fewer files go through."""

import pytest

from gallery.models import Album
from tests.factories import jpeg, log_in_staff, written
from union_site.roles import EDITOR

pytestmark = pytest.mark.django_db(transaction=True)


def test_too_many_files_are_refused_in_the_browser_before_sending(
    live_server, open_page, role_groups, settings, tmp_path
):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3  # read by the page and by the server on each request
    album = Album.objects.create(title="职工运动会")
    page = log_in_staff(open_page(viewport={"width": 1280, "height": 900}), live_server.url, "wang", EDITOR)
    upload_url = f"{live_server.url}/admin/gallery/album/{album.pk}/upload/"
    page.goto(upload_url)
    files = [str(written(tmp_path / f"现场{n}.jpg", jpeg())) for n in range(4)]
    chooser = page.locator("input[type=file][name=files]")

    chooser.set_input_files(files)
    warning = page.get_by_role("alert")
    assert warning.inner_text() == "一次最多上传 3 个文件，您选择了 4 个；请分批上传，每次不超过 3 个。"
    sent = []
    page.on("request", lambda request: request.method == "POST" and sent.append(request.url))
    page.click("input[type=submit]")
    page.wait_for_timeout(300)
    assert sent == [] and page.url == upload_url and album.photos.count() == 0

    chooser.set_input_files(files[:3])
    assert warning.count() == 0
    page.click("input[type=submit]")
    page.wait_for_url(f"**/admin/gallery/album/{album.pk}/change/")
    assert album.photos.count() == 3
