"""Benchmark over HTTP (issue #12): the public pages served by gunicorn, driven by wrk, against a bare Django view.

Builds a throwaway database (SQLite in a temporary folder, or a `union_site_bench` database created on the
PostgreSQL server named by DATABASE_URL and dropped afterwards) holding the demo content, BENCH_ARTICLES articles
and BENCH_PHOTOS photos (bench/data.py); serves it with gunicorn (2 sync workers, production settings,
bench/settings.py) on a free 127.0.0.1 port; and drives each page with wrk for BENCH_SECONDS at BENCH_CONNECTIONS
connections, the pages taking turns, BENCH_ROUNDS rounds, median over the rounds. Then three parts, each its own table:

- **Pages** (gunicorn directly). `× bare` is a page's req/s divided by the req/s of /bench/bare/ (one small template,
  no database) in the same run and server. 命中 rows ask for a page already in the page cache (union_site/page_cache.py:
  `X-Cache HIT` share in the table); 未命中 rows add a query string never asked before to every request
  (`bench-miss=<run>-<thread>-<n>`, new for each row and round), so each request renders the page as the first view
  after a publish would; the sessionid row bypasses the cache as staff do. Queries and writes per page: one anonymous
  GET in-process (Django's CaptureQueriesContext, a fresh client per row) on the same data and cache.
- **发布后首次访问** (BENCH_AFTER_PUBLISH GETs a row, default 30): one connection, one request at a time; before each
  GET this process saves an article (of another column, of the page's own column; any, for the home page), so every
  GET is the first view after a publish: the page cache's copy is gone, and the cached parts of the pages the
  article touches (union_site/common/page_parts.py, news/topics.py) are too. × bare: bare's p50 over the row's.
- **Behind nginx**: when Debian's nginx and openssl are installed, a real nginx (tests/servers.py `start_nginx`: the
  real deploy/nginx.conf, its paths and ports moved into a temporary folder, a self-signed certificate, one
  unprivileged process) in front of the same gunicorn, spoken to over HTTPS with `Host: www.example.org`. Its
  reference is a static CSS file nginx serves from disk (nginx 静态文件（参照）); the home page and an article through
  its 5-second micro-cache are given as `× nginx static` (and × bare). Without nginx the part is skipped, with a note.
- **Crowd** (BENCH_CROWD_SECONDS, default 120; 0 skips): BENCH_CROWD_CONNECTIONS (50) connections on a mix of cached
  pages (home, a column, five articles, 数说五年, an album; each request the next path) while, in this process, an
  editor bulk-uploads BENCH_CROWD_PHOTOS (40; 0: no editor) photos of 1600×1200 in batches of 10 into that album
  through gallery/bulk.py `add_photos` (the code behind 批量上传照片), writing to the same database and cache as the
  server; it queues the renditions as the site does, and a task worker (`nice -n 10 manage.py db_worker`, the
  server's environment, as in production) makes them during the run. Reported: requests, req/s, p50/p99, errors,
  hit share, the photos saved, the upload's time, when the worker had made every rendition, how often
  the content generation changed meanwhile, and per page (gunicorn's access log) the requests, misses and the
  server's own time.

One cache for everything: a redis-server of the bench's own (tests/servers.py `start_redis`, REDIS_URL for gunicorn
and this process), else, without Debian's redis-server, a FileBasedCache folder in the temporary folder
(DJANGO_CACHE_DIR); the header says which. It is emptied before every round after the first, and before the crowd.

The tables go to stdout and to var/bench/http-<timestamp>.md. The exit status is non-zero only when the harness
fails (no wrk, the server does not start, a page does not answer 200 before the run), never for a slow page.

    make bench BENCH=http_pages
    BENCH_ARTICLES=300 BENCH_PHOTOS=100 BENCH_SECONDS=2 BENCH_ROUNDS=1 BENCH_CROWD_SECONDS=10 \
        .venv/bin/python bench/http_pages.py
"""

