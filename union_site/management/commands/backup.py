"""backup: the database, MEDIA_ROOT and PRIVATE_ROOT in one archive with a manifest, for a daily job:

    manage.py backup                         # var/backups/union-site-YYYYmmdd-HHMMSS.tar.gz
    manage.py backup -o /srv/backups/        # a folder: the same name there
    manage.py backup -o site.tar.gz          # a file name

The archive appears only when complete (written to `.part`, then renamed). See union_site/backup/archive.py.
"""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from union_site.backup.archive import create_backup, folders
from union_site.backup.database import VENDOR_NAMES, BackupError


class Command(BaseCommand):
    help = "备份网站：数据库、媒体文件和私有文件打包为一个 .tar.gz，附带清单（每张表的行数、每个文件的校验值）。"

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", help="输出文件，或目录（按时间命名）；默认 var/backups/")
        parser.add_argument("--database", default="default", help="数据库别名，默认 default")

    def handle(self, *args, output=None, database="default", **options):
        try:
            result = create_backup(output, using=database)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest, db = result.manifest, result.manifest["database"]
        labels = {folder.key: folder.label for folder in folders()}
        counted = "；".join(
            f"{labels[key]} {info['files']} 个（{filesizeformat(info['bytes'])}）"
            for key, info in manifest["folders"].items()
        )
        self.stdout.write(
            f"已备份到 {result.path}（{filesizeformat(result.path.stat().st_size)}）\n"
            f"数据库（{VENDOR_NAMES[db['vendor']]}）：{len(db['tables'])} 张表，共 {db['rows']} 行；{counted}。\n"
            f"备份时间：{manifest['created_at']}（北京时间）"
        )
        if result.skipped:
            names = "、".join(result.skipped[:10])
            self.stderr.write(f"备份时已消失或不是普通文件、因而未备份的 {len(result.skipped)} 个：{names}")
