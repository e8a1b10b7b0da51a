"""A bulk upload's renditions are made by the task worker, not in the editor's request (gallery/tasks.py): until
they exist the photos are not on the site, the admin says 处理中, and a photo whose renditions cannot be made stays
hidden and is shown to the editor as 生成失败."""

import logging
import re
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from imagekit.cachefiles import ImageCacheFile

from gallery.models import Album, Photo
from gallery.tasks import enqueue_renditions
from tests.factories import fetch_status, jpeg, media_base, stored_names
from tests.workers import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def album(db):
    return Album.objects.create(title="全市职工篮球赛", is_published=True)


def upload(client, album, count=2):
    files = [SimpleUploadedFile(f"IMG_{n}.jpg", jpeg((720, 480), colour=(20 * n, 90, 200))) for n in range(count)]
    return client.post(reverse("admin:gallery_album_upload", args=[album.pk]), {"files": files}, follow=True)


def shown_photos(page):
    return page.count("<figure>")


def picture_urls(page):
    urls = re.findall(r'\bsrc="([^"]+)"', page)
    for srcset in re.findall(r'\bsrcset="([^"]+)"', page):
        urls += [candidate.strip().split(" ")[0] for candidate in unescape(srcset).split(",")]
    return {url for url in urls if url.startswith(media_base())}


def rendition_names(photo):
    return [photo.renditions[kind]["name"] for kind in Photo.RENDITIONS]


def admin_album_page(client, album):
    return client.get(reverse("admin:gallery_album_change", args=[album.pk])).content.decode()


def test_an_upload_shows_on_the_site_once_the_worker_has_made_its_renditions(client, editor, album):
    anonymous = client.__class__()
    assert shown_photos(anonymous.get(album.get_absolute_url()).content.decode()) == 0  # cached, empty album
    client.force_login(editor)
    response = upload(client, album)
    messages = [str(m) for m in response.context["messages"]]
    assert any("处理完成后（通常一分钟内）在网站显示" in m for m in messages), messages

    photos = list(album.photos.all())
    assert len(photos) == 2 and not any(photo.renditions_ready for photo in photos)
    assert stored_names() == sorted(photo.image.name for photo in photos)  # the request made no rendition file
    assert all(len(photo.renditions) == 2 + len(Photo.RENDITIONS) for photo in photos)  # names and sizes stored
    assert "处理中：2 张照片正在生成缩略图" in admin_album_page(client, album)
    before = anonymous.get(album.get_absolute_url())
    assert shown_photos(before.content.decode()) == 0
    assert anonymous.get(album.get_absolute_url())["X-Cache"] == "HIT"

    run_worker()

    after = anonymous.get(album.get_absolute_url())
    assert after["X-Cache"] == "MISS"  # the worker bumped the content generation
    page = after.content.decode()
    assert shown_photos(page) == 2
    urls = picture_urls(page)
    for photo in album.photos.all():
        assert photo.renditions_ready and all(
            any(url.endswith(name) for url in urls) for name in rendition_names(photo)[:4]
        )
    for url in urls:
        assert fetch_status(anonymous, url) == 200, url  # this site's /media/, or the bucket's own address
    assert stored_names() == sorted(name for photo in album.photos.all() for name in photo.media_files())
    assert "正在生成缩略图" not in admin_album_page(client, album)


def test_a_cover_still_processing_is_shown_as_no_cover(client, album):
    photo = Photo.objects.create(album=album, image=ContentFile(jpeg(), "p.jpg"), renditions_ready=False)
    assert not any(default_storage.exists(name) for name in rendition_names(photo))  # left to the worker
    album.cover = photo
    album.save()
    listing = client.get(reverse("gallery:list")).content.decode()
    assert "暂无封面" in listing and "0 张" in listing
    assert Album.objects.get(pk=album.pk).page_meta()["og:image"] is None
    assert photo.rendition_url("thumbnail") not in client.get(reverse("home")).content.decode()

    assert enqueue_renditions([photo.pk])
    run_worker()
    listing = client.get(reverse("gallery:list")).content.decode()
    assert "暂无封面" not in listing and photo.rendition_url("thumbnail") in listing and "1 张" in listing


def test_a_photo_whose_renditions_fail_stays_hidden_and_is_flagged_in_the_admin(client, editor, album, caplog):
    client.force_login(editor)
    upload(client, album)
    broken, good = album.photos.order_by("order")
    default_storage.delete(broken.image.name)  # found unreadable only later (a disk error, a bad copy)
    default_storage.save(broken.image.name, ContentFile(b"\xff\xd8\xff\xe0 not a picture any more"))

    with caplog.at_level(logging.ERROR, logger="gallery.renditions"):
        run_worker()

    broken.refresh_from_db()
    good.refresh_from_db()
    assert good.renditions_ready and not broken.renditions_ready and broken.renditions_error
    assert any("缩略图生成失败" in record.getMessage() for record in caplog.records)
    assert not any(default_storage.exists(name) for name in rendition_names(broken))  # nothing half made
    page = client.get(album.get_absolute_url()).content.decode()
    assert shown_photos(page) == 1 and f"photo-{broken.pk}" not in page
    assert client.get(album.get_absolute_url() + f"?photo={broken.pk}").status_code == 404
    admin_page = admin_album_page(client, album)
    assert "1 张照片生成缩略图失败" in admin_page and "生成失败" in admin_page
    listing = client.get(reverse("admin:gallery_photo_changelist")).content.decode()
    assert "生成失败" in listing


def test_a_rendition_write_failing_midway_leaves_none_of_the_photos_files(client, editor, album, monkeypatch):
    client.force_login(editor)
    upload(client, album, count=1)
    photo = album.photos.get()
    real, calls = ImageCacheFile._generate, []

    def fourth_fails(self):
        calls.append(self.name)
        real(self)  # the bytes reach the storage ...
        if len(calls) == 4:
            raise OSError(28, "No space left on device")  # ... then the write fails

    monkeypatch.setattr(ImageCacheFile, "_generate", fourth_fails)
    run_worker()
    photo.refresh_from_db()
    assert not photo.renditions_ready and photo.renditions_error
    assert stored_names() == [photo.image.name]

    monkeypatch.setattr(ImageCacheFile, "_generate", real)  # the disk has room again: the editor asks once more
    response = client.post(
        reverse("admin:gallery_photo_changelist"),
        {"action": "retry_renditions", "_selected_action": [photo.pk]},
        follow=True,
    )
    assert "重新排队" in response.content.decode()
    run_worker()
    photo.refresh_from_db()
    assert photo.renditions_ready and photo.renditions_error == ""
    assert stored_names() == sorted(photo.media_files())


def test_a_photo_loaded_while_processing_and_saved_later_stays_ready(client, editor, album):
    client.force_login(editor)
    upload(client, album, count=1)
    stale = album.photos.get()  # e.g. the album form opened while the worker works
    run_worker()
    stale.caption = "三分球"
    stale.save()
    assert Photo.objects.get(pk=stale.pk).renditions_ready
    assert shown_photos(client.get(album.get_absolute_url()).content.decode()) == 1
