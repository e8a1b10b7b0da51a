import os
import shutil
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.utils import timezone

from union_site.roles import EDITOR, REPORTER, REVIEWER


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _empty_cache():
    """The cache (网站设置 and 友情链接) outlives a test's database: start each test without it."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def demo(db):
    """The seed's content, as `make run` loads it."""
    from union_site.demo.loader import load_demo

    return load_demo()


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

    def make(**options):
        context = browser.new_context(**{"locale": "zh-CN", **options})
        contexts.append(context)
        page = context.new_page()
        page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        page.on("console", lambda message: message.type == "error" and errors.append(message.text))
        page.on("pageerror", lambda error: errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, errors
