"""The one place that writes report tables to CSV, XLSX and PDF (DESIGN.md, Reports).

A report is a `Document`: provenance (title, who, when, filters, data source) and `Table`s whose rows may be a
generator. The writers never hold all rows at once: CSV is yielded chunk by chunk, XLSX uses openpyxl's write-only
mode (rows go to a temporary file as they come); only PDF, which has to be laid out, takes a bounded number of rows.

Every text cell is made safe to open here and nowhere else: characters XML forbids (pasted from Word/WPS) are removed,
and text that a spreadsheet would run as a formula (= + - @ tab CR at the start) is stored as inert text.
"""

import csv
import itertools
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from union_site.common.spreadsheets import plain_number as plain_decimal
from union_site.common.text import strip_controls

XLSX, CSV, PDF = "xlsx", "csv", "pdf"
FORMATS = {XLSX: "Excel（.xlsx）", CSV: "CSV（.csv）", PDF: "PDF（A4 打印）"}
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
    PDF: "application/pdf",
}
MAX_PDF_ROWS = 5000  # a PDF is for reading and printing; bigger tables belong in Excel
PORTRAIT_MAX_COLUMNS = 8  # wider tables print on landscape A4
MAX_PDF_COLUMNS = 18  # what landscape A4 holds legibly (e.g. 栏目 + 12 months + 合计)
WIDTH_SAMPLE_ROWS = 200  # rows looked at to size XLSX columns before the rest stream past
CJK_FONT = "Noto Sans CJK SC"  # Debian's fonts-noto-cjk (OFL); README, "PDF 中文字体"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(Exception):
    """A report that cannot be written, with a message for the person who asked for it."""


@dataclass
class Column:
    header: str
    number_format: str = ""  # for numeric cells in XLSX, e.g. "#,##0"; empty: integers "#,##0", others "#,##0.00"
    width: int = 0  # XLSX width in characters; 0: fitted to the header and the first rows
    choices: tuple = ()  # XLSX: a drop-down list of these words (no commas) on the column, for a file to fill in
    wrap: bool = False  # XLSX: long text wraps within the column's width


@dataclass
class Table:
    title: str
    columns: list
    rows: object  # any iterable of sequences; a generator is read once
    note: str = ""

    @property
    def headers(self):
        return [column.header for column in self.columns]


@dataclass
class Document:
    title: str  # 新闻发布统计
    short_name: str  # used in the file name: 新闻统计
    source: str  # 数据来源
    tables: list
    generated_by: str = ""
    filters: list = field(default_factory=list)  # [(label, value)] as a person reads them
    header_first: bool = False  # no title or provenance above the header: a file to fill in and import again
    generated_at: datetime = field(default_factory=timezone.now)
    # An official 通报 (信息采用情况通报): who issues it and the line under the title, e.g. （2026年3月）; the PDF then
    # reads as a 公文: title and period centred, the issuing office and date signed at the end.
    issuer: str = ""
    subtitle: str = ""

    @property
    def local_generated_at(self):
        return timezone.localtime(self.generated_at)

    @property
    def heading(self):
        return f"{self.title}{self.subtitle}"

    @property
    def issued_on(self):
        """落款日期 as a 公文 writes it: 2026年3月5日."""
        day = self.local_generated_at
        return f"{day.year}年{day.month}月{day.day}日"

    def provenance(self):
        """[(label, value)]: what every format prints above the data."""
        issuer = [("发文单位", self.issuer)] if self.issuer else []
        return [
            ("报表", self.heading),
            *issuer,
            ("生成时间", f"{self.local_generated_at:%Y-%m-%d %H:%M}（北京时间）"),
            ("生成人", self.generated_by or "—"),
            ("筛选条件", "；".join(f"{label}：{value}" for label, value in self.filters) or "全部"),
            ("数据来源", self.source),
        ]

    def filename(self, fmt):
        return f"{settings.SITE_NAME}_{self.short_name}_{self.local_generated_at:%Y-%m-%d}.{fmt}"


# Cell values ---------------------------------------------------------------------------------------------------


def clean_text(value):
    """Without the characters XML forbids (openpyxl raises IllegalCharacterError on them)."""
    return strip_controls(str(value))


def is_formula_like(text):
    return text.startswith(_FORMULA_START)


