"""An admin's 从表格导入 pages, the same for every import: upload → preview → confirm.

    TableImport            subclass it per import: names, template, and three hooks
        .plan(data, user)      -> a plan (PlanErrors below), raising spreadsheets.SpreadsheetError for the file
        .apply(plan, user)     -> the success message, after saving the whole plan in one transaction
        .context()             -> what the page shows besides the plan (downloads, required columns ...)
    TableImport.urls(model_admin, extra)   -> the import URL (and extra ones) for ModelAdmin.get_urls()
    PlanErrors             rows + file_errors -> row_errors, errors, is_valid, counts() for a plan dataclass
    KeyedPlan              a PlanErrors dataclass whose rows have `key` and `values`: has_changes, fingerprint()
    find_columns(sheet, plan, columns, required, note)   the header's known columns; missing ones a file error
    RowError, ImportRefused, HEADER_ONLY   a row's problem, a plan with errors applied, a file of only a header

Between preview and confirm the uploaded file waits on the server (staging.py), its token in the session; confirming
plans it again, since the data may have changed in the meantime: a different outcome is shown again, never saved
unseen. The page is admin/table_import.html, whose blocks each import's template fills.
"""

import hashlib
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from union_site.common import spreadsheets, staging

NEW, UPDATED, UNCHANGED, ERROR = "新增", "更新", "不变", "错误"

EXPIRED = (
    "这次导入已失效（预览后超过一天未确认、已在别处确认，或已上传了另一个文件），没有保存任何{noun}。请重新上传文件。"
)
CHANGED = "预览之后，网站上的{noun}有了变化。请重新核对下表，无误后再点“确认导入”。"


HEADER_ONLY = "表格里只有表头，没有要导入的行。"


@dataclass
class PlannedRowBase:
    """A row of a plan: its number as Excel shows it, what applying it does and its errors. An importer's row adds
    its cells as dataclass fields after `number`."""

    number: int
    action: str = field(default="", kw_only=True)  # 新增 / 更新 / 不变; empty when the row has errors
    errors: list = field(default_factory=list, kw_only=True)

    def refuse(self, reason):
        self.errors.append(RowError(self.number, reason))
        self.action = ""


@dataclass
class RowError:
    """A row's problem (or the file's, row None), as the preview lists it: 第 3 行：…"""

    row: int | None  # as Excel shows it (the header is row 1); None for the file as a whole
    reason: str

    def __str__(self):
        return f"第 {self.row} 行：{self.reason}" if self.row else self.reason


class ImportRefused(Exception):
    """apply_import() was given a plan with errors."""


class PlanErrors:
    """For a plan dataclass with `rows` (each with `errors` and `action`) and `file_errors`."""

    @property
    def row_errors(self):
        return [error for row in self.rows for error in row.errors]

    @property
    def errors(self):
        return self.file_errors + self.row_errors

    @property
    def is_valid(self):
        return not self.errors

    def counts(self):
        counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0, ERROR: 0}
        for row in self.rows:
            counts[row.action or ERROR] += 1
        return counts

    def row_summary(self):
        c = self.counts()
        return f"共 {len(self.rows)} 行：新增 {c[NEW]}，更新 {c[UPDATED]}，不变 {c[UNCHANGED]}；错误 {c[ERROR]} 行"


@dataclass
class KeyedPlan(PlanErrors):
    """A plan whose rows each name what they are (`row.key`: the word, the unit's name) and what they set
    (`row.values`): the 词库's and the 来稿单位's imports."""

    rows: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)

    @property
    def has_changes(self):
        return any(row.action in {NEW, UPDATED} for row in self.rows)

    def summary(self):
        return self.row_summary()

    def fingerprint(self):
        """Changes when anything the preview showed would change: the confirm page applies only what was seen."""
        parts = [(row.number, row.key, tuple(row.values.items()), row.action) for row in self.rows]
        return hashlib.sha256(repr((parts, [str(e) for e in self.errors])).encode()).hexdigest()


def find_columns(sheet, plan, columns, required, optional_note):
    """{column name: index} of the known `columns` in `sheet`'s header (the first of a repeated one); a missing
    `required` one is a file error naming the expected header."""
    found = {}
    for index, cell in enumerate(sheet.header):
        name = spreadsheets.header_name(cell)
        if name in columns and name not in found:
            found[name] = index
    missing = [name for name in required if name not in found]
    if missing:
        plan.file_errors.append(
            RowError(
                None, f"缺少必需的列：{'、'.join(missing)}。第一行应是表头：{'、'.join(columns)}（{optional_note}）。"
            )
        )
    return found


