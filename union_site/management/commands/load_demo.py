"""load_demo: loads the demo content transcribed from 《滨州工人报》 (the five-year review of the city's unions):
columns, the feature article, the five-year figures and honors, and photo albums with placeholder images.
Safe to run more than once; see union_site/demo/loader.py."""

from django.core.management.base import BaseCommand

from union_site.demo.loader import has_content, load_demo


class Command(BaseCommand):
    help = "载入演示内容（来自《滨州工人报》五年工作掠影）。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库里已有内容时什么也不做（make run 用它，免得覆盖后台的修改）"
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and has_content():
            self.stdout.write("数据库里已有内容，跳过演示内容（需要时运行 make demo 重新载入）。")
            return
        for label, count in load_demo().items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(self.style.SUCCESS("演示内容已载入。"))
