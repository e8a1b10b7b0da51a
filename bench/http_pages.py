"""Benchmark over HTTP (issue #12): the public pages served by gunicorn, driven by wrk, against a bare Django view.

Builds a throwaway database (SQLite in a temporary folder, or a `union_site_bench` database created on the
PostgreSQL server named by DATABASE_URL and dropped afterwards) holding the demo content, BENCH_ARTICLES articles
and BENCH_PHOTOS photos (bench/data.py); serves it with gunicorn (2 sync workers, production settings over plain
HTTP, bench/settings.py) on a free 127.0.0.1 port; and drives each page with wrk for BENCH_SECONDS at
BENCH_CONNECTIONS connections, the pages taking turns, BENCH_ROUNDS rounds, median over the rounds. `× bare` is a
page's req/s divided by the req/s of /bench/bare/ (one small template, no database) in the same run and server.
Queries and writes per page are counted in-process (Django's CaptureQueriesContext) on the same data.

The table goes to stdout and to var/bench/http-<timestamp>.md. The exit status is non-zero only when the harness
fails (no wrk, the server does not start, a page does not answer 200 before the run), never for a slow page.

    make bench BENCH=http_pages
    BENCH_ARTICLES=300 BENCH_PHOTOS=100 BENCH_SECONDS=2 BENCH_ROUNDS=1 .venv/bin/python bench/http_pages.py
"""

