"""报表中心: the reports staff send upward, their registry, the export log, and the admin pages that deliver them.

What each report contains lives beside its data (achievements/exports.py, news/exports.py, gallery/exports.py);
how a table becomes a file lives in union_site/exports.py. This module joins the two for a request or a command.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path

from union_site import exports
from union_site.models import ExportLog

EXPORT_PERMISSION = "union_site.export_report"


@dataclass(frozen=True)
class Report:
    name: str  # in URLs and on the command line
    title: str
    description: str
    module: str  # provides Form (the filters) and document(**cleaned_data) -> exports.Document

    @property
    def _module(self):
        return import_module(self.module)

    def form(self, data=None):
        return self._module.Form(data, label_suffix="：")

    def document(self, cleaned_data):
        return self._module.document(**cleaned_data)


REPORTS = {
    report.name: report
    for report in [
        Report(
            "achievements",
            "五年成就数据表",
            "按时期、板块列出每项指标：显示值、原始数值、单位、修饰、口径、逐年数值、来源与核实情况。",
            "achievements.exports",
        ),
        Report(
            "news",
            "新闻发布统计",
            "所选时间内各栏目逐月发布量、作者发稿量、稿件状态、阅读量前 20 篇、平均审核用时；可用于网站年度工作报表。",
            "news.exports",
        ),
        Report(
            "gallery",
            "图片库清单",
            "每个相册的活动日期、照片数、缺少图片说明或替代文字的照片数、占用空间，以及待补充说明的照片明细。",
            "gallery.exports",
        ),
        Report(
            "annual",
            "网站年度工作报表",
            "按国家政府网站年度工作报表的格式：基本信息（网站名称、域名、网站标识码、主办单位、备案号）、"
            "各栏目全年信息发布数及合计、相册和照片数、数说五年数据更新数、栏目数。",
            "union_site.annual",
        ),
    ]
}


def can_export(user):
    return user.is_active and user.has_perm(EXPORT_PERMISSION)


def person(user):
    """生成人 as printed on a report."""
    if user is None:
        return ""
    full_name = user.get_full_name()
    return f"{full_name}（{user.username}）" if full_name else user.username


@contextmanager
def logged(document, fmt, *, user=None, channel=ExportLog.Channel.ADMIN, filters=None, username=""):
    """Log the export written inside the block; gives the on_done callback that records its row count. The row is
    made first, so an export that breaks off halfway still shows who started it; one refused with an ExportError
    (nothing was written) leaves no row."""
    log = ExportLog.objects.create(
        user=user,
        username=user.username if user else username,
        report=document.title[: ExportLog._meta.get_field("report").max_length],
        format=fmt,
        filters=filters or {},
        channel=channel,
        filename=document.filename(fmt)[: ExportLog._meta.get_field("filename").max_length],
    )

    def on_done(row_count):
        ExportLog.objects.filter(pk=log.pk).update(row_count=row_count)

    try:
        yield on_done
    except exports.ExportError:
        log.delete()
        raise


def filters_for_log(cleaned_data):
    return {key: "" if value is None else str(value) for key, value in cleaned_data.items()}


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


app_name = "reports"
urlpatterns = [
    path("", admin.site.admin_view(report_center), name="center"),
    path("<slug:name>/", admin.site.admin_view(report_download), name="download"),
]
