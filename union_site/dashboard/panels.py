"""What each person finds on the admin's first page, by what their role lets them do (union_site/roles.py): 待审核
for reviewers, 我的草稿 and 被驳回 for whoever writes, 定时发布 and 即将下线 for whoever reads the articles, and their
own recent exports for report staff. Each line a count with a link to the list that shows those rows."""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from news import workflow
from news.models import Article, article_public_q
from union_site.models import ExportLog

Status = Article.Status
ENDING_SOON = timedelta(days=7)
RECENT_EXPORTS = 5


@dataclass
class Line:
    label: str
    count: int
    url: str
    note: str = ""  # shown beside a count that needs doing something

    @property
    def needs_action(self):
        return bool(self.note and self.count)


@dataclass
class Panel:
    key: str
    title: str
    lines: list = field(default_factory=list)
    exports: list = field(default_factory=list)  # the recent exports panel: ExportLog rows


def articles_url(**params):
    url = reverse("admin:news_article_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def minute_param(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def newsroom_panel(user, now):
    articles = Article.objects.all()
    lines = []
    if workflow.can_publish(user):
        waiting = workflow.waiting_for_review().count()
        lines.append(Line("待审核", waiting, articles_url(status__exact=Status.REVIEW), "请审核"))
    if user.has_perm(workflow.CHANGE_PERMISSION):
        mine = articles.filter(status=Status.DRAFT, created_by=user)
        lines.append(
            Line(
                "我的草稿",
                mine.filter(review_comment="").count(),
                articles_url(status__exact=Status.DRAFT, created_by__id__exact=user.pk),
            )
        )
        lines.append(
            Line(
                "被驳回（按审核意见修改后重新提交）",
                mine.exclude(review_comment="").count(),
                articles_url(status__exact=Status.DRAFT, created_by__id__exact=user.pk, review_comment__gt=""),
                "请修改",
            )
        )
    if user.has_perm("news.view_article"):
        scheduled = articles.filter(status=Status.PUBLISHED, publish_at__gt=now)
        lines.append(Line("定时发布（尚未到时间）", scheduled.count(), articles_url(publish_at__gt=minute_param(now))))
        ending = articles.filter(article_public_q(now), unpublish_at__lte=now + ENDING_SOON)
        params = {"unpublish_at__gt": minute_param(now), "unpublish_at__lte": minute_param(now + ENDING_SOON)}
        lines.append(Line("7 天内即将下线", ending.count(), articles_url(**params)))
    return Panel("newsroom", "稿件概览", lines) if lines else None


def exports_panel(user):
    if not user.has_perm("union_site.export_report"):
        return None
    rows = list(ExportLog.objects.filter(user=user).order_by("-created_at", "-id")[:RECENT_EXPORTS])
    return Panel("exports", "我最近的导出", exports=rows)


def panels_for(user, now):
    return [panel for panel in (newsroom_panel(user, now), exports_panel(user)) if panel is not None]
