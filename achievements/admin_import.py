"""The 指标 admin's 从表格导入 pages: upload → preview → confirm (union_site/common/table_import.py), and the template /
current-data downloads.

The rules are in achievements/importers.py and the downloads in achievements/exports.py (written by the report
writers and logged like every other export); this module only names what is particular to the figures.
"""

from django.shortcuts import get_object_or_404

from achievements import exports, importers
from achievements.models import Period
from union_site.common.table_import import TableImport
from union_site.reports.log import admin_download


class MetricImport(TableImport):
    noun = "指标数据"
    title = "从表格导入指标"
    template = "admin/achievements/metric/import.html"
    url_name = "achievements_metric_import"
    session_key = "achievements_import"
    max_file_bytes, max_rows = importers.MAX_FILE_BYTES, importers.MAX_ROWS

    def plan(self, data, user):
        return importers.plan_import(importers.read_rows(data), user)

    def apply(self, plan, user):
        counts = importers.apply_import(plan, user)
        return (
            f"已导入：新增 {counts[importers.NEW]} 项，更新 {counts[importers.UPDATED]} 项，"
            f"年度数值 {counts[importers.YEARLY]} 条"
        )

    def context(self):
        return {
            "periods": Period.objects.all(),
            "columns": importers.IMPORT_COLUMNS,
            "required_columns": importers.REQUIRED_COLUMNS,
        }


def metric_import_urls(model_admin):
    """URLs for MetricAdmin.get_urls()."""
    return MetricImport.urls(
        model_admin,
        [
            ("import/template/", template_view, "achievements_metric_import_template"),
            ("import/current/<int:period_id>/", export_view, "achievements_metric_import_current"),
        ],
    )


def template_view(flow, request):
    return admin_download(request, exports.import_template_document())


def export_view(flow, request, period_id):
    period = get_object_or_404(Period, pk=period_id)
    return admin_download(request, exports.import_current_document(period), filters={"period": str(period.pk)})
