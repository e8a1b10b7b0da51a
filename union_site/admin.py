from django.contrib import admin

from union_site.models import ExportLog


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Who exported what: read by superusers, written only by exports (never edited or deleted here)."""

    list_display = ["created_at", "username", "report", "format", "row_count", "channel", "filename"]
    list_filter = ["channel", "format", "report", "created_at"]
    search_fields = ["username", "report", "filename"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ExportLog._meta.fields]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
