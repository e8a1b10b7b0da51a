"""信息采用情况通报 (报表中心): for a month or a date range, per unit type, each 来稿单位's items sent (报送) and
adopted per channel (官网 / 公众号 / 上级媒体), a weighted score (分值 in 网站设置), ranked with ties as 并列, then the
units that sent nothing (零报送); laid out as an official 通报 (title, period, issuing office, date).

    unit_tallies(start, end, weights)  [Tally] of every unit that is active or had something in [start, end)
    ranked(tallies)                    [(名次 text, tally)]: 第1名, 并列第2名, 并列第2名, 第4名 (competition ranking)
    document(month, date_from, date_to)

An item counts as 报送 in the period it was first submitted (提交审核时间; an item a reviewer entered and published
directly has none, and counts when it was adopted), and as 采用 in each of its channels in the period it was first
adopted (采用时间). The rules of 采用 itself are news/adoption.py's.
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from news.adoption import CHANNELS, channel_names
from news.models import Article
from union_site.contributions.models import Unit
from union_site.reports.periods import DateRangeForm, local_bounds
from union_site.reports.writers import Column, Document, Table
from union_site.site_settings import get_site_settings

TITLE = "信息采用情况通报"
INTEGER = "#,##0"
MONTH = re.compile(r"^\s*(\d{4})\s*[-/年.]\s*(\d{1,2})\s*月?\s*$")


def this_month():
    return timezone.localdate().strftime("%Y-%m")


def month_bounds(first):
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


class Form(DateRangeForm):
    """月份 (the usual 通报), or 开始日期/结束日期 for another period; nothing filled in: this month."""

    month = forms.CharField(
        label="月份",
        required=False,
        initial=this_month,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}),
        help_text="如 2026-03。填了开始、结束日期则按日期范围。",
    )
    field_order = ["month", "date_from", "date_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].initial = None
        self.fields["date_from"].help_text = "按日期范围出通报时填写。"
        self.fields["date_to"].help_text = "不填则为今天。"

    def clean_month(self):
        text = self.cleaned_data.get("month", "")
        if not text:
            return None
        found = MONTH.match(text)
        if not found or not 1 <= int(found[2]) <= 12:
            raise forms.ValidationError("月份的格式应为 2026-03。")
        return date(int(found[1]), int(found[2]), 1)

    def clean(self):
        data = self.cleaned_data
        if "month" not in data or "date_from" not in data or "date_to" not in data:
            return data  # a field that did not parse already has its error
        if data["date_from"] or data["date_to"]:
            return super().clean()
        data["date_from"], data["date_to"] = month_bounds(data["month"] or timezone.localdate().replace(day=1))
        return data


# Each channel's field on the article and its 分值 in 网站设置 (union_site/models.py SiteSettings)
WEIGHT_FIELDS = {
    "is_used_on_site": "weight_site",
    "is_used_on_wechat": "weight_wechat",
    "is_used_upstream": "weight_upstream",
}


@dataclass
class Tally:
    unit: Unit
    sent: int = 0
    used: dict = field(default_factory=dict)  # {channel field: items adopted in it}
    adopted: int = 0  # items adopted in any channel
    score: Decimal = Decimal(0)

    @property
    def is_silent(self):
        """零报送: nothing sent and nothing adopted in the period."""
        return not self.sent and not self.adopted

    def cells(self):
        used = [self.used.get(name, 0) for name, _channel in CHANNELS]
        return [self.unit.name, self.sent, *used, self.adopted, self.score]


def weights_of(site_settings):
    """{channel field: 分值}."""
    return {name: getattr(site_settings, WEIGHT_FIELDS[name]) for name, _channel in CHANNELS}


def unit_tallies(start, end, weights):
    contributed = Article.objects.filter(contributing_unit__isnull=False)
    sent = (
        contributed.annotate(sent_at=Coalesce("submitted_at", "adopted_at"))
        .filter(sent_at__gte=start, sent_at__lt=end)
        .values("contributing_unit")
        .annotate(n=Count("id"))
    )
    adopted = (
        contributed.filter(adopted_at__gte=start, adopted_at__lt=end)
        .values("contributing_unit")
        .annotate(n=Count("id"), **{name: Count("id", filter=Q(**{name: True})) for name, _channel in CHANNELS})
    )
    sent_by_unit = {row["contributing_unit"]: row["n"] for row in sent}
    adopted_by_unit = {row["contributing_unit"]: row for row in adopted}
    units = Unit.objects.filter(Q(is_active=True) | Q(pk__in=[*sent_by_unit, *adopted_by_unit]))
    tallies = []
    for unit in units.order_by("type", "order", "id"):
        row = adopted_by_unit.get(unit.pk, {})
        used = {name: row.get(name, 0) for name, _channel in CHANNELS}
        score = sum((used[name] * weight for name, weight in weights.items()), Decimal(0))
        tallies.append(Tally(unit, sent=sent_by_unit.get(unit.pk, 0), used=used, adopted=row.get("n", 0), score=score))
    return tallies


def ranked(tallies):
    """Highest score first; equal scores share a place (1, 1, 3), written 并列第1名. Sorting is stable: within a tie
    the units keep their order."""
    ordered = sorted(tallies, key=lambda tally: -tally.score)
    scores = [tally.score for tally in ordered]
    rows = []
    for tally in ordered:
        place = scores.index(tally.score) + 1
        tied = scores.count(tally.score) > 1
        rows.append((f"并列第{place}名" if tied else f"第{place}名", tally))
    return rows


def period_label(date_from, date_to):
    if date_from.day == 1 and month_bounds(date_from)[1] == date_to:
        return f"{date_from.year}年{date_from.month}月"
    return f"{date_from.year}年{date_from.month}月{date_from.day}日至{date_to.year}年{date_to.month}月{date_to.day}日"


def adopted_item_rows(start, end):
    items = (
        Article.objects.filter(contributing_unit__isnull=False, adopted_at__gte=start, adopted_at__lt=end)
        .select_related("contributing_unit")
        .only("title", "adopted_at", "upstream_outlet", "contributing_unit__name", *(name for name, _c in CHANNELS))
        .order_by("contributing_unit__type", "contributing_unit__order", "contributing_unit_id", "adopted_at")
    )
    for item in items:
        yield [
            item.contributing_unit.name,
            item.title,
            "、".join(channel_names(item)),
            timezone.localdate(item.adopted_at),
        ]


def document(month=None, date_from=None, date_to=None):
    if date_from is None or date_to is None:
        date_from, date_to = month_bounds(month or timezone.localdate().replace(day=1))
    start, end = local_bounds(date_from, date_to)
    site_settings = get_site_settings()
    weights = weights_of(site_settings)
    tallies = unit_tallies(start, end, weights)
    formula = " + ".join(f"{channel}×{weights[name].normalize():f}" for name, channel in CHANNELS)
    note = f"得分 = {formula}（分值在网站设置中调整）；得分相同的单位名次并列。"
    counts = [Column(header, INTEGER) for header in ("报送", "官网", "公众号", "上级媒体", "采用篇数")]
    columns = [Column("名次"), Column("单位", width=26), *counts, Column("得分")]
    tables = []
    for kind, label in Unit.Type.choices:
        active = [tally for tally in tallies if tally.unit.type == kind and not tally.is_silent]
        if active:
            rows = [[place, *tally.cells()] for place, tally in ranked(active)]
            tables.append(Table(str(label), columns, rows, note=note))
    silent = [[str(tally.unit.get_type_display()), tally.unit.name] for tally in tallies if tally.is_silent]
    tables.append(
        Table(
            "零报送单位",
            [Column("单位类型"), Column("单位", width=30)],
            silent,
            note="本期没有报送、也没有稿件被采用的单位，请抓紧报送。" if silent else "本期各单位均有报送。",
        )
    )
    tables.append(
        Table(
            "采用稿件明细",
            [
                Column("单位", width=24),
                Column("标题", width=60, wrap=True),
                Column("采用渠道", width=30),
                Column("采用日期"),
            ],
            adopted_item_rows(start, end),
        )
    )
    period = period_label(date_from, date_to)
    return Document(
        title=TITLE,
        short_name=f"信息采用情况通报_{date_from:%Y-%m}",
        source="本站文章的来稿单位、提交审核时间和采用记录（后台 › 新闻 › 文章）",
        tables=tables,
        filters=[("时间范围", f"{date_from.isoformat()} 至 {date_to.isoformat()}")],
        issuer=site_settings.report_issuer_or_sponsor,
        subtitle=f"（{period}）",
    )