import io
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import ssl
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
from tests.servers import NGINX_HOST, ServerUnavailable, redis_server_program, start_nginx, start_redis  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "10000"))
PHOTOS = int(os.environ.get("BENCH_PHOTOS", "2000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CROWD_SECONDS = int(os.environ.get("BENCH_CROWD_SECONDS", "120"))
CROWD_CONNECTIONS = int(os.environ.get("BENCH_CROWD_CONNECTIONS", "50"))
CROWD_PHOTOS = int(os.environ.get("BENCH_CROWD_PHOTOS", "40"))  # the editor's upload; 0: the crowd alone
CROWD_BATCH, CROWD_PHOTO_SIZE = 10, (1600, 1200)  # photos per upload request (one 批量上传), pixels
CROWD_ARTICLES = 5
WORKERS = 2
WRK_TIMEOUT = "60s"  # a request waits behind up to CONNECTIONS others on 2 workers: slow pages need the time
DRAIN_LIMIT = 300  # seconds to wait for the workers to finish requests wrk left behind
STATIC_FILE = "css/site.css"  # nginx's reference: a real static file, copied into the bench's static folder
WRK_PACKAGE_HINT = "缺少 wrk，请先运行：sudo apt-get install -y wrk（或 make bench，以 root 运行时自动安装）"


@dataclass
class Target:
    """One row of a table. `paths` are requested in turn; `headers` go with every request. A `miss` row adds
    `bench-miss=<run>-<thread>-<n>` to each request, which no view reads but the page cache keys on: each request
    renders the page as the first view after a publish would. `via` is the server asked: gunicorn itself or nginx
    in front of it (whose micro-cache says X-Cache-Status, not X-Cache)."""

    name: str
    paths: list[str]
    headers: dict[str, str] = field(default_factory=dict)
    miss: bool = False  # every request a page the cache has not seen: the path plus a query never asked before
    via: str = "gunicorn"  # or "nginx"
    connections: int = CONNECTIONS  # 1: p50 is one request's own time, without queueing behind the others
    rounds: list[dict] = field(default_factory=list)
    queries: int | None = None
    writes: int | None = None

    @property
    def cache_header(self):
        return "X-Cache-Status" if self.via == "nginx" else "X-Cache"


# --- the cache ------------------------------------------------------------------------------------------------------


class SharedCache:
    """The one cache of gunicorn's workers and of this process (query counts, the crowd's upload): a redis-server of
    the bench's own when Debian's is installed (REDIS_URL), else a FileBasedCache folder in `workdir`
    (DJANGO_CACHE_DIR; REDIS_URL emptied, so an inherited one is never written to)."""

    def __init__(self, workdir):
        self.redis, reason = None, ""
        try:
            self.redis = start_redis()
        except (ServerUnavailable, RuntimeError) as error:
            reason = str(error)
        if self.redis:
            self.env = {"REDIS_URL": self.redis.url, "DJANGO_CACHE_DIR": ""}
            self.note = f"Redis {redis_version()}（本次专用的 redis-server，127.0.0.1:{self.redis.port}，只在内存）"
        else:
            folder = Path(workdir) / "cache"
            self.env = {"REDIS_URL": "", "DJANGO_CACHE_DIR": str(folder)}
            self.note = f"FileBasedCache，临时文件夹里的 {folder.name}/（没有用 Redis：{reason}）"

    def clear(self):
        """Empty it (Django's cache.clear(): FLUSHDB of our own Redis, or every file of our folder)."""
        from django.core.cache import cache

        cache.clear()

    def close(self):
        if self.redis:
            self.redis.close()


def redis_version():
    output = subprocess.run([redis_server_program(), "--version"], capture_output=True, text=True).stdout
    found = re.search(r"v=(\S+)", output)
    return found.group(1) if found else "?"


# --- data and targets ------------------------------------------------------------------------------------------------


def server_environment(workdir, database_url, cache_env):
    """Production settings over plain HTTP, also behind the bench's nginx (which forwards HTTPS and Host:
    www.example.org, README Production); files and cache in `workdir` or the bench's Redis."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_ALLOWED_HOSTS": f"127.0.0.1,{NGINX_HOST}",
        "DJANGO_BEHIND_PROXY": "1",  # X-Forwarded-Proto: https from nginx is trusted
        "DJANGO_PROXY_COUNT": "1",
        "DJANGO_MANIFEST_STATIC": "0",
        "DJANGO_SERVE_MEDIA": "1",
        "DJANGO_MEDIA_ROOT": f"{workdir}/media",
        "DJANGO_STATIC_ROOT": f"{workdir}/static",
        "DJANGO_PRIVATE_ROOT": f"{workdir}/private",
        "DATABASE_URL": database_url,
        "DATABASE_REPLICA_URL": "",  # never the machine's own replica or bucket: the bench writes
        "DJANGO_S3_BUCKET": "",
        **cache_env,
    }


def analyze():
    """Table statistics for PostgreSQL's planner and the visibility map, as autovacuum keeps them on a running site:
    measured without statistics, the planner guessed 1 row where 2,000 matched and the home page's column lists took
    10 ms each instead of 0.1 ms; without the visibility map, a column's count reads every row, not the index."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def build_data():
    from django.core.management import call_command

    from bench.data import make_articles, make_photos
    from union_site.demo.loader import load_demo

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    load_demo()
    albums = make_photos(PHOTOS)
    make_articles(ARTICLES, albums=albums)
    analyze()
    return time.monotonic() - started, albums


@dataclass
class Pages:
    """The URLs the rows ask for. The album is the newest of the bench's (the one whose photos have renditions), not
    the first of /gallery/: on PostgreSQL an undated demo album sorts first there."""

    home: str
    column_name: str
    listing: str
    articles: list[str]
    album: object

    @classmethod
    def pick(cls, albums):
        from gallery.models import Album
        from news.models import Article, Column

        column = Column.objects.order_by("order", "id").first()
        articles = Article.objects.published().for_listing()[:CROWD_ARTICLES]
        album = albums[0] if albums else Album.objects.published().for_listing().first()
        return cls("/", column.name, column.get_absolute_url(), [a.get_absolute_url() for a in articles], album)


def page_targets(pages):
    """The rows, in the order they take turns. The first is the reference (× bare)."""
    search = "/search/?q={}".format
    home, listing, detail = pages.home, pages.listing, pages.articles[0]
    album, count = pages.album.get_absolute_url(), pages.album.photos.count()
    return [
        Target("bare（参照）", ["/bench/bare/"]),
        Target("首页 命中", [home]),
        Target("首页 命中，长者模式", [home], headers={"Cookie": "elder=1"}),
        Target("首页 命中，带无关 cookie", [home], headers={"Cookie": "_ga=GA1.2.345; Hm_lvt=1"}),
        Target("首页 未命中", [home], miss=True),
        Target("首页 带 sessionid（绕过缓存）", [home], headers={"Cookie": "sessionid=not-a-session"}),
        Target(f"栏目列表 {pages.column_name} 命中", [listing]),
        Target(f"栏目列表 {pages.column_name} 未命中", [listing], miss=True),
        Target("文章 命中", [detail]),
        Target("文章 未命中", [detail], miss=True),
        Target("数说五年 命中", ["/achievements/"]),
        Target("数说五年 未命中", ["/achievements/"], miss=True),
        Target(f"相册（{count} 张）命中", [album]),
        Target(f"相册（{count} 张）未命中", [album], miss=True),
        Target("搜索 劳模 未命中", [search("劳模")], miss=True),
        Target("搜索 劳模 未命中，单连接", [search("劳模")], miss=True, connections=1),
        Target("搜索 工会 未命中", [search("工会")], miss=True),
        Target("搜索 工会 未命中，单连接", [search("工会")], miss=True, connections=1),
        Target("搜索 劳动模范 未命中", [search("劳动模范")], miss=True),
        Target("搜索 劳动模范 未命中，单连接", [search("劳动模范")], miss=True, connections=1),
        *sitemap_targets(),
    ]


def sitemap_targets():
    """The sitemap index and its largest part (the articles'), uncached."""
    from django.urls import NoReverseMatch, reverse

    from union_site.sitemaps import SITEMAPS

    rows = [Target("sitemap.xml 未命中", [reverse("sitemap")], miss=True)]
    try:
        if "articles" in SITEMAPS:
            part = reverse("sitemap_section", kwargs={"section": "articles"})
            rows.append(Target("sitemap 文章部分 未命中", [part], miss=True))
            rows.append(Target("sitemap 文章部分 未命中，单连接", [part], miss=True, connections=1))
    except NoReverseMatch:
        pass
    return rows


def nginx_targets(pages):
    """The rows behind nginx; the first is their reference (× nginx static)."""
    host = {"Host": NGINX_HOST}
    return [
        Target("nginx 静态文件（参照）", [f"/static/{STATIC_FILE}"], headers=host, via="nginx"),
        Target("首页 经 nginx 微缓存", [pages.home], headers=host, via="nginx"),
        Target("文章 经 nginx 微缓存", [pages.articles[0]], headers=host, via="nginx"),
    ]


def crowd_target(pages):
    paths = [pages.home, pages.listing, *pages.articles, "/achievements/", pages.album.get_absolute_url()]
    return Target("人群", paths)


def count_queries(targets):
    """Queries and database writes (INSERT/UPDATE/DELETE) of one anonymous GET of each target's first path, after
    one request to warm it up: for a hit row, what a hit costs (none); for a miss row, what a render costs. A new
    client per row: the test client keeps every cookie it was sent (a deleted sessionid too, which would make every
    later row bypass the cache)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for target in targets:
        client = Client(HTTP_HOST="127.0.0.1")
        path = target.paths[0]
        client.get(path, headers=target.headers)
        if target.miss:
            path += ("&" if "?" in path else "?") + "bench-miss=count"
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, headers=target.headers)
        if response.status_code != 200:
            raise HarnessError(f"{target.name} {path}：进程内请求返回 {response.status_code}")
        target.queries = len(captured)
        target.writes = sum(
            query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")) for query in captured
        )


SCAN = re.compile(r"((?:Index Scan Backward|Index Scan|Index Only Scan|Bitmap Index Scan|Seq Scan) (?:using|on) \S+)")


def search_plans():
    """How PostgreSQL finds the ids of each searched word (union_site/search.py FoundArticles: title hits, then the
    others; at most SEARCH_COUNT_CAP + 1), as the site asks (through_gin_indexes): the scans of the two queries'
    plans. The issue asks for an index for 工会 and 劳模, never a sequential scan."""
    from django.db import connection

    from union_site.search import SEARCH_COUNT_CAP, article_results, through_gin_indexes

    if connection.vendor != "postgresql":
        return ["", "搜索的执行计划：SQLite 上是逐行比对（小网站的简单做法），无索引。"]
    lines = ["", "搜索的执行计划（EXPLAIN，找出文章编号的两条查询）：", ""]
    lines += ["| 搜索词 | 标题命中 | 其余命中 |", "|---|---|---|"]
    for word in ("工会", "劳模", "劳动模范"):
        found = article_results(word)
        plans = [found.title_hits.values("pk")[: SEARCH_COUNT_CAP + 1].explain()]
        with through_gin_indexes(found.articles.db):  # as FoundArticles.ids asks for the others
            plans.append(found.other_hits.values("pk")[: SEARCH_COUNT_CAP + 1].explain())
        cells = ["；".join(dict.fromkeys(SCAN.findall(plan))) for plan in plans]
        lines.append(f"| {word} | {cells[0]} | {cells[1]} |")
    return lines


def copy_static_reference(static_root):
    """The file nginx serves for its reference row: the site's own stylesheet."""
    source = ROOT / "union_site" / "static" / STATIC_FILE
    destination = Path(static_root) / STATIC_FILE
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
    return destination.stat().st_size


# --- the servers ----------------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn in its own process group, so that stopping it stops its workers too. With `access_log`, one line per
    request: time, path, status, X-Cache and the server's own time in µs (ACCESS_LINE reads it)."""

    ACCESS_FORMAT = "%(t)s %(U)s %(s)s %({x-cache}o)s %(D)s"

    def __init__(self, env, workdir, access_log=None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = Path(workdir) / "gunicorn.log"
        self.access_log = access_log
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
            "--no-control-socket",  # gunicorn 27 otherwise shares ~/.gunicorn/gunicorn.ctl with every other run
        ]
        if access_log:
            command += ["--access-logfile", str(access_log), "--access-logformat", self.ACCESS_FORMAT]
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


class Worker:
    """The task worker as production runs it (README: `nice -n 10 manage.py db_worker`, the server's environment),
    in its own process group; it makes the renditions of the crowd's upload."""

    def __init__(self, env, workdir):
        self.log = Path(workdir) / "db_worker.log"
        command = ["nice", "-n", "10", sys.executable, "manage.py", "db_worker", "--interval", "0.5"]
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, **env},
                start_new_session=True,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        # Linux groups CPU time by session (autogroups) and a nice value ranks a process only inside its own group:
        # the worker's session (start_new_session, as gunicorn's) is niced as a whole, as CPUWeight= does for a
        # systemd service (README).
        try:
            Path(f"/proc/{self.process.pid}/autogroup").write_text("10")
        except OSError:
            pass

    def cpu_seconds(self):
        """User + system CPU of the worker so far (Linux /proc), None when unknown."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def stop(self):
        Server.stop(self)  # SIGTERM (the running task finishes), then SIGKILL


def wait_renditions(album, deadline):
    """time.time() when no photo of `album` is waiting for its renditions any more (made or failed), None if still
    waiting at `deadline` (time.monotonic())."""
    from django.db import connection

    from gallery.models import Photo

    try:
        while time.monotonic() < deadline:
            if not Photo.objects.filter(album=album, renditions_ready=False, renditions_error="").exists():
                return time.time()
            time.sleep(0.2)
        return None
    finally:
        connection.close()


def start_front(server, workdir):
    """(nginx in front of `server`, a note for the table): None and the reason when it can't be had."""
    try:
        front = start_nginx(
            server.port,
            static_root=Path(workdir) / "static",
            media_root=Path(workdir) / "media",
            worker_connections=4 * max(CONNECTIONS, CROWD_CONNECTIONS) + 64,  # each request: a client and upstream
        )
    except ServerUnavailable as error:
        return None, f"没有测 nginx：{error}"
    except (RuntimeError, ValueError, subprocess.CalledProcessError) as error:
        return None, f"没有测 nginx：启动失败（{error}）"
    version = subprocess.run([front.restart_command[0], "-v"], capture_output=True, text=True).stderr.strip()
    return front, version.replace("nginx version: ", "")


# --- HTTP -----------------------------------------------------------------------------------------------------------


UNVERIFIED = ssl._create_unverified_context()  # noqa: S323 - our own nginx's self-signed certificate


def get(url, timeout=120, headers=None):
    """(status, seconds) of one GET."""
    started = time.monotonic()
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (our own 127.0.0.1 servers)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=UNVERIFIED) as response:  # noqa: S310
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.monotonic() - started


