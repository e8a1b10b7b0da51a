"""报表中心: the reports staff send upward, their registry, the export log, and the admin pages that deliver them.

What each report contains lives beside its data (achievements/exports.py, news/exports.py, gallery/exports.py);
how a table becomes a file lives in union_site/reports/writers.py, the log in log.py. This module joins them for
a request or a command, importing each report's module by name (no string lookups).
"""

from dataclasses import dataclass
from types import ModuleType

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse

from achievements import exports as achievements_exports
from gallery import exports as gallery_exports
from news import exports as news_exports
from union_site.contributions import report as contributions_report
from union_site.inspection import export as inspection_export
from union_site.mailbox import reports as mailbox_reports
from union_site.models import ExportLog
from union_site.reports import annual
from union_site.reports import writers as exports
from union_site.reports.log import can_export, filters_for_log, logged, person


@dataclass(frozen=True)
class Report:
    name: str  # in URLs and on the command line
    title: str
    description: str
    module: ModuleType  # provides Form (the filters) and document(**cleaned_data) -> writers.Document

    def form(self, data=None):
        return self.module.Form(data, label_suffix="：")

    def document(self, cleaned_data):
        return self.module.document(**cleaned_data)


REPORTS = {
    report.name: report
    for report in [
        Report(
            "achievements",
            "五年成就数据表",
            "按时期、板块列出每项指标：显示值、原始数值、单位、修饰、口径、逐年数值、来源与核实情况。",
            achievements_exports,
        ),
        Report(
            "news",
            "新闻发布统计",
            "所选时间内各栏目逐月发布量、作者发稿量、稿件状态、阅读量前 20 篇、平均审核用时；可用于网站年度工作报表。",
            news_exports,
        ),
        Report(
            "gallery",
            "图片库清单",
            "每个相册的活动日期、照片数、缺少图片说明或替代文字的照片数、占用空间，以及待补充说明的照片明细。",
            gallery_exports,
        ),
        Report(
            "mailbox",
            "信箱办理情况",
            "主席信箱所选时间内按类型、逐月的收到、受理、办结、不予受理、超期件数，平均办理天数（工作日）和公开数，"
            "以及至今未答复、超期和超过 90 天的件数。只含件数，不含来信内容和个人信息。",
            mailbox_reports,
        ),
        Report(
            "contributions",
            "信息采用情况通报",
            "按月份或日期范围：各来稿单位按单位类型分组，列出报送篇数和官网、公众号、上级媒体采用篇数及得分并排名"
            "（得分相同为并列），再列出零报送单位和采用稿件明细；按通报格式落款发文单位和日期。各渠道分值在网站设置中调整。",
            contributions_report,
        ),
        Report(
            "annual",
            "网站年度工作报表",
            "按国家政府网站年度工作报表的格式：基本信息（网站名称、域名、网站标识码、主办单位、备案号）、"
            "各栏目全年信息发布数及合计、互动交流（主席信箱收到、办结、平均办理时间、公开答复数）、相册和照片数、"
            "数说五年数据更新数、栏目数。",
            annual,
        ),
        Report(
            "inspection",
            "网站巡检报告",
            "按国家政府网站检查指标自查本站：栏目和首页更新（单项否决项）、站内外失效链接与附件、数说五年数据核实、"
            "照片替代文字、主席信箱超期和超过 90 天未答复的来信，以及每个栏目的最近更新；供每月自查上报。",
            inspection_export,
        ),
    ]
}


# Admin pages -----------------------------------------------------------------------------------------------------


def _require_export(request):
    if not can_export(request.user):
        raise PermissionDenied


def report_center(request, forms=None, error="", status=200):
    _require_export(request)
    forms = forms or {}
    context = {
        **admin.site.each_context(request),
        "title": "报表中心",
        "reports": [(report, forms.get(report.name) or report.form()) for report in REPORTS.values()],
        "formats": exports.FORMATS,
        "error": error,
        "recent": ExportLog.objects.filter(user=request.user)[:10],
    }
    return TemplateResponse(request, "admin/reports/center.html", context, status=status)


def report_download(request, name):
    _require_export(request)
    report = REPORTS.get(name)
    if report is None:
        raise Http404("没有这个报表。")
    form = report.form(request.GET)
    fmt = request.GET.get("format", "")
    if fmt not in exports.FORMATS:
        return report_center(request, {name: form}, "请选择导出格式：Excel、CSV 或 PDF。", status=400)
    if not form.is_valid():
        return report_center(request, {name: form}, f"“{report.title}”的筛选条件有误，请按提示修改。", status=400)
    document = report.document(form.cleaned_data)
    document.generated_by = person(request.user)
    try:
        with logged(document, fmt, user=request.user, filters=filters_for_log(form.cleaned_data)) as on_done:
            return exports.export_response(document, fmt, on_done)
    except exports.ExportError as error:
        return report_center(request, {name: form}, str(error), status=503)