import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import BenchDatabase, HarnessError  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "10000"))
PHOTOS = int(os.environ.get("BENCH_PHOTOS", "2000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
WORKERS = 2
WRK_TIMEOUT = "60s"  # a request waits behind up to CONNECTIONS others on 2 workers: slow pages need the time
DRAIN_LIMIT = 300  # seconds to wait for the workers to finish requests wrk left behind
WRK_PACKAGE_HINT = "缺少 wrk，请先运行：sudo apt-get install -y wrk（或 make bench，以 root 运行时自动安装）"


@dataclass
class Target:
    """One row of the table. `paths` are requested in turn (several paths: a row whose requests differ, such as
    cache misses); `headers` go with every request."""

    name: str
    paths: list[str]
    headers: dict[str, str] = field(default_factory=dict)
    rounds: list[dict] = field(default_factory=list)
    queries: int | None = None
    writes: int | None = None


# --- data and targets ------------------------------------------------------------------------------------------------


def server_environment(workdir, database_url):
    """Production settings over plain HTTP, as for a deployment behind nothing; files in `workdir`."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_MANIFEST_STATIC": "0",
        "DJANGO_SERVE_MEDIA": "1",
        "DJANGO_MEDIA_ROOT": f"{workdir}/media",
        "DJANGO_STATIC_ROOT": f"{workdir}/static",
        "DJANGO_PRIVATE_ROOT": f"{workdir}/private",
        "DATABASE_URL": database_url,
    }


def build_data():
    from django.core.management import call_command

    from bench.data import make_articles, make_photos
    from union_site.demo.loader import load_demo

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    load_demo()
    albums = make_photos(PHOTOS)
    make_articles(ARTICLES, albums=albums)
    return time.monotonic() - started, albums


def page_targets(albums):
    """The rows, in the order they take turns. The first is the reference (× bare). The album is the newest of the
    bench's (the one whose photos have renditions), not the first of /gallery/: on PostgreSQL an undated demo album
    sorts first there."""
    from gallery.models import Album
    from news.models import Article, Column

    column = Column.objects.order_by("order", "id").first()
    article = Article.objects.published().for_listing().first()
    album = albums[0] if albums else Album.objects.published().for_listing().first()
    search = "/search/?q={}".format
    targets = [
        Target("bare（参照）", ["/bench/bare/"]),
        Target("首页 /", ["/"]),
        Target(f"栏目列表 {column.name}", [column.get_absolute_url()]),
        Target("文章", [article.get_absolute_url()]),
        Target("数说五年", ["/achievements/"]),
        Target(f"相册（{album.photos.count()} 张）", [album.get_absolute_url()]),
        Target("搜索 劳模", [search("劳模")]),
        Target("搜索 工会", [search("工会")]),
        Target("搜索 劳动模范", [search("劳动模范")]),
        Target("sitemap.xml", ["/sitemap.xml"]),
    ]
    return targets + cache_targets()


def cache_targets():
    """Rows for the caching work (none yet). A cache hit: the same path again and again (Target("首页 命中", ["/"]));
    a miss: paths that differ per request (Target("文章 未命中", [url of 500 different articles])), each request
    taking the next path. Counting hits and misses needs the server's side: a response header the cache sets
    (X-Cache: hit/miss) counted in wrk's response() (wrk_script), or a cache cleared between rounds."""
    return []


def count_queries(targets):
    """Queries and database writes (INSERT/UPDATE/DELETE) of one anonymous GET of each target's first path, after
    one request to warm it up: what a steady-state request costs."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    for target in targets:
        path = target.paths[0]
        client.get(path, headers=target.headers)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, headers=target.headers)
        if response.status_code != 200:
            raise HarnessError(f"{target.name} {path}：进程内请求返回 {response.status_code}")
        target.queries = len(captured)
        target.writes = sum(
            query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")) for query in captured
        )


# --- the server -----------------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group, so that stopping it stops its workers too."""

    def __init__(self, env, workdir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(workdir) / "gunicorn.log"
        command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "union_site.wsgi",
            "--chdir",
            str(ROOT),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--timeout",
            "120",
            "--error-logfile",
            str(self.log),
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **env}, start_new_session=True, stdin=subprocess.DEVNULL
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"gunicorn 启动失败（退出码 {self.process.returncode}）\n{self.log_tail()}")
            try:
                if get(self.base + "/bench/bare/", timeout=5)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise HarnessError(f"gunicorn {timeout} 秒内没有应答\n{self.log_tail()}")

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


def get(url, timeout=120):
    """(status, seconds) of one GET."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (our own http://127.0.0.1)
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def concurrently(urls):
    """[(status, seconds)] of GETs sent at the same time."""
    results = [None] * len(urls)

    def fetch(index, url):
        try:
            results[index] = get(url)
        except OSError as error:
            results[index] = (str(error), 0.0)

    threads = [threading.Thread(target=fetch, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def check_pages(server, targets):
    """Every path answers 200, each worker warmed up once per path."""
    for target in targets:
        for path in target.paths[:3]:
            for status, _ in concurrently([server.base + quoted(path)] * WORKERS):
                if status != 200:
                    raise HarnessError(f"{target.name} {path}：返回 {status}\n{server.log_tail()}")


def drain(server):
    """Wait until both workers are idle: wrk stops with requests still queued, which the workers then serve (to
    closed sockets). WORKERS requests of /bench/hold/ at once, all taking about its time: every worker was free."""
    from bench.views import HOLD_SECONDS

    deadline = time.monotonic() + DRAIN_LIMIT
    while time.monotonic() < deadline:
        results = concurrently([server.base + "/bench/hold/"] * WORKERS)
        if all(status == 200 and seconds < HOLD_SECONDS * 1.6 for status, seconds in results):
            return
    print(f"注意：{DRAIN_LIMIT} 秒后服务器仍忙，继续测量", flush=True)


# --- wrk ------------------------------------------------------------------------------------------------------------


def quoted(path):
    return urllib.parse.quote(path, safe="/?=&%")


def wrk_script(target):
    """Lua for wrk: counts non-2xx answers in every thread and prints one JSON line at the end; with several paths,
    each request takes the next one."""
    lua = [
        "local threads = {}",
        "function setup(thread) table.insert(threads, thread) end",
        "function init(args) non2xx = 0 end",
        "function response(status, headers, body) if status < 200 or status > 299 then non2xx = non2xx + 1 end end",
    ]
    if len(target.paths) > 1 or target.headers:
        paths = ", ".join(json.dumps(quoted(path)) for path in target.paths)
        headers = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in target.headers.items())
        lua += [
            f"local paths = {{{paths}}}",
            f"local headers = {{{headers}}}",
            "local turn = 0",
            'function request() turn = turn % #paths + 1; return wrk.format("GET", paths[turn], headers) end',
        ]
    lua += [
        "function done(summary, latency, requests)",
        "  local non2xx = 0",
        '  for _, thread in ipairs(threads) do non2xx = non2xx + thread:get("non2xx") end',
        "  local e = summary.errors",
        '  io.write(string.format(\'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, \'',
        '    .. \'"connect": %d, "read": %d, "write": %d, "timeout": %d, "non2xx": %d}\\n\',',
        "    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),",
        "    e.connect, e.read, e.write, e.timeout, non2xx))",
        "end",
    ]
    return "\n".join(lua) + "\n"


def run_wrk(wrk, server, target, workdir):
    script = Path(workdir) / "target.lua"
    script.write_text(wrk_script(target))
    command = [wrk, f"-t{min(2, CONNECTIONS)}", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", WRK_TIMEOUT]
    command += ["-s", str(script), server.base + quoted(target.paths[0])]
    result = subprocess.run(command, capture_output=True, text=True, timeout=SECONDS + 120)
    for line in result.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            numbers = json.loads(line.removeprefix("BENCH_JSON "))
            seconds = numbers["duration_us"] / 1e6
            return {
                "rps": numbers["requests"] / seconds if seconds else 0.0,
                "p50": numbers["p50_us"] / 1000,
                "p99": numbers["p99_us"] / 1000,
                "requests": numbers["requests"],
                "errors": {k: numbers[k] for k in ("non2xx", "connect", "read", "write", "timeout")},
            }
    raise HarnessError(f"wrk 没有给出结果（退出码 {result.returncode}）：{result.stderr.strip()}")


# --- the table ------------------------------------------------------------------------------------------------------


def figure(value):
    """Three significant digits, without an exponent: 1880, 22.9, 0.61."""
    return f"{value:.0f}" if value >= 100 else f"{value:.3g}"


def errors_cell(target):
    totals = {}
    for one in target.rounds:
        for kind, count in one["errors"].items():
            totals[kind] = totals.get(kind, 0) + count
    total = sum(totals.values())
    detail = ", ".join(f"{kind} {count}" for kind, count in totals.items() if count)
    return f"{total} ({detail})" if total else "0"


def table(targets):
    bare = statistics.median(one["rps"] for one in targets[0].rounds)
    lines = [
        "| page | req/s | p50 ms | p99 ms | × bare | errors | n | queries | writes |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for target in targets:
        rps = statistics.median(one["rps"] for one in target.rounds)
        p50 = statistics.median(one["p50"] for one in target.rounds)
        p99 = statistics.median(one["p99"] for one in target.rounds)
        n = sum(one["requests"] for one in target.rounds)
        ratio = f"{rps / bare:.3g}" if bare else "—"
        lines.append(
            f"| {target.name} | {figure(rps)} | {p50:.0f} | {p99:.0f} | {ratio} | {errors_cell(target)} | {n} "
            f"| {target.queries} | {target.writes} |"
        )
    return lines


def header(database, data_seconds):
    import django
    from django.db import connection

    from gallery.models import Album, Photo
    from news.models import Article

    commit = subprocess.run(
        ["git", "--no-optional-locks", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "--no-optional-locks", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
    )
    version = connection.vendor
    if connection.vendor == "postgresql":
        version = f"PostgreSQL {connection.pg_version // 10000}"
    elif connection.vendor == "sqlite":
        import sqlite3

        version = f"SQLite {sqlite3.sqlite_version}"
    return [
        f"# make bench over HTTP, {datetime.now().astimezone():%Y-%m-%d %H:%M %z}",
        "",
        f"- commit {commit.stdout.strip() or '?'}{'（工作区有未提交的修改）' if dirty.stdout.strip() else ''};"
        f" Python {platform.python_version()}, Django {django.get_version()}; {os.cpu_count()} CPU,"
        f" load average {' '.join(f'{load:.1f}' for load in os.getloadavg())} before the run (others' work shows here)",
        f"- {version}: {database.note}",
        f"- 文章 {Article.objects.count():,} 篇（已发布 {Article.objects.published().count():,}），"
        f"相册 {Album.objects.count():,} 个，照片 {Photo.objects.count():,} 张；造数据 {data_seconds:.0f} 秒",
        f"- gunicorn {WORKERS} sync workers; wrk {CONNECTIONS} connections, {SECONDS} s per page per round,"
        f" {ROUNDS} round(s), pages taking turns; req/s, p50, p99: median over the rounds; n: requests completed;"
        " errors: non-2xx answers and socket errors (connect/read/write/timeout), all rounds; with n below about 30,"
        " p50/p99 are rough and count only the requests that finished in the window (the front of the queue)",
        "- × bare: the page's req/s over the req/s of /bench/bare/ (one small template, no database) in this run;"
        " queries, writes: one anonymous GET in-process (writes: INSERT/UPDATE/DELETE)",
        "",
    ]


def write_report(lines):
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"http-{datetime.now():%Y%m%d-%H%M%S}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


# --- main -----------------------------------------------------------------------------------------------------------


def measure(workdir, database):
    wrk = shutil.which("wrk")
    if not wrk:
        raise HarnessError(WRK_PACKAGE_HINT)
    env = server_environment(workdir, database.url)
    os.environ.update(env)
    Path(env["DJANGO_STATIC_ROOT"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.db import connections

    print(f"造数据：文章 {ARTICLES:,} 篇，照片 {PHOTOS:,} 张，数据库：{database.note}…", flush=True)
    data_seconds, albums = build_data()
    targets = page_targets(albums)
    count_queries(targets)
    head = header(database, data_seconds)
    connections.close_all()

    server = Server(env, workdir)
    try:
        server.wait_ready()
        check_pages(server, targets)
        total = len(targets) * ROUNDS * SECONDS
        print(
            f"测量：{len(targets)} 个页面 × {ROUNDS} 轮 × {SECONDS} 秒"
            f"（约 {total // 60} 分 {total % 60} 秒，另加排空）",
            flush=True,
        )
        for number in range(1, ROUNDS + 1):
            for target in targets:
                drain(server)
                target.rounds.append(run_wrk(wrk, server, target, workdir))
                last = target.rounds[-1]
                rps, p50 = figure(last["rps"]), f"{last['p50']:.0f}"
                print(f"  第 {number} 轮 {target.name}: {rps} req/s, p50 {p50} ms", flush=True)
    finally:
        server.stop()
    return head + table(targets)


def interrupted(signum, frame):
    raise KeyboardInterrupt  # a kill of make bench stops the server too (the finally blocks run)


def main():
    signal.signal(signal.SIGTERM, interrupted)
    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="union-site-bench-http-")
    database = None
    try:
        database = BenchDatabase(os.environ.get("DATABASE_URL"), workdir)
        lines = measure(workdir, database)
        path = write_report(lines + ["", f"全程 {time.monotonic() - started:.0f} 秒。"])
        print("\n" + "\n".join(lines))
        print(f"\n已写入 {path.relative_to(ROOT)}（全程 {time.monotonic() - started:.0f} 秒）")
        return 0
    except HarnessError as error:
        print(f"基准测试未能完成：{error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    finally:
        try:
            if database:
                database.drop()
        finally:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
