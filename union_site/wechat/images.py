"""Pictures as the 公众号 API takes them: JPEG or PNG (never WebP or GIF), under 1 MB (media/uploadimg's limit,
also used for the cover). A picture is re-encoded from its pixels with Pillow: PNG when it has transparency and
fits, else JPEG, made smaller step by step (quality, then size) until it is under the limit."""

import io
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

MAX_BYTES = 1024 * 1024 - 1024  # "小于 1 MB", with a little room for the multipart envelope
MAX_SIDE = 2560  # nobody reads a phone article's picture at more; keeps the encoding quick
QUALITIES = (85, 75, 65)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    mime: str


class UnusablePicture(Exception):
    pass


def for_wechat(data, stem="image"):
    """`data` (any picture Pillow reads) as an Upload under MAX_BYTES; UnusablePicture when it cannot be read."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.seek(0)  # an animation: its first frame
            picture = ImageOps.exif_transpose(opened)
            picture.load()
    except Exception as error:
        raise UnusablePicture("图片无法读取（文件可能已损坏）") from error
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    if has_alpha(picture):
        png = encoded(picture.convert("RGBA"), "PNG", optimize=True)
        if len(png) <= MAX_BYTES:
            return Upload(f"{stem}.png", png, "image/png")
    flat = flattened(picture)
    while True:
        for quality in QUALITIES:
            jpeg = encoded(flat, "JPEG", quality=quality, optimize=True, progressive=True)
            if len(jpeg) <= MAX_BYTES:
                return Upload(f"{stem}.jpg", jpeg, "image/jpeg")
        if max(flat.size) < 200:
            raise UnusablePicture("图片无法压缩到 1 MB 以内")
        flat = flat.resize((flat.width * 3 // 4, flat.height * 3 // 4), Image.Resampling.LANCZOS)


def has_alpha(picture):
    return picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info)


def flattened(picture):
    """RGB on white: JPEG has no transparency."""
    if not has_alpha(picture):
        return picture.convert("RGB")
    rgba = picture.convert("RGBA")
    white = Image.new("RGB", rgba.size, (255, 255, 255))
    white.paste(rgba, mask=rgba.getchannel("A"))
    return white


def encoded(picture, image_format, **options):
    out = io.BytesIO()
    picture.save(out, image_format, **options)
    return out.getvalue()


def stored_name(src):
    """The uploads' storage name of a picture in a body (/media/editor/2026/11/x.png, or the bucket's own address),
    or None when it is not one of this site's uploads."""
    path = unquote(urlsplit(src).path)
    if path.startswith(settings.MEDIA_URL):
        return path.removeprefix(settings.MEDIA_URL)
    probe = default_storage.url("probe.jpg")
    prefix = probe.removesuffix("probe.jpg") if probe.endswith("probe.jpg") and "://" in probe else ""
    if prefix and src.startswith(prefix):
        return unquote(src.removeprefix(prefix).split("?")[0])
    return None


def read_stored(name):
    with default_storage.open(name, "rb") as stored:
        return stored.read()
