"""Figures from a spreadsheet: read an XLSX or CSV, check every row, then save all of it or nothing.

    read_rows(file)          -> Sheet: the header and the non-empty rows, numbered as Excel shows them
    plan_import(sheet, user) -> ImportPlan: per row 新增/更新/不变, the parsed values, errors (row, column, reason)
    apply_import(plan, user) -> {"新增": a, "更新": b, "不变": c, "年度数值": d}, in one transaction
    template_workbook(), export_workbook(period) -> XLSX bytes with the same columns, for download

Columns, matched by header text in any order (IMPORT_COLUMNS; 时期 板块 指标名称 数值 单位 are required): 时期,
板块, 指标名称, 数值, 单位, 修饰, 口径, 排序, 首页重点展示, 原文语句, 来源文件, then any number of year columns ("2019",
"2020年"): each filled cell is that year's value in the figure's yearly series (MetricValue).

A figure is known by its natural key 时期 + 板块 + 指标名称: importing it again updates it, never duplicates it.
Periods are never created from a file; a section that does not exist yet in the period is created.

数值 is a number as a newspaper writes it: 111000, 111,000, 11.1万, 1.2亿, 520余, 1000余万, 近19万, 约3.33万, 85%.
万/亿 multiply; 余/多 after the number and 近/约 before it are the figure's 修饰 when the 修饰 cell is empty (and must
agree with it when it is not). 修饰 empty means 准确数. Cells of 口径, 排序, 首页重点展示, 原文语句 and 来源文件 left
empty keep what the figure has (a new figure gets the defaults); an empty year cell keeps that year's value.

Nothing is ever evaluated: a formula cell (=1+1) is read as its text, so in 数值 it is "not a number" and in a text
column it is stored as written. Knows nothing of HTTP: the admin pages are in achievements/admin_import.py.
"""

import csv
import hashlib
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from achievements import numbers
from achievements.models import Metric, MetricValue, Period, Section
from union_site.common.text import strip_controls

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 60 * 1024 * 1024  # an XLSX is a zip: refuse one that would unpack into far more than it looks
MAX_ROWS = 5000
MAX_COLUMNS = 100

PERIOD, SECTION, LABEL, VALUE, UNIT = "时期", "板块", "指标名称", "数值", "单位"
QUALIFIER, SCOPE, ORDER, HIGHLIGHT, SOURCE_TEXT, SOURCE_DOCUMENT = (
    "修饰",
    "口径",
    "排序",
    "首页重点展示",
    "原文语句",
    "来源文件",
)
IMPORT_COLUMNS = [PERIOD, SECTION, LABEL, VALUE, UNIT, QUALIFIER, SCOPE, ORDER, HIGHLIGHT, SOURCE_TEXT, SOURCE_DOCUMENT]
REQUIRED_COLUMNS = [PERIOD, SECTION, LABEL, VALUE, UNIT]
# Model field -> column, to put the model's own validation errors (models.py) in the right column.
FIELD_COLUMNS = {
    "section": SECTION,
    "label": LABEL,
    "value": VALUE,
    "unit": UNIT,
    "qualifier": QUALIFIER,
    "scope": SCOPE,
    "order": ORDER,
    "is_highlight": HIGHLIGHT,
    "source_text": SOURCE_TEXT,
    "source_document": SOURCE_DOCUMENT,
}
# Optional columns: an empty cell keeps the figure's value.
OPTIONAL_FIELDS = {
    SCOPE: "scope",
    ORDER: "order",
    HIGHLIGHT: "is_highlight",
    SOURCE_TEXT: "source_text",
    SOURCE_DOCUMENT: "source_document",
}

NEW, UPDATED, UNCHANGED, YEARLY = "新增", "更新", "不变", "年度数值"

