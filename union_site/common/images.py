"""The one validator every uploaded image goes through (editor uploads, article covers, gallery photos).

`clean_image(uploaded_file)` either raises `ImageRejected` (with a Chinese sentence for the user) or returns a
`CleanImage` whose bytes were re-encoded from the decoded pixels:

1. limits before any pixel is decoded: empty file, file size (`UPLOAD_IMAGE_MAX_BYTES`), then, from the header,
   pixel count (`UPLOAD_IMAGE_MAX_PIXELS`) and longest side (`UPLOAD_IMAGE_MAX_SIDE`);
2. the format is decided by the content (Pillow with an allow-list), never by the file name or content type:
   JPEG (and MPO, the multi-picture JPEG of phones, stored as JPEG), PNG, WebP, GIF;
   a HEIC/HEIF file (iPhone photos) is refused with a hint on how to send JPEG instead;
3. `verify()` on one open, a full decode (`load()`) on a second, so broken and truncated files are refused;
4. EXIF orientation applied, then the pixels are copied into a new image and encoded afresh with only the ICC
   profile: no EXIF, GPS, XMP or comment survives. `taken_at` is read from EXIF DateTimeOriginal before that.

Only the first frame of a multi-frame file is kept: an animated GIF or WebP becomes a still picture (news pages
need none, and decoding every frame would multiply the cost of an upload by the frame count); an MPO keeps its
main picture. The stored name is generated ("<uuid hex>.<ext>"): the user's file name is never used.
"""

import contextlib
import io
import struct
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from union_site.common.storage import TooBig, read_limited

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_SIDE = 12_000

OPEN_FORMATS = ["JPEG", "MPO", "PNG", "WEBP", "GIF"]
STORED_FORMAT = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF"}
EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
JPEG_QUALITY = 88
WEBP_QUALITY = 88

EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 36867
OFFSET_TIME_ORIGINAL = 36881

# What Pillow raises on a damaged file, at open, verify or load.
BROKEN_FILE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError, struct.error)


