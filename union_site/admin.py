from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from union_site.common.concurrency import EditConflictMixin, RaceSafeAdminMixin
from union_site.common.forms import CleanImageField
from union_site.models import ExportLog, QuickLink, SiteSettings


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


@admin.register(SiteSettings)
class SiteSettingsAdmin(RaceSafeAdminMixin, admin.ModelAdmin):
    """网站设置: one record, edited in place (no list, no adding a second one, no deleting)."""

    form = EditConflictMixin  # the model's fields, plus the version the page was loaded from
    formfield_overrides = {
        models.ImageField: {"form_class": CleanImageField},
        models.URLField: {"assume_scheme": "https"},
    }
    readonly_fields = ["updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["site_name", "domain", "logo", "description", "keywords"]}),
        (_("主办与联系"), {"fields": ["sponsor", "organizer", "phone", "address", "email"]}),
        (
            _("备案与标识"),
            {
                "description": _("以下各项由主管部门分配或核发，请照证书、通知原样填写；没有的留空，页脚就不显示。"),
                "fields": ["site_code", "icp_number", "police_number", "conac_image", "conac_url"],
            },
        ),
        (
            _("官方新媒体"),
            {
                "description": _(
                    "本会自己的公众号、App 和平台，显示在页头、页脚和“新媒体矩阵”页。只填核实过的名称和地址；"
                    "没有的留空，页面就不显示。"
                ),
                "fields": ["wechat_name", "wechat_qr", "app_name", "app_url", "app_qr", "reform_name", "reform_url"],
            },
        ),
        (_("主席信箱"), {"fields": ["mailbox_notice"]}),
        (
            _("信息采用情况通报"),
            {
                "description": _(
                    "报表中心“信息采用情况通报”按这里的分值给各来稿单位计分：得分 = 各渠道采用篇数 × 分值之和。"
                ),
                "fields": ["weight_site", "weight_wechat", "weight_upstream", "report_issuer"],
            },
        ),
        (_("记录"), {"fields": ["updated_at", "updated_by"]}),
    ]

    def has_add_permission(self, request):
        return False  # the record is made on first visit (changelist_view)

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        record, _created = SiteSettings.objects.get_or_create(pk=SiteSettings.SINGLETON_PK)
        return redirect(reverse("admin:union_site_sitesettings_change", args=[record.pk]))


@admin.register(QuickLink)
class QuickLinkAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "url", "order", "is_shown", "description"]
    list_editable = ["order", "is_shown"]
    list_filter = ["is_shown"]
    search_fields = ["name", "url", "description"]
