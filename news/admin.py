from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from news.models import Article, Column


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "order", "is_in_nav"]
    list_editable = ["order", "is_in_nav"]
    list_filter = ["kind", "is_in_nav"]
    search_fields = ["name", "description"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "column", "status", "publish_at", "is_pinned", "is_headline", "view_count", "updated_by"]
    list_filter = ["status", "column", "is_pinned", "is_headline", ("publish_at", admin.DateFieldListFilter)]
    search_fields = ["title", "subtitle", "byline", "summary", "body"]
    date_hierarchy = "publish_at"
    list_select_related = ["column", "updated_by"]
    autocomplete_fields = ["album"]
    readonly_fields = ["view_count", "created_by", "created_at", "updated_by", "updated_at"]
    fieldsets = [
        (None, {"fields": ["column", "kicker", "title", "subtitle", "byline", "source", "summary", "body", "cover"]}),
        (_("发布"), {"fields": ["status", "publish_at", "unpublish_at", "is_pinned", "is_headline"]}),
        (_("关联与备注"), {"fields": ["album", "note"]}),
        (
            _("记录"),
            {"classes": ["collapse"], "fields": ["view_count", "created_by", "created_at", "updated_by", "updated_at"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
