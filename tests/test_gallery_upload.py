"""Bulk upload into an album, as an editor does it in the admin: good pictures saved, bad ones named with the
reason, ZIP archives unpacked safely, files that follow their rows, and the orphan finder."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from PIL import Image

from gallery.models import Album, Photo
from tests.factories import (
    RED,
    distinct_jpegs,
    encoded,
    heic,
    jpeg,
    make_photo,
    noisy,
    phone_photo,
    png_bomb,
    store,
    stored_image,
    stored_names,
)
from tests.workers import run_worker
from union_site.common.multipart import FilePartCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def album(db):
    return Album.objects.create(title="全市首届职工运动会")


def upload_url(album):
    return reverse("admin:gallery_album_upload", args=[album.pk])


def file_url(album):
    return reverse("admin:gallery_album_upload_file", args=[album.pk])


def transparent_png():
    image = Image.new("RGBA", (80, 60), (0, 0, 0, 0))
    image.paste((200, 30, 40, 255), (0, 0, 40, 30))
    return encoded(image, "PNG")


def is_red(pixel):
    return all(abs(a - b) <= 60 for a, b in zip(pixel, RED, strict=True))


def red_corners(image):
    """The corners of a picture that are red. phone_photo() is red at the top left of the sensor's frame, which is
    the top right of the picture once turned upright; a sideways or mirrored file shows it elsewhere."""
    picture, (width, height) = image.convert("RGB"), image.size
    spots = {"top left": (0.1, 0.05), "top right": (0.9, 0.05), "bottom left": (0.1, 0.95), "bottom right": (0.9, 0.95)}
    return [name for name, (x, y) in spots.items() if is_red(picture.getpixel((int(width * x), int(height * y))))]


def expected_files(album):
    return sorted(name for photo in album.photos.all() for name in photo.media_files())


def uploads_only(album):
    return sorted(photo.image.name for photo in album.photos.all())


def post(client, album, *files, **extra):
    uploads = [SimpleUploadedFile(name, data) for name, data in files]
    return client.post(upload_url(album), {"files": uploads, **extra})


def zip_of(entries, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def test_mixed_batch_saves_the_good_and_names_the_bad(client, editor, album, settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 200_000
    client.force_login(editor)
    cut = encoded(noisy(), "JPEG")
    response = post(
        client,
        album,
        ("现场1.jpg", jpeg()),
        ("透明.png", transparent_png()),
        ("手机.jpg", phone_photo()),
        ("简历.jpg", "这不是图片".encode()),
        ("图标.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
        ("半张.jpg", cut[: len(cut) // 2]),
        ("炸弹.png", png_bomb(30000, 30000)),
        ("超大.jpg", b"\xff\xd8" + b"0" * 300_000),
        ("空.jpg", b""),
        credit="记者 王五",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 张已上传，6 张未通过" in page
    for name in ["简历.jpg", "图标.svg", "半张.jpg", "炸弹.png", "超大.jpg"]:
        assert name in page
    assert "不支持的格式" in page and "已损坏或不完整" in page and "尺寸过大" in page and "文件太大" in page
    assert album.photos.count() == 3
    assert set(album.photos.values_list("credit", flat=True)) == {"记者 王五"}
    assert stored_names() == uploads_only(album)  # no stray file from the refused ones; renditions come later
    run_worker()
    assert stored_names() == expected_files(album)


def test_every_stored_file_is_upright_and_without_gps(client, editor, album, settings):
    client.force_login(editor)
    post(client, album, ("手机.jpg", phone_photo()))
    run_worker()
    photo = album.photos.get()
    assert (photo.width, photo.height) == (40, 60)  # the sideways phone frame was turned upright
    assert photo.taken_at is not None and photo.taken_at.year == 2023
    assert stored_names() == expected_files(album)  # the upload and its 6 renditions, no more
    for name in photo.media_files():
        stored = stored_image(name)
        assert not stored.getexif().get_ifd(0x8825) and "exif" not in stored.info, name
        assert red_corners(stored) == ["top right"], name  # upright, thumbnail included


def test_all_good_batch_goes_back_to_the_album(client, editor, album):
    client.force_login(editor)
    response = post(client, album, ("1.jpg", jpeg()), ("2.jpg", jpeg(colour=(20, 90, 200))))
    assert response.status_code == 302 and response["Location"] == reverse(
        "admin:gallery_album_change", args=[album.pk]
    )
    assert list(album.photos.values_list("order", flat=True)) == [1, 2]


def test_zip_is_flattened_and_cannot_escape_the_media_folder(client, editor, album, settings, tmp_path):
    client.force_login(editor)
    archive = zip_of(
        [
            ("../evil.jpg", jpeg()),
            ("/etc/absolute.jpg", jpeg(colour=(10, 200, 10))),
            ("活动/第一天/深层.jpg", jpeg(colour=(10, 10, 200))),
            ("说明.txt", "照片说明".encode()),
            ("__MACOSX/._深层.jpg", b"junk"),
            ("空文件夹/", b""),
        ]
    )
    page = post(client, album, ("运动会.zip", archive)).content.decode()
    assert "3 张已上传，1 张未通过" in page and "说明.txt" in page
    assert album.photos.count() == 3
    assert not (tmp_path / "evil.jpg").exists() and not Path("/etc/absolute.jpg").exists()
    run_worker()
    assert stored_names() == expected_files(album)


def test_zip_bombs_and_oversized_archives_are_refused(client, editor, album, settings, monkeypatch):
    settings.UPLOAD_IMAGE_MAX_BYTES = 1_000_000
    client.force_login(editor)
    bomb = zip_of([("bomb.jpg", b"\0" * 50_000_000), ("ok.jpg", jpeg())])
    assert len(bomb) < 200_000
    page = post(client, album, ("bomb.zip", bomb)).content.decode()
    assert "1 张已上传，1 张未通过" in page and "bomb.zip › bomb.jpg" in page and "文件太大" in page

    monkeypatch.setattr("gallery.bulk.ZIP_MAX_ENTRIES", 3)
    many = zip_of([(f"{i}.jpg", jpeg()) for i in range(4)])
    page = post(client, album, ("many.zip", many)).content.decode()
    assert "0 张已上传，1 张未通过" in page and "文件太多" in page

    page = post(client, album, ("broken.zip", b"PK\x03\x04" + b"garbage" * 100)).content.decode()
    assert "压缩包已损坏" in page
    assert album.photos.count() == 1


def test_zip_names_from_chinese_windows_are_readable(client, editor, album):
    client.force_login(editor)

    class GbkName(zipfile.ZipInfo):  # what WinRAR and Windows' own zip write: GBK bytes, no UTF-8 flag
        def _encodeFilenameFlags(self):
            return self.filename.encode("cp437"), self.flag_bits

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(GbkName("说明文档.txt".encode("gbk").decode("cp437")), "不是图片")
    page = post(client, album, ("旧电脑.zip", buffer.getvalue())).content.decode()
    assert "说明文档.txt" in page


def test_report_staff_cannot_upload(client, reporter, album):
    client.force_login(reporter)
    assert client.get(upload_url(album)).status_code == 403
    assert post(client, album, ("1.jpg", jpeg())).status_code == 403
    assert album.photos.count() == 0


def test_deleting_photos_and_albums_removes_their_files(
    client, editor, album, settings, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    post(client, album, ("1.jpg", jpeg()), ("2.jpg", jpeg(colour=(20, 90, 200))))
    run_worker()
    first, second = album.photos.all()
    assert len(stored_names()) == 14  # 2 uploads + 6 renditions each
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert stored_names() == sorted(second.media_files())
    with django_capture_on_commit_callbacks(execute=True):
        album.delete()
    assert stored_names() == []


def photo_page_data(album, photos, **changes):
    """The album form as its page of `photos` posts it (the grid's cards), with `changes` per card number."""
    data = {
        "title": album.title,
        "photos-TOTAL_FORMS": len(photos),
        "photos-INITIAL_FORMS": len(photos),
        "photos-MIN_NUM_FORMS": 0,
        "photos-MAX_NUM_FORMS": 1000,
    }
    for i, photo in enumerate(photos):
        data.update(
            {
                f"photos-{i}-id": photo.pk,
                f"photos-{i}-album": album.pk,
                f"photos-{i}-caption": photo.caption,
                f"photos-{i}-alt_text": photo.alt_text,
                f"photos-{i}-credit": photo.credit,
                f"photos-{i}-order": photo.order,
            }
        )
    data.update(changes)
    return data


@pytest.fixture
def big_album(album, local_media):
    # On the local disk even when the suite runs on a bucket: the saves make the renditions these rows lack.
    picture = jpeg()
    for i in range(200):
        store(f"photos/x/{i}.jpg", picture)
    photos = [Photo(album=album, order=i + 1, image=f"photos/x/{i}.jpg", width=90, height=60) for i in range(200)]
    Photo.objects.bulk_create(photos)
    return album


def test_a_200_photo_album_is_edited_a_page_at_a_time(client, reviewer, big_album):
    album, url = big_album, reverse("admin:gallery_album_change", args=[big_album.pk])
    client.force_login(reviewer)
    page = client.get(url + "?photos_page=3").content.decode()
    assert page.count('<li class="photo-card') == 40 and "照片（共 200 张，第 3/5 页）" in page
    assert 'href="?photos_page=4"' in page
    photos = list(album.photos.order_by("order", "id")[80:120])
    data = photo_page_data(album, photos, **{f"photos-{i}-caption": f"第{81 + i}张" for i in range(40)})
    data["photos-0-order"] = 999
    response = client.post(url + "?photos_page=3", {**data, "_continue": "1"})
    assert response.status_code == 302, response.content.decode()[:500]
    assert album.photos.get(caption="第81张").order == 999
    assert album.photos.exclude(caption="").count() == 40  # the other pages untouched


def test_publishing_counts_photos_without_text_on_other_pages(client, reviewer, big_album):
    album, url = big_album, reverse("admin:gallery_album_change", args=[big_album.pk])
    client.force_login(reviewer)
    photos = list(album.photos.order_by("order", "id")[:40])
    data = photo_page_data(album, photos, **{f"photos-{i}-caption": "运动会" for i in range(40)}, is_published="on")
    page = client.post(url, data).content.decode()
    assert "有 160 张照片既没有替代文字也没有图片说明" in page
    assert not Album.objects.get(pk=album.pk).is_published


def test_one_caption_and_credit_applied_to_the_selected_photos(client, editor, album):
    for n in range(4):
        make_photo(album, order=n + 1, caption=f"原说明{n}", credit="")
    url = reverse("admin:gallery_album_change", args=[album.pk])
    client.force_login(editor)
    photos = list(album.photos.order_by("order"))
    data = photo_page_data(album, photos, bulk_caption="拔河比赛", bulk_credit="记者 王五", _apply_to_selected="1")
    data.update({"photos-1-selected": "on", "photos-2-selected": "on", "photos-3-alt_text": "裁判吹哨"})
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == url
    rows = list(album.photos.order_by("order").values_list("caption", "credit", "alt_text"))
    assert rows == [
        ("原说明0", "", ""),
        ("拔河比赛", "记者 王五", ""),
        ("拔河比赛", "记者 王五", ""),
        ("原说明3", "", "裁判吹哨"),
    ]
    assert "已应用到所选的 2 张照片，并已保存。" in client.get(url).content.decode()
    data = photo_page_data(album, list(album.photos.order_by("order")), bulk_caption="", _apply_to_selected="1")
    data["photos-0-selected"] = "on"
    client.post(url, data)
    assert "没有应用：请先勾选照片" in client.get(url).content.decode()


def test_album_page_shows_original_names_not_storage_paths(client, editor, album):
    client.force_login(editor)
    post(client, album, ("运动会开幕式.jpg", jpeg()))
    run_worker()
    page = client.get(reverse("admin:gallery_album_change", args=[album.pk])).content.decode()
    photo = album.photos.get()
    assert "运动会开幕式.jpg" in page and photo.image.name not in page
    assert str(photo) == "运动会开幕式.jpg"  # in the 封面照片 choices too


def test_orphans_are_listed_and_deleted(client, editor, album, settings):
    client.force_login(editor)
    post(client, album, ("1.jpg", jpeg()))
    run_worker()
    stray = store("photos/zz/left-behind.jpg", jpeg())
    out = io.StringIO()
    call_command("gallery_orphans", stdout=out)
    assert "photos/zz/left-behind.jpg" in out.getvalue() and "找到 1 个" in out.getvalue()
    assert default_storage.exists(stray)
    call_command("gallery_orphans", "--delete", stdout=io.StringIO())
    assert not default_storage.exists(stray)
    assert stored_names() == expected_files(album)


def test_renditions_are_made_once_by_the_worker_not_per_request(client, editor, album, monkeypatch):
    from imagekit.cachefiles import ImageCacheFile

    made = []
    original = ImageCacheFile.generate
    monkeypatch.setattr(
        ImageCacheFile, "generate", lambda self, force=False: made.append(self.name) or original(self, force)
    )
    album.is_published = True  # shown on the site (new albums start hidden), photos added later
    album.save()
    client.force_login(editor)
    post(client, album, ("1.jpg", jpeg()))
    assert made == []  # not in the upload's request: the task worker makes them
    run_worker()
    assert len(made) == 6  # thumbnail, medium, large; each JPEG and WebP
    made.clear()
    client.logout()
    for _ in range(2):
        assert client.get(album.get_absolute_url()).status_code == 200
        assert client.get(reverse("gallery:list")).status_code == 200
    assert made == []  # pages only name the files


def test_single_photo_upload_in_the_admin_is_cleaned_and_dated(client, editor, album, settings):
    client.force_login(editor)
    data = {
        "album": album.pk,
        "caption": "田径比赛",
        "alt_text": "",
        "credit": "",
        "order": 1,
        "note": "",
        "taken_at_0": "",
        "taken_at_1": "",
        "image": SimpleUploadedFile("IMG_0001.jpg", phone_photo()),
    }
    response = client.post(reverse("admin:gallery_photo_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    photo = album.photos.get()
    assert "IMG_0001" not in photo.image.name and (photo.width, photo.height) == (40, 60)
    assert photo.taken_at and photo.taken_at.year == 2023
    fake = {**data, "image": SimpleUploadedFile("a.jpg", b"<svg/>")}
    assert "不支持的格式" in client.post(reverse("admin:gallery_photo_add"), fake).content.decode()
    assert album.photos.count() == 1


def test_a_write_that_fails_midway_leaves_no_partial_file(client, editor, album, local_media, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    real_save = FileSystemStorage._save

    def disk_full(self, name, content):
        real_save(self, name, content)  # the bytes reach the disk, then the write fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", disk_full)
    client.force_login(editor)
    with pytest.raises(OSError):
        post(client, album, ("1.jpg", jpeg()))
    assert album.photos.count() == 0
    assert stored_names() == []


# --- how many files one upload may hold ------------------------------------------------------------------------


def test_301_files_get_the_limit_in_the_form_and_nothing_is_stored(client, editor, album, settings):
    client.force_login(editor)
    picture = jpeg()
    response = post(client, album, *[(f"现场{n}.jpg", picture) for n in range(301)], credit="记者 王五")
    assert response.status_code == 200
    page = response.content.decode()
    assert "一次最多上传 300 个文件，您选择了 301 个；请分批上传，每次不超过 300 个。" in page
    assert 'type="file" name="files"' in page  # the form again, to choose fewer
    assert album.photos.count() == 0
    assert stored_names() == []


def test_the_count_is_of_every_file_sent_and_the_limit_is_the_setting(client, editor, album, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    client.force_login(editor)
    page = post(client, album, *[(f"{n}.jpg", jpeg()) for n in range(7)]).content.decode()
    assert "一次最多上传 3 个文件，您选择了 7 个；请分批上传，每次不超过 3 个。" in page
    assert 'data-max-files="3"' in page
    response = post(client, album, *[(f"{n}.jpg", jpeg(colour=(40 * n, 90, 200))) for n in range(3)])
    assert response.status_code == 302 and album.photos.count() == 3


def test_the_page_sends_one_file_per_request_with_its_script(client, editor, album):
    client.force_login(editor)
    page = client.get(upload_url(album)).content.decode()
    assert f'data-file-url="{file_url(album)}"' in page
    assert '<script src="/static/gallery/bulk_upload.js" defer></script>' in page  # a file: the CSP allows no inline
    script = (Path(__file__).parent.parent / "gallery/static/gallery/bulk_upload.js").read_text(encoding="utf-8")
    assert "data-file-url" in script and "upload.onprogress" in script


def test_bulk_upload_still_needs_its_csrf_token(editor, album):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert post(client, album, ("1.jpg", jpeg())).status_code == 403
    assert album.photos.count() == 0
    page = client.get(upload_url(album)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = post(client, album, ("1.jpg", jpeg()), csrfmiddlewaretoken=token)
    assert response.status_code == 302 and album.photos.count() == 1


@pytest.mark.parametrize("read_size", [7, 100, 64 * 1024])
def test_file_parts_are_counted_across_any_chunk_boundary(read_size):
    body = encode_multipart(
        BOUNDARY,
        {
            "csrfmiddlewaretoken": "x" * 64,
            "filename": "a field that only has the name",
            "files": [SimpleUploadedFile(f"{n}.jpg", b"\xff\xd8" + bytes(50)) for n in range(12)],
        },
    )
    # A file input left empty sends a part with an empty file name: a file to Django's count, so to ours.
    empty = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="more"; filename=""\r\n\r\n\r\n'
    body = empty.encode() + body
    assert MULTIPART_CONTENT.endswith(BOUNDARY)
    stream = io.BytesIO(body)
    counter = FilePartCounter(stream, BOUNDARY.encode())
    while counter.read(read_size):
        pass
    assert counter.files == 13


def test_heic_in_a_bulk_upload_is_named_with_the_hint(client, editor, album):
    client.force_login(editor)
    page = post(client, album, ("IMG_0001.HEIC", heic()), ("1.jpg", jpeg())).content.decode()
    assert "1 张已上传，1 张未通过" in page
    assert "IMG_0001.HEIC" in page and "设置 › 相机 › 格式，选“兼容性最佳”" in page


# --- duplicates and one file per request ------------------------------------------------------------------------


def test_the_same_file_twice_is_stored_once_and_reported(client, editor, album):
    """The browser gave up, the editor uploads the whole batch again: only what was missing is added."""
    client.force_login(editor)
    first, second, third = distinct_jpegs(3)
    post(client, album, ("现场1.jpg", first), ("现场2.jpg", second))
    response = post(client, album, ("现场1.jpg", first), ("现场2-副本.jpg", second), ("现场3.jpg", third))
    page = response.content.decode()
    assert response.status_code == 200  # not back to the album: the editor reads what was skipped
    assert "1 张已上传，2 张重复已跳过，0 张未通过" in page
    assert "现场2-副本.jpg" in page and "与相册里已有的“现场2.jpg”内容完全相同，未再保存。" in page
    assert sorted(album.photos.values_list("original_name", flat=True)) == ["现场1.jpg", "现场2.jpg", "现场3.jpg"]
    assert len(stored_names()) == 3


def test_a_duplicate_inside_one_upload_and_inside_a_zip_is_skipped(client, editor, album):
    client.force_login(editor)
    picture = jpeg()
    archive = zip_of([("a.jpg", picture), ("b.jpg", picture)])
    page = post(client, album, ("单张.jpg", picture), ("活动.zip", archive)).content.decode()
    assert "1 张已上传，2 张重复已跳过" in page and "活动.zip › b.jpg" in page
    assert album.photos.count() == 1


def test_a_file_already_in_another_album_is_welcome_here(client, editor, album):
    client.force_login(editor)
    other = Album.objects.create(title="另一个相册")
    picture = jpeg()
    post(client, other, ("1.jpg", picture))
    assert post(client, album, ("1.jpg", picture)).status_code == 302
    assert album.photos.count() == 1 and other.photos.count() == 1


def test_one_file_request_answers_its_row_of_the_report(client, editor, album):
    client.force_login(editor)
    picture = jpeg()
    send = lambda name, data: client.post(file_url(album), {"files": SimpleUploadedFile(name, data), "credit": "王五"})  # noqa: E731
    assert send("IMG_0001.jpg", picture).json() == {
        "outcomes": [{"name": "IMG_0001.jpg", "status": "saved", "label": "已上传", "message": ""}],
        "queued": True,
    }
    again = send("IMG_0001 (1).jpg", picture).json()["outcomes"]
    assert [o["status"] for o in again] == ["duplicate"] and "IMG_0001.jpg" in again[0]["message"]
    bad = send("简历.jpg", "这不是图片".encode()).json()["outcomes"]
    assert bad[0]["status"] == "rejected" and "不支持的格式" in bad[0]["message"]
    photo = album.photos.get()
    assert (photo.original_name, photo.credit) == ("IMG_0001.jpg", "王五")
    assert "IMG_0001" not in photo.image.name  # still a generated name on disk
    run_worker()
    photo.refresh_from_db()
    assert photo.renditions_ready


def test_one_file_request_refuses_several_and_outsiders(client, editor, reporter, album):
    client.force_login(editor)
    two = [SimpleUploadedFile("1.jpg", jpeg()), SimpleUploadedFile("2.jpg", jpeg(colour=(0, 0, 0)))]
    response = client.post(file_url(album), {"files": two})
    assert response.status_code == 400 and response.json() == {"error": "每次请求发送一个文件。"}
    client.force_login(reporter)
    assert client.post(file_url(album), {"files": SimpleUploadedFile("1.jpg", jpeg())}).status_code == 403
    assert album.photos.count() == 0


def test_one_file_request_needs_its_csrf_token(editor, album):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    assert client.post(file_url(album), {"files": SimpleUploadedFile("1.jpg", jpeg())}).status_code == 403
    assert album.photos.count() == 0


def test_the_not_yet_shown_reminder_is_a_warning(client, editor, album):
    client.force_login(editor)
    response = post(client, album, ("1.jpg", jpeg()))
    page = client.get(response["Location"]).content.decode()
    assert '<li class="warning">相册尚未在网站显示' in page
