from django import forms
from django.contrib import admin, messages
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from achievements.admin_import import metric_import_urls
from achievements.models import Honor, Metric, MetricValue, Period, Section
from union_site.checks.gate import ContentCheckAdminMixin, ContentCheckFormMixin
from union_site.common import generation
from union_site.common.concurrency import EditConflictMixin, RaceSafeAdminMixin
from union_site.common.history import HistoryAdmin
from union_site.reports.admin_actions import ExportSelectedMixin


class SectionInline(admin.TabularInline):
    model = Section
    fields = ["title", "order"]
    extra = 0
    show_change_link = True


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start_year", "end_year", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "headline"]
    inlines = [SectionInline]


class MetricInline(admin.TabularInline):
    model = Metric
    fields = ["order", "label", "value", "unit", "qualifier", "scope", "is_highlight", "display_value"]
    readonly_fields = ["display_value"]
    extra = 0
    show_change_link = True


class HonorInline(admin.TabularInline):
    model = Honor
    fields = ["order", "title", "recipient", "years", "issuer"]
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "period", "order"]
    list_editable = ["order"]
    list_filter = ["period"]
    search_fields = ["title", "summary"]
    inlines = [MetricInline, HonorInline]


class MetricValueInline(admin.TabularInline):
    model = MetricValue
    extra = 0


class MetricForm(ContentCheckFormMixin, EditConflictMixin, forms.ModelForm):
    checks_blocks = False  # a figure has no published flag of its own: its checks warn, never refuse

    class Meta:
        model = Metric
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def clean(self):
        cleaned = super().clean()
        self.check_content(publishing=False)
        return cleaned


@admin.register(Metric)
class MetricAdmin(ContentCheckAdminMixin, RaceSafeAdminMixin, ExportSelectedMixin, HistoryAdmin):
    form = MetricForm
    list_display = [
        "label",
        "display_value",
        "value",
        "unit",
        "qualifier",
        "scope",
        "section",
        "is_highlight",
        "verified",
        "updated_by",
        "updated_at",
    ]
    list_editable = ["value", "is_highlight"]
    list_filter = [
        "section__period",
        "section",
        "scope",
        "qualifier",
        "is_highlight",
        ("verified_on", admin.EmptyFieldListFilter),
    ]
    search_fields = ["label", "source_text", "source_document", "note"]
    list_select_related = ["section", "updated_by", "verified_by"]
    autocomplete_fields = ["source_article"]
    readonly_fields = ["display_value", "verified_by", "verified_on", "updated_by", "updated_at"]
    actions = ["mark_verified"]
    history_list_display = ["display_value"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "section",
                    "label",
                    ("value", "unit", "qualifier"),
                    "display_value",
                    "scope",
                    "order",
                    "is_highlight",
                    "loaded_version",
                ]
            },
        ),
        (
            _("来源与核实"),
            {
                "fields": [
                    "source_article",
                    "source_text",
                    "source_document",
                    "note",
                    ("verified_by", "verified_on"),
                    ("updated_by", "updated_at"),
                ]
            },
        ),
    ]
    inlines = [MetricValueInline]

    def get_urls(self):
        # 从表格导入 (button in admin/achievements/metric/change_list.html): upload, preview, confirm; downloads.
        return metric_import_urls(self) + super().get_urls()

    def has_verify_permission(self, request):
        return request.user.has_perm("achievements.verify_metric")

    @admin.display(description=_("核实"), boolean=True, ordering="verified_on")
    def verified(self, metric):
        return metric.is_verified

    @admin.action(description=_("标记为已核实"), permissions=["verify"])
    def mark_verified(self, request, queryset):
        # A change like any other: an open change form of these figures sees it (version, who and when).
        count = queryset.update(
            verified_by=request.user,
            verified_on=timezone.localdate(),
            updated_by=request.user,
            updated_at=timezone.now(),
            version=F("version") + 1,
        )
        generation.bump()  # 已核实 shows on the public page; update() sends no signal
        self.message_user(request, _("已核实 %(n)d 项指标。") % {"n": count}, messages.SUCCESS)


@admin.register(Honor)
class HonorAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "years", "issuer", "section"]
    list_filter = ["section__period", "section"]
    search_fields = ["title", "recipient", "issuer", "source_text"]
    list_select_related = ["section"]
