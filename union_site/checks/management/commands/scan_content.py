"""manage.py scan_content: checks everything the public can see now against the 词库 and for personal data
(union_site/checks/scan.py), prints each finding and, with -o, writes them to an Excel file through the report
writer. Exits with 1 when a published item has a 禁用 word or personal data that no reviewer confirmed, so that
cron or CI can tell; 提醒 never fail it."""

import time

from django.core.management.base import BaseCommand, CommandError

from union_site.checks.models import Term, term_list_version
from union_site.checks.report import PERSONAL
from union_site.checks.scan import public_findings
from union_site.models import ExportLog
from union_site.reports.log import logged
from union_site.reports.writers import XLSX, Column, Document, Table, write_file

HEADERS = ["类型", "内容", "字段", "级别", "问题", "原文（上下文）", "建议", "状态", "后台地址"]


def finding_row(found):
    finding = found.finding
    level = "个人信息" if finding.kind == PERSONAL else finding.level_label
    if found.confirmed:
        state = f"已确认发布（{found.confirmed.reason}）"
    else:
        state = "待处理" if finding.blocks else "提醒"
    return [
        found.kind,
        str(found.object),
        finding.field,
        level,
        f"{finding.what}“{finding.hit}”",
        finding.context,
        finding.suggestion,
        state,
        found.admin_url,
    ]


class Command(BaseCommand):
    help = (
        "检查网站上所有公开的内容（文章、相册、数说五年指标）是否有词库中的词语和个人信息；"
        "有未确认的禁用词或个人信息时退出码为 1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="把结果另存为 Excel 文件（.xlsx）")
        parser.add_argument("--quiet", action="store_true", help="只打印汇总，不逐条打印")

    def handle(self, *args, output=None, quiet=False, **options):
        started = time.perf_counter()
        counts, tally = {}, {"problems": 0, "blocking": 0, "warnings": 0, "confirmed": 0}

        def rows():
            for found in public_findings(counts):
                tally["problems"] += found.is_problem
                tally["confirmed"] += found.confirmed is not None
                tally["blocking" if found.finding.blocks else "warnings"] += 1
                row = finding_row(found)
                if not quiet:
                    self.stdout.write("  ".join(str(cell) for cell in row if cell))
                yield row

        if output:
            document = Document(
                title="内容检查结果",
                short_name="内容检查",
                source="manage.py scan_content：网站上公开的文章、相册和数说五年指标",
                tables=[Table("检查结果", [Column(h, wrap=h == "原文（上下文）") for h in HEADERS], rows())],
            )
            with open(output, "wb") as out, logged(document, XLSX, channel=ExportLog.Channel.COMMAND) as done:
                done(write_file(document, XLSX, out))
        else:
            for _row in rows():
                pass
        number, _token = term_list_version()
        checked = "、".join(f"{kind} {n}" for kind, n in counts.items()) or "没有公开的内容"
        self.stdout.write(
            f"已检查：{checked}（词库第 {number} 版，启用 {Term.objects.filter(is_active=True).count()} 个词条）。"
            f"发现 {tally['blocking']} 处禁用词或个人信息（其中 {tally['confirmed']} 处已由审核人员确认发布）、"
            f"{tally['warnings']} 处提醒。用时 {time.perf_counter() - started:.1f} 秒。"
        )
        if output:
            self.stdout.write(f"结果已写入 {output}")
        if tally["problems"]:
            raise CommandError(f"公开的内容中有 {tally['problems']} 处禁用词或个人信息待处理。", returncode=1)
