"""An old site's export, read into rows for `manage.py import_legacy` (legacy.py): JSON lines, or CSV/XLSX.

    read_export(path) -> [ExportRow]: each row's fields by name (below), its number as the file shows it, and the
                         reason it cannot be read (a line that is not JSON), else ""
    ExportError       -> the file as a whole cannot be read; the message is for the person running the import

Every row is one article. Fields, by an English or a Chinese name (any order; others are ignored):

    old_url      旧地址      the article's address on the old site (a path, or the whole old link)   required
    column       栏目        a column of this site, by 栏目名称 or 网址名                            required
    title        标题                                                                               required
    date         发布时间    when the old site published it: 2023-04-27, 2023-04-27 10:30, 2023/4/27, 2023年4月27日
    author       作者        (作者/通讯员)
    source       来源
    summary      摘要
    body         正文        HTML; cleaned by the same sanitizer as an editor's text
    attachments  附件        files: in JSON a list of addresses or {"url": …, "title": …}; in CSV one per line
                             or separated by ";"; each an http(s) address or a path in the files folder
    column_url   旧栏目地址  the old address of the article's column list, redirected to the column's page
"""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from union_site.common import spreadsheets
from union_site.common.spreadsheets import cell_text, header_name
from union_site.common.text import strip_controls

MAX_FILE_BYTES = 500 * 1024 * 1024  # an export holds every article's HTML; its files are fetched one by one
MAX_ROWS = 100_000
MAX_CELL_CHARS = 16 * 1024 * 1024  # a CSV cell (an article's HTML) may be far longer than csv's default 128 KB

FIELDS = {
    "old_url": ("旧地址", "原网址", "url"),
    "column": ("栏目",),
    "title": ("标题",),
    "date": ("发布时间", "发布日期", "日期", "publish_at", "published_at"),
    "author": ("作者", "byline"),
    "source": ("来源",),
    "summary": ("摘要",),
    "body": ("正文", "内容", "html", "content"),
    "attachments": ("附件",),
    "column_url": ("旧栏目地址",),
}
NAMES = {header_name(name): key for key, others in FIELDS.items() for name in (key, *others)}
REQUIRED = {"old_url": "旧地址", "column": "栏目", "title": "标题"}


class ExportError(Exception):
    """The file as a whole cannot be read. The message is for the person running the import."""


@dataclass
class Attachment:
    ref: str  # an http(s) address, or a path in the files folder
    title: str = ""


@dataclass
class ExportRow:
    number: int  # the line (JSON lines) or row (CSV, XLSX: as Excel shows it, the header is row 1)
    fields: dict = field(default_factory=dict)  # {"title": "…", "attachments": [Attachment], …}, all text
    problem: str = ""

    def text(self, key):
        return self.fields.get(key, "")


def read_export(path):
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ExportError(f"文件太大：最大 {MAX_FILE_BYTES // (1024 * 1024)} MB。请分成几个文件导入。")
        data = path.read_bytes()
    except OSError as error:
        raise ExportError(f"读不到文件 {path}：{error.strerror or error}") from None
    if not data.strip():
        raise ExportError("文件是空的。")
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_lines(data)
    return _table(data)


def _json_lines(data):
    text = spreadsheets.decode(data)
    if text is None:
        raise ExportError("文件不是文本（JSON lines 应是 UTF-8 编码，每行一个 JSON 对象）。")
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            rows.append(ExportRow(number, problem="这一行不是有效的 JSON（每行应是一个 {…} 对象）。"))
            continue
        if not isinstance(record, dict):
            rows.append(ExportRow(number, problem="这一行不是 JSON 对象（应是 {…}）。"))
            continue
        rows.append(ExportRow(number, _fields(record.items())))
    return _checked(rows)


def _table(data):
    previous = csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL_CHARS))
    try:
        sheet = spreadsheets.read_sheet(
            data, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS, header_hint="（旧地址、栏目、标题、发布时间、正文……）"
        )
    except spreadsheets.SpreadsheetError as error:
        raise ExportError(f"{error}（导出文件应是 JSON lines、CSV 或 Excel 表格。）") from None
    finally:
        csv.field_size_limit(previous)
    keys = [NAMES.get(header_name(cell)) for cell in sheet.header]
    missing = [name for key, name in REQUIRED.items() if key not in keys]
    if missing:
        raise ExportError(f"表头缺少必需的列：{'、'.join(missing)}。")
    return _checked(
        [
            ExportRow(number, _fields((key, cell) for key, cell in zip(keys, cells, strict=False)))
            for number, cells in sheet.rows
        ]
    )


def _checked(rows):
    if not rows:
        raise ExportError("文件里没有要导入的文章。")
    if len(rows) > MAX_ROWS:
        raise ExportError(f"行数太多：一次最多导入 {MAX_ROWS} 篇。请分成几个文件导入。")
    return rows


def _fields(pairs):
    fields = {}
    for name, value in pairs:
        key = NAMES.get(header_name(name)) if name is not None else None
        if key == "attachments":
            fields[key] = _attachments(value)
        elif key and value is not None:
            fields[key] = _plain(value)
    return fields


def _plain(value):
    """A value as text: a JSON number or a cell as written; a list or object where text belongs counts as empty."""
    return "" if isinstance(value, list | dict) else strip_controls(cell_text(value)).strip()


def _attachments(value):
    if isinstance(value, str):
        value = [part for line in value.splitlines() for part in line.split(";")]
    if not isinstance(value, list):
        value = [value]
    found = []
    for item in value:
        if isinstance(item, dict):
            ref = _plain(item.get("url") or item.get("path") or item.get("地址") or "")
            title = _plain(item.get("title") or item.get("name") or item.get("显示名称") or "")
        else:
            ref, title = _plain(item if item is not None else ""), ""
        if ref:
            found.append(Attachment(ref, title))
    return found
