"""新闻发布统计: what the site published in a period, by column and month, by author, by status, the most read
articles, and how long review took. The first table is the 信息发布 count a yearly 网站年度工作报表 asks for.

"Published in the period" means status 已发布 and a publishing time inside the period (Beijing dates, both ends
included) that has already come: drafts, articles waiting for review, archived ones and scheduled ones whose time
has not come are not counted. An article past its 下线时间 still counts: it was published in the period.
"""

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from news.models import Article, article_published_by_q
from news.models import Column as NewsColumn
from union_site.reports.periods import DateRangeForm, local_bounds
from union_site.reports.writers import Column, Document, Table

TOP_COUNT = 20
NOT_RECORDED = "（未记录）"
TOTAL = "合计"
INTEGER, ONE_DECIMAL = "#,##0", "0.0"
Form = DateRangeForm  # the report's filters in 报表中心 (union_site/reports/center.py)
PUBLISHED_NOTE = (
    "统计状态为“已发布”且发布时间在所选范围内（北京时间）的文章；不含草稿、待审核、已归档和尚未到发布时间的定时稿件，"
    "已到下线时间的文章仍计入。"
)


# Reading ---------------------------------------------------------------------------------------------------------


def published_q(date_from, date_to, prefix=""):
    """Published in the period (see the module docstring), as a Q; `prefix` for lookups through a relation."""
    start, end = local_bounds(date_from, date_to)
    in_period = Q(**{f"{prefix}publish_at__gte": start, f"{prefix}publish_at__lt": end})
    return article_published_by_q(timezone.now(), prefix) & in_period


def published_between(date_from, date_to):
    return Article.objects.filter(published_q(date_from, date_to))


def published_counts_by_column(date_from, date_to):
    """[(column, count)] for every column in its site order, zeros included: 信息发布 per column in the period."""
    columns = NewsColumn.objects.annotate(
        published_count=Count("articles", filter=published_q(date_from, date_to, prefix="articles__"))
    ).order_by("order", "id")
    return [(column, column.published_count) for column in columns]


