"""Two app hosts, proven (README, Production, Several hosts): two gunicorn servers on different ports, 2 workers each,
with production settings, sharing one PostgreSQL (the test database), one Redis and one S3 bucket (moto's server),
both started here (tests/servers.py) since the test stops Redis halfway. Each step is what a visitor would see:

1. A publish on host A is on host B's cached home page at once: a reviewer logs in to A's admin over HTTP (password,
   then the code of an authenticator set up for them, as 审核 must use two-factor) and adds a published article;
   B's home, a HIT just before, is a MISS showing the new title, then a HIT again.
2. A photo uploaded through A (the admin's bulk upload, multipart over HTTP) is listed on B's album page, a HIT
   before it; every picture URL there points at the bucket and fetches an image; neither host wrote it to disk.
3. 网站设置 changed through A's admin (the site name) shows on B's home page at once.
4. Redis stopped: both hosts still answer home and the article with 200 (X-Cache MISS) within a second or two, and
   /healthz says degraded.

The test process only prepares rows through the ORM (the reviewer and their authenticator, a column, an album) and
reads rows back; every change a visitor sees goes through host A over HTTP. Runs only on PostgreSQL (DATABASE_URL,
as .ci/run's second run sets it): the gunicorns need a database other processes can open, which SQLite's in-memory
test database is not."""

import contextlib
import io
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import Group, User
from PIL import Image

from gallery.models import Album, Photo
from news.models import Article, Column
from tests.factories import authenticator, jpeg, totp_code
from tests.servers import (
    ServerUnavailable,
    create_bucket,
    free_port,
    s3_client,
    s3_environment,
    start_moto,
    start_redis,
)
from union_site.models import SiteSettings
from union_site.roles import REVIEWER, sync_roles

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
BUCKET = "union-site-two-hosts"
WORKERS = 2
START_SECONDS = 30
PASSWORD = "two-hosts-pw-for-tests-only"
SECRET_KEY = secrets.token_urlsafe(50)  # one key for both hosts, as a deployment shares it

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (DATABASE_URL=postgres://…, as .ci/run sets it): the gunicorn hosts must open the test "
    "database, and SQLite's in-memory test database cannot be shared with other processes",
)


# --- the shared engines and the two hosts ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def engines():
    """A Redis and an S3 bucket of this test's own (it stops Redis; the suite's, if any, are left alone)."""
    started = []
    try:
        started.append(start_redis())
        started.append(start_moto())
    except ServerUnavailable as missing:
        for server in started:
            server.close()
        pytest.skip(str(missing))
    redis, s3 = started
    create_bucket(s3.url, BUCKET)
    yield redis, s3
    redis.close()
    s3.close()


def hosts_database_url():
    """DATABASE_URL of the database this test runs in (pytest-django's test_…), for the gunicorns."""
    db = settings.DATABASES["default"]
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = quote(db["HOST"] or "127.0.0.1", safe="")  # a socket folder (/run/postgresql) is written %2F…
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(db['NAME'], safe='')}"


