"""网站巡检 from the command line, for a daily job beside the backup (README, 网站巡检):

    manage.py inspect_site                       prints the report in Chinese
    manage.py inspect_site --check-external      checks the external links first, in this process (no worker)
    manage.py inspect_site -o var/reports/       also writes the report (Excel; .pdf by its name or --format pdf)

Exits with status 1 when a 单项否决 problem is found (the job's failure is then the alert), else 0. A written file
is logged as every export is (生成人: 命令行).
"""

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from union_site.inspection import external
from union_site.inspection.export import document
from union_site.inspection.findings import VETO
from union_site.inspection.report import inspect_site
from union_site.models import ExportLog
from union_site.reports import writers
from union_site.reports.log import logged

FILE_FORMATS = (writers.XLSX, writers.PDF, writers.CSV)


class Command(BaseCommand):
    help = (
        "网站巡检：检查栏目和首页更新、站内外链接、数据核实、图片替代文字、主席信箱答复；有单项否决问题时退出码为 1。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check-external", action="store_true", help="先在本进程检查外部链接（不经后台任务），再出报告"
        )
        parser.add_argument("-o", "--output", help="同时把报告写入此文件；目录则按中文文件名保存在其中")
        parser.add_argument("--format", dest="fmt", choices=FILE_FORMATS, help="文件格式，默认按文件扩展名，否则 xlsx")

    def handle(self, *args, check_external, output, fmt, **options):
        if check_external:
            done = external.check_external_links()
            if done.get("skipped"):
                self.stdout.write("外部链接检查正在由后台任务进行，本次使用已有结果。")
            else:
                checked, broken, waiting = done["checked"], done["broken"], done["waiting"]
                self.stdout.write(f"外部链接：检查 {checked} 个，无法访问 {broken} 个，留待下次 {waiting} 个。")
        report = inspect_site()
        self._print(report)
        if output:
            self._write(report, Path(output), fmt)
        if report.has_veto:
            raise CommandError(f"发现 {report.count(VETO)} 项单项否决问题，请立即整改。", returncode=1)

    def _print(self, report):
        write = self.stdout.write
        write(f"网站巡检报告（{timezone.localtime(report.generated_at):%Y-%m-%d %H:%M} 北京时间）")
        write(report.verdict)
        write("，".join(f"{severity} {count} 项" for severity, count in report.counts.items()))
        for section in report.sections:
            write("")
            write(f"【{section.title}】" + ("" if section.available else "（未安装）"))
            if section.note:
                write(f"  {section.note}")
            if section.available and not section.findings:
                write("  未发现问题。")
            for finding in section.findings:
                write(f"  [{finding.severity}] {finding.what}")
                place = " ".join(part for part in [finding.where, finding.url] if part)
                if place:
                    write(f"      位置：{place}")
                if finding.fix_url:
                    write(f"      处理：{finding.fix_url}")

    def _write(self, report, target, fmt):
        doc = document(report)
        doc.generated_by = f"命令行（{getpass.getuser()}）"
        fmt = fmt or (target.suffix.lstrip(".").lower() if target.suffix.lstrip(".").lower() in FILE_FORMATS else None)
        fmt = fmt or writers.XLSX
        if target.is_dir():
            target = target / doc.filename(fmt)
        partial = target.with_name(target.name + ".part")
        log_as = {"username": getpass.getuser(), "channel": ExportLog.Channel.COMMAND}
        try:
            with logged(doc, fmt, **log_as) as on_done:
                with partial.open("wb") as handle:
                    count = writers.write_file(doc, fmt, handle)
                partial.replace(target)  # a reader never sees half a file
                on_done(count)
        except writers.ExportError as error:
            raise CommandError(str(error)) from error
        finally:
            partial.unlink(missing_ok=True)
        self.stdout.write(f"已写入 {doc.title}：{target}")
