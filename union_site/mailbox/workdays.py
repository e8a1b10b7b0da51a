"""Working days in Beijing: Monday to Friday, less the holidays in the 节假日 table, plus the weekend days the table
marks as 调休上班 (make-up working days). The table (Holiday) is edited in the admin; 2026 is filled by a migration.

A letter's due date is the n-th working day after the day it arrived (Beijing date): a letter sent on a Friday
evening with 5 working days is due the next Friday, and so is one sent on the Saturday or Sunday after: the day of
arrival never counts, and the count starts at the next working day."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone


def calendar_between(start, end):
    """{date: is_workday} of the table's days between start and end (inclusive): one query."""
    from union_site.mailbox.models import Holiday

    return dict(Holiday.objects.filter(date__range=(start, end)).values_list("date", "is_workday"))


def is_working_day(day, table=None):
    table = calendar_between(day, day) if table is None else table
    if day in table:
        return table[day]
    return day.weekday() < 5


def add_working_days(start, days):
    """The date `days` working days after `start` (a date), `start` itself not counted."""
    table = calendar_between(start, start + timedelta(days=days * 3 + 40))  # enough for the longest holiday run
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day, table):
            days -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    table = calendar_between(start, end)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n), table))


def beijing_today():
    return timezone.localdate()


def reply_days(letter_type):
    """Working days promised for a letter of this type (settings MAILBOX_REPLY_DAYS; 咨询 5, others 15)."""
    days = settings.MAILBOX_REPLY_DAYS
    return days.get(letter_type, days["default"])
