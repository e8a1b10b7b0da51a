"""restore: put a `manage.py backup` archive back into the configured database and media/private folders.

    manage.py restore var/backups/union-site-20261124-030000.tar.gz
    manage.py restore ARCHIVE --force        # the target is not empty: wipe it first

Every file is checked against the archive's manifest before anything is changed; the target must be empty (a new
database, empty folders) unless --force is given. Afterwards the rows of every table and the checksum of every file
are compared with the manifest again. See union_site/backup/archive.py.
"""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from union_site.backup.archive import app_version, restore_backup
from union_site.backup.database import VENDOR_NAMES, BackupError


class Command(BaseCommand):
    help = "从 manage.py backup 生成的备份恢复数据库、媒体文件和私有文件（目标须为空，或加 --force 先清空）。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件（.tar.gz）")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库或文件夹不是空的时，先清空它们再恢复（现有数据将丢失）"
        )
        parser.add_argument("--database", default="default", help="数据库别名，默认 default")

    def handle(self, *args, archive, force=False, database="default", **options):
        try:
            result = restore_backup(archive, force=force, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        lines = [
            f"已从 {result.archive} 恢复（备份时间 {manifest['created_at']}，网站版本 {manifest['app_version']}）。"
        ]
        if result.wiped:
            lines.append("恢复前已清空：" + "；".join(result.wiped) + "。")
        vendor = VENDOR_NAMES[manifest["database"]["vendor"]]
        lines.append(f"数据库（{vendor}）：{len(result.tables)} 张表，共 {result.rows} 行，与备份清单逐表一致。")
        for folder, count, size in result.folders:
            lines.append(f"{folder.label}：{count} 个（{filesizeformat(size)}），校验值（SHA-256）全部一致。")
        if manifest["app_version"] != app_version():
            lines.append(f"注意：当前网站版本是 {app_version()}，与备份时不同，请接着运行 manage.py migrate。")
        self.stdout.write("\n".join(lines))
        self.stdout.write(self.style.SUCCESS("恢复完成。"))
