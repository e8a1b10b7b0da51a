"""The 网站巡检 page at /admin/inspection/report/ (审核 and superusers: inspection.view_report), and its button that
queues a check of the external links. The page reads what is stored; it never asks another site."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from union_site.inspection import external
from union_site.inspection.findings import SEVERITIES
from union_site.inspection.models import Report
from union_site.inspection.report import inspect_site
from union_site.reports import writers
from union_site.reports.log import can_export

EXPORT_FORMATS = {writers.XLSX: "导出 Excel", writers.PDF: "导出 PDF"}


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Only the page: Report has no rows, so none of the admin's own views of rows is offered."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("", wrap(self.changelist_view), name=f"{name}_changelist"),
            path("check-external/", wrap(self.check_external_view), name=f"{name}_check_external"),
        ]

    def _require_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def changelist_view(self, request, extra_context=None):
        self._require_view(request)
        report = inspect_site()
        context = {
            **self.admin_site.each_context(request),
            "title": "网站巡检",
            "opts": self.opts,
            "report": report,
            "severities": [(severity, report.count(severity)) for severity in SEVERITIES],
            "export_formats": EXPORT_FORMATS if can_export(request.user) else {},
            "export_url": reverse("reports:download", args=["inspection"]),
        }
        return TemplateResponse(request, "admin/inspection/report.html", context)

    def check_external_view(self, request):
        self._require_view(request)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if external.enqueue_external_check():
            messages.success(request, "已加入后台任务：外部链接检查通常几分钟内完成，完成后刷新本页即可看到结果。")
        else:
            messages.warning(request, "外部链接检查已在排队或正在进行，请稍后刷新本页。")
        return redirect("admin:inspection_report_changelist")