class ImageRejected(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CleanImage:
    content: ContentFile  # re-encoded pixels, named "<uuid hex>.<ext>"
    format: str  # "JPEG" | "PNG" | "WEBP" | "GIF"
    width: int
    height: int
    taken_at: datetime | None  # EXIF DateTimeOriginal, aware, in the site's time zone (Asia/Shanghai)


def clean_image(uploaded_file):
    """Validates an uploaded image and returns its pixels re-encoded without metadata; raises ImageRejected."""
    data = _read_within_limit(uploaded_file)
    if is_heif(data):
        raise ImageRejected(HEIC_HINT)
    source_format = _check_header(data)
    image = _decode(data)
    taken_at = exif_taken_at(image)
    stored_format = STORED_FORMAT[source_format]
    icc_profile = image.info.get("icc_profile")
    _apply_orientation(image)
    pixels, icc_profile = _pixels_for(image, stored_format, icc_profile)
    content = ContentFile(_encode(pixels, stored_format, icc_profile), name=generated_name(stored_format))
    return CleanImage(content, stored_format, pixels.width, pixels.height, taken_at)


def generated_name(image_format):
    return f"{uuid.uuid4().hex}.{EXTENSION[image_format]}"


# --- limits ------------------------------------------------------------------------------------------------------


def max_bytes():
    return getattr(settings, "UPLOAD_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES)


def max_pixels():
    return getattr(settings, "UPLOAD_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)


def max_side():
    return getattr(settings, "UPLOAD_IMAGE_MAX_SIDE", DEFAULT_MAX_SIDE)


def _size_label(size):
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.4g} MB"
    return f"{size / 1024:.4g} KB"


def _too_big():
    return ImageRejected(f"文件太大（最大 {_size_label(max_bytes())}），请压缩后再上传。")


def _too_many_pixels():
    return ImageRejected(
        f"图片尺寸过大（最多 {max_pixels() / 10_000:.4g} 万像素，最长边不超过 {max_side()} 像素），请缩小后再上传。"
    )


def _unsupported():
    return ImageRejected("不支持的格式（只接受 JPEG、PNG、WebP、GIF 图片）。")


# iPhones save photos as HEIC (HEIF with HEVC) unless told otherwise; Pillow cannot open them, so say what to do.
HEIC_HINT = (
    "iPhone 照片为 HEIC 格式，本站暂不支持。请在 iPhone 上打开 设置 › 相机 › 格式，选“兼容性最佳”后重新拍摄，"
    "或先转成 JPEG 再上传。"
)
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"}
HEIF_GENERIC_BRANDS = {b"mif1", b"msf1"}  # any HEIF file, AVIF's too
AVIF_BRANDS = {b"avif", b"avis"}


def is_heif(data):
    """A HEIC/HEIF file, from its first box (`ftyp`): its major brand and the compatible brands it lists. A generic
    "mif1" file that lists an AVIF brand is an AVIF picture, not an iPhone photo."""
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    box_size = int.from_bytes(data[:4], "big")
    major = data[8:12]
    compatible = {data[i : i + 4] for i in range(16, min(box_size, len(data), 256) - 3, 4)}
    if major in HEIF_BRANDS:
        return True
    if major in HEIF_GENERIC_BRANDS or compatible & HEIF_GENERIC_BRANDS:
        return not ({major} | compatible) & AVIF_BRANDS
    return bool(compatible & HEIF_BRANDS)


def _broken():
    return ImageRejected("图片已损坏或不完整，请换一个文件再试。")


def _read_within_limit(uploaded_file):
    """The file's bytes; the size is checked before reading when the upload knows it, and again after."""
    try:
        data = read_limited(uploaded_file, max_bytes())
    except TooBig:
        raise _too_big() from None
    if not data:
        raise ImageRejected("文件为空，请重新选择图片。")
    return data


def _open(data):
    """Opens by content with the format allow-list; turns Pillow's errors into ImageRejected."""
    try:
        return Image.open(io.BytesIO(data), formats=_registered_openers())
    except UnidentifiedImageError as error:
        raise _unsupported() from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except BROKEN_FILE_ERRORS as error:
        raise _broken() from error


def _registered_openers():
    """OPEN_FORMATS that Pillow has an opener for. Pillow 13 opens MPO through its JPEG opener (the result's format
    is then "MPO") and has no "MPO" opener of its own: naming it in `formats` would raise KeyError."""
    Image.init()
    return [name for name in OPEN_FORMATS if name in Image.OPEN]


def _check_header(data):
    """Format and dimensions from the header, then Pillow's integrity check; nothing decoded yet."""
    with _open(data) as image:
        width, height = image.size
        if width < 1 or height < 1:
            raise _broken()
        if width * height > max_pixels() or max(width, height) > max_side():
            raise _too_many_pixels()
        source_format = image.format
        try:
            image.verify()
        except BROKEN_FILE_ERRORS as error:
            raise _broken() from error
    if source_format not in STORED_FORMAT:  # cannot happen with the allow-list, kept as a guard
        raise _unsupported()
    return source_format


def _decode(data):
    """A second open (verify() leaves an image unusable) and a full decode of the first frame."""
    if ImageFile.LOAD_TRUNCATED_IMAGES:
        # Pillow would then fill a cut-off file with grey and report success; refuse rather than accept it.
        raise ImproperlyConfigured("PIL.ImageFile.LOAD_TRUNCATED_IMAGES 被设为 True，图片校验无法识别不完整的文件。")
    image = _open(data)
    try:
        image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except BROKEN_FILE_ERRORS as error:
        raise _broken() from error
    return image


# --- metadata ----------------------------------------------------------------------------------------------------


def exif_taken_at(image):
    """EXIF DateTimeOriginal as an aware datetime in the site's time zone, or None (absent or malformed)."""
    try:
        exif_ifd = image.getexif().get_ifd(EXIF_IFD)
        raw = exif_ifd.get(DATE_TIME_ORIGINAL)
        offset = exif_ifd.get(OFFSET_TIME_ORIGINAL)
    except (KeyError, *BROKEN_FILE_ERRORS):
        return None
    if not isinstance(raw, str):
        return None
    text = raw.strip("\x00 ")
    site_zone = timezone.get_default_timezone()
    offset = offset.strip("\x00 ") if isinstance(offset, str) else ""
    try:
        if offset:  # cameras that record their time zone ("+08:00")
            return timezone.localtime(datetime.strptime(f"{text}{offset}", "%Y:%m:%d %H:%M:%S%z"), site_zone)
        return timezone.make_aware(datetime.strptime(text, "%Y:%m:%d %H:%M:%S"), site_zone)
    except (ValueError, OverflowError):
        return None


def _apply_orientation(image):
    """Turns the pixels upright, in place, as the EXIF orientation says; a malformed EXIF block leaves them be."""
    with contextlib.suppress(*BROKEN_FILE_ERRORS):
        ImageOps.exif_transpose(image, in_place=True)


# --- re-encoding -------------------------------------------------------------------------------------------------

GRAY_MODES = {"1", "L", "LA", "I", "I;16"}
KEPT_MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"L", "LA", "RGB", "RGBA", "P", "I;16"},
    "WEBP": {"RGB", "RGBA"},
    "GIF": {"L", "P"},
}


