"""China's 2026 public holidays and make-up working days (国务院办公厅关于2026年部分节假日安排的通知, 国办发明电〔2025〕7号),
so that due dates are right from the first day. Later years are added in the admin (主席信箱 › 节假日)."""

from datetime import date, timedelta

from django.db import migrations

OFF = [  # (first day, last day, name)
    (date(2026, 1, 1), date(2026, 1, 3), "元旦"),
    (date(2026, 2, 15), date(2026, 2, 23), "春节"),
    (date(2026, 4, 4), date(2026, 4, 6), "清明节"),
    (date(2026, 5, 1), date(2026, 5, 5), "劳动节"),
    (date(2026, 6, 19), date(2026, 6, 21), "端午节"),
    (date(2026, 9, 25), date(2026, 9, 27), "中秋节"),
    (date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
]
WORK = [  # weekend days worked instead (调休上班)
    (date(2026, 1, 4), "元旦调休上班"),
    (date(2026, 2, 14), "春节调休上班"),
    (date(2026, 2, 28), "春节调休上班"),
    (date(2026, 5, 9), "劳动节调休上班"),
    (date(2026, 9, 20), "国庆节调休上班"),
    (date(2026, 10, 10), "国庆节调休上班"),
]


def fill(apps, schema_editor):
    Holiday = apps.get_model("mailbox", "Holiday")
    for first, last, name in OFF:
        day = first
        while day <= last:
            Holiday.objects.get_or_create(date=day, defaults={"name": name, "is_workday": False})
            day += timedelta(days=1)
    for day, name in WORK:
        Holiday.objects.get_or_create(date=day, defaults={"name": name, "is_workday": True})


class Migration(migrations.Migration):
    dependencies = [("mailbox", "0001_initial")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