class Host:
    """gunicorn in its own process group (SIGTERM to the group stops its workers too), its own media folders and
    a log of its error and access lines."""

    def __init__(self, name, folder, shared_env):
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir()
        self.media = folder / "media"
        self.media.mkdir()
        (folder / "static").mkdir()
        self.log = folder / "gunicorn.log"
        env = {
            **shared_env,
            "DJANGO_MEDIA_ROOT": str(self.media),
            "DJANGO_PRIVATE_ROOT": str(folder / "private"),
            "DJANGO_STATIC_ROOT": str(folder / "static"),
            "DJANGO_CACHE_DIR": str(folder / "cache"),  # unused with REDIS_URL; never the repository's var/cache
        }
        # --no-control-socket: else both hosts (and any other gunicorn of this user) claim ~/.gunicorn/gunicorn.ctl
        command = [str(GUNICORN), "union_site.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS),
                   "--timeout", "60", "--access-logfile", "-", "--error-logfile", "-",
                   "--no-control-socket"]  # fmt: skip
        # Each host runs the task worker beside gunicorn, as in production (it makes bulk uploads' renditions).
        worker = [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.worker = subprocess.Popen(
                worker, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )  # fmt: skip

    def __repr__(self):
        return f"host {self.name} ({self.url})"

    def wait_ready(self):
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                if requests.get(self.url + "/healthz", timeout=5).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or slow on a busy machine
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn {self.name}: /healthz not 200 after {START_SECONDS} s:\n{self.log_tail()}")

    def log_tail(self, lines=40):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def files_on_disk(self):
        return [path for path in self.media.rglob("*") if path.is_file()]

    def stop(self):
        for process in (self.worker, self.process):
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if process.poll() is not None:
                    break
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(10)


def host_environment(redis, s3):
    """Production settings over plain HTTP; the variables of the test run itself (the suite's REDIS_URL, bucket,
    database, test settings) are left out."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "union_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_MANIFEST_STATIC": "0",
        "DATABASE_URL": hosts_database_url(),
        "DJANGO_CONN_MAX_AGE": "0",  # no connection left open for the test database's flush at the end
        "REDIS_URL": redis.url,
        **s3_environment(s3.url, BUCKET),
    }


@pytest.fixture
def hosts(transactional_db, engines, tmp_path):
    """Hosts A and B. Function-scoped on top of transactional_db (committed rows, seen by every process), so they
    stop before its flush at the end of the test; the one test of this module uses them."""
    redis, s3 = engines
    env = host_environment(redis, s3)
    started = []
    try:
        for name in ("A", "B"):
            started.append(Host(name, tmp_path / name.lower(), env))
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(Host.wait_ready, started))
        yield started
    finally:
        for host in started:
            host.stop()


@contextlib.contextmanager
def logs_shown_on_failure(*hosts):
    try:
        yield
    except BaseException:
        for host in hosts:
            print(f"--- gunicorn {host.name} ({host.url}), last lines of {host.log}:\n{host.log_tail()}")
        raise


# --- a visitor and a reviewer over HTTP ------------------------------------------------------------------------


def visit(host, path):
    """An anonymous visitor's GET (no cookies): what the page cache serves."""
    page = requests.get(host.url + path, timeout=10, allow_redirects=False)
    assert page.status_code == 200, (host.name, path, page.status_code)
    return page


class FormFields(HTMLParser):
    """What a browser would send for each <form method=post> of a page: {form id: [(name, value), …]}, with
    unchecked boxes, file inputs and buttons left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.textarea = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.form = self.forms.setdefault(attrs.get("id") or f"form-{len(self.forms)}", [])
        elif self.form is None or "name" not in attrs and tag != "option":
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "reset", "image", "file"):
                self.form.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = {"name": attrs["name"], "first": None, "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"] or ([self.select["first"]] if self.select["first"] is not None else [])
            self.form.extend((self.select["name"], value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.form.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def form_on(page, form_id=None, **changes):
    """The fields of the page's form `form_id` (else of its one post form besides the logout button) as a browser
    would send them, with `changes` in place of what the page held."""
    parser = FormFields()
    parser.feed(page.text)
    forms = {key: fields for key, fields in parser.forms.items() if key != "logout-form"}
    if form_id is None:
        assert len(forms) == 1, (page.url, list(forms))
        (fields,) = forms.values()
    else:
        assert form_id in forms, (page.url, list(forms))
        fields = forms[form_id]
    fields = [(name, value) for name, value in fields if name not in changes]
    return fields + list(changes.items())


def signed_in(host, user, device):
    """A reviewer's browser session on `host`: password on the login page, then the authenticator's code."""
    browser = requests.Session()
    login = browser.get(host.url + "/admin/login/?next=/admin/", timeout=10)
    asked = browser.post(login.url, data=form_on(login, "login-form", username=user.username, password=PASSWORD))
    assert asked.status_code == 200 and "/admin/two-factor/verify/" in asked.url, (asked.status_code, asked.url)
    admin = browser.post(asked.url, data=form_on(asked, otp_token=totp_code(device)), timeout=10)
    assert admin.status_code == 200 and admin.url == host.url + "/admin/", (admin.status_code, admin.url)
    return browser


def saved(answer, lands_on):
    """An admin save answered by a redirect to `lands_on` (a form with errors would come back as 200 in place)."""
    assert answer.status_code == 200 and answer.history, (answer.status_code, answer.url)
    assert lands_on in answer.url, answer.url
    return answer


def bucket_urls(page, base):
    """Every address of the bucket in the page: <img src>, srcset candidates, the viewer's links."""
    return {url.replace("&amp;", "&") for url in re.findall(re.escape(base) + r'[^"\s,]+', page)}


def is_image(body):
    try:
        with Image.open(io.BytesIO(body)) as picture:
            picture.verify()
        return True
    except Exception:
        return False


def reviewer_with_authenticator():
    """A 审核 account (may publish and change 网站设置; must use two-factor) with an authenticator app set up. Its
    password is hashed with a hasher the hosts know (the test settings use MD5), at few rounds: a fast login."""
    sync_roles()  # the role groups, also after an earlier test's flush
    hasher = PBKDF2PasswordHasher()
    user = User.objects.create(
        username="reviewer-two-hosts",
        is_staff=True,
        password=hasher.encode(PASSWORD, hasher.salt(), iterations=1000),
    )
    user.groups.add(Group.objects.get(name=REVIEWER))
    return user, authenticator(user)


# --- the test --------------------------------------------------------------------------------------------------


def test_two_hosts_share_the_page_cache_the_uploads_and_the_settings_and_survive_redis_stopping(hosts, engines):
    a, b = hosts
    redis, s3 = engines
    user, device = reviewer_with_authenticator()
    column = Column.objects.create(name="工会要闻", slug="news-two-hosts", order=1)
    album = Album.objects.create(title="两台主机的活动图集", is_published=True)

    with logs_shown_on_failure(a, b):
        # 1. A publish on A is on B's cached home page at once.
        assert visit(b, "/").headers["X-Cache"] == "MISS"
        assert visit(b, "/").headers["X-Cache"] == "HIT"
        reviewer = signed_in(a, user, device)
        title = "市总工会召开两台主机联调会"
        add = reviewer.get(a.url + "/admin/news/article/add/", timeout=10)
        body = "<p>两台主机共用一个缓存。</p>"
        fields = form_on(add, "article_form", column=str(column.pk), title=title, body=body, status="published")
        saved(reviewer.post(add.url, data=fields, timeout=30), "/admin/news/article/")
        article = Article.objects.get(title=title)
        assert article in Article.objects.published()
        home = visit(b, "/")
        assert home.headers["X-Cache"] == "MISS" and title in home.text
        home = visit(b, "/")
        assert home.headers["X-Cache"] == "HIT" and title in home.text

        # 2. A photo uploaded through A is served through B's pages, from the bucket.
        album_path = album.get_absolute_url()
        visit(b, album_path)
        assert visit(b, album_path).headers["X-Cache"] == "HIT"
        form = reviewer.get(f"{a.url}/admin/gallery/album/{album.pk}/upload/", timeout=10)
        upload = reviewer.post(
            form.url,
            data=form_on(form, credit="工会宣传部"),
            files=[("files", ("运动会.jpg", jpeg((1200, 800)), "image/jpeg"))],
            timeout=60,
        )
        saved(upload, f"/admin/gallery/album/{album.pk}/change/")
        photo = Photo.objects.get(album=album)
        shown = f'id="photo-{photo.pk}"'
        deadline = time.monotonic() + 60  # a host's task worker makes the renditions, then the photo shows
        while shown not in (page := visit(b, album_path)).text and time.monotonic() < deadline:
            time.sleep(0.5)
        assert shown in page.text
        base = f"{s3.url}/{BUCKET}/"
        img_src = re.search(rf'<li id="photo-{photo.pk}">.*?<img src="([^"]+)"', page.text, re.S).group(1)
        shown = bucket_urls(page.text, base)
        assert img_src in shown and len(shown) >= 4, shown  # thumbnail, srcset sizes, large, their WebP twins
        assert {url.removeprefix(base) for url in shown} <= set(photo.media_files())
        for url in shown:
            picture = requests.get(url, timeout=10)
            assert picture.status_code == 200 and picture.headers["Content-Type"] in ("image/jpeg", "image/webp"), url
            assert is_image(picture.content), url
        listed = s3_client(s3.url).list_objects_v2(Bucket=BUCKET).get("Contents", [])
        assert {entry["Key"] for entry in listed} >= set(photo.media_files())
        assert a.files_on_disk() == [] and b.files_on_disk() == []

        # 3. 网站设置 changed through A shows on B at once.
        visit(b, "/")  # cached again (the upload made it stale: the home page shows the latest albums)
        assert visit(b, "/").headers["X-Cache"] == "HIT"
        name = "滨州市总工会（双机）"
        change = reviewer.get(a.url + "/admin/union_site/sitesettings/", timeout=10)  # redirects to the one record
        fields = form_on(change, "sitesettings_form", site_name=name)
        saved(reviewer.post(change.url, data=fields, timeout=30), "/admin/union_site/sitesettings/")
        assert SiteSettings.objects.get().site_name == name
        home = visit(b, "/")
        assert home.headers["X-Cache"] == "MISS" and name in home.text
        assert name in visit(a, "/").text

        # 4. Redis stopped: both hosts keep serving, every page a miss; /healthz says degraded.
        for host in (a, b):
            assert requests.get(host.url + "/healthz", timeout=10).json()["status"] == "ok"
        redis.stop()
        for host in (a, b):
            for path in ("/", article.get_absolute_url(), "/", article.get_absolute_url()):
                started = time.monotonic()
                page = visit(host, path)
                took = time.monotonic() - started
                assert page.headers["X-Cache"] == "MISS" and title in page.text and name in page.text, (host, path)
                assert took < 2, (host.name, path, took)
            health = requests.get(host.url + "/healthz", timeout=10)
            assert health.status_code == 200 and health.json()["status"] == "degraded", health.text
            assert health.json()["checks"]["cache"].startswith("error"), health.text
