"""The shared engines several hosts use (README, Production): Redis as the cache, an S3 bucket for uploads, a read
replica. Each against the real thing started here (tests/servers.py): redis-server and moto's S3 server, skipped
with the reason where they are not installed; the replica as a second SQLite file."""

import json
import logging
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse

from gallery.models import Album
from news.models import Article
from tests.factories import fetch, jpeg
from tests.servers import ServerUnavailable, create_bucket, s3_client, s3_storages, start_moto, start_redis
from tests.workers import run_worker
from union_site import db_router
from union_site.common import cache as forgiving
from union_site.common.cache import redis_cache
from union_site.common.s3 import origin_of
from union_site.db_router import ReplicaRouter, needs_primary

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "union-site-shared-engines"
SHARED = ("REDIS_URL", "DATABASE_REPLICA_URL")  # and every DJANGO_S3_*: a subprocess here chooses its own


def own_environment(**extra):
    env = {k: v for k, v in os.environ.items() if k not in SHARED and not k.startswith("DJANGO_S3_")}
    return {**env, **extra}


# --- Redis -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def redis_server():
    try:
        server = start_redis()
    except ServerUnavailable as missing:
        pytest.skip(str(missing))
    yield server
    server.close()


@pytest.fixture
def on_redis(settings, redis_server, monkeypatch):
    """The site's cache on that Redis, as settings.py makes it from REDIS_URL; a fresh outage record (no warning
    already given by an earlier test)."""
    if not redis_server.running:
        redis_server.start_again()
    settings.CACHES = {"default": redis_cache(redis_server.url)}
    monkeypatch.setattr(forgiving, "outage", forgiving._Outage())
    cache.clear()
    return redis_server


def test_values_go_to_redis_and_come_back(on_redis):
    cache.set("网站设置", {"site_name": "滨州市总工会", "links": ["全国总工会"]}, 60)
    assert cache.get("网站设置") == {"site_name": "滨州市总工会", "links": ["全国总工会"]}
    assert cache.add("阅读数", 1) and not cache.add("阅读数", 5)
    assert cache.incr("阅读数", 4) == 5 and cache.decr("阅读数") == 4
    assert cache.get_many(["网站设置", "阅读数", "没有的"]).keys() == {"网站设置", "阅读数"}
    assert cache.delete("阅读数") and cache.get("阅读数", "默认") == "默认"
    assert cache.touch("网站设置", 10) and cache.has_key("网站设置")
    client = cache._cache.get_client()
    assert any(b"\xe7\xbd\x91\xe7\xab\x99" in key for key in client.keys("*"))  # 网站 in a key: really in Redis


@pytest.mark.django_db
def test_views_are_counted_in_redis_in_one_round_trip_and_the_key_expires(client, on_redis, make_article):
    from union_site.common import counters

    article = make_article(title="工会要闻：阅读数")
    for _ in range(3):
        assert client.get(article.get_absolute_url()).status_code == 200  # rendered once, then from the page cache
    assert counters.pending(Article, article.pk) == 3
    key = cache.make_key(counters.counter_key(Article, article.pk))
    ttl = cache._cache.get_client().ttl(key)
    assert counters.COUNTER_SECONDS - 60 < ttl <= counters.COUNTER_SECONDS  # set once, by the first view
    assert counters.write_back(Article) == 3 and counters.pending(Article, article.pk) == 0
    on_redis.stop()
    try:
        assert counters.count(Article, article.pk) == 0  # not counted, and no error
    finally:
        on_redis.start_again()


@pytest.mark.django_db
def test_a_stopped_redis_answers_as_misses_and_pages_still_load(client, on_redis, make_article, caplog):
    article = make_article(title="工会要闻：缓存停机演练")
    cache.set("key", "value")
    assert client.get("/").status_code == 200  # a page cached, or at least read through Redis
    on_redis.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="union_site.cache"):
            assert cache.get("key", "默认") == "默认"
            assert cache.get_many(["key"]) == {} and not cache.has_key("key")
            assert cache.add("new", 1) is False and cache.set("new", 1) is None and cache.delete("key") is False
            assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"] and cache.touch("key") is False
            with pytest.raises(ValueError):
                cache.incr("counter")
            for url in ["/", article.get_absolute_url(), reverse("news:list"), "/healthz"]:
                started = time.monotonic()
                response = client.get(url)
                assert response.status_code == 200, url
                assert time.monotonic() - started < 2, url
            assert article.title in client.get(article.get_absolute_url()).content.decode()
            health = client.get("/healthz").json()
            assert health["status"] == "degraded" and health["checks"]["cache"].startswith("error: ")
        warnings = [r for r in caplog.records if r.name == "union_site.cache"]
        assert len(warnings) == 1 and "answering as a miss" in warnings[0].getMessage()  # one, not one per call
    finally:
        on_redis.start_again()


def test_after_redis_comes_back_the_cache_works_again(on_redis, monkeypatch):
    monkeypatch.setattr(forgiving, "UNAVAILABLE_SECONDS", 0.2)
    on_redis.stop()
    assert cache.get("key") is None
    on_redis.start_again()
    time.sleep(0.3)  # past the pause after a failure
    cache.set("key", "back")
    assert cache.get("key") == "back"