def concurrently(urls, headers=None):
    """[(status, seconds)] of GETs sent at the same time."""
    results = [None] * len(urls)

    def fetch(index, url):
        try:
            results[index] = get(url, headers=headers)
        except OSError as error:
            results[index] = (str(error), 0.0)

    threads = [threading.Thread(target=fetch, args=(i, url)) for i, url in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def check_pages(bases, targets, server):
    """Every path answers 200, each worker warmed up once per path (which also fills the page cache)."""
    for target in targets:
        for path in target.paths[:3] if target.miss else target.paths:
            url = bases[target.via] + quoted(path)
            for status, _ in concurrently([url] * WORKERS, headers=target.headers):
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
    """Lua for wrk: counts non-2xx answers and the cache's answers (HIT, else any other value but BYPASS) in every
    thread and prints one JSON line at the end; with several paths, each request takes the next one."""
    lua = [
        "local threads = {}",
        "function setup(thread) table.insert(threads, thread); thread:set('id', #threads) end",
        "function init(args) non2xx = 0; hits = 0; misses = 0 end",
        "function response(status, headers, body)",
        "  if status < 200 or status > 299 then non2xx = non2xx + 1 end",
        f"  local cached = headers[{json.dumps(target.cache_header)}]",
        "  if cached == 'HIT' then hits = hits + 1 elseif cached and cached ~= 'BYPASS' then misses = misses + 1 end",
        "end",
    ]
    if len(target.paths) > 1 or target.headers or target.miss:
        paths = ", ".join(json.dumps(quoted(path)) for path in target.paths)
        headers = ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in target.headers.items())
        lua += [
            f"local paths = {{{paths}}}",
            f"local headers = {{{headers}}}",
            f"local miss = {'true' if target.miss else 'false'}",
            f"local run = {json.dumps(secrets.token_hex(4))}",  # new for every row and round: misses stay misses
            "local turn, count = 0, 0",
            "function request()",
            "  turn = turn % #paths + 1; count = count + 1",
            "  local path = paths[turn]",
            "  if miss then",
            "    local glue = path:find('?', 1, true) and '&' or '?'",
            "    path = path .. glue .. 'bench-miss=' .. run .. '-' .. id .. '-' .. count",
            "  end",
            '  return wrk.format("GET", path, headers)',
            "end",
        ]
    lua += [
        "function done(summary, latency, requests)",
        "  local non2xx, hits, misses = 0, 0, 0",
        "  for _, thread in ipairs(threads) do",
        '    non2xx = non2xx + thread:get("non2xx")',
        '    hits, misses = hits + thread:get("hits"), misses + thread:get("misses")',
        "  end",
        "  local e = summary.errors",
        '  io.write(string.format(\'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, \'',
        '    .. \'"connect": %d, "read": %d, "write": %d, "timeout": %d, "non2xx": %d, "hits": %d, "misses": %d}\\n\',',
        "    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),",
        "    e.connect, e.read, e.write, e.timeout, non2xx, hits, misses))",
        "end",
    ]
    return "\n".join(lua) + "\n"


