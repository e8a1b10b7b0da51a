"""The 指标 import file's columns: their names, what each means, the words its cells may hold, and reading a cell.

achievements/importers.py plans an import with these; achievements/exports.py writes the template and the current
data in the same columns, so what is downloaded imports back. Columns are matched by header text in any order;
时期 板块 指标名称 数值 单位 are required; then any number of year columns ("2019", "2020年").

数值 is a number as a newspaper writes it (achievements/numbers.py reads it): 111000, 111,000, 11.1万, 1000余万, 近19万,
85%. 余/多/近/约 written in it are the figure's 修饰 when the 修饰 cell is empty (and must agree with it when it is
not). Cells of 口径, 排序, 首页重点展示, 原文语句 and 来源文件 left empty keep what the figure has; an empty year cell
keeps that year's value.
"""

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from achievements import numbers
from achievements.models import Metric, MetricValue
from union_site.common import spreadsheets
from union_site.common.spreadsheets import cell_text, is_filled

MAX_FILE_BYTES = spreadsheets.MAX_FILE_BYTES  # this import takes the reader's limits
MAX_ROWS = spreadsheets.MAX_ROWS

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
YEAR_HEADER = re.compile(r"^(\d{4})年?$")
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

# The words a cell may hold, as the downloads write them. 修饰 is written as in a figure (numbers.QUALIFIER_WORDS).
EXACT_WRITTEN = str(Metric.Qualifier.EXACT.label)  # 准确数
SCOPE_WRITTEN = {
    Metric.Scope.CUMULATIVE: "累计",
    Metric.Scope.PER_YEAR: "每年",
    Metric.Scope.TOTAL: "现有总数",
}
YES, NO = spreadsheets.YES, spreadsheets.NO
YES_NO = {YES: True, NO: False, "true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
CHOICES = {  # the drop-down lists of the downloads
    QUALIFIER: [EXACT_WRITTEN, *numbers.QUALIFIER_OF_WORD],
    SCOPE: list(SCOPE_WRITTEN.values()),
    HIGHLIGHT: [YES, NO],
}
QUALIFIERS_SPOKEN = "、".join(numbers.QUALIFIER_OF_WORD)  # 余、多、近、约
SCALES_SPOKEN = "、".join(numbers.SCALE_OF_WORD)  # 万、亿

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
        "原始数值，不小于 0。可写 111000、111,000、11.1万、1.2亿、520余、1000余万、近19万、约3.33万："
        f"{SCALES_SPOKEN} 会换算成原始数值；{QUALIFIERS_SPOKEN} 在“修饰”列为空时当作修饰。百分比不超过 100。"
        "请填数值本身：公式不会被计算。",
    ),
    (UNIT, "必填", "如 人、场、处、元、%。钱数填“元”，网站显示为“万元”。"),
    (
        QUALIFIER,
        "选填",
        f"空 或 {EXACT_WRITTEN} = 准确数；"
        + "；".join(str(label) for code, label in Metric.Qualifier.choices if code != numbers.EXACT)
        + "。",
    ),
    (SCOPE, "选填", "累计（时期内累计）、每年、现有总数（期末）。留空：新指标为“累计”，已有指标不变。"),
    (ORDER, "选填", "整数，小的排在前面。留空：新指标排在板块最后，已有指标不变。"),
    (HIGHLIGHT, "选填", f"{YES} / {NO}。留空：新指标为“{NO}”，已有指标不变。"),
    (SOURCE_TEXT, "选填", "数据出自的原句，便于核对。留空则不修改。"),
    (SOURCE_DOCUMENT, "选填", "不是出自网站文章时，填文件名称，如《2023年工会统计年报》。留空则不修改。"),
    (
        "2019、2020……",
        "选填",
        f"每个年份一列，表头只写年份。填该年的数值（只填数字，可用 {SCALES_SPOKEN}），即该指标的年度数据。"
        "年份须在时期的起止年份之内；空着的格子不修改已有的年度数值。",
    ),
]
GENERAL_NOTES = [
    "只读取第一个工作表；第一行是表头，列的顺序不限，表头文字须与上面一致。",
    "整张表全部无误才会导入：有任何一处错误，一行都不保存。上传后先预览，确认后才保存。",
    "想修改已有数据：在导入页面“下载当前数据”，修改后再导入。",
    f"一次最多 {MAX_ROWS} 行、{MAX_FILE_BYTES // (1024 * 1024)} MB。也可以上传 CSV（UTF-8 或 GBK 编码均可）。",
]


def import_header(years):
    return IMPORT_COLUMNS + [str(year) for year in years]


