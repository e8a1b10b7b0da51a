from django.contrib import admin

from achievements.models import Honor, Metric, MetricValue, Period, Section


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


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["label", "display_value", "value", "unit", "qualifier", "scope", "section", "is_highlight"]
    list_editable = ["value", "is_highlight"]
    list_filter = ["section__period", "section", "scope", "qualifier", "is_highlight"]
    search_fields = ["label", "source_text", "note"]
    list_select_related = ["section"]
    autocomplete_fields = ["source_article"]
    readonly_fields = ["display_value", "updated_at"]
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
                ]
            },
        ),
        ("来源", {"fields": ["source_article", "source_text", "note", "updated_at"]}),
    ]
    inlines = [MetricValueInline]


@admin.register(Honor)
class HonorAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "years", "issuer", "section"]
    list_filter = ["section__period", "section"]
    search_fields = ["title", "recipient", "issuer", "source_text"]
    list_select_related = ["section"]
