"""Rendition names and sizes stored once per photo (Photo.renditions): made when the photo is saved, from imagekit's
specs; read by every page instead of imagekit working each name out again (pickling and hashing the spec)."""

import importlib
import io
import re
import urllib.request
from html import unescape

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from imagekit.cachefiles import ImageCacheFile
from imagekit.specs import ImageSpec
from PIL import Image

from gallery.models import Album, Photo
from tests.factories import jpeg, media_base
from tests.workers import run_worker

pytestmark = pytest.mark.django_db

# (original size, what each rendition is then): thumbnail 3:2 cropped; medium and large fitted, never enlarged. 961x100
# is pilkit's own rule: a fit that would shrink one side only (960 < 961, 100 = 100) leaves the image as it is.
SHAPES = {
    (1200, 800): {"thumbnail": (480, 320), "medium": (960, 640), "large": (1200, 800)},
    (700, 1000): {"thumbnail": (480, 320), "medium": (672, 960), "large": (700, 1000)},
    (961, 100): {"thumbnail": (480, 320), "medium": (961, 100), "large": (961, 100)},
    (60, 40): {"thumbnail": (480, 320), "medium": (60, 40), "large": (60, 40)},
}


@pytest.fixture
def album(db):
    return Album.objects.create(title="全市职工书画展", is_published=True)


def album_of(album, count, size=(720, 480)):
    for i in range(count):
        Photo.objects.create(album=album, caption=f"第{i + 1}张", order=i + 1, image=ContentFile(jpeg(size), "p.jpg"))
    album.cover = album.photos.order_by("order").first()
    album.save()
    return album


def pixels(name):
    with default_storage.open(name) as file, Image.open(file) as image:
        return image.size


def imagekit_names(photo):
    """The names imagekit itself gives this photo's renditions (the spec, worked out now)."""
    return {kind: getattr(photo, kind).name for kind in Photo.RENDITIONS}


def served(client, url):
    """The picture at `url` as a browser gets it from this site: its size in pixels."""
    if url.startswith(("http://", "https://")):  # the bucket's own address (S3 storage)
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the test's own S3 server
            data = response.read()
    else:
        response = client.get(url)
        assert response.status_code == 200, url
        data = b"".join(response.streaming_content)
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def picture_urls(page):
    """Every picture address the page names, with the width it claims for it (None where it claims none)."""
    found = []
    for tag in re.findall(r"<(?:img|source|a) [^>]+>", page):
        attributes = dict(re.findall(r'([\w-]+)="([^"]*)"', unescape(tag)))
        for candidate in filter(None, attributes.get("srcset", "").split(", ")):
            url, width = candidate.split()
            found.append((url, int(width.rstrip("w"))))
        if "src" in attributes:
            found.append((attributes["src"], int(attributes["width"])))
        if "data-viewer-item" in tag:
            found += [(attributes["href"], int(attributes["data-width"])), (attributes["data-webp"], None)]
    return [(url, width) for url, width in found if url.startswith(media_base())]


@pytest.fixture
def count_imagekit_naming(monkeypatch):
    """How many times imagekit works a rendition name out (hashing the spec), or makes a cache file object."""
    calls = []
    get_hash, init = ImageSpec.get_hash, ImageCacheFile.__init__
    monkeypatch.setattr(ImageSpec, "get_hash", lambda self: calls.append("get_hash") or get_hash(self))
    monkeypatch.setattr(
        ImageCacheFile, "__init__", lambda self, *args, **kwargs: calls.append("file") or init(self, *args, **kwargs)
    )
    return calls


def test_an_upload_stores_each_renditions_name_and_size(client, editor, album):
    client.force_login(editor)
    uploads = [SimpleUploadedFile(f"{w}x{h}.jpg", jpeg((w, h))) for w, h in SHAPES]
    response = client.post(reverse("admin:gallery_album_upload", args=[album.pk]), {"files": uploads})
    assert response.status_code in (200, 302)
    run_worker()  # the renditions of a bulk upload are made by the task worker
    photos = list(album.photos.order_by("order"))
    assert len(photos) == len(SHAPES)
    for photo, (original, expected) in zip(photos, SHAPES.items(), strict=True):
        # Width and height in the row: a photo loaded later needs no file opened to measure it.
        assert Photo.objects.filter(pk=photo.pk).values_list("width", "height").get() == original
        stored = photo.renditions
        assert stored["source"] == photo.image.name
        assert {kind: stored[kind]["name"] for kind in Photo.RENDITIONS} == imagekit_names(photo)
        for kind in Photo.RENDITIONS:
            size = (stored[kind]["width"], stored[kind]["height"])
            assert size == expected[kind.removesuffix("_webp")], (original, kind)
            assert pixels(stored[kind]["name"]) == size, (original, kind)  # the file imagekit made is that size


