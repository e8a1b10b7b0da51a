"""The 重定向 admin's 从表格导入 pages: upload → preview → confirm, and the template to download (Excel or CSV).

The rules are importer.py's; this module only handles the requests, as achievements/admin_import.py does for the
figures. Between preview and confirm the file waits on the server (union_site/common/staging.py), its token in the
session; confirming reads and checks it again, since the redirects may have changed in the meantime.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from union_site.common import staging
from union_site.models import ExportLog
from union_site.redirects import importer, store
from union_site.reports.log import logged, person
from union_site.reports.writers import CSV, XLSX, Column, Document, Table, export_response

SESSION_KEY = "redirects_import"
EXPIRED = (
    "这次导入已失效（预览后超过一天未确认、已在别处确认，或已上传了另一个文件），没有保存任何跳转。请重新上传文件。"
)
CHANGED = "预览之后，网站上的跳转有了变化。请重新核对下表，无误后再点“确认导入”。"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="表格文件",
        help_text=f"Excel（.xlsx）或 CSV，含“旧地址”“新地址”两列；最大 {importer.MAX_FILE_BYTES // (1024 * 1024)} MB、"
        f"{importer.MAX_ROWS} 行。",
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )


def redirect_import_urls(model_admin):
    """URLs for RedirectAdmin.get_urls(), before the admin's own (whose <path:object_id>/ would catch them)."""
    view = model_admin.admin_site.admin_view

    def bind(function):
        def bound(request, **kwargs):
            return function(model_admin, request, **kwargs)

        return view(bound)

    return [
        path("import/", bind(import_view), name="redirects_redirect_import"),
        path("import/template.<str:fmt>", bind(template_view), name="redirects_redirect_import_template"),
    ]


def _check_permission(model_admin, request):
    """Importing adds and changes redirects: 审核 may (union_site/roles.py), 编辑 and 报表 may not."""
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
        data = upload.read(importer.MAX_FILE_BYTES + 1)  # read_rows() refuses anything longer
        plan = importer.plan_import(importer.read_rows(data))
    except importer.ImportFileError as error:
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
        return redirect("admin:redirects_redirect_import")
    try:
        plan = importer.plan_import(importer.read_rows(data))
    except importer.ImportFileError as error:  # read fine at preview; only if the rules changed meanwhile
        _forget(request)
        messages.error(request, str(error))
        return redirect("admin:redirects_redirect_import")
    name = stored.get("name", "")
    if not plan.is_valid or not plan.has_changes:
        _forget(request)
        messages.warning(request, CHANGED)
        return _render(model_admin, request, ImportForm(), plan=plan, file_name=name)
    if plan.fingerprint() != stored.get("fingerprint"):
        request.session[SESSION_KEY] = {**stored, "fingerprint": plan.fingerprint()}
        messages.warning(request, CHANGED)
        return _render(model_admin, request, ImportForm(), plan=plan, token=token, file_name=name)
    saved = importer.apply_import(plan)
    _forget(request)
    text = f"已导入：新增 {saved.count(store.NEW)} 条，更新 {saved.count(store.UPDATED)} 条"
    if saved.repointed:
        text += f"；另有 {saved.repointed} 条原有跳转改为直接指向新地址"
    messages.success(request, text)
    return redirect("admin:redirects_redirect_changelist")


def _forget(request):
    stored = request.session.pop(SESSION_KEY, None) or {}
    staging.discard(stored.get("token", ""))


def _render(model_admin, request, form, plan=None, token=None, file_name=""):
    opts = model_admin.model._meta
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "app_label": opts.app_label,
        "title": "从表格导入重定向",
        "form": form,
        "plan": plan,
        "token": token,
        "file_name": file_name,
        "columns": importer.COLUMNS,
        "changelist_url": reverse("admin:redirects_redirect_changelist"),
    }
    return TemplateResponse(request, "admin/redirects/redirect/import.html", context)


# The template to download --------------------------------------------------------------------------------------


def template_document(fmt):
    """The header and two example rows; in Excel also a sheet 说明 (a CSV holds one table, the one imported)."""
    columns = [Column(importer.OLD, width=60), Column(importer.NEW, width=40), Column(importer.NOTE, width=60)]
    tables = [Table("重定向", columns, importer.TEMPLATE_ROWS)]
    if fmt == XLSX:
        notes = [Column("列", width=12), Column("是否必填", width=10), Column("说明", width=90, wrap=True)]
        tables.append(Table("说明", notes, [list(note) for note in importer.TEMPLATE_NOTES]))
    return Document(
        title="重定向导入模板",
        short_name="重定向导入模板",
        source="旧地址 → 新地址；填好后在 后台 › 重定向 › 从表格导入 上传",
        tables=tables,
        header_first=True,  # the header is row 1, as the import reads it
    )


def template_view(model_admin, request, fmt):
    _check_permission(model_admin, request)
    if fmt not in {XLSX, CSV}:
        raise Http404
    document = template_document(fmt)
    document.generated_by = person(request.user)
    with logged(document, fmt, user=request.user, channel=ExportLog.Channel.ADMIN) as done:
        return export_response(document, fmt, done)
