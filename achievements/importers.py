"""Figures from a spreadsheet: check every row, then save all of it or nothing.

    read_rows(file)          -> Sheet: the header and the non-empty rows, numbered as Excel shows them
    plan_import(sheet, user) -> ImportPlan: per row 新增/更新/不变, the parsed values, errors (row, column, reason)
    apply_import(plan, user) -> {"新增": a, "更新": b, "不变": c, "年度数值": d}, in one transaction

The file is read by union_site/common/spreadsheets.py; its columns and cells are achievements/import_columns.py's;
the template and the current data to download are written by achievements/exports.py.

A figure is known by its natural key 时期 + 板块 + 指标名称: importing it again updates it, never duplicates it.
Periods are never created from a file; a section that does not exist yet in the period is created.
Nothing is ever evaluated: a formula cell (=1+1) is read as its text, so in 数值 it is "not a number" and in a text
column it is stored as written. Knows nothing of HTTP: the admin pages are in achievements/admin_import.py.
"""

import hashlib
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from achievements import numbers
from achievements.import_columns import (
    FIELD_COLUMNS,
    IMPORT_COLUMNS,
    LABEL,
    MAX_FILE_BYTES,
    MAX_ROWS,
    PERIOD,
    QUALIFIER,
    REQUIRED_COLUMNS,
    SECTION,
    UNIT,
    VALUE,
    YEAR_HEADER,
    optional_fields,
    value_and_qualifier,
    yearly_values,
)
from achievements.models import Metric, MetricValue, Period, Section
from union_site.common import generation, spreadsheets
from union_site.common.spreadsheets import cell_text, header_name
from union_site.common.table_import import NEW, UNCHANGED, UPDATED, PlanErrors

YEARLY = "年度数值"

ImportFileError = spreadsheets.SpreadsheetError  # the file as a whole cannot be read; the message is for users


class ImportRefused(Exception):
    """apply_import() was given a plan with errors."""


def read_rows(uploaded_file):
    """A Sheet from an uploaded file (or bytes). Raises ImportFileError with a message for the user."""
    return spreadsheets.read_sheet(
        uploaded_file, max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS, header_hint="（时期、板块、指标名称……）"
    )


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
        """The yearly values as the site will show them, in the figure's display unit: 2019年：3000万元."""
        unit = self.fields.get("unit", "")
        return "；".join(
            f"{year}年：{numbers.format_figure(value, unit)}" for year, value in sorted(self.yearly.items())
        )


@dataclass
class ImportPlan(PlanErrors):
    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    years: list = field(default_factory=list)

    @property
    def has_changes(self):
        return any(row.action in {NEW, UPDATED} for row in self.rows)

    def summary(self):
        return self.row_summary()

    def fingerprint(self):
        """Changes when what confirming would do changes (another person edited the figures after the preview)."""
        parts = [
            (row.number, row.action, row.period_name, row.section_title, row.label, row.is_new_section)
            + tuple(sorted((k, str(v)) for k, v in row.fields.items()))
            + tuple(sorted((y, str(v)) for y, v in row.yearly.items()))
            for row in self.rows
        ]
        return hashlib.sha256(repr((parts, [str(e) for e in self.errors])).encode()).hexdigest()


def _read_header(sheet, plan):
    """{column: index} for the named columns and {year: index}; file-level errors go into the plan."""
    known = {header_name(column): column for column in IMPORT_COLUMNS}
    columns, years, unknown, repeated = {}, {}, [], []
    for index, cell in enumerate(sheet.header):
        name = header_name(cell)
        if not name:
            continue
        year = YEAR_HEADER.match(name)
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
    value, qualifier = value_and_qualifier(cell(VALUE), cell_text(cell(QUALIFIER)), unit, error)
    row.fields = {"value": value, "unit": unit, "qualifier": qualifier}
    optional_fields(row, cell, error)
    yearly_values(row, cell, years, unit, error)

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
        generation.bump()  # bulk_create sends no signal
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
