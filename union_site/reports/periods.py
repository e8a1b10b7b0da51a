"""The period a report covers, as staff choose it and as the database reads it.

DateRangeForm          开始日期 / 结束日期 (Beijing dates, both included), defaults and limits
local_bounds(a, b)     [start, end) as aware datetimes for those dates
"""

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

MAX_YEARS = 10


def start_of_year():
    return timezone.localdate().replace(month=1, day=1)


def years_later(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


class DateRangeForm(forms.Form):
    """开始日期 and 结束日期, both optional: the year so far by default, at most MAX_YEARS long."""

    date_from = forms.DateField(
        label="开始日期",
        required=False,
        initial=start_of_year,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="不填则为结束日期所在年份的 1 月 1 日。",
    )
    date_to = forms.DateField(
        label="结束日期",
        required=False,
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="不填则为今天。",
    )

    def clean(self):
        data = super().clean()
        if "date_from" not in data or "date_to" not in data:
            return data  # a date that did not parse already has its error
        date_to = data["date_to"] or timezone.localdate()
        date_from = data["date_from"] or date_to.replace(month=1, day=1)
        data["date_from"], data["date_to"] = date_from, date_to
        if date_to < date_from:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        elif date_to >= years_later(date_from, MAX_YEARS):
            self.add_error("date_to", f"时间范围不能超过 {MAX_YEARS} 年，请缩小范围。")
        return data


def local_bounds(date_from, date_to):
    """[start, end) as aware datetimes: midnight Beijing time of date_from, and of the day after date_to."""
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date_from, time.min), zone)
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min), zone)
    return start, end
