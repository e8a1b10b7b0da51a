"""The 指标 admin's 从表格导入 pages: upload → preview → confirm, and the template / current-data downloads.

The rules are in achievements/importers.py and the downloads in achievements/exports.py (written by the report
writers and logged like every other export); this module only handles the requests. Between preview and confirm
the uploaded file waits on the server (PRIVATE_ROOT/imports/<token>, outside the public media folder), its token in
the session; confirming reads and checks it again, since the figures may have changed in the meantime.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from achievements import exports, importers
from achievements.models import Period
from union_site.common import staging
from union_site.models import ExportLog
from union_site.reports.log import logged, person
from union_site.reports.writers import XLSX, export_response

SESSION_KEY = "achievements_import"

EXPIRED = (
    "这次导入已失效（预览后超过一天未确认、已在别处确认，或已上传了另一个文件），没有保存任何数据。请重新上传文件。"
)
CHANGED = "预览之后，网站上的指标数据有了变化。请重新核对下表，无误后再点“确认导入”。"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="表格文件",
        help_text=f"Excel（.xlsx）或 CSV，最大 {importers.MAX_FILE_BYTES // (1024 * 1024)} MB、"
        f"{importers.MAX_ROWS} 行。",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def metric_import_urls(model_admin):
    """URLs for MetricAdmin.get_urls(), before the admin's own (whose <path:object_id>/ would catch them)."""
    view = model_admin.admin_site.admin_view

    def bind(function):
        def bound(request, **kwargs):
            return function(model_admin, request, **kwargs)

        return view(bound)

    return [
        path("import/", bind(import_view), name="achievements_metric_import"),
        path("import/template/", bind(template_view), name="achievements_metric_import_template"),
        path("import/current/<int:period_id>/", bind(export_view), name="achievements_metric_import_current"),
    ]


def _check_permission(model_admin, request):
    """Importing adds and changes figures: 编辑 and 审核 may, 报表 may not."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied


def import_view(model_admin, request):
    _check_permission(model_admin, request)
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(model_admin, request)
    if request.method == "POST":
        return _preview(model_admin, request)
    return _render(model_admin, request, ImportForm())


def _preview(model_admin, request):
    form = ImportForm(request.POST, request.FILES)
    _forget(request)  # a new upload replaces any earlier preview
    if not form.is_valid():
        return _render(model_admin, request, form)
    upload = form.cleaned_data["file"]
    try:
        data = upload.read(importers.MAX_FILE_BYTES + 1)  # read_rows() refuses anything longer
        plan = importers.plan_import(importers.read_rows(data), request.user)
    except importers.ImportFileError as error:
        form.add_error("file", str(error))
        return _render(model_admin, request, form)
    token = None
    if plan.is_valid and plan.has_changes:
        token = staging.stage(data)
        request.session[SESSION_KEY] = {"token": token, "name": upload.name, "fingerprint": plan.fingerprint()}
    return _render(model_admin, request, ImportForm(), plan=plan, token=token, file_name=upload.name)


def _confirm(model_admin, request):
    stored = request.session.get(SESSION_KEY) or {}
    token = request.POST.get("token", "")
    data = staging.staged(token) if token and stored.get("token") == token else None
    if data is None:
        _forget(request)
        messages.error(request, EXPIRED)
        return redirect("admin:achievements_metric_import")
    try:
        plan = importers.plan_import(importers.read_rows(data), request.user)
    except importers.ImportFileError as error:  # the same bytes read fine at preview; only if the rules changed
        _forget(request)
        messages.error(request, str(error))
        return redirect("admin:achievements_metric_import")
    name = stored.get("name", "")
    if not plan.is_valid or not plan.has_changes:
        _forget(request)
        messages.warning(request, CHANGED)
        return _render(model_admin, request, ImportForm(), plan=plan, file_name=name)
    if plan.fingerprint() != stored.get("fingerprint"):
        request.session[SESSION_KEY] = {**stored, "fingerprint": plan.fingerprint()}
        messages.warning(request, CHANGED)
        return _render(model_admin, request, ImportForm(), plan=plan, token=token, file_name=name)
    counts = importers.apply_import(plan, request.user)
    _forget(request)
    messages.success(
        request,
        f"已导入：新增 {counts[importers.NEW]} 项，更新 {counts[importers.UPDATED]} 项，"
        f"年度数值 {counts[importers.YEARLY]} 条",
    )
    return redirect("admin:achievements_metric_changelist")


def _render(model_admin, request, form, plan=None, token=None, file_name=""):
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "title": "从表格导入指标",
        "form": form,
        "plan": plan,
        "token": token,
        "file_name": file_name,
        "periods": Period.objects.all(),
        "columns": importers.IMPORT_COLUMNS,
        "required_columns": importers.REQUIRED_COLUMNS,
        "changelist_url": reverse("admin:achievements_metric_changelist"),
    }
    return TemplateResponse(request, "admin/achievements/metric/import.html", context)


def template_view(model_admin, request):
    _check_permission(model_admin, request)
    return _download(request, exports.import_template_document())


def export_view(model_admin, request, period_id):
    _check_permission(model_admin, request)
    period = get_object_or_404(Period, pk=period_id)
    return _download(request, exports.import_current_document(period), filters={"period": str(period.pk)})


def _download(request, document, filters=None):
    document.generated_by = person(request.user)
    with logged(document, XLSX, user=request.user, channel=ExportLog.Channel.ADMIN, filters=filters) as done:
        return export_response(document, XLSX, done)


# The uploaded file between preview and confirm ------------------------------------------------------------------


def _forget(request):
    stored = request.session.pop(SESSION_KEY, None) or {}
    staging.discard(stored.get("token", ""))