def months_between(date_from, date_to):
    """[(year, month)] from date_from's month to date_to's month."""
    months, year, month = [], date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_counts(date_from, date_to):
    """{(column_id, (year, month)): count}, months in Beijing time, counted by the database in one grouped query."""
    grouped = (
        published_between(date_from, date_to)
        .annotate(month=TruncMonth("publish_at", tzinfo=timezone.get_current_timezone()))
        .values("column_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(row["column_id"], (row["month"].year, row["month"].month)): row["n"] for row in grouped}


def seconds_between(earlier, later):
    return (later - earlier).total_seconds()


def duration_label(seconds):
    """A review's time as a person says it: 3 分钟, 6 小时 15 分钟, 1.8 天 (never 0 天 for a quick review)."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "不到 1 分钟"
    if minutes < 60:
        return f"{minutes} 分钟"
    if minutes < 24 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} 小时" + (f" {rest} 分钟" if rest else "")
    return f"{one_decimal(seconds / 86400)} 天"


def one_decimal(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def author_name(first_name, last_name, username):
    if username is None:
        return NOT_RECORDED
    return f"{first_name} {last_name}".strip() or username


# Rows ------------------------------------------------------------------------------------------------------------


def column_month_rows(date_from, date_to, counts_by_column=None):
    counts_by_column = counts_by_column or published_counts_by_column(date_from, date_to)
    months = months_between(date_from, date_to)
    by_month = monthly_counts(date_from, date_to)
    totals = [0] * len(months)
    rows = []
    for column, total in counts_by_column:
        counts = [by_month.get((column.id, month), 0) for month in months]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        rows.append([column.name, *counts, total])
    rows.append([TOTAL, *totals, sum(total for _, total in counts_by_column)])
    return rows


def author_rows(date_from, date_to):
    grouped = (
        published_between(date_from, date_to)
        .values("created_by_id", "created_by__first_name", "created_by__last_name", "created_by__username")
        .annotate(n=Count("id"), views=Sum("view_count"))
        .order_by()
    )
    rows = [
        [
            author_name(row["created_by__first_name"], row["created_by__last_name"], row["created_by__username"]),
            row["n"],
            row["views"] or 0,
        ]
        for row in grouped
    ]
    return sorted(rows, key=lambda row: (-row[1], -row[2], row[0] == NOT_RECORDED, row[0]))


def status_rows(date_from, date_to):
    start, end = local_bounds(date_from, date_to)
    grouped = (
        Article.objects.filter(created_at__gte=start, created_at__lt=end)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["status"]: row["n"] for row in grouped}
    rows = [[label, counts.get(value, 0)] for value, label in Article.Status.choices]
    return [*rows, [TOTAL, sum(counts.get(value, 0) for value in Article.Status.values)]]


def top_article_rows(date_from, date_to, count=TOP_COUNT):
    articles = (
        published_between(date_from, date_to)
        .order_by("-view_count", "-publish_at", "-id")
        .values_list("title", "column__name", "publish_at", "view_count")[:count]
    )
    for rank, (title, column_name, publish_at, view_count) in enumerate(articles, start=1):
        yield [rank, title, column_name, publish_at, view_count]


def review_time_rows(date_from, date_to, columns=None):
    columns = columns if columns is not None else list(NewsColumn.objects.order_by("order", "id"))
    pairs = (
        published_between(date_from, date_to)
        .filter(submitted_at__isnull=False, publish_at__gte=F("submitted_at"))
        .values_list("column_id", "submitted_at", "publish_at")
        .order_by()
    )
    days = defaultdict(list)
    for column_id, submitted_at, publish_at in pairs:
        days[column_id].append(seconds_between(submitted_at, publish_at))

    def row(label, values):
        if not values:
            return [label, 0, None, None]
        return [label, len(values), duration_label(sum(values) / len(values)), duration_label(max(values))]

    everything = [value for values in days.values() for value in values]
    return [*(row(column.name, days.get(column.id, [])) for column in columns), row(TOTAL, everything)]


# The document ----------------------------------------------------------------------------------------------------


def document(date_from=None, date_to=None):
    date_to = date_to or timezone.localdate()
    date_from = date_from or date(date_to.year, 1, 1)
    counts_by_column = published_counts_by_column(date_from, date_to)
    months = months_between(date_from, date_to)
    tables = [
        Table(
            "各栏目逐月发布数",
            [Column("栏目"), *(Column(f"{y}-{m:02d}", INTEGER) for y, m in months), Column(TOTAL, INTEGER)],
            column_month_rows(date_from, date_to, counts_by_column),
            note=PUBLISHED_NOTE + "月份按北京时间划分。",
        ),
        Table(
            "按作者",
            [Column("作者"), Column("发布数", INTEGER), Column("阅读量合计", INTEGER)],
            author_rows(date_from, date_to),
            note="作者指在后台创建稿件的账号（不是稿件署名的作者/通讯员）；" + PUBLISHED_NOTE,
        ),
        Table(
            "按状态",
            [Column("状态"), Column("稿件数", INTEGER)],
            status_rows(date_from, date_to),
            note="所选范围内新建的稿件（按创建时间）现在各处于什么状态；被驳回的稿件退回草稿，计入“草稿”。",
        ),
        Table(
            f"阅读量前 {TOP_COUNT} 篇",
            [
                Column("排名", INTEGER),
                Column("标题", width=50),
                Column("栏目"),
                Column("发布时间"),
                Column("阅读数", INTEGER),
            ],
            top_article_rows(date_from, date_to),
            note=PUBLISHED_NOTE + "阅读数为截至生成时的累计数；阅读数相同的，发布晚的在前。",
        ),
        Table(
            "审核用时",
            [
                Column("栏目"),
                Column("已发布篇数", INTEGER),
                Column("平均用时"),
                Column("最长"),
            ],
            review_time_rows(date_from, date_to, [column for column, _ in counts_by_column]),
            note=(
                "用时自首次提交审核起至发布时间止，包括驳回修改和定时发布的等待时间；只计有提交审核时间、"
                "且发布时间不早于提交时间的已发布文章（未经提交直接发布的不计）。"
            ),
        ),
    ]
    return Document(
        title="新闻发布统计",
        short_name="新闻统计",
        source="本站文章库：已发布文章以发布时间计",
        tables=tables,
        filters=[("时间范围", f"{date_from.isoformat()} 至 {date_to.isoformat()}")],
    )
