"""栏目更新 and 首页更新: is every column and the home page updated as often as the national inspection asks?

The rules, from 《政府网站与政务新媒体检查指标》 (国办秘函〔2019〕19号), 单项否决指标:

- 首页不更新: 监测 2 周，首页无信息更新的，即单项否决 (here: no public article published in the last 14 days).
- 栏目不更新, any one of these is a 单项否决:
  1. 监测时间点前 2 周内的动态、要闻类栏目，以及监测时间点前 6 个月内的通知公告、政策文件类一级栏目，累计超过（含）
     5 个未更新 (here: columns whose 更新周期 is at most 180 days and that have had no public article within it,
     empty ones included, 5 or more);
  2. 应更新但长期未更新的栏目数量超过（含）10 个 (any column with an 更新周期 not updated within it, 10 or more);
  3. 空白栏目数量超过（含）5 个 (columns with no public article at all, 5 or more: a column without an 更新周期 is
     not asked to update, but an empty one is still a 空白栏目; every column is in the sitemap).

A column's 更新周期 is `Column.update_days`: 14 for 动态要闻类, 180 for 通知公告、政策文件类, empty for a column that is
not updated on a schedule (专题, 归档). "Not updated" means its newest public article (`article_public_q`, the one
rule) was published longer ago than that.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from news.models import Article, Column, article_public_q
from union_site.inspection.findings import NOTICE, SERIOUS, VETO, Finding

NEWS_DAYS = 14  # 动态、要闻类栏目: 2 周
NOTICE_DAYS = 180  # 通知公告、政策文件类栏目: 6 个月
HOME_DAYS = 14  # 首页: 监测 2 周
HOME_WARNING_DAYS = 7  # a reminder a week before the home page's 2 weeks run out
STALE_VETO = 5  # rule 1
LONG_STALE_VETO = 10  # rule 2
BLANK_VETO = 5  # rule 3

RULE = (
    "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）单项否决指标“栏目不更新”：动态、要闻类栏目超过 2 周、"
    "通知公告、政策文件类栏目超过 6 个月未更新，累计超过（含）5 个；应更新但长期未更新的栏目超过（含）10 个；"
    "空白栏目超过（含）5 个。任一即单项否决。本站按每个栏目的“更新周期（天）”判断（动态要闻类 14 天，"
    "通知公告、政策文件类 180 天；留空的栏目不查更新，但没有公开文章时仍算空白栏目）。"
)
HOME_RULE = "同上指标“首页不更新”：监测 2 周，首页无信息更新的，即单项否决。本站以最新一篇公开文章的发布时间为准。"


@dataclass(frozen=True)
class ColumnState:
    column: Column
    last_published: datetime | None  # its newest public article's 发布时间
    now: datetime

    @property
    def is_blank(self):
        return self.last_published is None

    @property
    def is_exempt(self):
        return self.column.update_days is None

    @property
    def is_overdue(self):
        """Not updated within its 更新周期 (an empty column with one is not either)."""
        if self.is_exempt:
            return False
        return self.is_blank or self.last_published < self.now - timedelta(days=self.column.update_days)

    @property
    def days_since(self):
        """Days, as the calendar in Beijing counts them, since its newest public article; None without one."""
        return None if self.is_blank else days_between(self.last_published, self.now)

    @property
    def status(self):
        if self.is_blank:
            return "空白栏目"
        if self.is_exempt:
            return "不查更新"
        return "超期未更新" if self.is_overdue else "按时更新"


def days_between(earlier, later):
    return (timezone.localdate(later) - timezone.localdate(earlier)).days


def column_states(now):
    """Every column with its newest public article's time, in the columns' order. One query."""
    newest = Max("articles__publish_at", filter=article_public_q(now, prefix="articles__"))
    columns = Column.objects.annotate(last_published=newest).order_by("order", "id")
    return [ColumnState(column, column.last_published, now) for column in columns]


def column_articles_url(column):
    """The column's articles in the admin: where a draft is published or a new article written."""
    return reverse("admin:news_article_changelist") + f"?column__id__exact={column.pk}"


def column_findings(states):
    findings = []
    for state in states:
        column = state.column
        place = {
            "where": f"栏目“{column.name}”",
            "url": column.get_absolute_url(),
            "fix_url": column_articles_url(column),
        }
        if state.is_blank:
            findings.append(Finding(SERIOUS, "空白栏目：栏目里没有一篇公开的文章。", **place))
        elif state.is_overdue:
            last = timezone.localtime(state.last_published)
            what = (
                f"超过更新周期未更新：最近一篇公开文章发布于 {last:%Y-%m-%d}，已 {state.days_since} 天"
                f"（更新周期 {column.update_days} 天）。"
            )
            findings.append(Finding(SERIOUS, what, **place))
    return _veto_findings(states) + findings


def _veto_findings(states):
    overdue = [s for s in states if s.is_overdue]
    national = [s for s in overdue if s.column.update_days <= NOTICE_DAYS]
    blank = [s for s in states if s.is_blank]
    rules = [  # (the columns it counts, how many make a 单项否决, what the finding says)
        (
            national,
            STALE_VETO,
            "栏目不更新：动态要闻类、通知公告政策文件类栏目超过更新周期未更新（含空白栏目）的累计 {n} 个"
            "（达到 {limit} 个即单项否决）：{names}。",
        ),
        (overdue, LONG_STALE_VETO, "栏目不更新：应更新但长期未更新的栏目 {n} 个（达到 {limit} 个即单项否决）。"),
        (blank, BLANK_VETO, "空白栏目 {n} 个（达到 {limit} 个即单项否决）：{names}。"),
    ]
    fix_url = reverse("admin:news_column_changelist")
    return [
        Finding(
            VETO,
            text.format(n=len(chosen), limit=limit, names="、".join(s.column.name for s in chosen)),
            "栏目",
            fix_url=fix_url,
        )
        for chosen, limit, text in rules
        if len(chosen) >= limit
    ]


def newest_public_article(now):
    return Article.objects.filter(article_public_q(now)).aggregate(newest=Max("publish_at"))["newest"]


def home_findings(newest, now):
    place = {"where": "首页", "url": reverse("home"), "fix_url": reverse("admin:news_article_add")}
    if newest is None:
        return [Finding(VETO, "首页不更新：网站还没有一篇公开的文章。", **place)]
    days = days_between(newest, now)
    published = f"最新一篇公开文章发布于 {timezone.localtime(newest):%Y-%m-%d}"
    if newest < now - timedelta(days=HOME_DAYS):
        return [Finding(VETO, f"首页不更新：{published}，已 {days} 天没有新信息（超过 2 周即单项否决）。", **place)]
    if newest < now - timedelta(days=HOME_WARNING_DAYS):
        return [Finding(NOTICE, f"{published}，已 {days} 天没有新信息；满 2 周即单项否决。", **place)]
    return []
