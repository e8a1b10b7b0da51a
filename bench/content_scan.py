"""Benchmark: `manage.py scan_content` / `public_findings()` (union_site/checks/scan.py) at 10,000 articles.

A throwaway database (SQLite, or on the PostgreSQL server named by DATABASE_URL a database of its own,
bench/database.py) with the shipped 词库 (migrations), BENCH_ARTICLES articles (default 10,000) of 2–6 KB Chinese
text (bench/data.py), one in 50 with a misspelt word and an ID number, one in 20 traditional Chinese. Prints, for a
tenth of them and for all, the time of one scan (the target: under 30 s for 10,000) and the Python heap's peak
(tracemalloc, in a second run: tracing slows Python several times over): flat memory shows as a peak that does not
grow tenfold with the articles.

    BENCH=content_scan make bench        (or: .venv/bin/python bench/content_scan.py)
"""

import atexit
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.database import BenchDatabase  # noqa: E402

workdir = tempfile.mkdtemp(prefix="union-site-bench-")
atexit.register(shutil.rmtree, workdir, ignore_errors=True)
database = BenchDatabase(os.environ.get("DATABASE_URL"), workdir)
atexit.register(database.drop)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union_site.settings_test")
os.environ["DATABASE_URL"] = database.url
os.environ["DJANGO_MEDIA_ROOT"] = f"{workdir}/media"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from opencc import OpenCC  # noqa: E402

from bench.data import make_articles  # noqa: E402
from news.models import Article, Column, article_fill_derived_fields  # noqa: E402
from union_site.checks.scan import public_findings  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "10000"))
PLANTED_EVERY, TRADITIONAL_EVERY = 50, 20
PLANTED = "<p>获奖名单：张三 372301199001011238。希望大家再接再励。</p>"


def add_articles(count):
    """`count` more articles; a few with findings, a few in traditional characters."""
    first = Article.objects.count()
    make_articles(count, seed=first + 1)
    to_s2t = OpenCC("s2t")
    changed = []
    for n, article in enumerate(Article.objects.filter(pk__gt=first).order_by("pk").iterator(chunk_size=500)):
        if n % PLANTED_EVERY == 0:
            article.body += PLANTED
        elif n % TRADITIONAL_EVERY == 0:
            article.body = to_s2t.convert(article.body)
        else:
            continue
        article_fill_derived_fields(article)
        changed.append(article)
    Article.objects.bulk_update(changed, ["body", "search_text", "search_tokens", "title_tokens", "lead_text"], 500)


def measure():
    started = time.perf_counter()
    found = sum(1 for _ in public_findings())
    elapsed = time.perf_counter() - started
    tracemalloc.start()
    sum(1 for _ in public_findings())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return found, elapsed, peak


def main():
    call_command("migrate", verbosity=0)
    for n, (name, slug) in enumerate([("工会要闻", "news"), ("基层动态", "local"), ("通知公告", "notices")]):
        Column.objects.get_or_create(slug=slug, defaults={"name": name, "order": n})
    sum(1 for _ in public_findings())  # the 词库 matcher and the normalising tables, built once per process
    print(f"数据库：{database.note}")
    print(f"{'文章（公开）':<14}{'发现':>8}{'用时(s)':>10}{'Python 堆峰值(MB)':>20}")
    for total in sorted({max(ARTICLES // 10, 1), ARTICLES}):
        add_articles(total - Article.objects.count())
        found, elapsed, peak = measure()
        public = Article.objects.published().count()
        print(f"{public:<16,}{found:>8,}{elapsed:>10.2f}{peak / 2**20:>20.1f}")


if __name__ == "__main__":
    main()
