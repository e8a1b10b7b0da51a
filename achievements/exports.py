"""The files the achievements app writes, through union_site/reports/writers.py.

document(period)                  五年成就数据表: every figure by period → section, as the public pages show it
import_template_document(period)  the 指标 import template: header, an example row and a sheet 说明
import_current_document(period)   a period's figures in the import columns: download, edit, import again
"""

import re
from itertools import groupby

from django import forms
from django.db.models import Prefetch

from achievements import import_columns, numbers
from achievements.models import Metric, MetricValue, Period, Section
from union_site.reports.writers import Column, Document, Table

SUMMARY_HEADER = ["时期", "板块", "指标数", "已核实", "未核实", "首页重点展示"]


class Form(forms.Form):
    period = forms.ModelChoiceField(
        label="时期", queryset=Period.objects.order_by("-end_year", "name"), required=False, empty_label="全部时期"
    )


def metric_columns(period):
    years = [Column(f"{year}年") for year in _years(period)]
    return [
        Column("指标"),
        Column("显示值"),
        Column("数值"),
        Column("单位"),
        Column("修饰"),
        Column("口径"),
        *years,
        Column("数据来源"),
        Column("原文语句", width=50),
        Column("核实人"),
        Column("核实日期"),
    ]


def metric_rows(metrics, period):
    years = _years(period)
    for metric in metrics:
        by_year = {value.year: value.value for value in metric.values.all()}
        verifier = metric.verified_by
        yield [
            metric.label,
            metric.display_value(),
            metric.value,
            metric.unit,
            metric.get_qualifier_display() if metric.qualifier else "",
            metric.get_scope_display(),
            *(by_year.get(year) for year in years),
            metric.source_name,
            metric.source_text,
            (verifier.get_full_name() or verifier.username) if verifier else "",
            metric.verified_on,
        ]


def document(period=None):
    periods = [period] if period else list(Period.objects.order_by("start_year", "name"))
    metrics = (
        Metric.objects.filter(section__period__in=periods)
        .select_related("section__period", "source_article", "verified_by")
        .prefetch_related(Prefetch("values", queryset=MetricValue.objects.order_by("year")))
        .order_by(
            "section__period__start_year", "section__period__name", "section__order", "section__id", "order", "id"
        )
    )
    by_section = {section: list(rows) for section, rows in groupby(metrics, key=lambda m: m.section)}
    sections = Section.objects.filter(period__in=periods).select_related("period")
    sections = sorted(sections, key=lambda s: (s.period.start_year, s.period.name, s.order, s.id))
    many = len(periods) > 1
    summary = [
        [
            s.period.name,
            s.title,
            len(by_section.get(s, [])),
            sum(m.is_verified for m in by_section.get(s, [])),
            sum(not m.is_verified for m in by_section.get(s, [])),
            sum(m.is_highlight for m in by_section.get(s, [])),
        ]
        for s in sections
    ]
    tables = [Table("汇总", [Column(h) for h in SUMMARY_HEADER], summary, note="各板块的指标见后续各表。")]
    for section in sections:
        tables.append(
            Table(
                f"{section.period.name} {section.title}" if many else section.title,
                metric_columns(section.period),
                metric_rows(by_section.get(section, []), section.period),
                note=f"{section.period.name}（{section.period.start_year}—{section.period.end_year}年）",
            )
        )
    return Document(
        title="五年成就数据表",
        short_name="五年成就",
        source="本站“数说五年”指标库，显示值与网站页面一致",
        tables=tables,
        filters=[("时期", period.name if period else "全部时期")],
    )


# The 指标 import file: the template and the current data, in the columns achievements/importers.py reads ----------


def _years(period):
    return list(range(period.start_year, period.end_year + 1)) if period else []


def _import_columns(years):
    choices = import_columns.CHOICES
    return [Column(name, choices=tuple(choices.get(name, ()))) for name in import_columns.import_header(years)]


def _notes_table(period):
    example = f"，如“{period.name}”" if period else ""
    rows = [[column, required, note.format(example=example)] for column, required, note in import_columns.COLUMN_NOTES]
    rows += [[None, None, None], *([None, None, note] for note in import_columns.GENERAL_NOTES)]
    columns = [Column("列", width=16), Column("是否必填", width=10), Column("说明", width=100, wrap=True)]
    return Table("说明", columns, rows)


def _import_document(title, short_name, period, rows):
    return Document(
        title=title,
        short_name=short_name,
        source="本站“数说五年”指标库；列与“从表格导入”相同，填好或改好后可直接导入",
        tables=[Table("指标", _import_columns(_years(period)), rows), _notes_table(period)],
        filters=[("时期", period.name if period else "—")],
        header_first=True,  # the header is row 1, as the import reads it
    )


def import_rows(period):
    """The period's figures in the import columns: download, edit, import again."""
    years = _years(period)
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
            numbers.QUALIFIER_WORDS.get(metric.qualifier, metric.qualifier),
            import_columns.SCOPE_WRITTEN.get(metric.scope, metric.scope),
            metric.order,
            metric.is_highlight,
            metric.source_text,
            metric.source_document,
            *[values.get(year) for year in years],
        ]


def import_current_document(period):
    safe_name = re.sub(r'[\\/:*?"<>|\s]+', "", period.name) or "时期"
    return _import_document(f"指标当前数据：{period.name}", f"指标-{safe_name}", period, import_rows(period))


def import_template_document(period=None):
    """The import template: the header, one example row and a sheet 说明 explaining each column."""
    period = period or Period.objects.first()
    years = _years(period)
    section = period.sections.order_by("order", "id").first() if period else None
    example = [
        period.name if period else "滨州市工会第六次代表大会以来",
        section.title if section else "职工思想政治引领 工作成效显著",
        "（示例，请改写或删除此行）劳模工匠宣讲活动",
        520,
        "场",
        numbers.SUFFIXES[numbers.MORE],
        import_columns.SCOPE_WRITTEN[Metric.Scope.CUMULATIVE],
        None,
        False,
        "开展劳模工匠宣讲活动520余场",
        "《2023年工会统计年报》",
        *[(100 if year == years[-1] else None) for year in years],
    ]
    return _import_document("指标导入模板", "指标导入模板", period, [example])
