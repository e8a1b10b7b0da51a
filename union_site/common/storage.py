"""Uploaded files: read within a size limit, and written so that a write failing midway (a full disk) leaves
nothing behind; their lasting address, whatever the storage (the local folder, an S3 bucket: settings DJANGO_S3_*).

Code that stores or reads uploads goes through a Django storage (`default_storage`, a FileField's `.storage`), never
MEDIA_ROOT or `.path`: the same code then works on the local folder and on the bucket."""

from django.conf import settings
from django.core.files.storage import default_storage


def save_whole_or_nothing(storage, name, content):
    """Saves `content` under `name` (which must be fresh, e.g. a UUID) and returns the stored name; if the write
    fails, whatever part of it reached the storage is deleted and the error raised."""
    try:
        return storage.save(name, content)
    except Exception:
        if storage.exists(name):  # the name is fresh, so a file under it can only be this write's remains
            storage.delete(name)
        raise


class TooBig(Exception):
    """An upload over its size limit."""


def read_limited(uploaded_file, limit):
    """The upload's bytes, refusing more than `limit` (TooBig): the size the upload declares is checked before
    anything is read, and at most `limit` + 1 bytes are ever read into memory."""
    if getattr(uploaded_file, "size", None) is not None and uploaded_file.size > limit:
        raise TooBig
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(limit + 1)
    if len(data) > limit:
        raise TooBig
    return data


def local_root(storage):
    """The folder a storage keeps its files in, or None when they are elsewhere (a bucket)."""
    try:
        return storage.path("")
    except NotImplementedError:
        return None


def signs_urls(storage):
    """True when the storage's URLs expire (an S3 bucket with DJANGO_S3_SIGNED_URLS)."""
    return bool(getattr(storage, "querystring_auth", False)) and not getattr(storage, "custom_domain", None)


def lasting_url(name, storage=default_storage):
    """An address of `name` to write into content (an article's body): the storage's own URL, except when that
    expires (signed): then this site's MEDIA_URL, which redirects to a fresh signed URL (union_site/views.py)."""
    if signs_urls(storage):
        return settings.MEDIA_URL + name
    return storage.url(name)
