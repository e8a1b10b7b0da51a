"""Benchmark: memory and time of large exports (issue #6: 100,000 rows must not need 100,000 rows in memory).

Creates N articles in a throwaway SQLite database, then writes 导出所选-shaped XLSX and CSV files from
`queryset.iterator()`, as the admin action does, and reports time and the Python heap's peak (tracemalloc) for
10,000 and 100,000 rows. Flat memory shows as a peak that does not grow tenfold with the rows.

    make bench        (or: .venv/bin/python bench/exports_memory.py)
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="union-site-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union_site.settings_test")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from news.models import Article, Column  # noqa: E402
from union_site.reports import writers as exports  # noqa: E402

SIZES = [10_000, 100_000]


def make_articles(count):
    column, _ = Column.objects.get_or_create(name="工会要闻", slug="union-news")
    have = Article.objects.count()
    now = timezone.now()
    batch = [
        Article(
            column=column, title=f"滨州市总工会第{n}次会议召开", body="<p>正文</p>", status="published", publish_at=now
        )
        for n in range(have, count)
    ]
    Article.objects.bulk_create(batch, batch_size=2000)


def document(limit):
    rows = (
        list(row)
        for row in Article.objects.order_by("id")
        .values_list("title", "column__name", "status", "publish_at", "view_count")[:limit]
        .iterator(chunk_size=2000)
    )
    columns = [exports.Column(h) for h in ["标题", "栏目", "状态", "发布时间", "阅读数"]]
    return exports.Document("文章（基准）", "文章", "基准测试", [exports.Table("文章", columns, rows)])


def write(fmt, limit):
    with open(Path(workdir) / f"out.{fmt}", "wb") as out:
        return exports.write_file(document(limit), fmt, out)


def measure(fmt, limit):
    """Time without tracing (tracemalloc slows Python several times over), then the heap peak with it."""
    started = time.perf_counter()
    rows = write(fmt, limit)
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    write(fmt, limit)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = (Path(workdir) / f"out.{fmt}").stat().st_size
    return rows, elapsed, peak, size


def main():
    call_command("migrate", verbosity=0)
    make_articles(max(SIZES))
    print(f"{'格式':<6}{'行数':>10}{'用时(s)':>10}{'Python 堆峰值(MB)':>20}{'文件(MB)':>12}")
    for fmt in [exports.CSV, exports.XLSX]:
        for limit in SIZES:
            rows, elapsed, peak, size = measure(fmt, limit)
            print(f"{fmt:<6}{rows:>10,}{elapsed:>10.2f}{peak / 2**20:>20.1f}{size / 2**20:>12.1f}")


if __name__ == "__main__":
    main()
