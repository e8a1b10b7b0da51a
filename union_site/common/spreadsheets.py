"""Rows of cells from an uploaded spreadsheet (XLSX or CSV), for any importer; what the cells mean is the importer's.

    read_sheet(file, max_rows=..., ...) -> Sheet: the header and the non-empty rows, numbered as Excel shows them
    cell_text(cell), header_name(cell), is_filled(cell), plain_number(value): cells as text

The file type comes from the first bytes, never the name: XLSX (its first sheet), CSV in UTF-8 with or without BOM,
UTF-16 with BOM (Excel's "Unicode 文本", tab-separated) or GB18030/GBK (Excel on Chinese Windows). Old .xls, PDFs,
pictures and archives get a message saying what to do instead. Cells are str, Decimal or bool; nothing is evaluated:
a formula cell (=1+1) is read as its text. Control characters pasted from Word/WPS are removed.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from union_site.common.storage import TooBig, read_limited
from union_site.common.text import strip_controls

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024  # an XLSX is a zip: refuse one that would unpack into far more than it looks
MAX_ROWS = 5000
MAX_COLUMNS = 100

NOT_A_SPREADSHEET = "不是 Excel（.xlsx）或 CSV 文件。请上传 .xlsx 表格，或在 Excel/WPS 中“另存为”CSV 后上传。"
OLD_EXCEL = "这是旧版 Excel（.xls）文件，请在 Excel/WPS 中“另存为” .xlsx 后再上传。"
# Files that are plainly something else, recognised by their first bytes (the name says nothing).
OTHER_FORMATS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"{\\rtf")
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
YES, NO = "是", "否"  # a boolean cell as text


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, too big, too many rows). The message is for users."""


@dataclass
class Sheet:
    header: list  # header cells as written (str, or a Decimal for a year typed as a number)
    rows: list  # [(row number as Excel shows it, [cell, ...])], empty rows left out
    header_row: int = 1


def read_sheet(
    uploaded_file,
    *,
    max_bytes=MAX_FILE_BYTES,
    max_rows=MAX_ROWS,
    max_columns=MAX_COLUMNS,
    header_hint="",
):
    """A Sheet from an uploaded file (or bytes): the first non-empty row is the header. `header_hint` completes the
    message for a file without any, e.g. "（时期、板块……）". Raises SpreadsheetError with a message for the user."""
    if isinstance(uploaded_file, bytes | bytearray):
        data = bytes(uploaded_file)
    else:
        try:
            data = read_limited(uploaded_file, max_bytes)
        except TooBig:
            raise SpreadsheetError(_too_big(max_bytes)) from None
    if not data:
        raise SpreadsheetError("文件是空的。")
    if len(data) > max_bytes:
        raise SpreadsheetError(_too_big(max_bytes))
    if data.startswith(b"PK"):
        raw_rows = _xlsx_rows(data, max_rows, max_columns)
    elif data.startswith(OLE_MAGIC):
        raise SpreadsheetError(OLD_EXCEL)
    elif data.startswith(OTHER_FORMATS):
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    else:
        raw_rows = _csv_rows(data)
    return _sheet(raw_rows, max_rows, max_columns, header_hint)


def _too_big(max_bytes):
    return f"文件太大：最大 {max_bytes // (1024 * 1024)} MB。请分成几个文件导入。"


def _sheet(raw_rows, max_rows, max_columns, header_hint):
    header, header_row, rows = None, 1, []
    for number, cells in raw_rows:
        if not any(is_filled(cell) for cell in cells):
            continue
        if header is None:
            header, header_row = list(cells), number
            if len(header) > max_columns and any(is_filled(cell) for cell in header[max_columns:]):
                raise SpreadsheetError(f"列数太多：最多 {max_columns} 列。")
            continue
        rows.append((number, list(cells)))
        if len(rows) > max_rows:
            raise SpreadsheetError(f"行数太多：一次最多导入 {max_rows} 行。请分成几个文件导入。")
    if header is None:
        raise SpreadsheetError(f"表格里没有内容：第一行应是表头{header_hint}。")
    return Sheet(header=header[:max_columns], rows=rows, header_row=header_row)


def is_filled(cell):
    return cell is not None and cell != ""


def _xlsx_rows(data, max_rows, max_columns):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise SpreadsheetError(NOT_A_SPREADSHEET) from error
    if unzipped > MAX_UNZIPPED_BYTES:
        raise SpreadsheetError("文件解压后过大，无法读取。请只保留需要导入的数据后再试。")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a zip that is not a workbook (.docx, .zip, broken)
        raise SpreadsheetError(NOT_A_SPREADSHEET) from error
    try:
        if not workbook.worksheets:
            raise SpreadsheetError("工作簿里没有工作表。")
        sheet = workbook.worksheets[0]
        rows, filled = [], 0
        # Read-only rows come in order with gaps filled, so counting from 1 gives Excel's row numbers.
        for number, cells in enumerate(sheet.iter_rows(min_row=1, max_col=max_columns + 1), start=1):
            values = [_xlsx_cell(cell) for cell in cells]
            if any(map(is_filled, values)):
                rows.append((number, values))
                filled += 1
                if filled > max_rows + 1:
                    break  # header + more rows than allowed: _sheet() says so; no need to read the rest
        return rows
    except SpreadsheetError:
        raise
    except Exception as error:
        raise SpreadsheetError(NOT_A_SPREADSHEET) from error
    finally:
        workbook.close()


def _xlsx_cell(cell):
    """A cell's value as a str, Decimal or bool; formulas as their text, never a computed value."""
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if "%" in (getattr(cell, "number_format", "") or ""):
            return plain_number(number * 100) + "%"  # shown as 85% in Excel, stored as 0.85
        return number
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if not isinstance(value, str):
        value = getattr(value, "text", None) or str(value)  # ArrayFormula and the like: the formula's text
    return _clean(value)


def _csv_rows(data):
    text = decode(data)
    if text is None:
        raise SpreadsheetError(NOT_A_SPREADSHEET)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        # Records, not lines: a quoted cell may span lines, and Excel shows each record as one row.
        return [(number, [_clean(cell) for cell in cells]) for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:
        raise SpreadsheetError(NOT_A_SPREADSHEET) from error


def decode(data):
    """CSV text: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else GB18030 (Excel on
    Chinese Windows). None for what is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif b"\x00" in data:
        return None
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(text) - len(strip_controls(text)) > max(8, len(text) // 100):
            return None  # decodes, but is binary (a few stray control characters are Word/WPS paste, not binary)
        return text
    return None


def _clean(text):
    return strip_controls(text).strip()


# Cells as text ---------------------------------------------------------------------------------------------------


def plain_number(value):
    """A number as a spreadsheet shows it, without exponent or trailing zeros: 55.30 -> 55.3, 1E+3 -> 1000."""
    text = format(Decimal(value).normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def cell_text(cell):
    """A cell as text: numbers without a trailing .0, booleans 是/否, control characters removed."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return YES if cell else NO
    if isinstance(cell, Decimal):
        return plain_number(cell)
    return _clean(str(cell))


def header_name(cell):
    """Header text compared loosely: full-width forms, spaces and a required-mark * do not matter."""
    return re.sub(r"[\s*]", "", unicodedata.normalize("NFKC", cell_text(cell)))
