"""Every uploaded image goes through union_site.common.images.clean_image: real pictures come out upright and clean,
anything else is refused with a sentence an editor understands. Fixtures are drawn with Pillow, not committed."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageFile, PngImagePlugin

from tests.factories import BLUE, GREEN, RED, encoded, heic, noisy, phone_photo, png_bomb
from union_site.common.forms import CleanImageField
from union_site.common.images import CleanImage, ImageRejected, clean_image

SHANGHAI = ZoneInfo("Asia/Shanghai")


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def reopened(result):
    result.content.seek(0)
    return Image.open(io.BytesIO(result.content.read()))


def result_bytes(result):
    result.content.seek(0)
    return result.content.read()


def close(colour, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(colour[:3], expected, strict=True))


def rejected_message(data, **kwargs):
    with pytest.raises(ImageRejected) as info:
        clean_image(upload(data, **kwargs))
    return info.value.message


# --- pictures that are accepted -------------------------------------------------------------------------------


def test_jpeg_is_re_encoded_with_a_generated_name():
    result = clean_image(upload(encoded(Image.new("RGB", (120, 80), RED), "JPEG"), name="张三的身份证.jpg"))
    assert isinstance(result, CleanImage)
    assert (result.format, result.width, result.height, result.taken_at) == ("JPEG", 120, 80, None)
    name = result.content.name
    assert name.endswith(".jpg") and len(name) == 36 and "张三" not in name and "身份证" not in name
    image = reopened(result)
    assert image.format == "JPEG" and close(image.getpixel((60, 40)), RED)


def test_each_upload_gets_a_new_name():
    data = encoded(Image.new("RGB", (10, 10), RED), "JPEG")
    assert clean_image(upload(data)).content.name != clean_image(upload(data)).content.name


def test_png_keeps_its_transparency():
    picture = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    picture.paste((*RED, 255), (0, 0, 20, 40))
    result = clean_image(upload(encoded(picture, "PNG"), name="logo.png", content_type="image/png"))
    image = reopened(result)
    assert result.format == "PNG" and result.content.name.endswith(".png")
    assert image.mode == "RGBA"
    assert image.getpixel((5, 5)) == (*RED, 255) and image.getpixel((35, 5))[3] == 0


def test_palette_png_keeps_its_transparent_colour():
    picture = Image.new("P", (20, 10))
    picture.putpalette([*RED, *GREEN] + [0] * 762)
    picture.paste(1, (0, 0, 10, 10))
    image = reopened(clean_image(upload(encoded(picture, "PNG", transparency=0), name="chart.png")))
    rgba = image.convert("RGBA")
    assert rgba.getpixel((2, 2)) == (*GREEN, 255) and rgba.getpixel((15, 2))[3] == 0


def test_webp_keeps_its_alpha_channel():
    picture = Image.new("RGBA", (40, 40), (*GREEN, 255))
    picture.paste((0, 0, 0, 0), (20, 0, 40, 40))
    result = clean_image(upload(encoded(picture, "WEBP", lossless=True), name="a.webp"))
    image = reopened(result)
    assert result.format == "WEBP" and result.content.name.endswith(".webp")
    assert image.mode == "RGBA" and image.getpixel((30, 5))[3] == 0 and close(image.getpixel((5, 5)), GREEN)


def test_animated_gif_keeps_only_its_first_frame():
    frames = [Image.new("P", (30, 30), index) for index in range(3)]
    for frame in frames:
        frame.putpalette([*RED, *GREEN, *BLUE] + [0] * 759)
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(data)).n_frames == 3
    result = clean_image(upload(data, name="anim.gif"))
    image = reopened(result)
    assert result.format == "GIF" and result.content.name.endswith(".gif")
    assert getattr(image, "n_frames", 1) == 1 and image.convert("RGB").getpixel((5, 5)) == RED


def test_cmyk_jpeg_is_stored_as_rgb():
    result = clean_image(upload(encoded(Image.new("CMYK", (20, 20), (0, 255, 255, 0)), "JPEG")))
    image = reopened(result)
    assert image.mode == "RGB" and close(image.getpixel((10, 10)), (255, 0, 0))


def test_icc_profile_is_kept():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = clean_image(upload(encoded(Image.new("RGB", (20, 20), RED), "JPEG", icc_profile=srgb)))
    assert reopened(result).info.get("icc_profile") == srgb


# --- phone photos: upright, dated, and without metadata ----------------------------------------------------------


def test_phone_photo_is_turned_upright_stored_as_jpeg_and_dated():
    result = clean_image(upload(phone_photo(), name="IMG_20230501_102030.jpg"))
    assert result.format == "JPEG" and result.content.name.endswith(".jpg")
    assert (result.width, result.height) == (40, 60)
    image = reopened(result)
    assert image.format == "JPEG" and image.size == (40, 60)
    # Rotated clockwise: the red corner that was top-left is now top-right.
    assert close(image.getpixel((35, 5)), RED) and close(image.getpixel((5, 5)), BLUE)
    assert result.taken_at == datetime(2023, 5, 1, 10, 20, 30, tzinfo=SHANGHAI)


def test_phone_photo_loses_exif_and_gps():
    result = clean_image(upload(phone_photo()))
    image = reopened(result)
    assert not image.getexif() and "exif" not in image.info and "mp" not in image.info
    assert b"Exif" not in result_bytes(result) and b"Huawei" not in result_bytes(result)


def test_jpeg_comment_and_xmp_are_removed():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>secret-author</rdf:RDF></x:xmpmeta>'
    data = encoded(Image.new("RGB", (20, 20), RED), "JPEG", comment=b"secret-comment", xmp=xmp)
    assert Image.open(io.BytesIO(data)).info.get("comment") == b"secret-comment"
    result = clean_image(upload(data))
    image = reopened(result)
    assert "comment" not in image.info and "xmp" not in image.info
    assert b"secret" not in result_bytes(result)


def test_png_text_and_exif_chunks_are_removed():
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "secret-author")
    exif = Image.Exif()
    exif.get_ifd(0x8825)[1] = "N"
    data = encoded(Image.new("RGB", (20, 20), RED), "PNG", pnginfo=text, exif=exif.tobytes())
    result = clean_image(upload(data, name="a.png"))
    image = reopened(result)
    assert not image.getexif() and "Author" not in image.info
    assert b"secret" not in result_bytes(result) and b"eXIf" not in result_bytes(result)


def test_capture_time_with_a_recorded_offset_is_converted_to_shanghai_time():
    exif = Image.Exif()
    exif.get_ifd(0x8769).update({36867: "2024:01:02 03:04:05", 36881: "+00:00"})
    result = clean_image(upload(encoded(Image.new("RGB", (10, 10)), "JPEG", exif=exif.tobytes())))
    assert result.taken_at == datetime(2024, 1, 2, 11, 4, 5, tzinfo=SHANGHAI)


def test_malformed_capture_time_is_ignored():
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = "0000:00:00 00:00:00"
    assert clean_image(upload(encoded(Image.new("RGB", (10, 10)), "JPEG", exif=exif.tobytes()))).taken_at is None


# --- files that are refused --------------------------------------------------------------------------------------

UNSUPPORTED = "不支持的格式（只接受 JPEG、PNG、WebP、GIF 图片）。"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        ("这不是图片，只是改了扩展名的文本。".encode(), "notes.jpg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="10" height="10"/></svg>', "a.svg"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "scan.jpg"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "page.png"),
        (encoded(Image.new("RGB", (10, 10)), "BMP"), "old.jpg"),
        (encoded(Image.new("RGB", (10, 10)), "TIFF"), "scan.jpg"),
    ],
    ids=["text", "svg", "pdf", "html", "bmp", "tiff"],
)
def test_what_is_not_an_allowed_image_is_refused(data, name):
    assert rejected_message(data, name=name) == UNSUPPORTED


def test_empty_file_is_refused():
    assert "文件为空" in rejected_message(b"")


def test_file_over_the_size_limit_is_refused(settings):
    settings.UPLOAD_IMAGE_MAX_BYTES = 2048
    data = encoded(noisy(), "JPEG")
    assert len(data) > 2048
    assert rejected_message(data) == "文件太大（最大 2 KB），请压缩后再上传。"


def test_default_size_limit_is_20_mb(settings):
    del settings.UPLOAD_IMAGE_MAX_BYTES
    big = upload(b"\xff\xd8" + b"\0" * 10)
    big.size = 20 * 1024 * 1024 + 1  # the size the upload reports is checked before anything is read
    with pytest.raises(ImageRejected, match=r"最大 20 MB"):
        clean_image(big)


def test_truncated_jpeg_is_refused():
    data = encoded(noisy(), "JPEG", quality=95)
    assert "图片已损坏或不完整" in rejected_message(data[: len(data) // 2])


def test_truncated_png_is_refused():
    data = encoded(noisy(), "PNG")
    assert "图片已损坏或不完整" in rejected_message(data[: len(data) // 2], name="a.png")


def test_corrupted_png_is_refused():
    data = bytearray(encoded(noisy(), "PNG"))
    data[len(data) // 2] ^= 0xFF  # a flipped byte inside the image data: the chunk's checksum no longer matches
    assert "图片已损坏或不完整" in rejected_message(bytes(data), name="a.png")


def test_too_many_pixels_is_refused_from_the_header_without_decoding(monkeypatch):
    bomb = png_bomb(8000, 6000)  # 48 megapixels, a few kilobytes
    assert len(bomb) < 200_000

    def no_decoding(self):
        raise AssertionError("pixels decoded before the limits were checked")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    message = rejected_message(bomb, name="bomb.png")
    assert message.startswith("图片尺寸过大（最多 4000 万像素")


def test_too_long_a_side_is_refused():
    assert rejected_message(png_bomb(13000, 1000), name="banner.png").startswith("图片尺寸过大")


def test_pillows_own_decompression_bomb_error_becomes_a_rejection(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 10**12
    settings.UPLOAD_IMAGE_MAX_SIDE = 10**6
    assert rejected_message(png_bomb(30000, 30000), name="bomb.png").startswith("图片尺寸过大")


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")
def test_pillows_decompression_bomb_warning_becomes_a_rejection(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 10**12
    settings.UPLOAD_IMAGE_MAX_SIDE = 10**6
    assert rejected_message(png_bomb(10000, 10000), name="bomb.png").startswith("图片尺寸过大")


def test_truncated_files_are_never_accepted_by_a_global_pillow_switch(monkeypatch):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # nothing in the project turns it on
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = encoded(noisy(), "JPEG")
    with pytest.raises(ImproperlyConfigured):
        clean_image(upload(data[: len(data) // 2]))


# --- iPhone photos (HEIC) ----------------------------------------------------------------------------------------

HEIC_HINT = (
    "iPhone 照片为 HEIC 格式，本站暂不支持。请在 iPhone 上打开 设置 › 相机 › 格式，选“兼容性最佳”后重新拍摄，"
    "或先转成 JPEG 再上传。"
)


@pytest.mark.parametrize(
    ("major", "compatible"),
    [(b"heic", (b"mif1", b"heic")), (b"heix", (b"mif1",)), (b"hevc", (b"msf1",)), (b"mif1", (b"heic", b"miaf"))],
    ids=["heic", "heix", "hevc", "mif1"],
)
def test_heic_is_refused_with_the_iphone_setting_to_change(major, compatible):
    assert rejected_message(heic(major, compatible), name="IMG_0001.HEIC", content_type="image/heic") == HEIC_HINT


def test_heic_renamed_to_jpg_gets_the_hint_too():
    assert rejected_message(heic(), name="IMG_0001.jpg") == HEIC_HINT


def test_heic_as_a_cover_or_a_photo_in_a_form_is_a_form_error_with_the_hint():
    with pytest.raises(ValidationError) as info:
        CleanImageField().clean(upload(heic(), name="IMG_0001.HEIC"))
    assert info.value.messages == [HEIC_HINT]


def test_avif_is_refused_as_an_unsupported_format_not_as_an_iphone_photo():
    data = encoded(Image.new("RGB", (10, 10)), "AVIF")
    assert data[8:12] == b"avif" and b"mif1" in data[:32]
    assert rejected_message(data, name="a.avif") == UNSUPPORTED
