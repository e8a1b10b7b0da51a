"""The square picture of a share card (WeChat shows a square beside the title): 600×600, cropped from the middle of
an article's cover (else its album's) or an album's cover, made once per source picture and stored in the uploads'
storage under a name derived from the source's (a new cover gets a new name); never made again."""

import hashlib
import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from gallery.models import Album
from news.models import Article
from union_site.common.storage import save_whole_or_nothing

SIZE = 600
VERSION = "v1"  # change to make every square again (a new size or crop)
KINDS = {"article": Article, "album": Album}


def photo_source(photo):
    return photo.rendered["medium"].name if photo else ""


def share_source(obj):
    """The stored picture a share of `obj` (a public article or album) is cut from; "" when it has none."""
    if isinstance(obj, Article):
        if obj.cover:
            return obj.cover.name
        return photo_source(obj.album.shown_cover) if obj.album_id else ""
    return photo_source(obj.shown_cover)


def square_name(source):
    digest = hashlib.blake2b(f"{VERSION}|{source}".encode(), digest_size=12).hexdigest()
    return f"share/{digest[:2]}/{digest}.jpg"


def square_bytes(source):
    """The square's JPEG, made and stored the first time it is asked for."""
    name = square_name(source)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as stored:
            return stored.read()
    with default_storage.open(source, "rb") as original, Image.open(original) as picture:
        picture.draft("RGB", (SIZE * 2, SIZE * 2))  # a big JPEG decoded at a fraction of its size
        square = ImageOps.fit(ImageOps.exif_transpose(picture).convert("RGB"), (SIZE, SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    square.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    save_whole_or_nothing(default_storage, name, ContentFile(out.getvalue()))
    return out.getvalue()