def test_the_album_page_of_22_photos_names_no_file_through_imagekit(client, album, count_imagekit_naming):
    album_of(album, 22)
    count_imagekit_naming.clear()  # saving them named and made the files
    page = client.get(album.get_absolute_url()).content.decode()
    assert count_imagekit_naming == []
    assert len(re.findall(r"<figure>", page)) == 22
    urls = picture_urls(page)
    assert len(urls) == 22 * 7  # each photo's src, 2 JPEG and 2 WebP srcset candidates, its large JPEG and WebP
    for photo in album.photos.all():
        names = {photo.renditions[kind]["name"] for kind in Photo.RENDITIONS}
        assert all(any(url.endswith(name) for url, _ in urls) for name in names)
    for url, width in set(urls):  # every one is there, served, and as wide as the page says
        size = served(client, url)
        assert width is None or size[0] == width, url
    img = re.search(r"<figure>.*?(<img [^>]+>)", page, re.S).group(1)
    assert 'width="480" height="320"' in img  # the thumbnail's stored size: no layout shift


def test_every_page_uses_the_stored_names_not_the_specs(client, album, make_article, count_imagekit_naming):
    """Stored names that the specs would not give (the files moved, the row updated): a template that went back to
    photo.thumbnail.url and the like would show the specs' names, which name no file any more."""
    album_of(album, 3)
    moved = {}
    for photo in album.photos.all():
        stored = photo.renditions
        for kind in Photo.RENDITIONS:
            old = stored[kind]["name"]
            with default_storage.open(old) as file:
                stored[kind]["name"] = default_storage.save(f"renditions/moved/{photo.pk}-{kind}.jpg", file)
            default_storage.delete(old)
            moved[old] = stored[kind]["name"]
        Photo.objects.filter(pk=photo.pk).update(renditions=stored)
    article = make_article(album=album)
    count_imagekit_naming.clear()
    pages = {
        "album": album.get_absolute_url(),
        "album list": reverse("gallery:list"),
        "home": reverse("home"),
        "article": article.get_absolute_url(),
    }
    for label, url in pages.items():
        page = client.get(url).content.decode()
        shown = {url for url, _ in picture_urls(page)}
        assert shown, label
        assert not any(old in page for old in moved), label
        assert all(any(url.endswith(name) for name in moved.values()) for url in shown), label
        for url in shown:
            served(client, url)
    assert count_imagekit_naming == []
    album = Album.objects.get(pk=album.pk)
    assert album.page_meta()["og:image"].endswith(album.cover.rendition("medium").name)  # its share picture


def test_replacing_the_image_refreshes_the_stored_renditions(album, django_capture_on_commit_callbacks):
    photo = Photo.objects.create(album=album, image=ContentFile(jpeg((1200, 800)), "a.jpg"))
    before = photo.media_files()
    photo.image = ContentFile(jpeg((700, 1000)), "b.jpg")
    with django_capture_on_commit_callbacks(execute=True):
        photo.save()
    photo = Photo.objects.get(pk=photo.pk)
    assert photo.renditions["source"] == photo.image.name != before[0]
    assert {kind: photo.renditions[kind]["name"] for kind in Photo.RENDITIONS} == imagekit_names(photo)
    assert photo.large_size == (700, 1000) == pixels(photo.rendition("large").name)
    assert photo.medium_size == (672, 960)
    assert all(default_storage.exists(name) for name in photo.media_files())
    assert not any(default_storage.exists(name) for name in before)  # the old upload and renditions are gone


def test_saving_without_a_new_image_keeps_the_stored_renditions(album, count_imagekit_naming):
    photo = Photo.objects.create(album=album, image=ContentFile(jpeg(), "a.jpg"))
    stored = photo.renditions
    count_imagekit_naming.clear()
    photo.caption = "新的图说"
    photo.save()
    assert count_imagekit_naming == []  # nothing worked out again
    assert Photo.objects.get(pk=photo.pk).renditions == stored


def test_missing_or_outdated_renditions_are_made_from_the_specs_once(client, album, count_imagekit_naming):
    album_of(album, 2)
    Photo.objects.filter(pk=album.cover_id).update(renditions={})  # a row written without them
    other = album.photos.exclude(pk=album.cover_id).get()
    outdated = {**other.renditions, "spec": "older-specs"}  # made under specs since changed
    Photo.objects.filter(pk=other.pk).update(renditions=outdated)
    count_imagekit_naming.clear()
    page = client.get(album.get_absolute_url()).content.decode()
    assert count_imagekit_naming  # worked out from the specs this once ...
    for photo in album.photos.all():
        assert photo.renditions["spec"] != "older-specs"
        assert {kind: photo.renditions[kind]["name"] for kind in Photo.RENDITIONS} == imagekit_names(photo)
        assert photo.rendition_url("thumbnail") in page
    count_imagekit_naming.clear()
    client.get(album.get_absolute_url() + "?page=1")  # another URL: not an answer from the page cache
    assert count_imagekit_naming == []  # ... and kept


def test_the_migration_names_the_files_imagekit_made_for_older_photos(album):
    album_of(album, 2, size=(1200, 800))
    expected = {photo.pk: photo.renditions for photo in album.photos.all()}
    # As rows were before 0005: no stored renditions; bulk uploads had width and height left at 0.
    Photo.objects.update(renditions={}, width=0, height=0)
    migration = importlib.import_module("gallery.migrations.0005_photo_renditions")
    migration.fill_renditions(apps, None)
    for pk, width, height, renditions in Photo.objects.values_list("pk", "width", "height", "renditions"):
        assert (width, height) == (1200, 800)
        assert renditions == expected[pk]
        assert all(default_storage.exists(renditions[kind]["name"]) for kind in Photo.RENDITIONS)