# Reading cells ------------------------------------------------------------------------------------------------


class CellError(Exception):
    pass


def _norm(text):
    return unicodedata.normalize("NFKC", text).strip().lower()


def figure_cell(cell):
    """(value, qualifier written in it or EXACT, written with %) from 111000 / 11.1万 / 1000余万 / 近19万 / 85%.

    Raises CellError with the reason."""
    if isinstance(cell, Decimal):
        return cell, numbers.EXACT, False
    if isinstance(cell, bool):
        raise CellError(numbers.NOT_A_NUMBER)
    raw = cell_text(cell)
    if not raw:
        raise CellError("必填：请填写数值")
    try:
        value, unit, qualifier = numbers.parse_figure(raw, unit=False)
    except numbers.FigureError as error:
        if str(error) == numbers.ONE_WORD_EACH:
            raise CellError(f"“{raw}”{error}") from error
        if raw.startswith("="):
            raise CellError(f"“{raw}”不是数字：公式不会被计算，请直接填写数值") from error
        raise CellError(f"“{raw}”不是数字：应写成 111000、11.1万、1000余万 这样的数，单位写在“单位”列") from error
    return value, qualifier, unit in numbers.PERCENT_UNITS


def _choice_lookup(words, choices):
    lookup = {_norm(word): code for word, code in words.items()}
    for code, label in choices:
        lookup.setdefault(_norm(str(label)), code)
        if code:
            lookup.setdefault(_norm(code), code)
    return lookup


def qualifier_words():
    words = {"": numbers.EXACT, "空": numbers.EXACT, "无": numbers.EXACT, "准确": numbers.EXACT}
    words |= {EXACT_WRITTEN: numbers.EXACT, "exact": numbers.EXACT, **numbers.QUALIFIER_OF_WORD}
    return _choice_lookup(words, Metric.Qualifier.choices)


def scope_words():
    return _choice_lookup({word: code for code, word in SCOPE_WRITTEN.items()}, Metric.Scope.choices)


def value_and_qualifier(value_cell, qualifier_cell, unit, error):
    """数值 and 修饰 together: 余/多/近/约 written in the number count as 修饰 when that cell is empty."""
    qualifier = numbers.EXACT
    if qualifier_cell:
        qualifier = qualifier_words().get(_norm(qualifier_cell))
        if qualifier is None:
            error(QUALIFIER, f"“{qualifier_cell}”无法识别：应为 空、{EXACT_WRITTEN}、{QUALIFIERS_SPOKEN} 之一")
    try:
        value, word, percent = figure_cell(value_cell)
    except CellError as reason:
        error(VALUE, str(reason))
        return None, qualifier or numbers.EXACT
    if percent and unit and unit not in numbers.PERCENT_UNITS:
        error(VALUE, f"数值写了 %，但单位是“{unit}”；百分比的单位请填 %")
        return None, qualifier or numbers.EXACT
    if word and qualifier_cell and qualifier is not None and word != qualifier:
        error(VALUE, f"数值里的“{numbers.QUALIFIER_WORDS[word]}”与“修饰”列的“{qualifier_cell}”不一致")
        return None, qualifier
    if not qualifier_cell and word:
        qualifier = word
    return value, qualifier or numbers.EXACT


def optional_fields(row, cell, error):
    """The optional columns' cells into row.fields; an empty cell sets nothing."""
    text = {column: cell_text(cell(column)) for column in OPTIONAL_FIELDS}
    if text[SCOPE]:
        scope = scope_words().get(_norm(text[SCOPE]))
        if scope is None:
            error(SCOPE, f"“{text[SCOPE]}”无法识别：应为 {'、'.join(SCOPE_WRITTEN.values())} 之一")
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
            error(HIGHLIGHT, f"“{text[HIGHLIGHT]}”无法识别：请填 {YES} 或 {NO}")
        else:
            row.fields["is_highlight"] = highlight
    for column in (SOURCE_TEXT, SOURCE_DOCUMENT):
        if text[column]:
            row.fields[OPTIONAL_FIELDS[column]] = text[column]


def yearly_values(row, cell, years, unit, error):
    """The year columns' cells into row.yearly; an empty cell sets nothing."""
    for year in years:
        column, value_cell = str(year), cell(year)
        if not is_filled(value_cell):
            continue
        try:
            value, word, percent = figure_cell(value_cell)
        except CellError as reason:
            error(column, str(reason))
            continue
        period = row.period
        if word:
            error(column, f"年度数值只填数字（可用{SCALES_SPOKEN}），不能带“{QUALIFIERS_SPOKEN}”")
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
