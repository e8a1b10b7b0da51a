"""While the database is down every page answers 503 with a Chinese maintenance page and Retry-After, /healthz says
what is down, an admin save writes nothing, and the site recovers by itself once the database is back.

The real outage is tested twice: against a PostgreSQL address where nothing listens (the whole site in a
subprocess, on every machine), and, in CI's PostgreSQL run (.ci/run exports UNION_SITE_PG_STOP and
UNION_SITE_PG_START), by stopping the very server the tests use and starting it again."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.db import OperationalError, connection
from django.template import engines
from django.template.response import TemplateResponse
from django.test import Client
from django.urls import path

from news.models import Article
from tests.factories import article_change_url, article_form_data, stored_names
from union_site.urls import handler400, handler403, handler500  # noqa: F401 - this test URLconf's error handlers
from union_site.urls import urlpatterns as site_urlpatterns

ROOT = Path(__file__).resolve().parent.parent
MAINTENANCE = "网站正在维护，暂时无法访问"
PG_STOP, PG_START = os.environ.get("UNION_SITE_PG_STOP"), os.environ.get("UNION_SITE_PG_START")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")  # what psycopg2 says when PostgreSQL stops


class Rows:
    def __iter__(self):
        raise OperationalError("could not connect to server: Connection refused")


def rendering_needs_the_database(request):
    template = engines["django"].from_string("<ul>{% for row in rows %}<li>{{ row }}</li>{% endfor %}</ul>")
    return TemplateResponse(request, template, {"rows": Rows()})


def integrity_bug(request):
    from django.db import IntegrityError

    raise IntegrityError("duplicate key value violates unique constraint")


urlpatterns = [
    path("test-gone/", database_gone),
    path("admin/test-gone/", database_gone),
    path("test-render/", rendering_needs_the_database),
    path("test-bug/", integrity_bug),
    *site_urlpatterns,
]


class DatabaseGoneInMiddleware:
    """A middleware whose own query meets the outage (as the session and login middlewares' do for signed-in
    staff): the error never reaches a view's process_exception."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("terminating connection due to administrator command")


def assert_maintenance_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert MAINTENANCE in text and 'lang="zh-Hans"' in text and "滨州市总工会" in text
    assert "OperationalError" not in text and "Traceback" not in text and "server closed" not in text


# --- the middleware and the 500 handler, with the failure raised where an outage raises it ---------------------


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("url", ["/test-gone/", "/admin/test-gone/", "/test-render/"])
def test_a_database_error_in_a_view_or_its_template_gets_the_maintenance_page(client, url, caplog):
    with caplog.at_level("WARNING"):
        response = client.get(url)
    assert_maintenance_page(response)
    logged = [r for r in caplog.records if r.levelname in {"WARNING", "ERROR"}]
    assert len(logged) == 1 and logged[0].name == "union_site.outage" and not logged[0].exc_info  # once, no traceback


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_database_error_in_a_middleware_gets_the_maintenance_page_too(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.DatabaseGoneInMiddleware"]
    assert_maintenance_page(Client(raise_request_exception=False).get("/"))


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_database_bug_is_still_a_500_not_maintenance():
    response = Client(raise_request_exception=False).get("/test-bug/")
    assert response.status_code == 500 and "服务器出错" in response.content.decode()
    assert "Retry-After" not in response


# --- /healthz ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_names_a_broken_cache_and_storage_and_stays_200(client, settings, tmp_path, local_media):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("x")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": not_a_folder / "c"}
    }
    settings.MEDIA_ROOT = not_a_folder / "media"
    response = client.get("/healthz")
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "degraded" and answer["checks"]["database"] == "ok"
    assert answer["checks"]["cache"].startswith("error: ") and answer["checks"]["storage"].startswith("error: ")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_leaves_nothing_behind(client, settings):
    from django.core.cache import cache

    assert client.get("/healthz").json()["status"] == "ok"
    assert stored_names() == []
    client_of_redis = getattr(getattr(cache, "_cache", None), "get_client", None)  # Redis, when .ci/run runs one
    keys = [key.decode() for key in client_of_redis().keys("*")] if client_of_redis else getattr(cache, "_cache", {})
    assert not [key for key in keys if "healthz" in key]


# --- a PostgreSQL that is not there: the whole site, in a subprocess ---------------------------------------------