class ImportForm(forms.Form):
    file = forms.FileField(label="表格文件", widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = help_text


class TableImport:
    noun = ""  # what the import saves, in the messages: 指标数据, 跳转
    title = ""  # the page's title
    template = ""  # extends admin/table_import.html
    url_name = ""  # the import page's URL name (in the admin namespace)
    session_key = ""
    max_file_bytes = spreadsheets.MAX_FILE_BYTES
    max_rows = spreadsheets.MAX_ROWS
    file_help = ""  # what the file must hold, after the size limits

    def __init__(self, model_admin):
        self.model_admin = model_admin

    # The hooks -------------------------------------------------------------------------------------------------

    def plan(self, data, user):
        raise NotImplementedError

    def apply(self, plan, user):
        raise NotImplementedError

    def context(self):
        return {}

    # The pages -------------------------------------------------------------------------------------------------

    @classmethod
    def urls(cls, model_admin, extra=()):
        """[path("import/")] and the (route, view(flow, request, **kwargs), name) in extra, each checked and bound
        to a flow for model_admin; before the admin's own URLs (whose <path:object_id>/ would catch them)."""
        admin_view = model_admin.admin_site.admin_view

        def bind(function):
            def bound(request, **kwargs):
                flow = cls(model_admin)
                flow.check_permission(request)
                return function(flow, request, **kwargs)

            return admin_view(bound)

        routes = [("import/", cls.view, cls.url_name), *extra]
        return [path(route, bind(function), name=name) for route, function, name in routes]

    def check_permission(self, request):
        """Importing adds and changes rows: who may do both in this admin may import."""
        admin = self.model_admin
        if not (admin.has_add_permission(request) and admin.has_change_permission(request)):
            raise PermissionDenied

    def view(self, request):
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request)
        if request.method == "POST":
            return self._preview(request)
        return self._render(request, self._form())

    def _form(self, *args):
        limits = f"最大 {self.max_file_bytes // (1024 * 1024)} MB、{self.max_rows} 行"
        return ImportForm(*args, help_text=f"Excel（.xlsx）或 CSV，{self.file_help}{limits}。")

    def _preview(self, request):
        form = self._form(request.POST, request.FILES)
        self._forget(request)  # a new upload replaces any earlier preview
        if not form.is_valid():
            return self._render(request, form)
        upload = form.cleaned_data["file"]
        try:
            data = upload.read(self.max_file_bytes + 1)  # the sheet reader refuses anything longer
            plan = self.plan(data, request.user)
        except spreadsheets.SpreadsheetError as error:
            form.add_error("file", str(error))
            return self._render(request, form)
        token = None
        if plan.is_valid and plan.has_changes:
            token = staging.stage(data)
            request.session[self.session_key] = {"token": token, "name": upload.name, "fingerprint": plan.fingerprint()}
        return self._render(request, self._form(), plan=plan, token=token, file_name=upload.name)

    def _confirm(self, request):
        stored = request.session.get(self.session_key) or {}
        token = request.POST.get("token", "")
        data = staging.staged(token) if token and stored.get("token") == token else None
        if data is None:
            return self._start_again(request, EXPIRED.format(noun=self.noun))
        try:
            plan = self.plan(data, request.user)
        except spreadsheets.SpreadsheetError as error:  # read fine at preview; only if the rules changed meanwhile
            return self._start_again(request, str(error))
        name = stored.get("name", "")
        changed = CHANGED.format(noun=self.noun)
        if not plan.is_valid or not plan.has_changes:
            self._forget(request)
            messages.warning(request, changed)
            return self._render(request, self._form(), plan=plan, file_name=name)
        if plan.fingerprint() != stored.get("fingerprint"):
            request.session[self.session_key] = {**stored, "fingerprint": plan.fingerprint()}
            messages.warning(request, changed)
            return self._render(request, self._form(), plan=plan, token=token, file_name=name)
        text = self.apply(plan, request.user)
        self._forget(request)
        messages.success(request, text)
        return redirect(self._changelist_url())

    def _start_again(self, request, message):
        self._forget(request)
        messages.error(request, message)
        return redirect(f"admin:{self.url_name}")

    def _forget(self, request):
        stored = request.session.pop(self.session_key, None) or {}
        staging.discard(stored.get("token", ""))

    def _changelist_url(self):
        opts = self.model_admin.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

    def _render(self, request, form, plan=None, token=None, file_name=""):
        opts = self.model_admin.model._meta
        context = {
            **self.model_admin.admin_site.each_context(request),
            "opts": opts,
            "app_label": opts.app_label,
            "title": self.title,
            "form": form,
            "plan": plan,
            "token": token,
            "file_name": file_name,
            "import_url": reverse(f"admin:{self.url_name}"),
            "changelist_url": self._changelist_url(),
            **self.context(),
        }
        return TemplateResponse(request, self.template, context)