def start_wrk(wrk, base, target, workdir, connections=CONNECTIONS, seconds=SECONDS):
    script = Path(workdir) / "target.lua"
    script.write_text(wrk_script(target))
    command = [wrk, f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--timeout", WRK_TIMEOUT]
    command += ["-s", str(script), base + quoted(target.paths[0])]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wrk_result(process, seconds):
    try:
        stdout, stderr = process.communicate(timeout=seconds + 120)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
    for line in stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            numbers = json.loads(line.removeprefix("BENCH_JSON "))
            duration = numbers["duration_us"] / 1e6
            return {
                "rps": numbers["requests"] / duration if duration else 0.0,
                "p50": numbers["p50_us"] / 1000,
                "p99": numbers["p99_us"] / 1000,
                "requests": numbers["requests"],
                "hits": numbers["hits"],
                "misses": numbers["misses"],
                "errors": {k: numbers[k] for k in ("non2xx", "connect", "read", "write", "timeout")},
            }
    raise HarnessError(f"wrk 没有给出结果（退出码 {process.returncode}）：{stderr.strip()}")


def run_wrk(wrk, base, target, workdir):
    return wrk_result(start_wrk(wrk, base, target, workdir, connections=target.connections), SECONDS)


# --- the crowd ------------------------------------------------------------------------------------------------------


def photo_jpegs(count, size=CROWD_PHOTO_SIZE):
    """Camera-sized JPEGs that compress as photos do (noise over gradients: about 0.9 MB at 1600×1200); `count`
    distinct ones, made before the run so that making them is not part of the upload's time."""
    from PIL import Image

    jpegs = []
    gradient = Image.linear_gradient("L").resize(size)
    for n in range(count):
        noise = Image.effect_noise(size, 32 + 4 * n)
        image = Image.merge("RGB", (noise, gradient.rotate(90 * n), Image.blend(noise, gradient, 0.5)))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=88)
        jpegs.append(buffer.getvalue())
    return jpegs


