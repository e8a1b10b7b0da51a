"""The 审计日志 page (superusers only): filters, the list newest first, pages of 50, and the same list as Excel or CSV
through the report writer (provenance on top, logged like every export)."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from union_site.audit import entries as audit
from union_site.reports import writers as exports
from union_site.reports.log import filters_for_log, logged, person

PER_PAGE = 50
EXPORT_FORMATS = {exports.XLSX: "导出 Excel", exports.CSV: "导出 CSV"}
COLUMNS = [
    exports.Column("时间（北京时间）", width=18),
    exports.Column("人员", width=24),
    exports.Column("类别", width=10),
    exports.Column("对象", width=40, wrap=True),
    exports.Column("详情", width=60, wrap=True),
    exports.Column("IP 地址", width=16),
]


class AuditFilterForm(forms.Form):
    person = forms.CharField(
        label="人员", required=False, max_length=150, help_text="用户名，如 editor", widget=forms.TextInput()
    )
    kind = forms.ChoiceField(label="类别", required=False)
    date_from = forms.DateField(label="开始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="结束日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "全部"), *audit.kinds()]
        self.fields["person"].widget.attrs["list"] = "audit-people"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("开始日期不能晚于结束日期。")
        return data

    def filters(self):
        """The cleaned filters for audit_rows (empty when the form is not valid: then the page shows everything)."""
        return {key: value for key, value in self.cleaned_data.items() if value} if self.is_valid() else {}

    def described(self):
        """[(label, value)] as a person reads them, for the export's provenance."""
        labels = dict(self.fields["kind"].choices)
        shown = []
        for key, value in self.filters().items():
            shown.append((self.fields[key].label, labels[value] if key == "kind" else str(value)))
        return shown


def _require_superuser(request):
    if not request.user.is_superuser:
        raise PermissionDenied


def audit_log(request, error="", status=200):
    _require_superuser(request)
    form = AuditFilterForm(request.GET)
    page = Paginator(audit.audit_rows(**form.filters()), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        **admin.site.each_context(request),
        "title": "审计日志",
        "form": form,
        "page": page,
        "entries": audit.entries(page.object_list),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "people": get_user_model().objects.order_by("username").values_list("username", flat=True)[:500],
        "formats": EXPORT_FORMATS,
        "axes_installed": audit.axes_installed(),
        "error": error,
    }
    return TemplateResponse(request, "admin/audit/log.html", context, status=status)


def audit_document(form, user):
    filters = form.filters()
    return exports.Document(
        title="审计日志",
        short_name="审计日志",
        source="后台操作记录（新增、修改、删除）、导出记录"
        + ("、登录记录与登录失败记录（登录保护）" if audit.axes_installed() else ""),
        tables=[
            exports.Table(
                title="审计日志",
                columns=COLUMNS,
                rows=(audit.entry_row(entry) for entry in audit.all_entries(**filters)),
                note="按时间倒序",
            )
        ],
        generated_by=person(user),
        filters=form.described(),
    )


def audit_export(request):
    _require_superuser(request)
    form = AuditFilterForm(request.GET)
    fmt = request.GET.get("format", "")
    if fmt not in EXPORT_FORMATS:
        return audit_log(request, "请选择导出格式：Excel 或 CSV。", status=400)
    if not form.is_valid():
        return audit_log(request, "筛选条件有误，请按提示修改后再导出。", status=400)
    document = audit_document(form, request.user)
    with logged(document, fmt, user=request.user, filters=filters_for_log(form.cleaned_data)) as on_done:
        return exports.export_response(document, fmt, on_done)
