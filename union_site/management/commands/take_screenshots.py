"""take_screenshots: PNGs of the key public pages (home, column, article, 数说五年, album, search, 404), in normal
and 长者模式, at phone (375 px) and desktop (1280 px) widths, for a person to look at (`make screenshots`).

It never touches the site's own database or media: it builds a throwaway copy (SQLite, demo content, collected
static files) in a temporary folder, serves it with `manage.py runserver` (DEBUG off, as visitors see the site) on
a free local port, and drives Debian's chromium through Playwright (never `playwright install`)."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from union_site.common.preferences import ELDER_COOKIE

PAGES = [
    ("home", "/"),
    ("column", "/news/c/news/"),
    ("article", "headline"),  # found on the home page
    ("achievements", "/achievements/"),
    ("album", "album"),  # found on the gallery page
    ("search", "/search/?q=劳模"),
    ("404", "/no-such-page/"),
]
WIDTHS = [375, 1280]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def throwaway_env(folder):
    """The throwaway site's environment: everything in `folder`, never the shared engines of the real one (its Redis,
    bucket or replica would get the demo's pages and photos)."""
    shared = ("REDIS_URL", "DATABASE_REPLICA_URL")
    return {
        **{key: value for key, value in os.environ.items() if key not in shared and not key.startswith("DJANGO_S3_")},
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "DJANGO_MEDIA_ROOT": str(folder / "media"),
        "DJANGO_CACHE_DIR": str(folder / "cache"),
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_PRIVATE_ROOT": str(folder / "private"),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "screenshots-only-" + os.urandom(16).hex(),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_MANIFEST_STATIC": "0",
        "DJANGO_SERVE_MEDIA": "1",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


EAGER = "() => document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })"
LOADED = "() => [...document.images].every(img => img.complete)"


def settle(page, seconds=10):
    """Lazy pictures load now, so the full-page shot shows them."""
    page.evaluate(EAGER)
    deadline = time.monotonic() + seconds
    while not page.evaluate(LOADED) and time.monotonic() < deadline:
        page.wait_for_timeout(100)


class Command(BaseCommand):
    help = "给主要页面截图（普通/长者模式，375 与 1280 像素宽），存到 var/screenshots/。用临时数据库，不动网站数据。"

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.VAR_DIR / "screenshots"), help="截图存放的文件夹")
        parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")

    def handle(self, *args, out, chromium, **options):
        if not Path(chromium).exists():
            raise CommandError(f"找不到浏览器 {chromium}：请先运行 sudo apt-get install -y chromium")
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        with tempfile.TemporaryDirectory(prefix="union-site-shots-") as tmp:
            env = throwaway_env(Path(tmp))
            for step in (["migrate", "--noinput"], ["load_demo"], ["collectstatic", "--noinput"]):
                subprocess.run([*manage, *step, "-v", "0"], env=env, check=True, stdout=subprocess.DEVNULL)
            port = free_port()
            server = subprocess.Popen(
                [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                base = f"http://127.0.0.1:{port}"
                self.wait_for(base + "/healthz")
                written = self.shoot(base, out, chromium)
            finally:
                server.terminate()
                server.wait(timeout=10)
        for path in written:
            self.stdout.write(str(path))
        self.stdout.write(self.style.SUCCESS(f"已保存 {len(written)} 张截图到 {out}"))

    def wait_for(self, url, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our own local server)
                    return
            except OSError:
                time.sleep(0.2)
        raise CommandError("开发服务器没有启动")

    def shoot(self, base, out, chromium):
        from playwright.sync_api import sync_playwright

        written = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            urls = self.page_urls(browser, base)
            for elder in (False, True):
                for width in WIDTHS:
                    context = browser.new_context(
                        viewport={"width": width, "height": 900 if width > 600 else 812},
                        device_scale_factor=1,
                        locale="zh-CN",
                    )
                    if elder:
                        context.add_cookies([{"name": ELDER_COOKIE, "value": "1", "url": base}])
                    page = context.new_page()
                    for name, url in urls:
                        page.goto(base + url, wait_until="load")
                        settle(page)
                        path = out / f"{name}-{width}{'-elder' if elder else ''}.png"
                        page.screenshot(path=str(path), full_page=True)
                        written.append(path)
                        if name == "home" and width < 800:  # the phone menu, opened
                            page.locator("details.nav-menu summary").click()
                            path = out / f"menu-{width}{'-elder' if elder else ''}.png"
                            page.screenshot(path=str(path))
                            written.append(path)
                    context.close()
            browser.close()
        return written

    def page_urls(self, browser, base):
        page = browser.new_page()
        page.goto(base + "/")
        found = {"headline": page.locator(".headline h2 a").first.get_attribute("href")}
        page.goto(base + "/gallery/")
        found["album"] = page.locator(".album-card a").first.get_attribute("href")
        page.close()
        return [(name, found.get(url, url)) for name, url in PAGES]
