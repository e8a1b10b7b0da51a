"""网站巡检报告 as a file (报表中心, the 网站巡检 page, `manage.py inspect_site -o`): the report's verdict, its
findings, every column's last update and the rules applied, through the one writer (union_site/reports/writers.py)
with its provenance, for the monthly 自查 sent upward.

    Form                 no filters: the report is of the site as it is when it is made
    document(report=None) -> writers.Document (a new inspect_site() when no report is given)
"""

from django import forms
from django.utils import timezone

from union_site.inspection.findings import SEVERITIES
from union_site.inspection.report import inspect_site
from union_site.reports.writers import Column, Document, Table

TITLE = "网站巡检报告"
SOURCE = (
    "本站数据库与文件存储（栏目、文章、附件、友情链接、数说五年、相册、主席信箱）；外部链接为后台任务最近一次访问的结果"
)


class Form(forms.Form):
    """网站巡检报告 has no filters."""


def document(report=None):
    report = report or inspect_site()
    return Document(
        title=TITLE,
        short_name="网站巡检",
        source=SOURCE,
        tables=[_summary(report), _findings(report), _columns(report), _rules(report)],
        generated_at=report.generated_at,
    )


def _summary(report):
    counts = report.counts
    newest = report.newest_article_at
    columns = report.columns
    blank, exempt = sum(s.is_blank for s in columns), sum(s.is_exempt for s in columns)
    overdue = sum(s.is_overdue and not s.is_blank for s in columns)
    rows = [
        ["巡检结论", report.verdict],
        *[[f"{severity}问题", counts[severity]] for severity in SEVERITIES],
        [
            "首页最近更新",
            f"{timezone.localtime(newest):%Y-%m-%d}，距今 {report.newest_article_days} 天"
            if newest
            else "没有公开文章",
        ],
        [
            "栏目",
            f"共 {len(columns)} 个：空白 {blank} 个，超期未更新 {overdue} 个，不查更新 {exempt} 个",
        ],
        *[[section.title, _section_result(section)] for section in report.sections],
    ]
    return Table("概况", [Column("项目", width=24), Column("结果", width=90, wrap=True)], rows)


def _section_result(section):
    if not section.available:
        return section.note
    counts = "，".join(f"{severity} {section.count(severity)}" for severity in SEVERITIES if section.count(severity))
    result = f"{len(section.findings)} 项（{counts}）" if section.findings else "未发现问题"
    return f"{result}。{section.note}" if section.note else result


def _findings(report):
    order = {severity: index for index, severity in enumerate(SEVERITIES)}
    rows = sorted(
        (
            [f.severity, section.title, f.what, f.where, f.url, f.fix_url]
            for section in report.sections
            for f in section.findings
        ),
        key=lambda row: order[row[0]],
    )
    return Table(
        "问题清单",
        [
            Column("级别", width=10),
            Column("类别", width=16),
            Column("问题", width=60, wrap=True),
            Column("位置", width=30, wrap=True),
            Column("网页", width=24),
            Column("后台处理", width=36),
        ],
        rows,
        note="网页和后台处理为本站地址，前面加上网站域名即可打开。",
    )


def _columns(report):
    rows = [
        [
            state.column.name,
            state.column.update_days,
            timezone.localtime(state.last_published) if state.last_published else "—",
            state.days_since,
            state.status,
        ]
        for state in report.columns
    ]
    headers = [Column("栏目", width=20), Column("更新周期（天）"), Column("最近一篇公开文章", width=18)]
    return Table("栏目更新情况", [*headers, Column("距今（天）"), Column("状态")], rows)


def _rules(report):
    rows = [[section.title, section.rule] for section in report.sections]
    return Table("检查规则", [Column("类别", width=24), Column("规则与依据", width=100, wrap=True)], rows)
