import os
import shutil
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.core import serializers
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.color import no_style
from django.core.signals import request_finished, request_started
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from tests.factories import bucket_storages, empty_bucket_folder, stored_names, uploads_in_bucket
from union_site.roles import EDITOR, REPORTER, REVIEWER


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test's uploads start empty: a tmp MEDIA_ROOT, or, on a bucket, a folder of its own that is emptied after."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"
    if not uploads_in_bucket():
        yield
        return
    settings.STORAGES = own = bucket_storages(f"tests/{uuid.uuid4().hex}")
    yield
    empty_bucket_folder(own)


@pytest.fixture
def local_media(settings):
    """Uploads in the test's MEDIA_ROOT even when the suite runs on a bucket: for tests of the local disk itself
    (a disk that fills up mid-write, a media folder that cannot be created)."""
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache (网站设置 and 友情链接) outlives a test's database: start each test without it."""
    from django.core.cache import cache

    from union_site.common import counters, page_parts

    cache.clear()
    counters.forget_scheduled()  # what this process remembers of the cache's write-back flags
    page_parts.forget_local()  # this process's copies of cached page parts
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_passes_two_factor(monkeypatch):
    """`client.force_login(user)` skips the login page; it skips the second factor too, as if the user had entered a
    code from a set-up authenticator (tests/factories.py, pass_second_factor). The second factor's own tests
    (tests/test_accounts_two_factor.py) log in through the login page, where nothing is skipped."""
    from django.test import Client

    from tests.factories import pass_second_factor

    force_login = Client.force_login

    def force_login_with_code(self, user, backend=None):
        force_login(self, user, backend)
        pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login_with_code)


@pytest.fixture
def clock(monkeypatch):
    """Moves Django's clock forward without waiting: clock.forward(seconds). Whatever reads timezone.now() sees it
    (the page cache, 404 windows, and the worker asking which tasks are due)."""

    class Clock:
        offset = timedelta()

        def forward(self, seconds):
            self.offset += timedelta(seconds=seconds)

    moved, real_now = Clock(), timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + moved.offset)
    return moved


class LiveRequests:
    """The requests the live server has begun and not yet finished answering. Its threads share the test's
    in-memory SQLite connection, so flushing the database while one of them is mid-query (a browser still
    loading the last page) fails with "database table is locked"; the test waits for them first."""

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def started(self, sender, **kwargs):
        if issubclass(sender, WSGIHandler):  # the live server, not the test client
            with self.changed:
                self.count += 1

    def finished(self, sender, **kwargs):
        if sender is not None and issubclass(sender, WSGIHandler):
            with self.changed:
                self.count -= 1
                self.changed.notify_all()

    def wait_until_idle(self, timeout):
        with self.changed:
            return self.changed.wait_for(lambda: self.count <= 0, timeout)


live_requests = LiveRequests()
request_started.connect(live_requests.started, weak=False)
request_finished.connect(live_requests.finished, weak=False)


@pytest.fixture(autouse=True)
def _live_server_idle(request):
    yield
    if "live_server" in request.fixturenames:
        live_requests.wait_until_idle(timeout=10)


def _rows(models):
    """{(model label, pk): fields} of every row of `models`, as dumpdata would write them."""
    return {
        (row["model"], row["pk"]): row["fields"]
        for model in models
        for row in serializers.serialize("python", model._default_manager.order_by("pk"))
    }


