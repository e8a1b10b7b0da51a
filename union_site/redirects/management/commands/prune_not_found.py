"""prune_not_found: deletes the 404 记录 rows nobody has asked for in the last N days (default 90), e.g. from cron or
a systemd timer beside prune_db_task_results. Rows the write-back adds later start again from their next 404."""

from django.core.management.base import BaseCommand

from union_site.redirects.not_found import prune

DEFAULT_DAYS = 90


class Command(BaseCommand):
    help = f"删除最近 N 天（默认 {DEFAULT_DAYS} 天）没有再出现的 404 记录。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help=f"保留最近多少天出现过的记录（默认 {DEFAULT_DAYS}）"
        )

    def handle(self, *args, days, **options):
        deleted = prune(days)
        self.stdout.write(f"已删除 {deleted} 条 {days} 天内没有再出现的 404 记录。")