SITE_WITHOUT_DATABASE = """
import json, time
import django
django.setup()
from django.test import Client

client = Client(raise_request_exception=False)
signed_in = Client(raise_request_exception=False)
signed_in.cookies["sessionid"] = "0" * 32  # a staff member's session: the session middleware meets the outage
answers = {}
for name, send in [
    ("home", lambda: client.get("/")),
    ("article", lambda: client.get("/news/1/")),
    ("search", lambda: client.get("/search/?q=工会")),
    ("healthz", lambda: client.get("/healthz")),
    ("admin login", lambda: client.post("/admin/login/", {"username": "editor", "password": "x"})),
    ("admin save", lambda: signed_in.post("/admin/news/article/1/change/", {"title": "改"})),
]:
    start = time.monotonic()
    response = send()
    answers[name] = {
        "status": response.status_code,
        "retry_after": response.get("Retry-After"),
        "content_type": response.get("Content-Type"),
        "body": response.content.decode(),
        "seconds": time.monotonic() - start,
    }
print(json.dumps(answers))
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_with_no_database_server_every_page_is_the_maintenance_page_and_healthz_says_so(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "union_site.settings_test",
        "DATABASE_URL": f"postgres://union@127.0.0.1:{free_port()}/union_site",  # nothing listens there
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    run = subprocess.run(
        [sys.executable, "-c", SITE_WITHOUT_DATABASE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    answers = json.loads(run.stdout.strip().splitlines()[-1])
    for name, answer in answers.items():
        assert answer["status"] == 503, (name, answer["status"], answer["body"][:300])
        assert answer["retry_after"] == "60", name
        assert answer["seconds"] < 5, name
        if name != "healthz":
            assert MAINTENANCE in answer["body"] and "Traceback" not in answer["body"], name
    health = json.loads(answers["healthz"]["body"])
    assert health == {
        "status": "unavailable",
        "checks": {"database": "error: OperationalError", "cache": "ok", "storage": "ok"},
    }
    assert answers["healthz"]["content_type"] == "application/json"
    assert "Traceback" not in run.stderr and run.stderr.count("database unavailable, answered 503") == 5
    assert "Service Unavailable" not in run.stderr  # each logged once, as our warning


# --- the real thing: stop the PostgreSQL the tests use, then start it again (CI) --------------------------------


def http(url, **kwargs):
    """(status, headers, text, seconds) of a request to the live server."""
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30, **kwargs) as answer:  # noqa: S310 - our own live server
            status, headers, body = answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, headers, body.decode(), time.monotonic() - start


def pg_ctl(command):
    subprocess.run(["bash", "-c", command], check=True, timeout=120)


def restart_postgres():
    pg_ctl(PG_START)
    wait_for_postgres()


def wait_for_postgres(timeout=60):
    params = connection.get_connection_params()
    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg2.connect(**{**params, "connect_timeout": 2}).close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.mark.skipif(not (PG_STOP and PG_START), reason="needs UNION_SITE_PG_STOP/START (CI's PostgreSQL run)")
def test_stopped_postgresql_gives_503_to_what_is_not_cached_and_the_site_recovers_without_restart(
    live_server, make_article, superuser
):
    assert connection.vendor == "postgresql"
    article = make_article(title="工会要闻：停库演练", summary="摘要")
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "search": "/search/?q=" + quote("工会"),
        "healthz": "/healthz",
    }
    admin = Client(raise_request_exception=False)  # in this thread, on a connection kept from request to request
    admin.force_login(superuser)
    assert admin.get(article_change_url(article)).status_code == 200
    edit = article_form_data(article, title="停库时保存的标题")  # read now: it asks the database for the 附件 rows
    for name, url in pages.items():
        assert http(live_server.url + url)[0] == 200, name
    try:
        pg_ctl(PG_STOP)
        for name, url in pages.items():
            if name != "healthz":  # seen before the outage: still served, from the page cache
                status, headers, text, seconds = http(live_server.url + url)
                assert (status, headers["X-Cache"]) == (200, "HIT") and "停库演练" in text, (name, status)
        # The home page and the article under addresses not seen yet miss the page cache, but are put together from
        # their parts, cached on the first visit: they need no database either (a kept part is proof the article
        # is public, and its 阅读数 is in the cache too).
        for url in ("/?from=wechat", article.get_absolute_url() + "?from=wechat"):
            status, headers, text, seconds = http(live_server.url + url)
            assert (status, headers["X-Cache"]) == (200, "MISS") and "停库演练" in text, url
        unseen = {
            "column": article.column.get_absolute_url(),
            "search": pages["search"] + "&not-cached-yet=1",
            "healthz": "/healthz",
        }
        for name, url in unseen.items():
            status, headers, text, seconds = http(live_server.url + url)
            assert status == 503 and headers["Retry-After"] == "60" and seconds < 5, (name, status, seconds)
            if name == "healthz":
                checks = json.loads(text)["checks"]
                assert json.loads(text)["status"] == "unavailable" and checks["database"].startswith("error: ")
                assert checks["cache"] == checks["storage"] == "ok"
            else:
                assert MAINTENANCE in text and "Traceback" not in text, name
        start = time.monotonic()
        saved = admin.post(article_change_url(article), edit)
        assert_maintenance_page(saved)
        assert time.monotonic() - start < 5
    except BaseException:
        restart_postgres()
        connection.close()  # this thread's connection died with the server: the teardown needs a new one
        raise
    restart_postgres()
    for name, url in pages.items():
        assert http(live_server.url + url)[0] == 200, name
    # This thread's connection, kept from request to request, was discarded by the 503 page rather than reused
    # broken (the test client sends no request signals, so only that discard can have closed it).
    recovered = admin.get(article_change_url(article))
    if recovered.status_code != 200:
        connection.close()
    assert recovered.status_code == 200
    article.refresh_from_db()
    assert article.title == "工会要闻：停库演练" and Article.objects.filter(title="停库时保存的标题").count() == 0
