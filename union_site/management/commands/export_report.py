"""Write a 报表中心 report to a file, for scheduled jobs:

    manage.py export_report news --format xlsx --from 2026-01-01 --to 2026-11-24 -o 新闻统计.xlsx
    manage.py export_report annual --year 2026 -o 年度报表.xlsx

The same rows, provenance and safety as the admin download; the export is logged with channel 命令行.
"""

import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from achievements.models import Period
from union_site.models import ExportLog
from union_site.reports import writers as exports
from union_site.reports.center import REPORTS
from union_site.reports.log import filters_for_log, logged, person

OPTION_NAMES = {"date_from": "--from", "date_to": "--to", "period": "--period", "year": "--year", "month": "--month"}


class Command(BaseCommand):
    help = "导出报表中心的报表（xlsx / csv / pdf），供定时任务使用。"

    def add_arguments(self, parser):
        parser.add_argument(
            "name", choices=sorted(REPORTS), help="报表：" + "，".join(f"{r.name}={r.title}" for r in REPORTS.values())
        )
        parser.add_argument("--format", dest="fmt", choices=sorted(exports.FORMATS), default=exports.XLSX)
        parser.add_argument("--from", dest="date_from", help="开始日期 YYYY-MM-DD（新闻发布统计）")
        parser.add_argument("--to", dest="date_to", help="结束日期 YYYY-MM-DD（新闻发布统计）")
        parser.add_argument("--period", help="时期名称或编号（五年成就数据表），默认全部时期")
        parser.add_argument("--year", help="年度，如 2026（网站年度工作报表），默认今年")
        parser.add_argument("--month", help="月份，如 2026-03（信息采用情况通报），默认本月")
        parser.add_argument("--user", help="记为生成人的后台账号，默认记为运行命令的系统用户")
        parser.add_argument("-o", "--output", required=True, help="输出文件；目录则按报表的中文文件名保存在其中")

    def handle(self, name, fmt, output, **options):
        report = REPORTS[name]
        form = report.form(self._form_data(report, options))
        if not form.is_valid():
            errors = "；".join(
                f"{form.fields[f].label if f in form.fields else ''}{' '.join(e)}" for f, e in form.errors.items()
            )
            raise CommandError(f"筛选条件有误：{errors}")
        user = self._user(options["user"])
        document = report.document(form.cleaned_data)
        system_user = getpass.getuser()
        document.generated_by = person(user) if user else f"命令行（{system_user}）"
        target = Path(output)
        if target.is_dir():
            target = target / document.filename(fmt)
        log_as = {"user": user, "username": system_user, "channel": ExportLog.Channel.COMMAND}
        partial = target.with_name(target.name + ".part")
        try:
            with logged(document, fmt, filters=filters_for_log(form.cleaned_data), **log_as) as on_done:
                with partial.open("wb") as handle:
                    count = exports.write_file(document, fmt, handle)
                partial.replace(target)  # a reader never sees half a file
                on_done(count)
        except exports.ExportError as error:
            raise CommandError(str(error)) from error
        finally:
            partial.unlink(missing_ok=True)  # what a failed export left behind
        self.stdout.write(f"已导出 {report.title}（{count} 行）：{target}")

    def _form_data(self, report, options):
        blank = report.form()
        given = {key: options[key] for key in OPTION_NAMES if options.get(key)}
        unknown = set(given) - set(blank.fields)
        if unknown:
            names = "、".join(OPTION_NAMES[key] for key in sorted(unknown))
            raise CommandError(f"报表“{report.title}”没有这些筛选条件：{names}")
        if "period" in given:
            given["period"] = self._period(given["period"]).pk
        for key, field in blank.fields.items():  # what the admin page shows before anyone changes it
            if key not in given:
                initial = blank.get_initial_for_field(field, key)
                if initial is not None:
                    given[key] = initial
        return given

    def _period(self, value):
        period = Period.objects.filter(name=value).first()
        if period is None and value.isdigit():
            period = Period.objects.filter(pk=value).first()
        if period is None:
            names = "、".join(Period.objects.values_list("name", flat=True))
            raise CommandError(f"没有名为“{value}”的时期。可用：{names}")
        return period

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有账号“{username}”。")
        return user
