"""django-axes' records in the admin, in Chinese (labels from union_site/locale, the rest here), for superusers.

登录失败与锁定 (AccessAttempt): one row per username + address with its failure count; deleting the row (or the
action 解锁) unlocks at once. 登录记录 (AccessLog) and 登录失败日志 (AccessFailureLog) are read-only history.
django-otp's own device pages (English, showing secrets) are not registered: resetting a person's two-factor is on
the 两步验证 page (union_site/accounts/views.py)."""

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


class LockedFilter(axes_admin.IsLockedOutFilter):
    title = "锁定状态"


class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    list_display = ["attempt_time", "username", "ip_address", "failures_since_start", "lock_state", "user_agent"]
    list_filter = ["attempt_time", LockedFilter]
    fieldsets = (
        (None, {"fields": ("username", "ip_address", "failures_since_start", "lock_state", "attempt_time")}),
        ("请求信息", {"fields": ("user_agent", "path_info", "http_accept", "get_data", "post_data")}),
    )
    readonly_fields = [*axes_admin.AccessAttemptAdmin.readonly_fields, "lock_state"]
    actions = ["unlock"]

    @admin.display(description="状态")
    def lock_state(self, obj):
        if obj.failures_since_start < settings.AXES_FAILURE_LIMIT:
            return f"还可尝试 {settings.AXES_FAILURE_LIMIT - obj.failures_since_start} 次"
        until = timezone.localtime(obj.attempt_time + settings.AXES_COOLOFF_TIME)
        return f"已锁定，至 {until:%Y-%m-%d %H:%M}"

    @admin.action(description="解锁所选（删除这些记录）", permissions=["delete"])
    def unlock(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"已解锁 {count} 条记录：这些用户名在对应地址上可以立即重新登录。")


class AccessLogAdmin(axes_admin.AccessLogAdmin):
    list_display = ("attempt_time", "logout_time", "username", "ip_address", "user_agent")


class AccessFailureLogAdmin(axes_admin.AccessFailureLogAdmin):
    list_display = ("attempt_time", "username", "ip_address", "locked_out", "user_agent")


def _names_in_chinese():
    """The records' names as the admin's titles, breadcrumbs and delete pages show them (axes' own are English
    sentences; a model's __str__ has no translation to hook into)."""

    def when(obj):
        return f"{timezone.localtime(obj.attempt_time):%Y-%m-%d %H:%M}" if obj.attempt_time else ""

    AccessAttempt.__str__ = lambda obj: f"{obj.username}，{obj.ip_address}，失败 {obj.failures_since_start} 次"
    AccessLog.__str__ = lambda obj: f"{obj.username} 于 {when(obj)} 登录"
    AccessFailureLog.__str__ = lambda obj: f"{obj.username} 于 {when(obj)} 登录失败"


def register():
    """Called from LoginProtectionConfig.ready(), after the admin has loaded every app's admin module."""
    _names_in_chinese()
    admin.site.register(AccessAttempt, AccessAttemptAdmin)
    admin.site.register(AccessLog, AccessLogAdmin)
    admin.site.register(AccessFailureLog, AccessFailureLogAdmin)
    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
