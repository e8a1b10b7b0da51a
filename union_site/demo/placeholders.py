"""Placeholder pictures for demo photos: a muted card with the caption and a visible 示意图 mark.

A CJK font is looked up at run time (fontconfig, then known paths). Without one the card still gets made, marked
"PLACEHOLDER" in Pillow's built-in font. The same caption and colour always give the same bytes.
"""

import io
import shutil
import subprocess
from functools import lru_cache

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

SIZE = (1600, 1067)
MARK = "示意图 · 演示用占位图片"
FOOTER = "演示内容，请在后台换成真实照片"
FALLBACK_MARK = "PLACEHOLDER"
FALLBACK_FOOTER = "Demo image - replace with a real photo"

# Muted card colours (background, accent); the loader gives each album the next one.
PALETTE = [
    ((96, 112, 128), (224, 229, 234)),
    ((122, 104, 92), (236, 228, 220)),
    ((92, 118, 104), (222, 234, 226)),
    ((112, 100, 126), (230, 225, 236)),
    ((128, 116, 86), (238, 233, 216)),
    ((88, 110, 124), (220, 231, 238)),
    ((124, 96, 100), (238, 224, 226)),
]
TEXT_COLOUR = (250, 250, 248)

FONT_PATHS = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
]
CJK_PROBE = "滨州工会"
NO_BREAK_START = set("，。、；：？！”’）》」』·,.;:?!)")


def _fc_match():
    if not shutil.which("fc-match"):
        return None
    try:
        result = subprocess.run(
            ["fc-match", "-f", "%{file}", "Noto Sans CJK SC:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def _sc_index(path):
    """In a .ttc collection, the face whose name says Simplified Chinese (Noto Sans CJK: index 2)."""
    if not path.lower().endswith(".ttc"):
        return 0
    for index in range(16):
        try:
            family = ImageFont.truetype(path, 20, index=index).getname()[0] or ""
        except OSError:
            break
        if "SC" in family.split() and "Mono" not in family:
            return index
    return 0


def _draws_cjk(font):
    """True when the font has real glyphs for Chinese, not the empty box it draws for a missing character."""

    def render(text):
        image = Image.new("L", (200, 60))
        ImageDraw.Draw(image).text((0, 0), text, font=font, fill=255)
        return image.tobytes()

    return render(CJK_PROBE) != render("\U000f0000" * len(CJK_PROBE)) and any(render(CJK_PROBE))


@lru_cache(maxsize=1)
def cjk_font_file():
    """(path, index) of a font that draws Chinese, or None."""
    for path in [_fc_match(), *FONT_PATHS]:
        if not path:
            continue
        try:
            index = _sc_index(path)
            if _draws_cjk(ImageFont.truetype(path, 40, index=index)):
                return path, index
        except OSError:
            continue
    return None


def _font(size):
    found = cjk_font_file()
    if found:
        path, index = found
        return ImageFont.truetype(path, size, index=index), True
    try:
        return ImageFont.load_default(size=size), False
    except (TypeError, ImportError, OSError):  # Pillow without FreeType: a fixed-size bitmap font
        return ImageFont.load_default(), False


def _wrap(text, font, width):
    """Greedy line breaking by character (Chinese has no spaces); closing punctuation never starts a line."""
    lines, line = [], ""
    for char in text:
        if line and font.getlength(line + char) > width and char not in NO_BREAK_START:
            lines.append(line)
            line = char.lstrip()
        else:
            line += char
    if line:
        lines.append(line)
    return lines


def _centred(draw, y, text, font, fill):
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    draw.text(((SIZE[0] - (right - left)) / 2 - left, y - top), text, font=font, fill=fill)
    return bottom - top


def placeholder_image(caption, colour=0):
    """The placeholder card as a Pillow image; `colour` picks a PALETTE entry (wrapping around)."""
    background, accent = PALETTE[colour % len(PALETTE)]
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    draw.rectangle((40, 40, width - 41, height - 41), outline=accent, width=4)

    mark_font, has_cjk = _font(56)
    mark = MARK if has_cjk else FALLBACK_MARK
    left, top, right, bottom = draw.textbbox((0, 0), mark, font=mark_font)
    box = ((width - (right - left)) / 2 - 36, 110, (width + (right - left)) / 2 + 36, 110 + (bottom - top) + 44)
    draw.rounded_rectangle(box, radius=16, fill=accent)
    _centred(draw, 132, mark, mark_font, background)

    if has_cjk:
        caption_font, _ = _font(64)
        lines = _wrap(caption.strip(), caption_font, width - 320)
        line_height = 64 * 1.55
        y = (height - line_height * len(lines)) / 2 + 40
        for line in lines:
            _centred(draw, y, line, caption_font, TEXT_COLOUR)
            y += line_height

    footer_font, _ = _font(36)
    _centred(draw, height - 150, FOOTER if has_cjk else FALLBACK_FOOTER, footer_font, accent)
    return image


def placeholder_jpeg(caption, colour=0):
    """The placeholder card as JPEG bytes in a ContentFile, ready for an ImageField."""
    buffer = io.BytesIO()
    placeholder_image(caption, colour).save(buffer, format="JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name="placeholder.jpg")
