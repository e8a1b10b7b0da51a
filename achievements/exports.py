"""五年成就数据表: every figure by period → section, as the public pages show it and with its provenance."""

from itertools import groupby

from django import forms
from django.db.models import Prefetch

from achievements.models import Metric, MetricValue, Period, Section
from union_site.reports.writers import Column, Document, Table

SUMMARY_HEADER = ["时期", "板块", "指标数", "已核实", "未核实", "首页重点展示"]


class Form(forms.Form):
    period = forms.ModelChoiceField(
        label="时期", queryset=Period.objects.order_by("-end_year", "name"), required=False, empty_label="全部时期"
    )


def metric_columns(period):
    years = [Column(f"{year}年") for year in range(period.start_year, period.end_year + 1)]
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
    years = range(period.start_year, period.end_year + 1)
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
    tables = [Table("汇总", [Column(h) for h in SUMMARY_HEADER], summary, note="每个板块一张工作表，见后续各表。")]
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
        source="本站“数说五年”指标库（achievements 应用），显示值与网站页面一致",
        tables=tables,
        filters=[("时期", period.name if period else "全部时期")],
    )