QUALIFIER_WRITTEN = {
    numbers.EXACT: "",
    numbers.MORE: "余",
    numbers.MORE_DUO: "多",
    numbers.NEARLY: "近",
    numbers.ABOUT: "约",
}
SCOPE_WRITTEN = {
    Metric.Scope.CUMULATIVE: "累计",
    Metric.Scope.PER_YEAR: "每年",
    Metric.Scope.TOTAL: "现有总数",
}
YES_NO = {"是": True, "否": False, "true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}

NOT_A_SPREADSHEET = "不是 Excel（.xlsx）或 CSV 文件。请上传 .xlsx 表格，或在 Excel/WPS 中“另存为”CSV 后上传。"
OLD_EXCEL = "这是旧版 Excel（.xls）文件，请在 Excel/WPS 中“另存为” .xlsx 后再上传。"
# Files that are plainly something else, recognised by their first bytes (the name says nothing).
OTHER_FORMATS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"{\\rtf")
OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YEAR = re.compile(r"^(\d{4})年?$")
_FIGURE = re.compile(
    r"^(?P<prefix>[近约])?(?P<sign>[+-])?(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?"
    r"(?P<words>[万亿余多]{0,2})(?P<percent>%)?$"
)
SCALE_WORDS = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
QUALIFIER_OF_WORD = {"余": numbers.MORE, "多": numbers.MORE_DUO, "近": numbers.NEARLY, "约": numbers.ABOUT}


class ImportFileError(Exception):
    """The file as a whole cannot be read (not a spreadsheet, too big, too many rows). The message is for users."""


class ImportRefused(Exception):
    """apply_import() was given a plan with errors."""


# Reading -------------------------------------------------------------------------------------------------------


@dataclass
class Sheet:
    header: list  # header cells as written (str, or a Decimal for a year typed as a number)
    rows: list  # [(row number as Excel shows it, [cell, ...])], empty rows left out
    header_row: int = 1


def read_rows(uploaded_file):
    """A Sheet from an uploaded file (or bytes). Raises ImportFileError with a message for the user."""
    if isinstance(uploaded_file, bytes | bytearray):
        data = bytes(uploaded_file)
    else:
        if getattr(uploaded_file, "size", None) and uploaded_file.size > MAX_FILE_BYTES:
            raise ImportFileError(_too_big())
        if hasattr(uploaded_file, "seek"):
            uploaded_file.seek(0)
        data = uploaded_file.read(MAX_FILE_BYTES + 1)
    if not data:
        raise ImportFileError("文件是空的。")
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_too_big())
    if data.startswith(b"PK"):
        raw_rows = _xlsx_rows(data)
    elif data.startswith(OLE_MAGIC):
        raise ImportFileError(OLD_EXCEL)
    elif data.startswith(OTHER_FORMATS):
        raise ImportFileError(NOT_A_SPREADSHEET)
    else:
        raw_rows = _csv_rows(data)
    return _sheet(raw_rows)


def _too_big():
    return f"文件太大：最大 {MAX_FILE_BYTES // (1024 * 1024)} MB。请分成几个文件导入。"


def _sheet(raw_rows):
    header, header_row, rows = None, 1, []
    for number, cells in raw_rows:
        if not any(_is_filled(cell) for cell in cells):
            continue
        if header is None:
            header, header_row = list(cells), number
            if len(header) > MAX_COLUMNS and any(_is_filled(cell) for cell in header[MAX_COLUMNS:]):
                raise ImportFileError(f"列数太多：最多 {MAX_COLUMNS} 列。")
            continue
        rows.append((number, list(cells)))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(f"行数太多：一次最多导入 {MAX_ROWS} 行。请分成几个文件导入。")
    if header is None:
        raise ImportFileError("表格里没有内容：第一行应是表头（时期、板块、指标名称……）。")
    return Sheet(header=header[:MAX_COLUMNS], rows=rows, header_row=header_row)


def _is_filled(cell):
    return cell is not None and cell != ""


def _xlsx_rows(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportFileError(NOT_A_SPREADSHEET) from error
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError("文件解压后过大，无法读取。请只保留需要导入的数据后再试。")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a zip that is not a workbook (.docx, .zip, broken)
        raise ImportFileError(NOT_A_SPREADSHEET) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError("工作簿里没有工作表。")
        sheet = workbook.worksheets[0]
        rows, filled = [], 0
        # Read-only rows come in order with gaps filled, so counting from 1 gives Excel's row numbers.
        for number, cells in enumerate(sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1), start=1):
            values = [_xlsx_cell(cell) for cell in cells]
            if any(map(_is_filled, values)):
                rows.append((number, values))
                filled += 1
                if filled > MAX_ROWS + 1:
                    break  # header + more rows than allowed: _sheet() says so; no need to read the rest
        return rows
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(NOT_A_SPREADSHEET) from error
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
            return numbers.plain(number * 100) + "%"  # shown as 85% in Excel, stored as 0.85
        return number
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if not isinstance(value, str):
        value = getattr(value, "text", None) or str(value)  # ArrayFormula and the like: the formula's text
    return _clean(value)


