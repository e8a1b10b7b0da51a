"""Benchmark: public pages at a realistic volume (DESIGN.md: 10k articles).

Loads the demo content into a throwaway database (SQLite, or on the PostgreSQL server named by DATABASE_URL a
database of its own, bench/database.py), adds BENCH_ARTICLES articles (default 10,000) with 2–6 KB Chinese bodies
(bench/data.py, as for bench/http_pages.py), then requests each key page REPEAT times in-process (Django's test
client, so it measures our code and the database, not a network) and prints the median and 90th percentile time and
the number of queries per page.

    make bench                                     (SQLite)
    DATABASE_URL=postgres://... make bench         (PostgreSQL: search served by the pg_trgm indexes)
"""

import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.database import BenchDatabase  # noqa: E402

workdir = tempfile.mkdtemp(prefix="union-site-bench-")
atexit.register(shutil.rmtree, workdir, ignore_errors=True)
database = BenchDatabase(os.environ.get("DATABASE_URL"), workdir)
atexit.register(database.drop)  # before the folder goes (atexit runs last-registered first)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "union_site.settings_test")
os.environ["DATABASE_URL"] = database.url
os.environ["DJANGO_MEDIA_ROOT"] = f"{workdir}/media"
os.environ["DJANGO_STATIC_ROOT"] = f"{workdir}/static"
os.makedirs(f"{workdir}/static", exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bench.data import make_articles  # noqa: E402
from news.models import Article, Column  # noqa: E402
from news.sitemaps import ArticleSitemap  # noqa: E402
from union_site.demo.loader import load_demo  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "10000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))


def measure(client, url):
    client.get(url)  # warm the template and query caches once
    times, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.9) - 1] * 1000, queries


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    load_demo()
    make_articles(ARTICLES)
    column = Column.objects.order_by("order").first()
    article = Article.objects.published().order_by("-publish_at").first()
    pages = {
        "首页 /": "/",
        "栏目列表": column.get_absolute_url(),
        "栏目列表 最后一页": column.get_absolute_url() + "?page=last",
        "文章": article.get_absolute_url(),
        "数说五年": "/achievements/",
        "活动图集": "/gallery/",
        "搜索 劳模": "/search/?q=劳模",
        "搜索 工会工作": "/search/?q=工会工作",
        "搜索 无结果": "/search/?q=不存在的词语",
        "RSS": "/feeds/news/",
        "sitemap.xml（索引）": "/sitemap.xml",
        "sitemap 文章 第1部分": "/sitemap-articles.xml",
        "sitemap 文章 末部分": f"/sitemap-articles.xml?p={ArticleSitemap().paginator.num_pages}",
    }
    client = Client()
    print(f"{connection.vendor}（{database.note}），文章 {Article.objects.count():,} 篇，每页请求 {REPEAT} 次")
    print(f"{'页面':<16}{'中位数(ms)':>12}{'P90(ms)':>10}{'查询数':>8}")
    for name, url in pages.items():
        median, p90, queries = measure(client, url)
        print(f"{name:<16}{median:>12.1f}{p90:>10.1f}{queries:>8}")


if __name__ == "__main__":
    main()
