"""What changed in a rich text, as a person reads it: the words of its text (never its markup), and the pictures and
files it shows, by name. Used by the history pages (union_site/common/history.py)."""

import re
from difflib import SequenceMatcher
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "blockquote", "tr", "figcaption", "caption", "br", "hr", "div"}
FILE_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".dps", ".ofd", ".zip"}
# A Latin word or a number is one token; each Chinese character is one (Chinese has no spaces between words).
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%'’-]*|\s+|.", re.S)
CONTEXT = 12  # characters of unchanged text kept on each side of a change
MAX_SEGMENTS = 12  # changes shown, the rest counted


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.media, self._caption, self._link = [], [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag == "img":
            self.media.append(["图片", file_name(attrs.get("src")), (attrs.get("alt") or "").strip()])
        elif tag == "figcaption":
            self._caption = []
        elif tag == "a" and is_file(attrs.get("href")):
            self._link = [file_name(attrs.get("href")), []]

    def handle_endtag(self, tag):
        if tag == "figcaption" and self._caption is not None:
            caption = "".join(self._caption).strip()
            if caption and self.media and self.media[-1][0] == "图片" and not self.media[-1][2]:
                self.media[-1][2] = caption
            self._caption = None
        elif tag == "a" and self._link is not None:
            name, text = self._link
            self.media.append(["附件", name, "".join(text).strip()])
            self._link = None
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)
        if self._caption is not None:
            self._caption.append(data)
        if self._link is not None:
            self._link[1].append(data)


def file_name(url):
    return unquote(PurePosixPath(urlsplit(url or "").path).name) or "（无地址）"


def is_file(url):
    return PurePosixPath(urlsplit(url or "").path).suffix.lower() in FILE_SUFFIXES or "/attachments/" in (url or "")


def read(html):
    """(text, media) of rich text: the text with one line per block, and each picture and file link as
    (kind, file name, its words: alt text or caption, a link's text)."""
    reader = _Reader()
    reader.feed(html or "")
    reader.close()
    text = re.sub(r"[ \t\r\f\v]*\n\s*", "\n", "".join(reader.parts)).strip()
    return text, [tuple(item) for item in reader.media]


def word_changes(old, new):
    """The changes from `old` to `new` text as [(kind, text)], kind "same", "del" or "ins"; unchanged stretches
    shortened to their ends around each change."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    segments = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("del", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(("ins", "".join(b[j1:j2])))
    return _merge_small_gaps(segments)


def _merge_small_gaps(segments):
    """一个字 kept between two changes reads as noise (全<del>市</del>工<ins>…</ins>): folded into the changes."""
    merged = []
    for index, (kind, text) in enumerate(segments):
        between = 0 < index < len(segments) - 1 and kind == "same" and len(text.strip()) <= 1
        if between and segments[index - 1][0] != "same" and segments[index + 1][0] != "same":
            merged += [("del", text), ("ins", text)]
        else:
            merged.append((kind, text))
    out = []
    for kind, text in merged:
        if out and out[-1][0] == kind:
            out[-1] = (kind, out[-1][1] + text)
        elif kind == "del" and len(out) >= 2 and out[-1][0] == "ins" and out[-2][0] == "del":
            out[-2] = ("del", out[-2][1] + text)
        elif kind == "ins" and len(out) >= 2 and out[-1][0] == "del" and out[-2][0] == "ins":
            out[-2] = ("ins", out[-2][1] + text)
        else:
            out.append((kind, text))
    return out


def _shorten(text, first, last):
    keep_start, keep_end = (0 if first else CONTEXT), (0 if last else CONTEXT)
    if len(text) <= keep_start + keep_end + 1:
        return text
    return (text[:keep_start] + "…" if keep_start else "…") + (text[-keep_end:] if keep_end else "")


def _media_changes(old_media, new_media):
    old_set, new_set = set(old_media), set(new_media)
    lines = []
    for kind, name, words in new_media:
        if (kind, name, words) in old_set:
            continue
        before = next((w for k, n, w in old_media if (k, n) == (kind, name)), None)
        if before is None:
            lines.append(format_html("新增{}：{}{}", kind, name, _words(kind, words)))
        else:
            label = "替代文字" if kind == "图片" else "文字"
            lines.append(
                format_html("{} {} 的{}：“{}” → “{}”", kind, name, label, before or "（空）", words or "（空）")
            )
    names = {(k, n) for k, n, _w in new_media}
    for kind, name, words in old_media:
        if (kind, name) not in names and (kind, name, words) not in new_set:
            lines.append(format_html("删除{}：{}{}", kind, name, _words(kind, words)))
    return lines


def _words(kind, words):
    if kind == "图片":
        return f"（替代文字：{words}）" if words else "（没有替代文字）"
    return f"（{words}）" if words else ""


def rich_text_change(old_html, new_html):
    """HTML (escaped) saying what changed: the text's changes marked <del>/<ins> with a little context, then the
    pictures and files added, removed or re-described."""
    (old_text, old_media), (new_text, new_media) = read(old_html), read(new_html)
    parts = []
    if old_text != new_text:
        segments = word_changes(old_text, new_text)
        shown, changes = [], 0
        for index, (kind, text) in enumerate(segments):
            if kind == "same":
                shown.append(format_html("<span>{}</span>", _shorten(text, index == 0, index == len(segments) - 1)))
                continue
            changes += 1
            if changes > MAX_SEGMENTS:
                continue
            shown.append(format_html("<{0}>{1}</{0}>", kind, text))
        if changes > MAX_SEGMENTS:
            shown.append(format_html("<span>（另有 {} 处改动）</span>", changes - MAX_SEGMENTS))
        parts.append(format_html('<div class="text-diff">{}</div>', mark_safe("".join(shown))))  # noqa: S308
    media = _media_changes(old_media, new_media)
    if media:
        parts.append(
            format_html('<ul class="media-diff">{}</ul>', format_html_join("", "<li>{}</li>", ((m,) for m in media)))
        )
    return mark_safe("".join(parts)) or "（仅格式变化）"  # noqa: S308 - every part above is escaped
