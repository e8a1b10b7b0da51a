"""A bulk photo upload and the page cache (gallery/bulk.py, union_site/common/generation.py `deferred`): while an
editor's batch is being saved, visitors keep getting the cached pages; once the task worker has made its renditions
(gallery/tasks.py), the pages show the whole batch."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_save

from gallery.bulk import add_photos
from gallery.models import Album, Photo
from tests.factories import distinct_jpegs
from tests.workers import run_worker
from union_site.common import generation

pytestmark = pytest.mark.django_db


@pytest.fixture
def album(db):
    return Album.objects.create(title="全市首届职工运动会", is_published=True)


def photos(count):
    return [SimpleUploadedFile(f"IMG_{n:04d}.jpg", data) for n, data in enumerate(distinct_jpegs(count, (120, 90)))]


def test_visitors_get_cached_pages_while_a_batch_is_saved_and_the_whole_batch_after(client, album):
    pages = ["/", album.get_absolute_url()]
    for url in pages:
        client.get(url)
    seen_meanwhile = []

    def visitor_looks(sender, instance, **kwargs):
        seen_meanwhile.extend(client.get(url)["X-Cache"] for url in pages)

    post_save.connect(visitor_looks, sender=Photo, dispatch_uid="test-visitor-looks")
    try:
        result = add_photos(album, photos(3))
    finally:
        post_save.disconnect(dispatch_uid="test-visitor-looks", sender=Photo)

    assert len(result.saved) == 3
    assert seen_meanwhile == ["HIT"] * 6  # no page rendered again for each photo
    assert client.get(album.get_absolute_url()).content.decode().count(f"{album.title} 第") == 0  # 处理中
    cached = client.get(album.get_absolute_url())
    assert cached["X-Cache"] == "HIT"
    run_worker()
    after = client.get(album.get_absolute_url())
    assert after["X-Cache"] == "MISS"  # the worker's one bump
    assert after.content.decode().count(f"{album.title} 第") == 3  # each photo's alt: "{相册} 第N张照片"


def test_a_deferred_bump_is_made_once_at_the_end_even_when_the_block_fails():
    before = generation.current()
    with pytest.raises(RuntimeError):
        with generation.deferred():
            generation.bump()
            with generation.deferred():  # nested: the outermost block bumps
                generation.bump()
            assert generation.current() == before
            raise RuntimeError("the disk is full")
    assert generation.current() != before

    unchanged = generation.current()
    with generation.deferred():
        pass  # nothing asked for: nothing bumped
    assert generation.current() == unchanged
