"""Gallery files that no photo points to: left by crashes, restores or hand edits."""

from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import default_storage

from gallery.models import Photo

GALLERY_FOLDERS = ["photos", f"{settings.IMAGEKIT_CACHEFILE_DIR}/photos"]


def stored_files(storage, folder):
    """Every file under `folder`, recursively, as storage names. A bucket has no folders (exists() of one is
    False), so the listing itself says whether there is anything: a missing local folder raises FileNotFoundError."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield str(PurePosixPath(folder) / name)
    for directory in directories:
        yield from stored_files(storage, str(PurePosixPath(folder) / directory))


def referenced_files():
    names = set()
    for photo in Photo.objects.only("id", "image", "width", "height", "renditions").iterator():
        names.update(photo.media_files())
    return names


def orphan_files(storage=default_storage):
    referenced = referenced_files()
    return sorted(
        name for folder in GALLERY_FOLDERS for name in stored_files(storage, folder) if name not in referenced
    )
