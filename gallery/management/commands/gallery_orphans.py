"""gallery_orphans: lists the gallery's media files that no photo points to; --delete removes them."""

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand

from gallery.orphans import orphan_files


class Command(BaseCommand):
    help = "列出没有任何照片记录引用的图库文件（原图和缩略图）；加 --delete 删除它们。"

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="删除列出的文件")

    def handle(self, *args, delete=False, **options):
        orphans = orphan_files()
        for name in orphans:
            if delete:
                default_storage.delete(name)
            self.stdout.write(name)
        verb = "已删除" if delete else "找到"
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(orphans)} 个无主文件。"))
