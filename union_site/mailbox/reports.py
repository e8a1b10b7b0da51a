"""Rows for the later 信箱办理情况 report (报表中心, issue #15): per month and type, letters received, accepted, closed,
overdue, the average working days to a reply, and published. Plain data; the report writer will deliver it.

Each letter counts in the month of the event: 收到 by received_at, 受理 by accepted_at, 办结 by closed_at, 公开 by
published_at; 超期 (answered after its due date, or still open past it) and 平均办理天数 (working days from arrival to
the reply) by the month it arrived."""

from collections import defaultdict

from django.utils import timezone

from union_site.mailbox.models import Letter
from union_site.mailbox.workdays import beijing_today, working_days_between

HEADER = ["月份", "类型", "收到", "受理", "办结", "超期", "平均办理天数", "公开"]


def _month(moment):
    return timezone.localtime(moment).strftime("%Y-%m") if moment else None


def letter_month_rows(start, end):
    """[[月份, 类型, 收到, 受理, 办结, 超期, 平均办理天数, 公开]] for letters received in [start, end) (datetimes)."""
    today = beijing_today()
    counts = defaultdict(lambda: {"received": 0, "accepted": 0, "closed": 0, "overdue": 0, "days": [], "published": 0})
    letters = Letter.objects.filter(received_at__gte=start, received_at__lt=end).only(
        "letter_type",
        "status",
        "received_at",
        "accepted_at",
        "closed_at",
        "replied_at",
        "due_on",
        "published_at",
        "is_published",
    )
    for letter in letters:
        row = counts[_month(letter.received_at), letter.letter_type]
        row["received"] += 1
        for event, moment in [("accepted", letter.accepted_at), ("closed", letter.closed_at)]:
            if moment:
                counts[_month(moment), letter.letter_type][event] += 1
        if letter.published_at and letter.is_published:
            counts[_month(letter.published_at), letter.letter_type]["published"] += 1
        answered_on = timezone.localdate(letter.replied_at) if letter.replied_at else None
        if (answered_on or today) > letter.due_on and letter.status != Letter.Status.REJECTED:
            row["overdue"] += 1
        if answered_on:
            row["days"].append(working_days_between(timezone.localdate(letter.received_at), answered_on))
    labels = dict(Letter.Type.choices)
    return [
        [
            month,
            str(labels[kind]),
            r["received"],
            r["accepted"],
            r["closed"],
            r["overdue"],
            round(sum(r["days"]) / len(r["days"]), 1) if r["days"] else None,
            r["published"],
        ]
        for (month, kind), r in sorted(counts.items())
    ]
