"""Admin history pages (django-simple-history) that read well in Chinese: who, when (Beijing time, to the minute),
what changed as text (choices by their label, times in Beijing time, rich text as a word-level diff of its text with
its pictures and files named), the 修改原因 column only when a version has one, and restores labelled as such."""

from django.contrib.admin.utils import label_for_field, unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.html import conditional_escape
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from union_site.common.text_diff import file_name, rich_text_change

EMPTY = "（空）"
REASON_LENGTH = 100  # django-simple-history's history_change_reason
RESTORE_PREFIX = "还原到"


def minute(moment):
    """A time as the history shows it: Beijing time, to the minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else EMPTY


def person(user):
    if user is None:
        return "系统"
    return user.get_full_name() or user.get_username()


def restore_reason(record):
    """The 修改原因 of a save that restores `record`: 还原到 2026-03-05 14:05 张三 的版本."""
    return f"{RESTORE_PREFIX} {minute(record.history_date)} {person(record.history_user)} 的版本"


def joined_reason(first, second):
    text = "；".join(part for part in (first, second) if part)
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


class ReadableChangesHelper(HistoricalRecordContextHelper):
    """Each change as a person reads it: 草稿 → 已发布, 2026-12-02 05:27 (not UTC with microseconds), 是/否, a file by
    its name; rich text fields (`rich_text_fields`) as what changed in their text, not their markup."""

    def __init__(self, model, historical_record, rich_text_fields=()):
        super().__init__(model, historical_record)
        self.rich_text_fields = set(rich_text_fields)

    def context_for_delta_changes(self, delta):
        rows = []
        for change in delta.changes:
            field = self.model._meta.get_field(change.field)
            row = {"field": str(field.verbose_name), "name": change.field}
            if change.field in self.rich_text_fields:
                row["diff"] = rich_text_change(change.old, change.new)
            else:
                row["old"], row["new"] = (conditional_escape(self.readable(field, v)) for v in (change.old, change.new))
            rows.append(row)
        return rows

    def readable(self, field, value):
        if value is None or value == "":
            return EMPTY
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(field, models.BooleanField):
            return "是" if value else "否"
        if isinstance(field, models.DateTimeField):
            return minute(value)
        if isinstance(field, models.FileField):
            return file_name(getattr(value, "name", value))
        if isinstance(field, models.ForeignKey) and isinstance(value, models.Model) and hasattr(value, "get_username"):
            return person(value)
        text = str(value)
        return text if len(text) <= 120 else text[:119] + "…"


class HistoryAdmin(SimpleHistoryAdmin):
    """History list with who/when/what changed, each version viewable and restorable. Restoring is a change like any
    other: it takes the right to change the object as it is now (not as the old version was), and saves through the
    admin's form, with that form's rules; its 修改原因 says which version it brought back."""

    object_history_template = "admin/history/object_history.html"
    object_history_list_template = "admin/history/object_history_list.html"
    history_rich_text_fields = ()  # rich text fields, shown as a diff of their text

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChangesHelper(self.model, historical_record, self.history_rich_text_fields)

    def history_view(self, request, object_id, extra_context=None):
        columns = [
            str(label_for_field(name, self.model, model_admin=self)) for name in self.get_history_list_display(request)
        ]
        return super().history_view(request, object_id, {"history_columns": columns, **(extra_context or {})})

    def history_view_title(self, request, obj):
        return f"修改历史：{obj}"

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return f"查看历史版本：{obj}"
        return f"还原历史版本：{obj}（保存即还原到这个版本）"

    def current(self, obj):
        """The row as it is now, for `obj` (an old version's instance, or the row itself)."""
        if obj is None or obj.pk is None:
            return obj
        return self.model._default_manager.filter(pk=obj.pk).first() or obj

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":  # django-simple-history itself asks only for the right to view
            current = self.get_object(request, unquote(object_id))
            if current is None or not (
                self.has_change_permission(request, current) and self.has_change_history_permission(request, current)
            ):
                raise PermissionDenied
            history = self.model.history.model  # the version being restored, for its 修改原因
            request._history_restored = history.objects.filter(
                **{self.model._meta.pk.attname: unquote(object_id), "history_id": version_id}
            ).first()
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        restored = getattr(request, "_history_restored", None)
        if restored is not None:
            obj._change_reason = joined_reason(restore_reason(restored), getattr(obj, "_change_reason", ""))
        super().save_model(request, obj, form, change)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, self.current(obj))
