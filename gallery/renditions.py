"""Making a photo's rendition files, in the request or in the task worker.

A photo saved one at a time (the album's photo list, 后台 › 照片, the demo loader) has its renditions made as it is
saved: imagekit's post-save signal calls the cache file strategy below (settings IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY),
which generates each file. A bulk upload (gallery/bulk.py) saves its photos with `renditions_ready=False`: the strategy
then leaves them alone, and one task per upload (gallery/tasks.py `make_renditions`) makes them in the worker, with
the same imagekit specs and the same `generate()`, and marks the photos ready; only then are they on the site
(PhotoQuerySet.published()). Their names and sizes are stored at upload either way (Photo.renditions).

A photo whose files cannot be made (its upload turned out unreadable) stays not ready, with the reason in
`renditions_error` for the admin, and keeps no rendition file: what one attempt wrote is deleted."""

import logging

from django.db import transaction
from imagekit.cachefiles.strategies import Optimistic

from gallery.models import Photo
from union_site.common import generation

logger = logging.getLogger(__name__)

FAILED = "原图无法生成缩略图（文件可能已损坏）：请删除这张照片后重新上传。"


class UnlessProcessing(Optimistic):
    """imagekit's Optimistic strategy (make the file when the image is saved, then assume it exists), except for a
    photo not renditions_ready: the task worker makes those (process_photos)."""

    def on_source_saved(self, file):
        photo = getattr(file.generator.source, "instance", None)
        if isinstance(photo, Photo) and not photo.renditions_ready:
            return
        super().on_source_saved(file)


def make_files(photo):
    """Every rendition file of `photo` that storage does not hold yet, generated from imagekit's specs as the save
    signal does. All or nothing: when one fails, the files this call wrote are deleted and the error raised."""
    photo.current_renditions()  # the stored names are the specs' names (RenditionsField), brought up to date
    written = []
    try:
        for kind in Photo.RENDITIONS:
            cachefile = getattr(photo, kind)
            if cachefile.storage.exists(cachefile.name):
                continue  # made by an earlier run (or the request): generating again would store a second copy
            written.append((cachefile.storage, cachefile.name))
            # force: skip imagekit's cached state, which an earlier failed attempt leaves at "generating"
            cachefile.generate(force=True)
    except Exception:
        for storage, name in written:
            try:
                if storage.exists(name):
                    storage.delete(name)  # a fresh name derived from the upload's: only this attempt wrote it
            except OSError:
                logger.warning("照片 %s 的缩略图 %s 未能删除", photo.pk, name, exc_info=True)
        raise


def process_photos(photo_ids):
    """Make the renditions of the photos `photo_ids` still waiting for them, then mark those ready, with one bump
    of the content generation for the lot (they appear on the site together). Returns (ready, failed) counts."""
    ready, failed = [], []
    for photo in Photo.objects.filter(pk__in=photo_ids).processing().select_related("album").order_by("pk"):
        try:
            make_files(photo)
        except Exception:
            logger.exception("照片 %s（相册 %s）的缩略图生成失败", photo.pk, photo.album_id)
            Photo.objects.filter(pk=photo.pk).update(renditions_error=FAILED)
            failed.append(photo.pk)
        else:
            ready.append(photo.pk)
    if ready:
        with transaction.atomic():
            Photo.objects.filter(pk__in=ready).update(renditions_ready=True, renditions_error="")
            generation.bump()  # QuerySet.update sends no signal: the cached pages must learn of the new photos
    return len(ready), len(failed)