def _has_alpha(image):
    return image.mode in {"LA", "RGBA", "PA", "La", "RGBa"} or "transparency" in image.info


def _pixels_for(image, image_format, icc_profile):
    """A new image holding only the pixels (and a transparent palette entry) in a mode the format stores, and the
    ICC profile that still describes them (a CMYK profile is used to convert to sRGB, then dropped)."""
    if image.mode == "CMYK":
        image, icc_profile = _cmyk_to_srgb(image, icc_profile), None
    if image.mode not in KEPT_MODES[image_format] or _loses_transparency(image, image_format):
        image = image.convert(_target_mode(image, image_format))
    fresh = Image.new(image.mode, image.size)
    if image.mode == "P":
        palette_mode = image.palette.mode
        fresh.putpalette(image.getpalette(palette_mode), palette_mode)
    if image.mode in {"P", "L"} and "transparency" in image.info:  # a transparent palette entry or grey level
        fresh.info["transparency"] = image.info["transparency"]
    fresh.paste(image, (0, 0))
    return fresh, _matching_icc(icc_profile, fresh.mode)


def _loses_transparency(image, image_format):
    """L or RGB with a transparent colour (PNG tRNS) would lose it on re-encoding: give it an alpha channel."""
    return image_format in {"PNG", "WEBP"} and image.mode in {"L", "RGB"} and "transparency" in image.info


def _target_mode(image, image_format):
    if image_format == "JPEG":
        return "L" if image.mode in GRAY_MODES else "RGB"
    if image_format == "GIF":
        return "P"
    if image_format == "PNG" and image.mode in GRAY_MODES:
        return "LA" if _has_alpha(image) else "L"
    return "RGBA" if _has_alpha(image) else "RGB"


def _cmyk_to_srgb(image, icc_profile):
    """Print files (CMYK JPEGs from a newspaper's designers) converted with their own profile when they carry one."""
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, *BROKEN_FILE_ERRORS):
            pass
    return image.convert("RGB")


def _matching_icc(icc_profile, mode):
    """The ICC profile only when its colour space (bytes 16–20 of its header) is that of the stored pixels."""
    if not icc_profile or len(icc_profile) < 20:
        return None
    wanted = b"GRAY" if mode in GRAY_MODES else b"RGB "
    return icc_profile if icc_profile[16:20] == wanted else None


def _encode(image, image_format, icc_profile):
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options.update(quality=JPEG_QUALITY, progressive=True, optimize=True)
    elif image_format == "WEBP":
        options.update(quality=WEBP_QUALITY, method=4)
    elif "transparency" in image.info:  # PNG or GIF with a transparent palette entry or grey level
        options["transparency"] = image.info["transparency"]
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()
