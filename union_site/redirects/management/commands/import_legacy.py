"""import_legacy FILE: an old site's export (JSON lines, CSV or Excel; fields in union_site/redirects/legacy_export.py)
imported as published articles, each with a 301 from its old address; prints what each row became. Safe to run
again: rows already imported change nothing (union_site/redirects/legacy.py)."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from union_site.common import generation
from union_site.redirects import legacy
from union_site.redirects.legacy_export import ExportError, read_export
from union_site.redirects.legacy_files import Fetcher, is_web_address

ORDER = [legacy.NEW, legacy.UPDATED, legacy.UNCHANGED, legacy.KEPT, legacy.SKIPPED]


class Command(BaseCommand):
    help = "导入旧网站导出的文章（JSON lines、CSV 或 Excel），保留原发布时间，并从每个旧地址 301 跳转到新文章。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="导出文件：.jsonl（每行一个 JSON 对象）、.csv 或 .xlsx")
        parser.add_argument(
            "--files", help="附件和图片所在的文件夹（导出里写的是相对路径时）；默认是导出文件所在的文件夹"
        )
        parser.add_argument(
            "--base-url", default="", help="旧网站的地址，如 http://www.old.gov.cn/，用来下载相对地址的文件"
        )
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不保存任何内容")
        parser.add_argument("--overwrite", action="store_true", help="导入后在本站修改过的文章，也用导出内容覆盖")

    def handle(self, *args, file, files, base_url, dry_run, overwrite, **options):
        if base_url and not is_web_address(base_url):
            raise CommandError(f"--base-url 应是 http:// 或 https:// 开头的网址，而不是“{base_url}”。")
        try:
            rows = read_export(file)
        except ExportError as error:
            raise CommandError(str(error)) from None
        folder = Path(files) if files else (None if base_url else Path(file).resolve().parent)
        if folder is not None and not folder.is_dir():
            raise CommandError(f"--files 指的文件夹 {folder} 不存在。")
        fetcher = Fetcher(folder, base_url)
        counts, redirects, held = Counter(), 0, 0
        with generation.deferred():  # the pages and lists of what was imported are made again once, at the end
            for row in rows:
                outcome = legacy.import_row(row, fetcher, overwrite=overwrite, dry_run=dry_run)
                counts[outcome.action] += 1
                redirects += outcome.redirects
                held += bool(outcome.held)
                self._report(outcome)
        summary = f"共 {len(rows)} 行：" + "，".join(f"{action} {counts[action]}" for action in ORDER)
        summary += "（试运行，没有保存）" if dry_run else f"；新建或更新跳转 {redirects} 条"
        summary += f"；{held} 篇因内容检查未通过设为待审核（后台 › 新闻 › 文章，状态“待审核”）" if held else ""
        self.stdout.write(summary + "。")
        if counts[legacy.SKIPPED]:
            raise CommandError(
                f"有 {counts[legacy.SKIPPED]} 行没有导入，原因见上。改正后再次运行即可：已导入的行不会重复。"
            )

    def _report(self, outcome):
        where = f"第 {outcome.number} 行"
        if outcome.action == legacy.SKIPPED:
            self.stdout.write(self.style.ERROR(f"{where} {outcome.action}：{outcome.message}"))
            return
        target = outcome.article.get_absolute_url() if outcome.article and outcome.article.pk else "（新文章）"
        line = f"{where} {outcome.action} {outcome.old_path} → {target} {outcome.message}"
        self.stdout.write(self.style.WARNING(line) if outcome.action == legacy.KEPT or outcome.held else line)