def _local(value):
    """Spreadsheets know no time zones: write the wall-clock time in Asia/Shanghai."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def plain_number(value):
    """111000.00 -> 111000, 55.30 -> 55.3: how a number reads in CSV and PDF."""
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return plain_decimal(value)


def text_of(value):
    """A cell as text (CSV, PDF, widths). None is empty, booleans are 是/否, times are Beijing wall-clock time."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if _is_number(value):
        return plain_number(value)
    if isinstance(value, datetime):
        return f"{_local(value):%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return value.isoformat()
    return clean_text(value)


def display_width(text):
    """Columns a text needs in a spreadsheet: Chinese characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


# CSV -------------------------------------------------------------------------------------------------------------


def csv_text(value):
    text = text_of(value)
    if text and not _is_number(value) and is_formula_like(text):
        return "'" + text  # OWASP: a leading apostrophe makes Excel and WPS show the text instead of running it
    return text


class _Echo:
    def write(self, value):
        return value


def iter_csv(document, on_done=None):
    """The document as UTF-8 CSV with a BOM (Excel on Windows then reads Chinese), yielded in chunks.
    `on_done(row_count)` is called once every row has been written."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    if not document.header_first:
        lines = [writer.writerow([csv_text(v) for v in pair]) for pair in document.provenance()]
        yield "".join(lines).encode()
    count = 0
    for index, table in enumerate(document.tables):
        if index or not document.header_first:
            yield (writer.writerow([]) + writer.writerow([csv_text(table.title)])).encode()
        yield writer.writerow([csv_text(h) for h in table.headers]).encode()
        for chunk in _chunks(table.rows, 500):
            count += len(chunk)
            yield "".join(writer.writerow([csv_text(v) for v in row]) for row in chunk).encode()
    if on_done:
        on_done(count)


def _chunks(rows, size):
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


# XLSX ------------------------------------------------------------------------------------------------------------

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_names(titles):
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique ignoring case."""
    names, seen = [], set()
    for title in titles:
        base = _INVALID_SHEET_CHARS.sub("", clean_text(title)).strip("' ")[:31] or "Sheet"
        name, n = base, 2
        while name.lower() in seen:
            suffix = f"({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        seen.add(name.lower())
        names.append(name)
    return names


def write_xlsx(document, fileobj):
    """Write the document as an XLSX workbook, one sheet per table; returns the number of data rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    workbook.properties.title = document.title
    workbook.properties.creator = clean_text(document.generated_by or settings.SITE_NAME)
    workbook.properties.created = _local(document.generated_at)
    count = 0
    for table, name in zip(document.tables, sheet_names(t.title for t in document.tables), strict=True):
        count += _write_sheet(workbook, name, document, table)
    workbook.save(fileobj)
    return count


