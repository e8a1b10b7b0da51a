"""导出所选: the admin change lists' actions that download the selected records as Excel or CSV (issue #6).

The file has the columns the change list shows this user, labelled as there, with each value as a spreadsheet wants
it: numbers stay numbers, dates stay dates, booleans are 是/否 (union_site/reports/writers.py writes them), choices
read as their Chinese labels, related records as their names, and HTML a list column renders is reduced to its text. A
column that only shows a picture (a thumbnail) is kept, so the file lines up with the list, and comes out empty.

Rows are read from the database in chunks as the file is written, so a large selection never sits in memory.
"""

import html
import json
from datetime import date, datetime, time
from decimal import Decimal

from django.contrib import admin, messages
from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from union_site.models import ExportLog
from union_site.reports import writers as exports
from union_site.reports.log import can_export, logged, person

CHUNK_SIZE = 500  # rows fetched per database round trip (and prefetch_related still works per chunk)
LOGGED_IDS = 1000  # primary keys kept in the export log; the count is always logged
EXPORT_ACTIONS = ["export_selected_xlsx", "export_selected_csv"]


def _plain(value):
    """A value the change list would show, as a cell: None or blank is empty, HTML becomes its text."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal | date | datetime | time):
        return value
    if hasattr(value, "__html__"):
        # format_html/mark_safe output: the change list shows it rendered, so the file gets what a reader sees.
        # An <img> alone (a thumbnail) has no text and comes out empty.
        return html.unescape(strip_tags(str(value.__html__()))).strip()
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    text = str(value)  # lazy translations, model instances (their __str__), anything else
    return text if text.strip() else ""


class ExportSelectedMixin:
    """Adds 导出所选（Excel） and 导出所选（CSV） to a ModelAdmin's actions, for users who may export reports.
    Put it first in the bases; the admin's own `actions` are kept."""

    export_chunk_size = CHUNK_SIZE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django collects actions from `self.actions` only, and a subclass's list replaces a mixin's: add ours here.
        # `actions = None` (actions switched off) stays off.
        if self.actions is not None:
            self.actions = [*self.actions, *(name for name in EXPORT_ACTIONS if name not in self.actions)]

    def has_export_permission(self, request):
        return can_export(request.user)

    def get_export_fields(self, request):
        """The change list's columns for this user, without the selection checkbox."""
        return [name for name in self.get_list_display(request) if name != "action_checkbox"]

    @admin.action(description=_("导出所选（Excel）"), permissions=["export"])
    def export_selected_xlsx(self, request, queryset):
        return self.export_selected(request, queryset, exports.XLSX)

    @admin.action(description=_("导出所选（CSV）"), permissions=["export"])
    def export_selected_csv(self, request, queryset):
        return self.export_selected(request, queryset, exports.CSV)

    def export_selected(self, request, queryset, fmt):
        # `queryset` is the change list's own (its filters, ordering, list_select_related and get_queryset
        # annotations) narrowed to the selection, so values need no query per row.
        names = self.get_export_fields(request)
        plural = str(self.model._meta.verbose_name_plural)
        count = queryset.count()
        ids = [pk if isinstance(pk, int) else str(pk) for pk in queryset.values_list("pk", flat=True)[:LOGGED_IDS]]

        def rows():
            for obj in queryset.iterator(chunk_size=self.export_chunk_size):
                yield [self.export_value(name, obj) for name in names]

        document = exports.Document(
            title=f"{plural}（所选 {count} 条）",
            short_name=plural,
            source=f"后台“{plural}”列表所选记录",
            tables=[
                exports.Table(
                    title=plural,
                    columns=[exports.Column(str(label_for_field(name, self.model, self))) for name in names],
                    rows=rows(),
                )
            ],
            generated_by=person(request.user),
            filters=[("所选记录", f"{count} 条")],
        )
        log_as = {"user": request.user, "channel": ExportLog.Channel.ACTION, "filters": {"ids": ids, "count": count}}
        try:
            with logged(document, fmt, **log_as) as on_done:
                return exports.export_response(document, fmt, on_done)
        except exports.ExportError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None

    def export_value(self, name, obj):
        """One cell, read as the change list reads it (admin_list.items_for_result) but kept typed."""
        try:
            field, attr, value = lookup_field(name, obj, self)
        except ObjectDoesNotExist:
            return None
        if field is None or field.auto_created:
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            if boolean:
                return None if value is None else bool(value)
            return _plain(value)
        if isinstance(field.remote_field, models.ManyToOneRel):  # ForeignKey, OneToOneField: the record's name
            return None if value is None else str(value)
        if field.flatchoices:
            label = dict(field.flatchoices).get(value) if _hashable(value) else None
            if label is not None:
                return str(label)
            return _plain(value)  # a stored value no longer among the choices is kept rather than lost
        if isinstance(field, models.FileField):
            return value.name or None
        if isinstance(field, models.JSONField):
            return None if value is None else json.dumps(value, ensure_ascii=False, cls=field.encoder)
        return _plain(value)


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True
