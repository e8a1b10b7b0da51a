from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from union_site.contributions import admin_article  # noqa: F401 - the article admin with 来稿 (registered there)
from union_site.contributions.admin_import import unit_import_urls
from union_site.contributions.models import Correspondent, Unit
from union_site.roles import CORRESPONDENT


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "is_active", "order", "contact", "article_count"]
    list_editable = ["is_active", "order"]
    list_filter = ["type", "is_active"]
    search_fields = ["name", "contact"]

    def get_urls(self):
        return unit_import_urls(self) + super().get_urls()

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("来稿数"), ordering="article_total")
    def article_count(self, unit):
        return unit.article_total


@admin.register(Correspondent)
class CorrespondentAdmin(admin.ModelAdmin):
    """Binding an account to its unit. The account itself is made under 认证和授权 › 用户, in the group 通讯员."""

    list_display = ["user", "unit", "created_at"]
    list_filter = ["unit__type", "unit"]
    search_fields = ["user__username", "user__first_name", "unit__name"]
    list_select_related = ["user", "unit"]
    fields = ["user", "unit"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":  # accounts of the role, so a binding means what it says
            kwargs["queryset"] = get_user_model().objects.filter(groups__name=CORRESPONDENT).order_by("username")
            kwargs["help_text"] = _("只列出属于“通讯员”组的账号。一个账号只能绑定一个来稿单位。")
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