def _csv_rows(data):
    text = _decode(data)
    if text is None:
        raise ImportFileError(NOT_A_SPREADSHEET)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        # Records, not lines: a quoted cell may span lines, and Excel shows each record as one row.
        return [(number, [_clean(cell) for cell in cells]) for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:
        raise ImportFileError(NOT_A_SPREADSHEET) from error


def _decode(data):
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
        if len(_CONTROL.findall(text)) > max(8, len(text) // 100):
            return None  # decodes, but is binary (a few stray control characters are Word/WPS paste, not binary)
        return text
    return None


def _clean(text):
    return strip_controls(text).strip()


# Cells ---------------------------------------------------------------------------------------------------------


class CellError(Exception):
    pass


def cell_text(cell):
    """A cell as text: numbers without a trailing .0, control characters removed."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "是" if cell else "否"
    if isinstance(cell, Decimal):
        return numbers.plain(cell)
    return _clean(str(cell))


def _norm(text):
    return unicodedata.normalize("NFKC", text).strip().lower()


def parse_figure(cell):
    """(value, qualifier word's code or None, written with %) from 111000 / 111,000 / 11.1万 / 1000余万 / 近19万 / 85%.

    Raises CellError with the reason."""
    if isinstance(cell, Decimal):
        return cell, None, False
    if isinstance(cell, bool):
        raise CellError("不是数字")
    raw = cell_text(cell)
    if not raw:
        raise CellError("必填：请填写数值")
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    match = _FIGURE.match(text)
    if not match:
        if raw.startswith("="):
            raise CellError(f"“{raw}”不是数字：公式不会被计算，请直接填写数值")
        raise CellError(f"“{raw}”不是数字：应写成 111000、11.1万、1000余万 这样的数，单位写在“单位”列")
    words = match["words"]
    scales = [w for w in words if w in SCALE_WORDS]
    qualifiers = [w for w in words if w in QUALIFIER_OF_WORD]
    if match["prefix"]:
        qualifiers.insert(0, match["prefix"])
    if len(scales) > 1 or len(qualifiers) > 1:
        raise CellError(f"“{raw}”写法有误：万/亿 和 余/多/近/约 各最多用一个")
    number = Decimal(match["number"].replace(",", "") + (match["fraction"] or ""))
    if match["sign"] == "-":
        number = -number
    if scales:
        number *= SCALE_WORDS[scales[0]]
    qualifier = QUALIFIER_OF_WORD[qualifiers[0]] if qualifiers else None
    return number, qualifier, bool(match["percent"])


def _choice_lookup(words, choices):
    lookup = {_norm(word): code for word, code in words.items()}
    for code, label in choices:
        lookup.setdefault(_norm(str(label)), code)
        if code:
            lookup.setdefault(_norm(code), code)
    return lookup


def qualifier_words():
    words = {"": numbers.EXACT, "空": numbers.EXACT, "无": numbers.EXACT, "准确": numbers.EXACT}
    words |= {"准确数": numbers.EXACT, "exact": numbers.EXACT, "余": numbers.MORE, "多": numbers.MORE_DUO}
    words |= {"近": numbers.NEARLY, "约": numbers.ABOUT}
    return _choice_lookup(words, Metric.Qualifier.choices)


def scope_words():
    words = {"累计": Metric.Scope.CUMULATIVE, "每年": Metric.Scope.PER_YEAR, "现有总数": Metric.Scope.TOTAL}
    return _choice_lookup(words, Metric.Scope.choices)


# Planning ------------------------------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int | None  # as Excel shows it (the header is row 1); None for the file as a whole
    column: str
    reason: str

    def __str__(self):
        where = f"第 {self.row} 行" if self.row else "文件"
        return f"{where}“{self.column}”列：{self.reason}" if self.column else f"{where}：{self.reason}"


@dataclass
class PlannedRow:
    number: int
    period_name: str
    section_title: str
    label: str
    period: Period | None = None
    is_new_section: bool = False
    fields: dict = field(default_factory=dict)  # Metric fields this row sets
    yearly: dict = field(default_factory=dict)  # {year: value}
    action: str = ""  # 新增 / 更新 / 不变; empty when the row has errors
    display: str = ""  # the figure as the site will show it, e.g. 11.1万余人
    errors: list = field(default_factory=list)

    @property
    def yearly_display(self):
        return "；".join(f"{year}年：{numbers.plain(value)}" for year, value in sorted(self.yearly.items()))


@dataclass
class ImportPlan:
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    years: list = field(default_factory=list)

    @property
    def row_errors(self):
        return [error for row in self.rows for error in row.errors]

    @property
    def errors(self):
        return self.file_errors + self.row_errors

    @property
    def is_valid(self):
        return not self.errors

    @property
    def has_changes(self):
        return any(row.action in {NEW, UPDATED} for row in self.rows)

    def counts(self):
        counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0, "错误": 0}
        for row in self.rows:
            counts[row.action or "错误"] += 1
        return counts

    def summary(self):
        c = self.counts()
        return f"共 {len(self.rows)} 行：新增 {c[NEW]}，更新 {c[UPDATED]}，不变 {c[UNCHANGED]}；错误 {c['错误']} 行"

    def fingerprint(self):
        """Changes when what confirming would do changes (another person edited the figures after the preview)."""
        parts = [
            (row.number, row.action, row.period_name, row.section_title, row.label, row.is_new_section)
            + tuple(sorted((k, str(v)) for k, v in row.fields.items()))
            + tuple(sorted((y, str(v)) for y, v in row.yearly.items()))
            for row in self.rows
        ]
        return hashlib.sha256(repr((parts, [str(e) for e in self.errors])).encode()).hexdigest()


def header_name(cell):
    """Header text compared loosely: full-width forms, spaces and a required-mark * do not matter."""
    text = cell_text(cell)
    return re.sub(r"[\s*]", "", unicodedata.normalize("NFKC", text))


def _read_header(sheet, plan):
    """{column: index} for the named columns and {year: index}; file-level errors go into the plan."""
    known = {header_name(column): column for column in IMPORT_COLUMNS}
    columns, years, unknown, repeated = {}, {}, [], []
    for index, cell in enumerate(sheet.header):
        name = header_name(cell)
        if not name:
            continue
        year = _YEAR.match(name)
        if year:
            target, key = years, int(year[1])
        elif name in known:
            target, key = columns, known[name]
        else:
            unknown.append(cell_text(cell))
            continue
        if key in target:
            repeated.append(cell_text(cell))
        target[key] = index
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    expected = "、".join(IMPORT_COLUMNS) + "，以及年份列（如 2019、2020）"
    if missing:
        plan.file_errors.append(
            RowError(None, "", f"缺少必需的列：{'、'.join(missing)}。第一行应是表头，依次为：{expected}。")
        )
    if unknown:
        plan.file_errors.append(
            RowError(None, "", f"无法识别的列：{'、'.join(unknown)}。可用的列：{expected}。请核对表头的写法。")
        )
    if repeated:
        plan.file_errors.append(RowError(None, "", f"表头里有重复的列：{'、'.join(repeated)}。"))
    return columns, dict(sorted(years.items()))


def plan_import(sheet, user=None):
    """What importing `sheet` would do, row by row, without saving anything."""
    plan = ImportPlan()
    columns, years = _read_header(sheet, plan)
    plan.years = list(years)
    if plan.file_errors:
        return plan
    context = _Context(sheet, columns)
    seen = {}
    for number, cells in sheet.rows:
        row = _plan_row(number, cells, columns, years, context)
        key = (row.period_name, row.section_title, row.label)
        if all(key) and key in seen and not row.errors:
            row.errors.append(
                RowError(number, LABEL, f"与第 {seen[key]} 行重复（时期、板块、指标名称都相同）；同一指标只能填一行")
            )
            row.action = ""
        seen.setdefault(key, number)
        plan.rows.append(row)
    return plan


class _Context:
    """The periods, sections and figures a sheet refers to, read in three queries."""

    def __init__(self, sheet, columns):
        names = {cell_text(cells[columns[PERIOD]]) for _, cells in sheet.rows if columns[PERIOD] < len(cells)}
        self.periods = {period.name: period for period in Period.objects.filter(name__in=names)}
        self.sections = {
            (section.period_id, section.title): section
            for section in Section.objects.filter(period__in=self.periods.values())
        }
        self.metrics = {
            (metric.section_id, metric.label): metric
            for metric in Metric.objects.filter(section__in=self.sections.values()).prefetch_related("values")
        }


def _plan_row(number, cells, columns, years, context):
    errors = {}  # column -> reason; the first reason found for a cell wins

    def cell(column):
        index = columns[column] if column in columns else years.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    def error(column, reason):
        errors.setdefault(column, reason)

    row = PlannedRow(number, cell_text(cell(PERIOD)), cell_text(cell(SECTION)), cell_text(cell(LABEL)))
    if not row.period_name:
        error(PERIOD, "必填：请填写时期名称")
    else:
        row.period = context.periods.get(row.period_name)
        if row.period is None:
            error(PERIOD, f"没有名为“{row.period_name}”的时期；导入不会新建时期，请先在“时期”里添加，或改用已有的名称")
    if not row.section_title:
        error(SECTION, "必填：请填写板块标题")
    if not row.label:
        error(LABEL, "必填：请填写指标名称")
    unit = cell_text(cell(UNIT))
    if not unit:
        error(UNIT, "必填：如 人、场、元、%")
    value, qualifier = _value_and_qualifier(cell(VALUE), cell_text(cell(QUALIFIER)), unit, error)
    row.fields = {"value": value, "unit": unit, "qualifier": qualifier}
    _optional_fields(row, cell, error)
    _yearly(row, cell, years, unit, error)

    section = context.sections.get((row.period.pk, row.section_title)) if row.period else None
    row.is_new_section = bool(row.period and row.section_title and section is None)
    existing = context.metrics.get((section.pk, row.label)) if section else None
    _model_errors(row, existing, error)
    row.errors = [RowError(number, column, reason) for column, reason in errors.items()]
    if value is not None:
        row.display = Metric(value=value, unit=unit, qualifier=qualifier).display_value()
    if not row.errors:
        row.action = _action(row, existing)
    return row


def _value_and_qualifier(value_cell, qualifier_cell, unit, error):
    """数值 and 修饰 together: 余/多/近/约 written in the number count as 修饰 when that cell is empty."""
    qualifier = numbers.EXACT
    if qualifier_cell:
        qualifier = qualifier_words().get(_norm(qualifier_cell))
        if qualifier is None:
            error(QUALIFIER, f"“{qualifier_cell}”无法识别：应为 空、准确数、余、多、近、约 之一")
    try:
        value, word, percent = parse_figure(value_cell)
    except CellError as reason:
        error(VALUE, str(reason))
        return None, qualifier or numbers.EXACT
    if percent and unit and unit not in numbers.PERCENT_UNITS:
        error(VALUE, f"数值写了 %，但单位是“{unit}”；百分比的单位请填 %")
        return None, qualifier or numbers.EXACT
    if word is not None and qualifier_cell and qualifier is not None and word != qualifier:
        error(VALUE, f"数值里的“{QUALIFIER_WRITTEN[word]}”与“修饰”列的“{qualifier_cell}”不一致")
        return None, qualifier
    if not qualifier_cell and word is not None:
        qualifier = word
    return value, qualifier or numbers.EXACT


def _optional_fields(row, cell, error):
    text = {column: cell_text(cell(column)) for column in OPTIONAL_FIELDS}
    if text[SCOPE]:
        scope = scope_words().get(_norm(text[SCOPE]))
        if scope is None:
            error(SCOPE, f"“{text[SCOPE]}”无法识别：应为 累计、每年、现有总数 之一")
        else:
            row.fields["scope"] = scope
    if text[ORDER]:
        try:
            order = Decimal(unicodedata.normalize("NFKC", text[ORDER]))
            if order != order.to_integral_value() or order < 0:
                raise InvalidOperation
            row.fields["order"] = int(order)
        except InvalidOperation:
            error(ORDER, f"“{text[ORDER]}”不是整数：排序请填 0、1、2 这样的整数，小的在前")
    if text[HIGHLIGHT]:
        highlight = YES_NO.get(_norm(text[HIGHLIGHT]))
        if highlight is None:
            error(HIGHLIGHT, f"“{text[HIGHLIGHT]}”无法识别：请填 是 或 否")
        else:
            row.fields["is_highlight"] = highlight
    for column in (SOURCE_TEXT, SOURCE_DOCUMENT):
        if text[column]:
            row.fields[OPTIONAL_FIELDS[column]] = text[column]


def _yearly(row, cell, years, unit, error):
    for year in years:
        column, value_cell = str(year), cell(year)
        if not _is_filled(value_cell):
            continue
        try:
            value, word, percent = parse_figure(value_cell)
        except CellError as reason:
            error(column, str(reason))
            continue
        period = row.period
        if word is not None:
            error(column, "年度数值只填数字（可用万、亿），不能带“余、多、近、约”")
        elif percent and unit and unit not in numbers.PERCENT_UNITS:
            error(column, f"数值写了 %，但单位是“{unit}”")
        elif period and not period.start_year <= year <= period.end_year:
            error(column, f"{year} 年不在时期“{period.name}”的 {period.start_year}—{period.end_year} 年之内")
        elif unit in numbers.PERCENT_UNITS and value > 100:
            error(column, "百分比不能超过 100。")
        else:
            try:
                MetricValue(year=year, value=value).clean_fields(exclude=["metric"])
            except ValidationError as invalid:
                error(column, "".join(message for messages in invalid.message_dict.values() for message in messages))
                continue
            row.yearly[year] = value


def _model_errors(row, existing, error):
    """The rules in models.py (not negative, percentages up to 100, lengths, decimal places) on the row as it would
    be saved. The natural key is checked by plan_import() itself, so no unique checks here."""
    candidate = Metric(label=row.label)
    if existing is not None:
        for model_field in Metric._meta.concrete_fields:
            setattr(candidate, model_field.attname, getattr(existing, model_field.attname))
    for name, value in row.fields.items():
        setattr(candidate, name, value)
    try:
        candidate.full_clean(exclude=["section", "source_article"], validate_unique=False, validate_constraints=False)
    except ValidationError as invalid:
        for name, messages in invalid.message_dict.items():
            column = FIELD_COLUMNS.get(name, VALUE if name == NON_FIELD_ERRORS else "")
            error(column, "".join(messages))
    section_field = Section._meta.get_field("title")
    if len(row.section_title) > section_field.max_length:
        error(SECTION, f"板块标题太长：最多 {section_field.max_length} 个字")


def _action(row, existing):
    if existing is None:
        return NEW
    if any(getattr(existing, name) != value for name, value in row.fields.items()):
        return UPDATED
    current = {item.year: item.value for item in existing.values.all()}
    if any(current.get(year) != value for year, value in row.yearly.items()):
        return UPDATED
    return UNCHANGED


# Saving --------------------------------------------------------------------------------------------------------

CHANGE_REASON = "从表格导入"


def apply_import(plan, user):
    """Save a plan that has no errors, all of it or none of it. Rows are found again by their natural key, so a
    section or figure someone else added after the plan was made is updated, not duplicated."""
    if not plan.is_valid:
        raise ImportRefused(f"表格里有 {len(plan.errors)} 处错误，没有导入任何数据。")
    counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0, YEARLY: 0}
    with transaction.atomic():
        saved = _Saved(plan)
        for row in plan.rows:
            action, yearly = saved.save_row(row, user)
            counts[action] += 1
            counts[YEARLY] += yearly
        MetricValue.objects.bulk_create(saved.new_values)
    return counts


class _Saved:
    """The sections and figures of the plan's periods, read once at the start of the transaction (the figures
    locked until it ends), so that an unchanged row costs no query."""

    def __init__(self, plan):
        periods = {row.period.pk for row in plan.rows}
        sections = list(Section.objects.filter(period__in=periods))
        metrics = list(
            Metric.objects.select_for_update(of=("self",))
            .filter(section__period__in=periods)
            .prefetch_related("values")
        )
        self.sections = {(section.period_id, section.title): section for section in sections}
        self.metrics = {(metric.section_id, metric.label): metric for metric in metrics}
        self.last_section_order = {}
        for section in sections:
            self.last_section_order[section.period_id] = max(
                section.order, self.last_section_order.get(section.period_id, 0)
            )
        self.last_metric_order = {}
        for metric in metrics:
            self.last_metric_order[metric.section_id] = max(
                metric.order, self.last_metric_order.get(metric.section_id, 0)
            )
        self.new_values = []

    def section_for(self, row):
        section = self.sections.get((row.period.pk, row.section_title))
        if section is None:
            order = self.last_section_order.get(row.period.pk, 0) + 1
            section = Section.objects.create(period=row.period, title=row.section_title, order=order)
            self.sections[(row.period.pk, row.section_title)] = section
            self.last_section_order[row.period.pk] = order
        return section

    def save_row(self, row, user):
        """(action, number of yearly values written). Saved with save(), not update_or_create(): that saves only
        the fields it is given, and so would keep a 核实 mark which Metric.save() clears when the value changes."""
        section = self.section_for(row)
        metric = self.metrics.get((section.pk, row.label))
        created = metric is None
        if created:
            order = row.fields.get("order", self.last_metric_order.get(section.pk, 0) + 1)
            metric = Metric(section=section, label=row.label, order=order)
        changed = created or any(getattr(metric, name) != value for name, value in row.fields.items())
        current = {} if created else {item.year: item for item in metric.values.all()}
        yearly = {y: value for y, value in row.yearly.items() if y not in current or current[y].value != value}
        if not (changed or yearly):
            return UNCHANGED, 0
        for name, value in row.fields.items():
            setattr(metric, name, value)
        # Saved also when only yearly values changed: the figure's history is the one record of who changed them.
        metric.updated_by = user
        metric._history_user = user  # django-simple-history: who, also outside a request
        metric._change_reason = CHANGE_REASON
        metric.save()
        self.metrics[(section.pk, row.label)] = metric
        self.last_metric_order[section.pk] = max(metric.order, self.last_metric_order.get(section.pk, 0))
        for year, value in yearly.items():
            if year in current:
                current[year].value = value
                current[year].save(update_fields=["value"])
            else:
                self.new_values.append(MetricValue(metric=metric, year=year, value=value))
        return (NEW if created else UPDATED), len(yearly)


# Writing: the template and the current data ---------------------------------------------------------------------

COLUMN_NOTES = [
    (PERIOD, "必填", "已有时期的名称，与后台“时期”里的名称完全一致{example}。导入不会新建时期。"),
    (SECTION, "必填", "板块标题。这个时期里还没有的板块会新建（预览中标为“新板块”）。"),
    (
        LABEL,
        "必填",
        "指标名称。时期 + 板块 + 指标名称 确定一项指标：再次导入同一项会更新它，不会重复；同一项在表里只能有一行。",
    ),
    (
        VALUE,
        "必填",
        "原始数值，不小于 0。可写 111000、111,000、11.1万、1.2亿、520余、1000余万、近19万、约3.33万：万、亿 会换算成"
        "原始数值；余、多、近、约 在“修饰”列为空时当作修饰。百分比不超过 100。请填数值本身：公式不会被计算。",
    ),
    (UNIT, "必填", "如 人、场、处、元、%。钱数填“元”，网站显示为“万元”。"),
    (QUALIFIER, "选填", "空 或 准确数 = 准确数；余、多 = 多于；近 = 接近；约 = 大约。"),
    (SCOPE, "选填", "累计（时期内累计）、每年、现有总数（期末）。留空：新指标为“累计”，已有指标不变。"),
    (ORDER, "选填", "整数，小的排在前面。留空：新指标排在板块最后，已有指标不变。"),
    (HIGHLIGHT, "选填", "是 / 否。留空：新指标为“否”，已有指标不变。"),
    (SOURCE_TEXT, "选填", "数据出自的原句，便于核对。留空则不修改。"),
    (SOURCE_DOCUMENT, "选填", "不是出自网站文章时，填文件名称，如《2023年工会统计年报》。留空则不修改。"),
    (
        "2019、2020……",
        "选填",
        "每个年份一列，表头只写年份。填该年的数值（只填数字，可用 万、亿），即该指标的年度数据。年份须在时期的"
        "起止年份之内；空着的格子不修改已有的年度数值。",
    ),
]
GENERAL_NOTES = [
    "只读取第一个工作表；第一行是表头，列的顺序不限，表头文字须与上面一致。",
    "整张表全部无误才会导入：有任何一处错误，一行都不保存。上传后先预览，确认后才保存。",
    "想修改已有数据：在导入页面“下载当前数据”，修改后再导入。",
    f"一次最多 {MAX_ROWS} 行、{MAX_FILE_BYTES // (1024 * 1024)} MB。也可以上传 CSV（UTF-8 或 GBK 编码均可）。",
]


def _period_years(period):
    return list(range(period.start_year, period.end_year + 1)) if period else []


def import_header(years):
    return IMPORT_COLUMNS + [str(year) for year in years]


def export_rows(period):
    """The period's figures in the import columns: download, edit, import again."""
    years = _period_years(period)
    metrics = (
        Metric.objects.filter(section__period=period)
        .select_related("section")
        .prefetch_related("values")
        .order_by("section__order", "section_id", "order", "id")
    )
    for metric in metrics:
        values = {item.year: item.value for item in metric.values.all()}
        yield [
            period.name,
            metric.section.title,
            metric.label,
            metric.value,
            metric.unit,
            QUALIFIER_WRITTEN.get(metric.qualifier, metric.qualifier),
            SCOPE_WRITTEN.get(metric.scope, metric.scope),
            metric.order,
            "是" if metric.is_highlight else "否",
            metric.source_text,
            metric.source_document,
            *[values.get(year) for year in years],
        ]


def export_workbook(period):
    years = _period_years(period)
    return _workbook(import_header(years), list(export_rows(period)), period=period)


def template_workbook(period=None):
    """The import template: the header, one example row (in grey) and a sheet 说明 explaining each column."""
    period = period or Period.objects.first()
    years = _period_years(period)
    section = period.sections.order_by("order", "id").first() if period else None
    example = [
        period.name if period else "滨州市工会第六次代表大会以来",
        section.title if section else "职工思想政治引领 工作成效显著",
        "（示例，请改写或删除此行）劳模工匠宣讲活动",
        520,
        "场",
        "余",
        "累计",
        "",
        "否",
        "开展劳模工匠宣讲活动520余场",
        "《2023年工会统计年报》",
        *[(100 if year == years[-1] else None) for year in years],
    ]
    return _workbook(import_header(years), [example], period=period, example=True)


def _display_width(value):
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _workbook(header, rows, *, period=None, example=False):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if cell.data_type == "f":
                cell.data_type = "s"  # text that starts with "=" stays text: never a formula in our files
            if example:
                cell.font = Font(color="808080", italic=True)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center")
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        widest = max([_display_width(name)] + [_display_width(row[index - 1]) for row in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = max(8, min(widest + 3, 50))
    last = max(MAX_ROWS + 1, len(rows) + 1)
    for column, choices in ((QUALIFIER, "准确数,余,多,近,约"), (SCOPE, "累计,每年,现有总数"), (HIGHLIGHT, "是,否")):
        letter = get_column_letter(IMPORT_COLUMNS.index(column) + 1)
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        validation.add(f"{letter}2:{letter}{last}")
        sheet.add_data_validation(validation)
    _notes_sheet(workbook.create_sheet("说明"), period)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _notes_sheet(sheet, period):
    example = f"，如“{period.name}”" if period else ""
    sheet.append(["列", "是否必填", "说明"])
    for column, required, note in COLUMN_NOTES:
        sheet.append([column, required, note.format(example=example)])
    sheet.append([])
    for note in GENERAL_NOTES:
        sheet.append(["", "", note])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in (("A", 16), ("B", 10), ("C", 100)):
        sheet.column_dimensions[letter].width = width
    for cells in sheet.iter_rows(min_row=2):
        cells[2].alignment = Alignment(wrap_text=True, vertical="top")
