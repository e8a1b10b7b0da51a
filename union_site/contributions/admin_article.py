"""The article admin with 来稿: news/admin.py's ArticleAdmin, registered again with what 基层投稿 adds to it.

- Everyone: a 来稿与采用 section on the change page (来稿单位; the reviewer's 采用 fields, read-only to others, whose
  rules are news/adoption.py's), a 来稿/采用 column on the list, filters by 采用状态 and 来稿单位.
- 通讯员 (access.py): the list, pages, history and actions hold their unit's articles only; a new article is their
  unit's and theirs; the unit cannot be changed, nor can anything a reviewer sets (news/workflow.py makes a forged
  status, news/forms.py and the read-only fields make forged 采用 fields, do nothing).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from news import adoption
from news.admin import ArticleAdmin
from news.models import Article
from union_site.contributions import access
from union_site.contributions.models import Unit

CONTRIBUTION_FIELDSET = (
    _("来稿与采用"),
    {
        "description": _(
            "县市区总工会、产业工会等报送的稿件：发布到官网即为官网采用；公众号、上级媒体刊用后由审核人员勾选。"
            "不采用的稿件选“退回”并写明原因，通讯员可以看到，修改后可再次提交。"
        ),
        "fields": [
            "contributing_unit",
            "contributor",
            "adoption",
            "is_used_on_site",
            "is_used_on_wechat",
            "is_used_upstream",
            "upstream_outlet",
            "adopted_at",
            "return_reason",
        ],
    },
)
ALWAYS_READ_ONLY = ["contributor", "is_used_on_site", "adopted_at"]
# What a 通讯员 does not touch besides the reviewers' fields: its unit, and the album (chosen from every album).
CORRESPONDENT_READ_ONLY = ["contributing_unit", "album"]


class ContributionArticleAdmin(ArticleAdmin):
    list_select_related = [*ArticleAdmin.list_select_related, "contributing_unit"]

    def get_queryset(self, request):
        return access.limit_to_own_unit(super().get_queryset(request), request.user)

    def get_list_display(self, request):
        if access.is_correspondent(request.user):
            return ["title", "column", "state", "adoption_state", "updated_at"]
        return [*super().get_list_display(request), "contribution"]

    def get_list_filter(self, request):
        if access.is_correspondent(request.user):
            return ["status", "adoption", "column"]
        return [*super().get_list_filter(request), "adoption", "contributing_unit__type", "contributing_unit"]

    def get_fieldsets(self, request, obj=None):
        """来稿与采用 right after the fieldset with the status (审核与发布): the decisions side by side."""
        fieldsets = list(super().get_fieldsets(request, obj))
        after = next((n for n, (_name, options) in enumerate(fieldsets) if "status" in options["fields"]), None)
        at = len(fieldsets) if after is None else after + 1
        return [*fieldsets[:at], CONTRIBUTION_FIELDSET, *fieldsets[at:]]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), *ALWAYS_READ_ONLY]
        if access.is_correspondent(request.user):
            fields += CORRESPONDENT_READ_ONLY
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "contributing_unit":
            kwargs["queryset"] = Unit.objects.active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request):
        if access.is_correspondent(request.user) and access.unit_of(request.user) is None:
            return False
        return super().has_add_permission(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and access.is_own(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and access.is_own(request.user, obj)

    def save_model(self, request, obj, form, change):
        if access.is_correspondent(request.user):  # whatever the POST said
            obj.contributing_unit = access.unit_of(request.user)
            if not change:
                obj.contributor = request.user
        super().save_model(request, obj, form, change)

    def changelist_view(self, request, extra_context=None):
        """待审核 counts the articles this person may see (a 通讯员: its unit's)."""
        waiting = self.get_queryset(request).filter(status=Article.Status.REVIEW).count()
        return super().changelist_view(request, extra_context={"waiting_count": waiting, **(extra_context or {})})

    @admin.display(description=_("采用情况"), ordering="adoption")
    def adoption_state(self, article):
        return adoption.label(article)

    @admin.display(description=_("来稿单位 · 采用"), ordering="contributing_unit")
    def contribution(self, article):
        if article.contributing_unit_id is None:
            return "—"
        return f"{article.contributing_unit} · {adoption.label(article)}"


admin.site.unregister(Article)
admin.site.register(Article, ContributionArticleAdmin)
