"""Pictures pasted into rich text that are not yet uploads: a screenshot pasted as `<img src="data:image/png;base64,
…">` (the editor uploads pasted pictures itself, but a save can come before, or without, that upload), or a `blob:`
or `file:` address only the editor's own computer can read. The sanitizer would drop such a `src` silently.

`pasted_images(html)` finds them, numbered as the pictures of the text (the 2nd picture is "第 2 张"), and
`image_sources(html)` lists every picture's address; `open_pasted`
turns a data: URL into a file for the image validator (union_site.common.images) and refuses the others with a
reason in Chinese; `replace_sources` writes the stored pictures' addresses back into the HTML. Storing is the
caller's (news/forms.py: like the editor's own uploads, once the article is saved).
"""

import base64
import binascii
import html
import io
import re
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from union_site.common.images import ImageRejected

IMG_TAG = re.compile(r"""<img\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
SRC = re.compile(r"""(\ssrc\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
PASTED_SCHEMES = ("data:", "blob:", "file:")

NOT_UPLOADED = "图片没有上传完成（可能是网络中断或上传失败）。"
LOCAL_FILE = "图片指向您电脑上的文件（从 Word、WPS 粘贴时常见），网站读取不到。"
NOT_BASE64 = "图片数据无法读取（只接受 base64 编码的 JPEG、PNG、WebP、GIF 图片）。"
BROKEN_DATA = "图片数据不完整，无法读取。"


@dataclass(frozen=True)
class Pasted:
    number: int  # among all the pictures of the text, from 1
    src: str  # as the browser reads it (entities decoded)


def _sources(text):
    """(number, tag match, src match or None) for every <img> of the text, in order."""
    for number, tag in enumerate(IMG_TAG.finditer(text or ""), start=1):
        yield number, tag, SRC.search(tag.group(0))


def _value(src_match):
    raw = next(group for group in src_match.groups()[1:] if group is not None)
    return html.unescape(raw).strip()


def pasted_images(text):
    """The pictures of `text` whose src is a data:, blob: or file: address."""
    found = []
    for number, _tag, src in _sources(text):
        if src and _value(src).lower().startswith(PASTED_SCHEMES):
            found.append(Pasted(number, _value(src)))
    return found


def image_sources(text):
    """(number, src) of every picture of `text`, src as the browser reads it ("" for an <img> without one)."""
    return [(number, _value(src) if src else "") for number, _tag, src in _sources(text)]


def open_pasted(pasted):
    """The picture's bytes as a file, for clean_image; ImageRejected (a reason in Chinese) when there are none."""
    scheme = pasted.src.split(":", 1)[0].lower()
    if scheme == "blob":
        raise ImageRejected(NOT_UPLOADED)
    if scheme == "file":
        raise ImageRejected(LOCAL_FILE)
    header, _, payload = pasted.src[len("data:") :].partition(",")
    parameters = [part.strip().lower() for part in header.split(";")]
    if "base64" not in parameters[1:] or not parameters[0].startswith("image/"):
        raise ImageRejected(NOT_BASE64)
    try:
        data = base64.b64decode(re.sub(rb"\s+", b"", unquote_to_bytes(payload)), validate=True)
    except (binascii.Error, ValueError):
        raise ImageRejected(BROKEN_DATA) from None
    file = io.BytesIO(data)
    file.name, file.size = f"pasted-{pasted.number}", len(data)
    return file


def replace_sources(text, new_sources):
    """`text` with the src of picture number n replaced by new_sources[n]; everything else as it was."""
    if not new_sources:
        return text
    pieces, last = [], 0
    for number, tag, src in _sources(text):
        if number in new_sources and src:
            start = tag.start() + src.start()
            pieces += [text[last:start], f'{src.group(1)}"{html.escape(new_sources[number])}"']
            last = tag.start() + src.end()
    return "".join(pieces) + text[last:]