class Upload(threading.Thread):
    """An editor's bulk upload during the crowd: CROWD_PHOTOS photos in requests of CROWD_BATCH, one after another,
    each through gallery/bulk.py add_photos as 批量上传照片 calls it (its own database connection, the shared cache)."""

    def __init__(self, album, jpegs, delay):
        super().__init__(name="bench-upload", daemon=True)
        self.album, self.jpegs, self.delay = album, jpegs, delay
        self.saved, self.rejected, self.batches, self.error = 0, [], [], None
        self.started_at = self.ended_at = None  # time.time(), to compare with gunicorn's access log

    def run(self):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.db import connection

        from gallery.bulk import add_photos

        time.sleep(self.delay)
        self.started_at = time.time()
        try:
            for first in range(0, CROWD_PHOTOS, CROWD_BATCH):
                files = [
                    SimpleUploadedFile(f"IMG_{n:04d}.jpg", self.jpegs[n % len(self.jpegs)], content_type="image/jpeg")
                    for n in range(first, min(first + CROWD_BATCH, CROWD_PHOTOS))
                ]
                began = time.monotonic()
                result = add_photos(self.album, files)
                self.batches.append(time.monotonic() - began)
                self.saved += len(result.saved)
                self.rejected += result.rejected
        except Exception as error:  # reported in the table; the crowd's numbers still stand
            self.error = error
        finally:
            self.ended_at = time.time()
            connection.close()

    @property
    def seconds(self):
        return (self.ended_at or time.time()) - (self.started_at or time.time())


class GenerationWatch(threading.Thread):
    """Polls the content generation (union_site/common/generation.py) in the shared cache: how often it changed,
    and when (time.time())."""

    POLL_SECONDS = 0.02

    def __init__(self):
        super().__init__(name="bench-generation", daemon=True)
        self.changes, self.stopping = [], threading.Event()

    def run(self):
        from django.core.cache import cache

        from union_site.common import generation

        last = cache.get(generation.KEY)
        while True:
            stopping = self.stopping.wait(self.POLL_SECONDS)
            token = cache.get(generation.KEY)  # once more after stop(): the upload's last bump is just before it
            if token != last:
                self.changes.append(time.time())
                last = token
            if stopping:
                return

    def stop(self):
        self.stopping.set()
        self.join(10)


ACCESS_LINE = re.compile(r"^\[(?P<t>[^\]]+)\] (?P<path>\S+) (?P<status>\d+) (?P<cache>\S+) (?P<us>\d+)$")


