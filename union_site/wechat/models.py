from django.db import models
from django.utils.translation import gettext_lazy as _

from union_site.common.fields import user_stamp


class WechatDraft(models.Model):
    """An article's draft in the WeChat account's 草稿箱: the media_id WeChat gave it (a second push updates that
    draft), when it was last pushed, and how the last push went. One per article."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        DONE = "done", _("已推送")
        FAILED = "failed", _("推送失败")

    article = models.OneToOneField(
        "news.Article", verbose_name=_("文章"), on_delete=models.CASCADE, related_name="wechat_draft"
    )
    media_id = models.CharField(_("草稿 media_id"), max_length=100, blank=True)
    thumb_media_id = models.CharField(_("封面素材 media_id"), max_length=100, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("失败原因"), blank=True)
    queued_at = models.DateTimeField(_("提交推送时间"), null=True, blank=True)
    pushed_at = models.DateTimeField(_("推送成功时间"), null=True, blank=True)
    pushed_by = user_stamp(_("推送人"))

    class Meta:
        verbose_name = _("公众号草稿")
        verbose_name_plural = _("公众号草稿")

    def __str__(self):
        return self.media_id or str(self.get_state_display())
