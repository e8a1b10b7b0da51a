"""推送到公众号草稿箱 on the article list, and the article's draft (media_id, time, state) on its page.

Added to the news app's registered ArticleAdmin from here (this app is composed over news, which knows nothing of
WeChat: the import layers, tests/test_union_site_import_layers.py); INSTALLED_APPS lists this app after news."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from news.models import Article
from union_site.wechat.models import WechatDraft
from union_site.wechat.tasks import queue_push


class WechatDraftInline(admin.StackedInline):
    model = WechatDraft
    verbose_name = verbose_name_plural = _("公众号草稿")
    fields = readonly_fields = ["state", "media_id", "pushed_at", "pushed_by", "queued_at", "error"]
    can_delete = False
    extra = 0

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("news.view_article")  # whoever reads the article reads its draft's state

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.action(description=_("推送到公众号草稿箱"), permissions=["publish"])
def push_to_wechat(modeladmin, request, queryset):
    queued, skipped = [], []
    for article in queryset.select_related(None).only("id", "title", "status", "publish_at", "unpublish_at"):
        if not article.is_public:
            skipped.append(article.title)
            continue
        if queue_push(article, request.build_absolute_uri(article.get_absolute_url()), request.user):
            queued.append(article.title)
    if queued:
        modeladmin.message_user(
            request,
            f"已提交推送 {len(queued)} 篇，稍后在文章页的“公众号草稿”中查看结果和 media_id"
            "（再次推送会更新同一篇草稿）。",
            messages.SUCCESS,
        )
    if skipped:
        names = "、".join(f"《{title}》" for title in skipped)
        modeladmin.message_user(request, f"以下 {len(skipped)} 篇不是公开的文章，未推送：{names}", messages.WARNING)


article_admin = admin.site.get_model_admin(Article)
article_admin.actions = [*article_admin.actions, push_to_wechat]
article_admin.inlines = [*article_admin.inlines, WechatDraftInline]
