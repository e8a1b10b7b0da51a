"""信箱办理情况 (报表中心): how the 主席信箱 was handled in a period, per month and type and in total. Counts only:
nothing a letter says, nor who wrote it, is in the report (报表 staff see no letters).

    letter_month_rows(start, end)  [[月份, 类型, 收到, 受理, 办结, 不予受理, 超期, 平均办理天数, 公开]]
    letter_totals(start, end)      Tally of the whole period (网站年度工作报表's 互动交流 rows read it)
    document(date_from, date_to)   the report (union_site/reports/writers.py Document)

Each event counts in the month it happened: 收到 by received_at, 受理 by accepted_at, 办结 by closed_at, 公开 by
published_at (a letter received in December and closed in January is 办结 in January). 不予受理, 超期 (answered after
its due date, or still unanswered past it) and 平均办理天数 (working days from arrival to the reply, holidays and
weekends skipped as the due dates are) belong to the month the letter arrived.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.utils import timezone

from union_site.mailbox.models import STALE_DAYS, Letter
from union_site.mailbox.workdays import beijing_today, working_days_between
from union_site.reports.periods import DateRangeForm, local_bounds
from union_site.reports.writers import Column, Document, Table

Form = DateRangeForm  # the report's filters in 报表中心
INTEGER, ONE_DECIMAL = "#,##0", "0.0"
TOTAL = "合计"
EVENTS = {"received": "received_at", "accepted": "accepted_at", "closed": "closed_at", "published": "published_at"}
COUNTS = ["收到", "受理", "办结", "不予受理", "超期", "平均办理天数", "公开"]
NOTE = (
    "收到、受理、办结、公开按各自发生的月份计；不予受理、超期和平均办理天数按来信月份计。超期指答复晚于答复期限，"
    "或至今未答复且已过期限；平均办理天数为收信到答复的工作日数（周末、节假日不计）。月份按北京时间划分。"
)


@dataclass
class Tally:
    received: int = 0
    accepted: int = 0
    closed: int = 0
    rejected: int = 0
    overdue: int = 0
    stale: int = 0  # received in the period, over STALE_DAYS days and still unanswered
    published: int = 0
    days: list = field(default_factory=list)

    @property
    def average_days(self):
        return round(sum(self.days) / len(self.days), 1) if self.days else None

    def add(self, other):
        for name in ("received", "accepted", "closed", "rejected", "overdue", "stale", "published"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.days += other.days

    def cells(self):
        return [
            self.received,
            self.accepted,
            self.closed,
            self.rejected,
            self.overdue,
            self.average_days,
            self.published,
        ]


def _month(moment):
    return timezone.localtime(moment).strftime("%Y-%m")


def _tallies(start, end, key):
    """{key(letter, moment): Tally} for what happened in [start, end); key groups an event of a letter."""
    today, now = beijing_today(), timezone.now()
    in_period = Q()
    for column in EVENTS.values():
        in_period |= Q(**{f"{column}__gte": start, f"{column}__lt": end})
    letters = Letter.objects.filter(in_period).only(
        "letter_type", "status", "due_on", "replied_at", "is_published", *EVENTS.values()
    )
    tallies = defaultdict(Tally)
    for letter in letters:
        for event, column in EVENTS.items():
            moment = getattr(letter, column)
            if moment and start <= moment < end and (event != "published" or letter.is_published):
                tally = tallies[key(letter, moment)]
                setattr(tally, event, getattr(tally, event) + 1)
        if not start <= letter.received_at < end:
            continue
        tally = tallies[key(letter, letter.received_at)]
        answered_on = timezone.localdate(letter.replied_at) if letter.replied_at else None
        if letter.status == Letter.Status.REJECTED:
            tally.rejected += 1
            continue
        if (answered_on or today) > letter.due_on:
            tally.overdue += 1
        if answered_on:
            tally.days.append(working_days_between(timezone.localdate(letter.received_at), answered_on))
        elif (now - letter.received_at).days > STALE_DAYS:
            tally.stale += 1
    return tallies


def letter_month_rows(start, end):
    labels = dict(Letter.Type.choices)
    tallies = _tallies(start, end, lambda letter, moment: (_month(moment), letter.letter_type))
    return [[month, str(labels[kind]), *tally.cells()] for (month, kind), tally in sorted(tallies.items())]


def letter_type_rows(start, end):
    """Per type in the order the form offers them, zeros included, and the 合计 row."""
    tallies = _tallies(start, end, lambda letter, moment: letter.letter_type)
    total, rows = Tally(), []
    for kind, label in Letter.Type.choices:
        tally = tallies.get(kind, Tally())
        total.add(tally)
        rows.append([str(label), *tally.cells()])
    return [*rows, [TOTAL, *total.cells()]]


def letter_totals(start, end):
    total = Tally()
    for tally in _tallies(start, end, lambda letter, moment: None).values():
        total.add(tally)
    return total


def unanswered_rows(start, end, total):
    received = Letter.objects.filter(received_at__gte=start, received_at__lt=end)
    return [
        ["至今未答复", received.unanswered().count(), "所选范围内收到、现在仍待受理、已受理或转办的来信。"],
        ["其中超过答复期限", received.overdue().count(), "答复期限按工作日计算，节假日见后台“节假日”表。"],
        [f"其中超过 {STALE_DAYS} 天", total.stale, "政府网站考核中“超过3个月未回应有效留言”为单项否决，应优先办理。"],
    ]


def document(date_from=None, date_to=None):
    date_to = date_to or timezone.localdate()
    date_from = date_from or date(date_to.year, 1, 1)
    start, end = local_bounds(date_from, date_to)
    counts = [Column(name, ONE_DECIMAL if name == "平均办理天数" else INTEGER) for name in COUNTS]
    total = letter_totals(start, end)
    tables = [
        Table("按类型", [Column("类型"), *counts], letter_type_rows(start, end), note=NOTE),
        Table("逐月", [Column("月份"), Column("类型"), *counts], letter_month_rows(start, end), note=NOTE),
        Table(
            "未答复",
            [Column("项目"), Column("件数", INTEGER), Column("说明", width=60)],
            unanswered_rows(start, end, total),
            note="为生成报表时的状态。",
        ),
    ]
    return Document(
        title="信箱办理情况",
        short_name="信箱办理情况",
        source="本站主席信箱（来信的办理记录）；只含件数，不含来信内容和个人信息",
        tables=tables,
        filters=[("时间范围", f"{date_from.isoformat()} 至 {date_to.isoformat()}")],
    )