class DemoSnapshot:
    """What one real load_demo() writes, rows and media files, kept to be written again into each test's database
    and MEDIA_ROOT: the photo renditions and placeholder cards that make load_demo slow are drawn once per run."""

    def __init__(self, media_root):
        from union_site.demo.loader import load_demo

        every_model = [m for m in apps.get_models() if m._meta.managed and not m._meta.proxy]
        self.media_root = media_root
        # On a bucket the files go to a folder of it kept for the run, and are copied from there (S3 copies them
        # itself: nothing is downloaded).
        self.storages = bucket_storages(f"snapshots/{uuid.uuid4().hex}") if uploads_in_bucket() else None
        media = {"STORAGES": self.storages} if self.storages else {}
        with override_settings(MEDIA_ROOT=media_root, **media), transaction.atomic():
            before = _rows(every_model)
            self.result = load_demo()
            after = _rows(every_model)
            transaction.set_rollback(True)  # the run's database is left as it was; the files stay in media_root
        assert before.keys() <= after.keys(), "load_demo deleted rows: a snapshot cannot replay that"
        written = [key for key in after if after[key] != before.get(key)]
        self.models = list(dict.fromkeys(apps.get_model(label) for label, _ in written))
        self.rows = [{"model": label, "pk": pk, "fields": after[label, pk]} for label, pk in written]
        self.before = {key: fields for key, fields in before.items() if apps.get_model(key[0]) in self.models}

    def restore(self):
        """load_demo()'s effect and return value, replayed as loaddata does. A database that is not as the snapshot
        found it (a test made a column first, say) gets the real load_demo() instead."""
        from union_site.demo.loader import load_demo

        if _rows(self.models) != self.before:
            return load_demo()
        with transaction.atomic():
            with connection.constraint_checks_disabled():
                for obj in serializers.deserialize("python", self.rows):
                    obj.save()
            connection.check_constraints(table_names=[model._meta.db_table for model in self.models])
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), self.models):
                    cursor.execute(sql)
        self.copy_files()
        return dict(self.result)

    def copy_files(self):
        if not self.storages:
            shutil.copytree(self.media_root, django_settings.MEDIA_ROOT, dirs_exist_ok=True)
            return
        from django.core.files.storage import default_storage, storages

        source = storages.create_storage(self.storages["default"])
        client, bucket = source.connection.meta.client, source.bucket_name

        same_bucket = getattr(default_storage, "bucket_name", None) == bucket  # not for a test keeping files on disk

        def copy(name):
            if not same_bucket:
                with source.open(name) as content:
                    default_storage.save(name, content)
                return
            origin = {"Bucket": bucket, "Key": source._normalize_name(name)}
            client.copy_object(Bucket=bucket, CopySource=origin, Key=default_storage._normalize_name(name))

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(copy, stored_names(storage=source)))

    def discard(self):
        if self.storages:
            empty_bucket_folder(self.storages)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        snapshot = DemoSnapshot(tmp_path_factory.mktemp("demo-media"))
    yield snapshot
    snapshot.discard()


@pytest.fixture
def demo(db, demo_snapshot):
    """The seed's content, as `make run` loads it (rows, photos and renditions); returns what load_demo() returns.
    tests/test_union_site_demo.py tests load_demo() itself."""
    return demo_snapshot.restore()


def _user(username, group=None, **extra):
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return _user("editor1", EDITOR)


@pytest.fixture
def reviewer(db):
    return _user("reviewer1", REVIEWER)


@pytest.fixture
def reporter(db):
    return _user("reporter1", REPORTER)


@pytest.fixture
def mailbox_handler(db):
    from union_site.roles import MAILBOX_HANDLER

    return _user("handler1", MAILBOX_HANDLER, email="handler1@example.com")


@pytest.fixture
def make_letter(db):
    """A letter as the public form leaves it (待受理), with its 查询码: make_letter(**fields) -> (letter, code)."""
    from union_site.mailbox import codes
    from union_site.mailbox.models import Letter

    def make(**fields):
        code = fields.pop("code", None) or codes.new_code()
        values = {
            "letter_type": Letter.Type.CONSULT,
            "title": "咨询入会手续",
            "content": "我是快递员，想问问怎样加入工会。",
            "name": "张三",
            "phone": "13812345678",
            "consent_at": timezone.now(),
            "query_code_digest": codes.digest(code),
        }
        values.update(fields)
        return Letter.objects.create(**values), code

    return make


@pytest.fixture
def superuser(db):
    return _user("root1", is_superuser=True)


@pytest.fixture
def column(db):
    from news.models import Column

    return Column.objects.create(name="测试栏目", slug="test-column", order=99)


@pytest.fixture
def make_article(db, column):
    from news.models import Article

    counter = iter(range(1, 100000))

    def make(**fields):
        n = next(counter)
        values = {
            "column": column,
            "title": f"测试文章{n}",
            "body": f"<p>正文{n}</p>",
            "status": Article.Status.PUBLISHED,
            "publish_at": timezone.now() - timedelta(minutes=n),
        }
        values.update(fields)
        return Article.objects.create(**values)

    return make


@pytest.fixture
def role_groups(transactional_db):
    """The role groups with their permissions (union_site/roles.py), for tests whose flush removed them."""
    from union_site.roles import sync_roles

    sync_roles()


def pytest_collection_modifyitems(items):
    """Every test of a tests/test_browser_*.py file is marked `browser`: `pytest -m "not browser"` is the quick loop."""
    for item in items:
        if item.path.name.startswith("test_browser_"):
            item.add_marker(pytest.mark.browser)


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (never `playwright install`), for the test_browser_* files."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """A page in a fresh context; on teardown, fails on any console error (a CSP violation, a broken script)."""
    contexts, errors = [], []

    def make(expected_errors=(), **options):
        """`expected_errors`: console errors the test provokes on purpose (a request it cuts off), by a part of
        their text."""
        context = browser.new_context(**{"locale": "zh-CN", **options})
        contexts.append(context)
        page = context.new_page()
        page.route("**/favicon.ico", lambda route: route.fulfill(status=204))

        def console(message):
            if message.type == "error" and not any(part in message.text for part in expected_errors):
                errors.append(message.text)

        page.on("console", console)
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, errors