@pytest.mark.django_db
def test_a_redis_that_never_answers_costs_a_page_one_timeout_not_one_per_call(client, settings, make_article):
    """A host that takes the connection and then says nothing (hung, or packets dropped after the handshake)."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # connections complete in the backlog and are never answered
        settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")}
        article = make_article()
        started = time.monotonic()
        assert client.get(article.get_absolute_url()).status_code == 200
        assert time.monotonic() - started < 1.5  # one 0.25 s timeout; the calls after it skip Redis


# --- S3 --------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def moto_server():
    try:
        server = start_moto()
    except ServerUnavailable as missing:
        pytest.skip(str(missing))
    create_bucket(server.url, BUCKET)
    yield server
    server.close()


@pytest.fixture
def in_bucket(settings, moto_server):
    """Uploads in a folder of their own in the bucket, as settings.py makes the storage from DJANGO_S3_*; the CSP
    names the bucket's origin as settings.py does."""
    location = f"t/{uuid.uuid4().hex}"
    settings.STORAGES = s3_storages(moto_server.url, BUCKET, location)
    policy = settings.CONTENT_SECURITY_POLICY
    directives = {**policy["DIRECTIVES"], "img-src": [*policy["DIRECTIVES"]["img-src"], moto_server.url]}
    settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
    return location


def keys_in_bucket(moto_server, location):
    listed = s3_client(moto_server.url).list_objects_v2(Bucket=BUCKET, Prefix=location + "/")
    return {entry["Key"].removeprefix(location + "/") for entry in listed.get("Contents", [])}


def image_urls(page):
    urls = re.findall(r'\bsrc="([^"]+)"', page)
    for srcset in re.findall(r'\bsrcset="([^"]+)"', page):
        urls += [candidate.strip().split(" ")[0] for candidate in srcset.split(",")]
    return {url.replace("&amp;", "&") for url in urls}


@pytest.mark.django_db
def test_an_uploaded_photo_and_its_renditions_land_in_the_bucket_and_the_page_shows_them_from_there(
    client, editor, in_bucket, moto_server, django_capture_on_commit_callbacks
):
    album = Album.objects.create(title="全市职工运动会（存储桶）")
    client.force_login(editor)
    upload = reverse("admin:gallery_album_upload", args=[album.pk])
    response = client.post(upload, {"files": [SimpleUploadedFile("现场.jpg", jpeg((1200, 800)))]})
    assert response.status_code == 302
    run_worker()  # a bulk upload's renditions are made by the task worker
    photo = album.photos.get()
    assert keys_in_bucket(moto_server, in_bucket) == set(photo.media_files())  # the upload and its 6 renditions
    assert len(photo.media_files()) == 7

    album.is_published = True
    album.save()
    photo.caption = "田径比赛"
    photo.save()
    client.logout()
    page = client.get(album.get_absolute_url())
    assert page.status_code == 200
    base = f"{moto_server.url}/{BUCKET}/{in_bucket}/"
    shown = {url for url in image_urls(page.content.decode()) if not url.startswith("/static/")}
    assert shown and all(url.startswith(base) for url in shown), shown
    assert {url.removeprefix(base) for url in shown} <= set(photo.media_files())
    for url in shown:
        status, content_type = fetch(client, url)
        assert status == 200 and content_type in ("image/jpeg", "image/webp"), url
    assert moto_server.url in page["Content-Security-Policy"]

    # /media/<name> (old links, pasted pictures) sends the browser to the bucket.
    moved = client.get("/media/" + photo.image.name)
    assert moved.status_code == 302 and moved["Location"] == default_storage.url(photo.image.name)

    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert keys_in_bucket(moto_server, in_bucket) == set()  # the files follow the row


@pytest.mark.django_db
def test_with_signed_urls_an_article_picture_keeps_a_lasting_address(client, editor, settings, moto_server):
    """A private bucket: the editor's picture is written into the body as /media/<name>, which redirects to a fresh
    signed URL, since a signed URL in the body would stop working after a day."""
    settings.STORAGES = s3_storages(moto_server.url, BUCKET, f"t/{uuid.uuid4().hex}", signed=True)
    client.force_login(editor)
    answer = client.post("/admin/editor-upload/", {"upload": SimpleUploadedFile("现场.jpg", jpeg(), "image/jpeg")})
    assert answer.status_code == 200
    url = answer.json()["url"]
    assert url.startswith("/media/editor/")
    moved = client.get(url)
    assert moved.status_code == 302 and "Signature=" in moved["Location"] and "private" in moved["Cache-Control"]
    assert fetch(client, moved["Location"]) == (200, "image/jpeg")


