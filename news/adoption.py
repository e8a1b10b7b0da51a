"""采用 of a contributed item (来稿: an article with a 来稿单位, union_site/contributions): its state and channels, one
set of rules for every path that changes them (the change form, the workflow's transitions, a plain save).

    官网        set by publishing (any save of a published item with a 来稿单位), never ticked by hand
    公众号       ticked by the reviewer
    上级媒体     ticked by the reviewer, with the outlet's name (工人日报、中工网、山东工人报 …)
    采用        the item has at least one channel; ticking one (or publishing) adopts it; 采用时间 is the first one
    退回        no channel, and a reason the contributor reads; an item 待审核 goes back to 草稿 to be revised
    提交审核     an item 退回 and submitted again is 待处理 once more

`settle_adoption()` runs on every save (Article.save); `problems()` is what a form refuses, by field.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Adoption(models.TextChoices):
    PENDING = "pending", _("待处理")
    ADOPTED = "adopted", _("采用")
    RETURNED = "returned", _("退回")


SITE, WECHAT, UPSTREAM = "官网", "公众号", "上级媒体"
# (field, channel): in the order the 通报 lists them
CHANNELS = [("is_used_on_site", SITE), ("is_used_on_wechat", WECHAT), ("is_used_upstream", UPSTREAM)]
# What a reviewer sets (editors and 通讯员 see them read-only); the rest is set by the workflow.
REVIEWER_FIELDS = ["adoption", "is_used_on_wechat", "is_used_upstream", "upstream_outlet", "return_reason"]
WORKFLOW_FIELDS = ["is_used_on_site", "adopted_at", "contributor"]


def channels_of(article):
    return [channel for name, channel in CHANNELS if getattr(article, name)]


def channel_names(article):
    """The channels as a person reads them: 上级媒体 with its outlet (上级媒体：工人日报)."""
    return [
        f"{channel}：{article.upstream_outlet}" if channel == UPSTREAM and article.upstream_outlet else channel
        for channel in channels_of(article)
    ]


def settle_adoption(article, published):
    """A contributed item `published` is used on 官网; a channel makes the item 采用 (and stamps 采用时间 the first
    time); an adopted item has no 退回原因. Kept once set: an item taken down again was still used."""
    if published and article.contributing_unit_id:
        article.is_used_on_site = True
    if channels_of(article):
        article.adoption = Adoption.ADOPTED
    if article.adoption == Adoption.ADOPTED:
        article.return_reason = ""
        if article.adopted_at is None:
            article.adopted_at = timezone.now()


def problems(article, publishing=False):
    """{field: message} for an article whose fields are as a form would save them; `publishing`: the save publishes
    it (and so adopts it for 官网)."""
    found = {}
    channels = channels_of(article) or ([SITE] if publishing and article.contributing_unit_id else [])
    if article.is_used_upstream and not article.upstream_outlet.strip():
        found["upstream_outlet"] = _("勾选了“上级媒体”，请写明刊用的媒体名称，如：工人日报。")
    elif article.upstream_outlet.strip() and not article.is_used_upstream:
        found["is_used_upstream"] = _("写了上级媒体名称，请同时勾选“上级媒体”。")
    if article.adoption == Adoption.RETURNED:
        if channels:
            found["adoption"] = _("已采用（%(channels)s）的稿件不能退回。") % {"channels": "、".join(channels)}
        elif not article.return_reason.strip():
            found["return_reason"] = _("退回时请写明原因，来稿单位的通讯员会看到。")
    elif article.adoption == Adoption.ADOPTED and not channels:
        found["adoption"] = _("采用须有渠道：发布到官网，或勾选公众号、上级媒体。")
    return found


def reopen(article, publish_at=None):
    """The workflow's 提交审核: an item 退回 and revised is waiting for a decision again."""
    if article.adoption == Adoption.RETURNED:
        article.adoption = Adoption.PENDING


def label(article):
    """采用情况 as a list shows it: 待处理 / 采用（官网、公众号） / 退回：reason."""
    if article.adoption == Adoption.ADOPTED:
        return f"采用（{'、'.join(channel_names(article))}）"
    if article.adoption == Adoption.RETURNED:
        return f"退回：{article.return_reason}"
    return str(Adoption.PENDING.label)