def _write_sheet(workbook, name, document, table):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = workbook.create_sheet(name)
    rows = iter(table.rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    for index, column in enumerate(table.columns):  # widths must be set before the first row is written
        fitted = max([display_width(column.header), *(display_width(text_of(row[index])) for row in sample)])
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width or min(max(fitted + 2, 8), 60)
    first_row = 2 if document.header_first else 4
    sheet.freeze_panes = f"A{first_row}"  # title, provenance, header stay in view
    for index, column in enumerate(table.columns):
        if column.choices:
            letter = get_column_letter(index + 1)
            words = ",".join(clean_text(choice).replace('"', "") for choice in column.choices)
            validation = DataValidation(type="list", formula1=f'"{words}"', allow_blank=True)
            validation.add(f"{letter}{first_row}:{letter}1048576")
            sheet.data_validations.append(validation)

    def cell(value, **style):
        c = WriteOnlyCell(sheet, value=value)
        for key, setting in style.items():
            setattr(c, key, setting)
        return c

    def text(value, **style):  # title, provenance and header cells are text too, and as safe as the data
        return _xlsx_cell(lambda v, **more: cell(v, **style, **more), str(value), None)

    if not document.header_first:
        sheet.append([text(f"{document.heading} · {table.title}", font=Font(bold=True, size=14))])
        line = "  ".join(f"{label}：{value}" for label, value in document.provenance()[1:])
        sheet.append([text(line + (f"  说明：{table.note}" if table.note else ""), font=Font(color="555555"))])
    header_fill = PatternFill("solid", fgColor="F3E3E3")
    wrap = Alignment(vertical="center", wrap_text=True)
    sheet.append([text(h, font=Font(bold=True), fill=header_fill, alignment=wrap) for h in table.headers])
    top = Alignment(vertical="top", wrap_text=True)

    def data(value, column):
        c = _xlsx_cell(cell, value, column)
        if column.wrap and c is not None:
            c.alignment = top
        return c

    count = 0
    for row in itertools.chain(sample, rows):
        sheet.append([data(value, column) for value, column in zip(row, table.columns, strict=True)])
        count += 1
    return count


def _xlsx_cell(make, value, column):
    if value is None:
        return None
    if isinstance(value, bool):
        return make("是" if value else "否")
    if _is_number(value):
        integral = float(value).is_integer()
        return make(value, number_format=column.number_format or ("#,##0" if integral else "#,##0.00"))
    if isinstance(value, datetime):
        return make(_local(value), number_format="yyyy-mm-dd hh:mm")
    if isinstance(value, date):
        return make(value, number_format="yyyy-mm-dd")
    text = clean_text(value)
    if is_formula_like(text):
        # A string typed cell is data, not a formula; quotePrefix keeps it text when someone edits the cell.
        return make(text, data_type="s", quotePrefix=True)
    return make(text)


# PDF -------------------------------------------------------------------------------------------------------------


@cache
def _cjk_font_installed():
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False
    found = subprocess.run([fc_list, f":family={CJK_FONT}", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def write_pdf(document, fileobj):
    """Lay the document out for A4 with the CJK font embedded; returns the number of data rows."""
    if not _cjk_font_installed():
        _cjk_font_installed.cache_clear()  # found after the package is installed, without a restart
        raise ExportError(f"服务器缺少中文字体“{CJK_FONT}”，无法生成 PDF。请管理员安装：apt-get install fonts-noto-cjk")
    html_class = _weasyprint()
    tables, count = [], 0
    for table in document.tables:
        if len(table.columns) > MAX_PDF_COLUMNS:
            raise ExportError(
                f"“{table.title}”有 {len(table.columns)} 列，A4 纸放不下。"
                "请导出 Excel，或缩小筛选范围（如时间不超过 12 个月）。"
            )
        rows = list(itertools.islice(iter(table.rows), MAX_PDF_ROWS - count + 1))
        count += len(rows)
        if count > MAX_PDF_ROWS:
            raise ExportError(f"数据超过 {MAX_PDF_ROWS} 行，PDF 不便阅读和打印，请改为导出 Excel 或缩小筛选范围。")
        cells = [[(text_of(value), _is_number(value)) for value in row] for row in rows]
        tables.append({"table": table, "rows": cells})
    html = render_to_string(
        "reports/document_pdf.html",
        {
            "document": document,
            "provenance": document.provenance(),
            "tables": tables,
            "font": CJK_FONT,
            "landscape": any(len(t.columns) > PORTRAIT_MAX_COLUMNS for t in document.tables),
        },
    )
    html_class(string=html).write_pdf(fileobj)
    return count


def _weasyprint():
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        from weasyprint import HTML
    except OSError as error:  # the Pango library is missing
        raise ExportError(
            "服务器缺少生成 PDF 所需的系统库（Pango），请管理员安装：apt-get install libpango-1.0-0"
        ) from error
    finally:
        # WeasyPrint turns this on for the whole process when imported; union_site/common/images.py relies on it
        # being off to refuse truncated uploads, and our PDFs hold no pictures.
        ImageFile.LOAD_TRUNCATED_IMAGES = before
    return HTML


# Delivery --------------------------------------------------------------------------------------------------------


def export_response(document, fmt, on_done=None):
    """An HTTP download of the document in `fmt`, named in Chinese (RFC 5987 filename*, which Django writes).
    CSV streams; the others are written first (XLSX to a temporary file, so memory stays flat);
    `on_done(row_count)` once every row is written."""
    from django.http import FileResponse, StreamingHttpResponse
    from django.utils.http import content_disposition_header

    if fmt == CSV:
        response = StreamingHttpResponse(iter_csv(document, on_done), content_type=CONTENT_TYPES[CSV])
        response["Content-Disposition"] = content_disposition_header(True, document.filename(CSV))
        return response
    output = tempfile.TemporaryFile()  # deleted when the response closes it
    try:
        count = write_file(document, fmt, output)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    if on_done:
        on_done(count)
    return FileResponse(output, as_attachment=True, filename=document.filename(fmt), content_type=CONTENT_TYPES[fmt])


def write_file(document, fmt, fileobj):
    """The document into an open binary file; returns the number of data rows."""
    writers = {CSV: _write_csv, XLSX: write_xlsx, PDF: write_pdf}
    if fmt not in writers:
        raise ExportError("不支持的导出格式。")
    return writers[fmt](document, fileobj)


def _write_csv(document, fileobj):
    counted = []
    for chunk in iter_csv(document, counted.append):
        fileobj.write(chunk)
    return counted[0]