def access_rows(log, offset):
    """[(time.time(), path, status, X-Cache, server ms)] of the access log's lines after `offset` bytes."""
    rows = []
    with open(log, encoding="utf-8", errors="replace") as lines:
        lines.seek(offset)
        for line in lines:
            found = ACCESS_LINE.match(line.strip())
            if found:
                moment = datetime.strptime(found["t"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
                rows.append((moment, found["path"], int(found["status"]), found["cache"], int(found["us"]) / 1000))
    return rows


def run_crowd(wrk, env, workdir, shared, target, album):
    """The crowd on a fresh gunicorn (the same settings, an access log) while Upload runs; the upload starts a
    tenth into the run (at most 10 s), so the table shows the pages both warm and while the editor works."""
    from django.db import connections

    log = Path(workdir) / "crowd-access.log"
    jpegs = photo_jpegs(CROWD_PHOTOS)  # distinct: the upload refuses a photo already in the album
    photos_before = album.photos.count()
    connections.close_all()
    shared.clear()
    server = Server(env, workdir, access_log=log)
    worker = Worker(env, workdir)
    try:
        server.wait_ready()
        check_pages({"gunicorn": server.base}, [target], server)
        time.sleep(1)  # the access log is written as requests end: the warm-up's lines come before the offset
        offset = log.stat().st_size
        watch, upload = GenerationWatch(), Upload(album, jpegs, delay=min(10.0, CROWD_SECONDS / 10))
        process = start_wrk(wrk, server.base, target, workdir, CROWD_CONNECTIONS, CROWD_SECONDS)
        watch.start()
        upload.start()
        result = wrk_result(process, CROWD_SECONDS + 600)
        upload.join(600)
        rendered_at = wait_renditions(album, time.monotonic() + 600) if upload.saved else None
        worker_cpu = worker.cpu_seconds()
        watch.stop()
        time.sleep(1)
        rows = access_rows(log, offset)
    finally:
        worker.stop()
        server.stop()
    upload.rendered_at, upload.worker_cpu = rendered_at, worker_cpu
    return {
        "result": result,
        "upload": upload,
        "watch": watch,
        "rows": rows,
        "album_photos": (photos_before, album.photos.count()),
    }


# --- the tables -----------------------------------------------------------------------------------------------------


def figure(value):
    """Three significant digits, without an exponent: 1880, 22.9, 0.61."""
    return f"{value:.0f}" if value >= 100 else f"{value:.3g}"


def error_total(rounds):
    totals = {}
    for one in rounds:
        for kind, count in one["errors"].items():
            totals[kind] = totals.get(kind, 0) + count
    return totals


def errors_cell(rounds):
    totals = error_total(rounds)
    total = sum(totals.values())
    detail = ", ".join(f"{kind} {count}" for kind, count in totals.items() if count)
    return f"{total} ({detail})" if total else "0"


def hit_share(rounds):
    """The share of answers that said HIT, over all rounds ("—" for pages the cache does not see)."""
    hits = sum(one["hits"] for one in rounds)
    seen = hits + sum(one["misses"] for one in rounds)
    return f"{100 * hits / seen:.0f} %" if seen else "—"


def medians(target):
    return (
        statistics.median(one["rps"] for one in target.rounds),
        statistics.median(one["p50"] for one in target.rounds),
        statistics.median(one["p99"] for one in target.rounds),
        sum(one["requests"] for one in target.rounds),
    )


def ratio(value, reference):
    return f"{value / reference:.3g}" if reference else "—"


def table(targets):
    bare = medians(targets[0])[0]
    lines = [
        "| page | req/s | p50 ms | p99 ms | × bare | errors | n | X-Cache HIT | queries | writes |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for target in targets:
        rps, p50, p99, n = medians(target)
        lines.append(
            f"| {target.name} | {figure(rps)} | {p50:.0f} | {p99:.0f} | {ratio(rps, bare)}"
            f" | {errors_cell(target.rounds)} | {n} | {hit_share(target.rounds)} | {target.queries} | {target.writes} |"
        )
    return lines


AFTER_PUBLISH_TIMES = int(os.environ.get("BENCH_AFTER_PUBLISH", "30"))  # GETs per row of 发布后首次访问


def after_publish_rows(pages):
    """(name, path, the article saved before each GET, or None for none): the first view of a page right after an
    editor saved an article of another column, of the same column, or (the home page) any."""
    from news.models import Article

    article = Article.objects.published().get(pk=int(pages.articles[0].strip("/").rsplit("/", 1)[1]))
    listing_column = Article.objects.published().filter(column__name=pages.column_name).first().column
    same = Article.objects.published().filter(column=article.column).exclude(pk=article.pk).first()
    other = Article.objects.published().exclude(column__in=[article.column, listing_column]).first()
    in_listing = Article.objects.published().filter(column=listing_column).exclude(pk=article.pk).first()
    return [
        ("bare（参照）", "/bench/bare/", None),
        ("文章，另一栏目发布后", pages.articles[0], other),
        ("文章，同一栏目发布后", pages.articles[0], same),
        (f"栏目列表 {pages.column_name}，另一栏目发布后", pages.listing, other),
        (f"栏目列表 {pages.column_name}，本栏目发布后", pages.listing, in_listing),
        ("首页，任一发布后", pages.home, other),
    ]


def measure_after_publish(base, pages):
    """One connection, one request at a time: before each GET this process saves the row's article (post_save: the
    generation and the article's topics renewed, as a publish does), then times the GET alone."""
    results = []
    for name, path, saved in after_publish_rows(pages):
        times = []
        for _ in range(AFTER_PUBLISH_TIMES):
            if saved is not None:
                saved.save()
            status, seconds = get(base + path)
            if status != 200:
                raise HarnessError(f"{path} 答复 {status}")
            times.append(seconds * 1000)
        results.append((name, statistics.median(times), max(times)))
        print(f"  发布后首次访问 {name}: p50 {results[-1][1]:.1f} ms", flush=True)
    return results


def after_publish_section(results):
    bare = results[0][1]
    lines = [
        "",
        "## 发布后首次访问（单连接，每次请求前保存一篇文章）",
        "",
        f"- each row: {AFTER_PUBLISH_TIMES} GETs one after another on one connection; before each, this process saves"
        " an article (of another column, of the page's own column, or any for the home page), which ends every cached"
        " page (the content generation) and renews that article's topics (news/topics.py): each GET is the first"
        " view after a publish. `× bare` is bare's p50 over the row's p50 (one request's time, no queueing).",
        "",
        "| page | p50 ms | max ms | × bare |",
        "|---|---:|---:|---:|",
    ]
    for name, p50, worst in results:
        lines.append(f"| {name} | {p50:.1f} | {worst:.1f} | {ratio(bare, p50)} |")
    return lines


def nginx_section(targets, note, bare, static_bytes):
    lines = ["", "## Behind nginx", ""]
    if not targets:
        return [*lines, f"- {note}"]
    lines += [
        f"- nginx {note}: the real deploy/nginx.conf (paths and ports moved into a temporary folder, a self-signed"
        " certificate), one process without master (`daemon off; master_process off;`), in front of the same"
        f" gunicorn; wrk over HTTPS (TLS 1.3, keep-alive, no gzip asked), `Host: {NGINX_HOST}`, {CONNECTIONS}"
        " connections, taking turns with the pages above",
        f"- × nginx static: req/s over that of nginx serving {STATIC_FILE} ({static_bytes:,} bytes) from disk in this"
        " run; X-Cache-Status HIT: the micro-cache's own answer (5 s per page; one request in 5 s goes to gunicorn,"
        " itself a page-cache hit)",
        "",
        "| page | req/s | p50 ms | p99 ms | × nginx static | × bare | errors | n | X-Cache-Status HIT |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    reference = medians(targets[0])[0]
    for target in targets:
        rps, p50, p99, n = medians(target)
        lines.append(
            f"| {target.name} | {figure(rps)} | {p50:.0f} | {p99:.0f} | {ratio(rps, reference)} | {ratio(rps, bare)}"
            f" | {errors_cell(target.rounds)} | {n} | {hit_share(target.rounds)} |"
        )
    return lines


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def crowd_section(crowd, target, shared_note):
    result, upload, watch, rows = crowd["result"], crowd["upload"], crowd["watch"], crowd["rows"]
    editor = (
        f"- the editor: {CROWD_PHOTOS} JPEGs of {CROWD_PHOTO_SIZE[0]}×{CROWD_PHOTO_SIZE[1]} (~0.9 MB) into"
        f" `{target.paths[-1]}` through gallery/bulk.py add_photos, {CROWD_BATCH} per request, one request after"
        f" another, from {min(10.0, CROWD_SECONDS / 10):.0f} s into the run, in the bench's own process (on a real"
        " site it runs in a gunicorn worker, which then serves no visitor meanwhile); upload s and per request s are"
        " that request time (originals checked and stored, renditions queued); the renditions are made by a task"
        " worker at `nice -n 10` beside gunicorn (renditions done: seconds from the upload's start until the worker"
        " had made every photo's, and the worker's CPU seconds)"
        if CROWD_PHOTOS
        else "- no editor (BENCH_CROWD_PHOTOS=0): the crowd alone"
    )
    lines = [
        "",
        f"## Crowd: {CROWD_CONNECTIONS} connections for {CROWD_SECONDS} s"
        + (" while an editor bulk-uploads" if CROWD_PHOTOS else " (no editor)"),
        "",
        f"- the same gunicorn settings (a fresh server with an access log), cache {shared_note}, emptied and warmed"
        f" first; wrk {CROWD_CONNECTIONS} connections, each request the next of {len(target.paths)} cached pages: "
        + ", ".join(f"`{path}`" for path in target.paths),
        editor,
        "",
        "| requests | req/s | p50 ms | p99 ms | errors | X-Cache HIT | photos saved | upload s | per request s"
        " | renditions done s | worker CPU s | generation changes |",
        "|---:|---:|---:|---:|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    during = [moment for moment in watch.changes if upload.started_at and moment >= upload.started_at - 0.1]
    batches = ", ".join(f"{seconds:.1f}" for seconds in upload.batches) or "—"
    before, after = crowd["album_photos"]
    rendered_at = getattr(upload, "rendered_at", None)
    rendered = f"{rendered_at - upload.started_at:.1f}" if rendered_at and upload.started_at else "—"
    cpu = getattr(upload, "worker_cpu", None)
    worker_cpu = f"{cpu:.1f}" if cpu is not None else "—"
    saved = f"{upload.saved}（相册 {before} → {after} 张）" + (
        f"，{len(upload.rejected)} 张未通过" if upload.rejected else ""
    )
    lines.append(
        f"| {result['requests']} | {figure(result['rps'])} | {result['p50']:.0f} | {result['p99']:.0f}"
        f" | {errors_cell([result])} | {hit_share([result])} | {saved} | {upload.seconds:.1f} | {batches}"
        f" | {rendered} | {worker_cpu} | {len(during)} |"
    )
    if upload.error:
        lines += ["", f"- 上传出错：{type(upload.error).__name__}: {upload.error}"]
    if upload.is_alive():
        lines += ["", "- 上传在测量结束 10 分钟后仍未完成"]
    elif upload.ended_at and rows and upload.ended_at > rows[-1][0]:
        lines += ["", "- 上传比人群测量持续得更久：后面一段没有访客负载"]
    lines += [
        "",
        "- generation changes: times the content generation was seen to change (polled every 20 ms) from the upload's"
        " start on; every change makes every cached page a miss",
        "- per page, from gunicorn's access log: misses during the upload (its start to its end, to the second) and"
        " after it; server ms is gunicorn's own time for a request (no queueing), p99 and slowest",
        "",
        "| page | requests | non-2xx | misses during upload | misses otherwise | server p99 ms | slowest ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    start = int(upload.started_at) if upload.started_at else None
    end = int(upload.ended_at) + 1 if upload.ended_at else None
    for path in target.paths:
        mine = [row for row in rows if row[1] == path]
        misses = [row for row in mine if row[3] == "MISS"]
        inside = [row for row in misses if start is not None and start <= row[0] <= end]
        lines.append(
            f"| `{path}` | {len(mine)} | {sum(row[2] >= 300 for row in mine)} | {len(inside)}"
            f" | {len(misses) - len(inside)} | {percentile([row[4] for row in mine], 0.99):.0f}"
            f" | {max((row[4] for row in mine), default=0):.0f} |"
        )
    return lines


def header(database, data_seconds, shared):
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
        f"- cache: {shared.note}; gunicorn's workers and this process share it; emptied before every round after the"
        " first (then the pages are warmed again)",
        f"- 文章 {Article.objects.count():,} 篇（已发布 {Article.objects.published().count():,}），"
        f"相册 {Album.objects.count():,} 个，照片 {Photo.objects.count():,} 张；造数据 {data_seconds:.0f} 秒",
        f"- gunicorn {WORKERS} sync workers; wrk {CONNECTIONS} connections, {SECONDS} s per page per round,"
        f" {ROUNDS} round(s), pages taking turns; req/s, p50, p99: median over the rounds; n: requests completed;"
        " errors: non-2xx answers and socket errors (connect/read/write/timeout), all rounds; with n below about 30,"
        " p50/p99 are rough and count only the requests that finished in the window (the front of the queue)",
        "- × bare: the page's req/s over the req/s of /bench/bare/ (one small template, no database) in this run;"
        " 未命中: every request a query string never asked before; queries, writes: one anonymous GET in-process"
        " (writes: INSERT/UPDATE/DELETE)",
        "",
    ]


def write_report(lines):
    folder = ROOT / "var" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"http-{datetime.now():%Y%m%d-%H%M%S}.md"
    path.write_text("\n".join(lines) + "\n")
    return path


# --- main -----------------------------------------------------------------------------------------------------------


def measure(workdir, database, shared):
    wrk = shutil.which("wrk")
    if not wrk:
        raise HarnessError(WRK_PACKAGE_HINT)
    env = server_environment(workdir, database.url, shared.env)
    os.environ.update(env)
    Path(env["DJANGO_STATIC_ROOT"]).mkdir(parents=True, exist_ok=True)
    static_bytes = copy_static_reference(env["DJANGO_STATIC_ROOT"])
    import django

    django.setup()
    from django.db import connections

    print(
        f"造数据：文章 {ARTICLES:,} 篇，照片 {PHOTOS:,} 张，数据库：{database.note}；缓存：{shared.note}…", flush=True
    )
    data_seconds, albums = build_data()
    pages = Pages.pick(albums)
    targets = page_targets(pages)
    count_queries(targets)
    head = header(database, data_seconds, shared) + search_plans()
    connections.close_all()

    server = Server(env, workdir)
    front = None
    try:
        server.wait_ready()
        front, front_note = start_front(server, workdir)
        behind = nginx_targets(pages) if front else []
        bases = {"gunicorn": server.base, "nginx": front.url if front else None}
        if not front:
            print(f"注意：{front_note}", flush=True)
        check_pages(bases, targets + behind, server)
        rows = targets + behind
        total = len(rows) * ROUNDS * SECONDS + (CROWD_SECONDS if CROWD_SECONDS > 0 else 0)
        print(
            f"测量：{len(rows)} 个页面 × {ROUNDS} 轮 × {SECONDS} 秒，人群 {max(CROWD_SECONDS, 0)} 秒"
            f"（约 {total // 60} 分 {total % 60} 秒，另加排空）",
            flush=True,
        )
        for number in range(1, ROUNDS + 1):
            if number > 1:
                shared.clear()  # each round from the same start: no entries of the last round's misses
                check_pages(bases, rows, server)
            for target in rows:
                drain(server)
                target.rounds.append(run_wrk(wrk, bases[target.via], target, workdir))
                last = target.rounds[-1]
                rps, p50 = figure(last["rps"]), f"{last['p50']:.0f}"
                print(f"  第 {number} 轮 {target.name}: {rps} req/s, p50 {p50} ms", flush=True)
        drain(server)
        published = measure_after_publish(server.base, pages)
        connections.close_all()
    finally:
        server.stop()
        if front:
            front.close()
    lines = head + table(targets) + after_publish_section(published)
    lines += nginx_section(behind, front_note, medians(targets[0])[0], static_bytes)
    if CROWD_SECONDS > 0:
        crowd = crowd_target(pages)
        print(f"人群：{CROWD_CONNECTIONS} 个连接 {CROWD_SECONDS} 秒，同时批量上传 {CROWD_PHOTOS} 张照片…", flush=True)
        lines += crowd_section(run_crowd(wrk, env, workdir, shared, crowd, pages.album), crowd, shared.note)
    return lines


def interrupted(signum, frame):
    raise KeyboardInterrupt  # a kill of make bench stops the servers too (the finally blocks run)


def main():
    signal.signal(signal.SIGTERM, interrupted)
    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="union-site-bench-http-")
    database = shared = None
    try:
        shared = SharedCache(workdir)
        database = BenchDatabase(os.environ.get("DATABASE_URL"), workdir)
        lines = measure(workdir, database, shared)
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
            if shared:
                shared.close()
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
