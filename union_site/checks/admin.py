"""词库 and 忽略检查发布记录 in the admin. 审核 and superusers keep the 词库 (and import it); 编辑 and 报表 see it
and download it (union_site/roles.py). The records are read-only: they are made by publishing (gate.py)."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from union_site.checks.admin_import import term_import_urls
from union_site.checks.models import CheckOverride, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["word", "suggestion", "level", "is_active", "note", "updated_by", "updated_at"]
    list_filter = ["level", "is_active"]
    search_fields = ["word", "suggestion", "note"]
    fields = [
        "word",
        "suggestion",
        "level",
        "note",
        "is_active",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]
    readonly_fields = ["created_by", "created_at", "updated_by", "updated_at"]

    def get_urls(self):
        # 从表格导入 and 导出词库 (buttons in admin/content_checks/term/change_list.html)
        return term_import_urls(self) + super().get_urls()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CheckOverride)
class CheckOverrideAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content", "user", "reason"]
    list_filter = ["content_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["object_repr", "reason", "summary"]
    fields = ["created_at", "content", "user", "reason", "summary"]
    readonly_fields = fields
    list_select_related = ["content_type", "user"]

    @admin.display(description=_("内容"), ordering="object_repr")
    def content(self, record):
        try:
            url = reverse(
                f"admin:{record.content_type.app_label}_{record.content_type.model}_change", args=[record.object_id]
            )
        except NoReverseMatch:
            return record.object_repr
        return format_html('<a href="{}">{}</a>', url, record.object_repr)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