def test_settings_put_uploads_in_the_bucket_and_allow_its_origin_for_images():
    code = (
        "from django.conf import settings; from django.core.files.storage import default_storage as s;"
        "import json; print(json.dumps([settings.STORAGES['default']['BACKEND'], s.url('photos/a b.jpg'),"
        " settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], settings.SERVE_MEDIA]))"
    )
    printed = settings_printed(
        code,
        DJANGO_S3_BUCKET="union-site",
        DJANGO_S3_ENDPOINT_URL="https://oss-cn-qingdao.aliyuncs.com",
        DJANGO_S3_ADDRESSING_STYLE="virtual",
        DJANGO_S3_LOCATION="media",
        DJANGO_SERVE_MEDIA="",
    )
    backend, url, img_src, serve_media = json.loads(printed)
    assert backend == "storages.backends.s3.S3Storage"
    assert url == "https://union-site.oss-cn-qingdao.aliyuncs.com/media/photos/a%20b.jpg"
    assert origin_of(url) in img_src and serve_media


def last_line_printed(args, env, timeout):
    """The last line a fresh `python *args`, run in the project folder with `env`, prints; it must succeed."""
    run = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert run.returncode == 0, run.stderr
    return run.stdout.strip().splitlines()[-1]


def settings_printed(code, **env):
    """The last line `code` prints in a fresh `manage.py shell` with the site's settings read from `env`."""
    env = own_environment(DJANGO_SETTINGS_MODULE="union_site.settings", DJANGO_DEBUG="1", **env)
    return last_line_printed(["manage.py", "shell", "-c", code], env, timeout=60)


def cache_setting(**env):
    code = "from django.conf import settings; c = settings.CACHES['default']; print(c['BACKEND'], c['LOCATION'])"
    return settings_printed(code, **env).split()


def test_without_redis_the_processes_of_one_host_share_a_cache_in_files(tmp_path):
    files = "django.core.cache.backends.filebased.FileBasedCache"
    assert cache_setting() == [files, str(ROOT / "var" / "cache")]
    assert cache_setting(DJANGO_CACHE_DIR=str(tmp_path)) == [files, str(tmp_path)]
    redis = cache_setting(REDIS_URL="redis://127.0.0.1:6379/0")
    assert redis == ["union_site.common.cache.ForgivingRedisCache", "redis://127.0.0.1:6379/0"]


# --- the read replica ------------------------------------------------------------------------------------------


def test_who_reads_the_primary():
    factory = RequestFactory()
    assert not needs_primary(factory.get("/news/"))
    assert needs_primary(factory.post("/search/"))
    assert needs_primary(factory.get("/admin/"))
    staff = factory.get("/news/")
    staff.COOKIES["sessionid"] = "abc"
    assert needs_primary(staff)


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the test's own atomic() is the one
def test_a_transaction_reads_the_primary():
    router = ReplicaRouter()
    token = db_router._read_primary.set(False)
    try:
        assert router.db_for_read(Article) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Article) == "default"
        assert router.db_for_write(Article) == "default"
        assert router.db_for_read(Article) == "default"  # after a write, for the rest of the request
    finally:
        db_router._read_primary.reset(token)


REPLICA_SITE = """
import json, shutil, sys
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

setup_test_environment()
primary, replica = sys.argv[1], sys.argv[2]
call_command("migrate", database="default", verbosity=0)
connections.close_all()
shutil.copyfile(primary, replica)  # the replica, up to date until now: what replication gives

from django.contrib.auth.models import User
from django.utils import timezone
from news.models import Article, Column

column = Column.objects.create(name="工作动态", slug="work", order=1)
article = Article.objects.create(column=column, title="刚发布的文章", body="<p>正文</p>", status="published",
                                 publish_at=timezone.now())  # on the primary only: the replica lags behind
staff = User.objects.create_user("editor1", password="pw-for-tests-only", is_staff=True)

visitor, editor = Client(), Client()
editor.force_login(staff)
answers = {}
with CaptureQueriesContext(connections["replica"]) as on_replica:
    answers["visitor_list"] = article.title in visitor.get("/news/").content.decode()
    answers["visitor_article"] = visitor.get(article.get_absolute_url()).status_code
answers["visitor_replica_queries"] = len(on_replica)
with CaptureQueriesContext(connections["replica"]) as on_replica:
    answers["editor_list"] = article.title in editor.get("/news/").content.decode()
    answers["editor_article"] = editor.get(article.get_absolute_url()).status_code
answers["editor_replica_queries"] = len(on_replica)
print(json.dumps(answers))
"""


def test_visitors_read_the_replica_and_staff_the_primary(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = own_environment(
        DJANGO_SETTINGS_MODULE="union_site.settings_test",
        DATABASE_URL=f"sqlite:///{primary}",
        DATABASE_REPLICA_URL=f"sqlite:///{replica}",
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
    )
    answers = json.loads(last_line_printed(["-c", REPLICA_SITE, str(primary), str(replica)], env, timeout=300))
    assert answers["visitor_list"] is False and answers["visitor_article"] == 404  # the replica has not got it yet
    assert answers["visitor_replica_queries"] > 0
    assert answers["editor_list"] is True and answers["editor_article"] == 200  # staff see what they just saved
    assert answers["editor_replica_queries"] == 0
