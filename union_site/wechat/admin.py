"""推送到公众号草稿箱 on the article list, and the article's 公众号草稿 (state, media_id, time) on its page.

Added to the news app's registered ArticleAdmin from here (this app is composed over news, which knows nothing of
WeChat: the import layers, tests/test_union_site_import_layers.py); INSTALLED_APPS lists this app after news. The
draft is shown as a read-only field, not an inline: an inline's formset would need its management form in every
POST of the article form."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from news.models import Article
from union_site.wechat.models import WechatDraft
from union_site.wechat.tasks import queue_push


@admin.display(description=_("公众号草稿"))
def wechat_draft(article):
    record = (
        WechatDraft.objects.filter(article_id=article.pk).select_related("pushed_by").first() if article.pk else None
    )
    if record is None:
        return "尚未推送。已发布的文章可在文章列表中选中后执行“推送到公众号草稿箱”。"
    rows = [("状态", record.get_state_display()), ("草稿 media_id", record.media_id or "—")]
    if record.pushed_at:
        who = record.pushed_by.get_username() if record.pushed_by else "—"
        rows += [("推送成功时间", f"{timezone.localtime(record.pushed_at):%Y-%m-%d %H:%M}"), ("推送人", who)]
    if record.error:
        rows.append(("失败原因", record.error))
    items = format_html_join("", "<dt>{}</dt><dd>{}</dd>", rows)
    return format_html('<dl class="wechat-draft">{}</dl>', items)


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
article_admin.readonly_fields = [*article_admin.readonly_fields, wechat_draft]
article_admin.fieldsets = [*article_admin.fieldsets, (_("公众号"), {"fields": [wechat_draft]})]
