"""The text inside an 附件, for the personal-data check (README "内容检查"): a 报名表 or 名单 attached to a notice is
where ID and phone numbers are published by mistake most often.

    file_text(file, kind) -> str     the text a reader of the file reads, cells and paragraphs apart; "" when the
                                     format is not read here
    stored_file_text(attachment)     the same for a saved 附件, kept in the cache under its stored name (a stored
                                     file never changes: a new upload gets a new name)

Read: docx, xlsx, pptx (the XML parts of the OOXML container), ofd (GB/T 33190: XML in a ZIP), txt (UTF-8 or GB
18030) and pdf (pypdf, the text layer: a scanned PDF has none). Not read: the binary Office and WPS formats (doc, xls,
ppt, wps, et, dps), images (no OCR) and ZIP archives; README says so. Upload checks (union_site/common/file_types.py)
already refused ZIP bombs, macro files and files that are not what they claim; defusedxml parses the XML (no entity
expansion, no external entities). At most MAX_CHARS characters of a file are read, so a 50 MB table costs the
check a bounded time; a file that cannot be parsed reads as "" and is logged (the upload check accepted it, so it
opens in its own program).
"""

import hashlib
import logging
import re
import zipfile

from defusedxml.ElementTree import iterparse
from django.core.cache import cache

logger = logging.getLogger(__name__)

MAX_CHARS = 200_000
PDF_MAX_PAGES = 200
CACHE_SECONDS = 30 * 24 * 3600


class _Text:
    """Pieces of text up to MAX_CHARS; `full` once reached (the readers stop there)."""

    def __init__(self):
        self.parts, self.size = [], 0

    @property
    def full(self):
        return self.size >= MAX_CHARS

    def add(self, piece):
        if piece and not self.full:
            self.parts.append(piece)
            self.size += len(piece)

    def value(self):
        return "".join(self.parts)[:MAX_CHARS]


def _xml_text(stream, text, texts, breaks, gaps):
    """Adds the text of one XML part: elements named in `texts` (local names) give their text, `breaks` end a line,
    `gaps` (table cells, tabs) put a space between neighbours (two numbers in two cells are two numbers)."""
    for _event, element in iterparse(stream, events=("end",)):
        name = element.tag.rpartition("}")[2]
        if name in texts:
            text.add(element.text)
        elif name in breaks:
            text.add("\n")
        elif name in gaps:
            text.add(" ")
        element.clear()
        if text.full:
            return


def _numbered(names, pattern):
    """The ZIP members matching `pattern` (one group: the number), in number order (slide2 before slide10)."""
    found = [(int(m.group(1)), name) for name in names if (m := re.fullmatch(pattern, name))]
    return [name for _number, name in sorted(found)]


def _zip_parts(file, kind):
    with zipfile.ZipFile(file) as archive:
        names = archive.namelist()
        if kind == "docx":
            parts = ["word/document.xml", *sorted(n for n in names if re.fullmatch(r"word/(header|footer)\d*\.xml", n))]
            tags = ({"t"}, {"p"}, {"tab", "tc"})
        elif kind == "pptx":
            parts = _numbered(names, r"ppt/slides/slide(\d+)\.xml")
            tags = ({"t"}, {"p"}, {"tc"})
        else:  # ofd: each page's content, text objects one per line
            parts = sorted(n for n in names if re.fullmatch(r"Doc_\d+/Pages/Page_\d+/Content\.xml", n, re.I))
            tags = ({"TextCode"}, {"TextObject"}, set())
        text = _Text()
        for part in parts:
            if part in names and not text.full:
                with archive.open(part) as stream:
                    _xml_text(stream, text, *tags)
                text.add("\n")
        return text.value()


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed as a number reads 13812345678, not 13812345678.0
    return "" if value is None else str(value)


def _xlsx(file):
    from openpyxl import load_workbook

    book = load_workbook(file, read_only=True, data_only=True)
    text = _Text()
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                text.add(" ".join(_cell(value) for value in row).strip() + "\n")
                if text.full:
                    return text.value()
    finally:
        book.close()
    return text.value()


def _pdf(file):
    from pypdf import PdfReader

    reader = PdfReader(file)
    text = _Text()
    for page in reader.pages[:PDF_MAX_PAGES]:
        text.add((page.extract_text() or "") + "\n")
        if text.full:
            break
    return text.value()


def _txt(file):
    data = file.read(MAX_CHARS * 4)  # at most 4 bytes a character in UTF-8
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)[:MAX_CHARS]
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")[:MAX_CHARS]


READERS = {
    "docx": lambda file: _zip_parts(file, "docx"),
    "pptx": lambda file: _zip_parts(file, "pptx"),
    "ofd": lambda file: _zip_parts(file, "ofd"),
    "xlsx": _xlsx,
    "pdf": _pdf,
    "txt": _txt,
}


def reads(kind):
    return kind in READERS


def file_text(file, kind):
    """The text of `file` (an open binary file, from its start) of type `kind` (file_types.TYPES key)."""
    reader = READERS.get(kind)
    if reader is None:
        return ""
    try:
        file.seek(0)
        return reader(file)
    except Exception:  # a file its own program opens but our reader does not: not checked, never a 500
        logger.warning("附件内容无法读取（%s），未做个人信息检查", kind, exc_info=True)
        return ""
    finally:
        file.seek(0)


def stored_file_text(attachment):
    if not reads(attachment.kind) or not attachment.file:
        return ""
    key = "checks:file-text:v1:" + hashlib.sha256(attachment.file.name.encode()).hexdigest()
    text = cache.get(key)
    if text is None:
        try:
            with attachment.file.open("rb") as file:
                text = file_text(file, attachment.kind)
        except OSError:  # the file is gone from storage: the inspection reports that, not the check
            logger.warning("附件文件无法打开：%s", attachment.file.name, exc_info=True)
            return ""
        cache.set(key, text, CACHE_SECONDS)
    return text
