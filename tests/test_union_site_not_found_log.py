"""The 404 记录 (union_site/redirects/not_found.py): missing addresses counted in the cache and written to the
database in batches by a background task, bots' probes grouped into one row per kind, and a redirect made from a
logged address in one click."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import writes
from tests.workers import run_worker
from union_site.redirects import not_found
from union_site.redirects.models import NotFoundPath
from union_site.redirects.probes import PREFIX
from union_site.redirects.store import create_or_update_redirect

pytestmark = pytest.mark.django_db

LOG_URL = "/admin/site_redirects/notfoundpath/"


def logged():
    return {row.path: row.hits for row in NotFoundPath.objects.all()}


def test_fifty_404s_write_nothing_but_the_windows_task_then_one_row_of_fifty(client):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            assert client.get("/news/no-such-page/", HTTP_REFERER="https://mp.weixin.qq.com/s/x").status_code == 404
    # the window's one write-back, queued for the whole site: a task row, nothing of the log itself
    assert len(writes(queries)) == 1 and DBTaskResult._meta.db_table in writes(queries)[0]
    assert NotFoundPath.objects.count() == 0

    assert not_found.write_back() == 50
    row = NotFoundPath.objects.get()
    assert (row.path, row.kind, row.hits) == ("/news/no-such-page/", NotFoundPath.Kind.PAGE, 50)
    assert row.last_referrer == "https://mp.weixin.qq.com/s/x"
    assert row.first_seen_at <= row.last_seen_at <= timezone.now()
    assert not_found.write_back() == 0  # written once


def test_later_404s_add_to_the_same_row(client):
    client.get("/old/page.html")
    not_found.write_back()
    client.get("/old/page.html?from=timeline")
    client.get("/old/page.html?uid=1")
    not_found.write_back()
    row = NotFoundPath.objects.get()
    assert row.hits == 3 and row.last_full_path == "/old/page.html?uid=1"


def test_bots_probes_are_one_row_per_kind(client):
    for path in ["/wp-login.php", "/wp-admin/setup-config.php", "/xmlrpc.php", "/blog/wp-includes/x.js"]:
        assert client.get(path).status_code == 404
    for path in ["/.env", "/.git/config", "/cgi-bin/luci", "/phpmyadmin/index.php", "/shell.php", "/a/b.php"]:
        client.get(path)
    client.get("/news/old-link/")
    not_found.write_back()
    assert logged() == {
        f"{PREFIX}WordPress（/wp-login.php、/wp-admin/、/xmlrpc.php 等）": 4,
        f"{PREFIX}配置与密钥文件（/.env、/.git/ 等）": 2,
        f"{PREFIX}CGI 脚本（/cgi-bin/）": 1,
        f"{PREFIX}数据库管理（/phpmyadmin 等）": 1,
        f"{PREFIX}PHP 脚本（*.php）": 2,
        "/news/old-link/": 1,
    }
    assert set(NotFoundPath.objects.filter(kind=NotFoundPath.Kind.PROBE).values_list("hits", flat=True)) == {1, 2, 4}
    assert NotFoundPath.objects.get(hits=4).last_full_path == "/blog/wp-includes/x.js"


def test_the_admin_static_files_uploads_posts_and_redirected_addresses_are_not_logged(client):
    create_or_update_redirect("/col/col789/index.html", "/news/")
    client.get("/admin/no-such-page/")
    client.get("/static/css/none.css")
    client.get("/media/none.jpg")
    client.post("/news/no-such-page/")
    client.head("/news/no-such-page/")
    assert client.get("/col/col789/index.html").status_code == 301
    assert not_found.write_back() == 0 and NotFoundPath.objects.count() == 0


def test_a_chinese_address_is_kept_as_a_redirect_would_store_it(client, reviewer):
    client.get("/新闻/旧文章.html")
    not_found.write_back()
    assert NotFoundPath.objects.get().path == "/%E6%96%B0%E9%97%BB/%E6%97%A7%E6%96%87%E7%AB%A0.html"
    client.force_login(reviewer)
    assert "/新闻/旧文章.html" in client.get(LOG_URL).content.decode()  # shown as written


def test_a_scanner_inventing_addresses_fills_one_window_not_the_database(client, monkeypatch):
    monkeypatch.setattr(not_found, "MAX_PATHS", 3)
    for n in range(6):
        client.get(f"/random-{n}/")
    assert not_found.write_back() == 3 and NotFoundPath.objects.count() == 3


def test_a_cache_outage_serves_the_404_page_and_counts_nothing(client, monkeypatch):
    # What the project's Redis cache answers while Redis is down (union_site/common/cache.py, ForgivingRedisCache):
    # incr raises ValueError, add stores nothing; every other page part carries on without the cache.
    def down(key, *args, **kwargs):
        raise ValueError(f"Key '{key}' not found (cache unavailable).")

    monkeypatch.setattr(not_found.cache, "incr", down)
    monkeypatch.setattr(not_found.cache, "add", lambda *args, **kwargs: False)
    assert client.get("/news/no-such-page/").status_code == 404
    assert NotFoundPath.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the worker manages its own transactions, as in production
def test_the_worker_writes_a_window_once_it_has_ended(client, clock):
    client.get("/news/gone/")
    client.get("/news/gone/")
    task = DBTaskResult.objects.get()
    assert task.task_path == "union_site.redirects.not_found.write_back_not_found"
    assert 0 < (task.run_after - timezone.now()).total_seconds() <= not_found.WINDOW + not_found.GRACE
    run_worker()  # the window has not ended
    assert NotFoundPath.objects.count() == 0

    clock.forward(not_found.WINDOW + not_found.GRACE)
    client.get("/news/gone/")  # the next window: counted apart, written by its own task
    run_worker()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == 2
    assert logged() == {"/news/gone/": 2}
    assert DBTaskResult.objects.count() == 2


# --- the list in the admin ------------------------------------------------------------------------------------------


def test_a_reviewer_sees_the_most_asked_for_first_and_makes_a_redirect_in_one_click(client, reviewer, column):
    for path, times in [("/art/2023/4/27/art_1.html", 3), ("/col/col789/index.html", 5), ("/wp-login.php", 9)]:
        for _ in range(times):
            client.get(path)
    not_found.write_back()
    client.force_login(reviewer)
    page = client.get(LOG_URL).content.decode()
    assert page.index("扫描探测：WordPress") < page.index("/col/col789/index.html") < page.index("/art/2023/4/27")
    assert "扫描探测</strong>：程序自动尝试的常见漏洞地址" in page
    assert "?kind__exact=probe" in page  # the filter by kind

    add = reverse("admin:redirects_redirect_add") + "?old_path=%2Fcol%2Fcol789%2Findex.html"
    assert f'href="{add}"' in page.replace("&amp;", "&")
    form = client.get(add).content.decode()
    assert 'value="/col/col789/index.html"' in form
    client.post(reverse("admin:redirects_redirect_add"), {"old_path": "/col/col789/index.html", "new_path": "/news/"})
    assert "已跳转到" in client.get(LOG_URL).content.decode()
    assert "/col/col789/index.html" in client.get(LOG_URL + "?redirected=yes").content.decode()

    client.logout()
    assert client.get("/col/col789/index.html")["Location"] == "/news/"
    not_found.write_back()
    assert NotFoundPath.objects.get(path="/col/col789/index.html").hits == 5  # no longer counted


def test_probes_get_no_redirect_button_and_the_list_is_read_only(client, reviewer):
    client.get("/.env")
    not_found.write_back()
    client.force_login(reviewer)
    page = client.get(LOG_URL).content.decode()
    assert "创建重定向</a>" not in page
    row = NotFoundPath.objects.get()
    assert client.get(reverse("admin:site_redirects_notfoundpath_add")).status_code == 403
    assert (
        client.post(reverse("admin:site_redirects_notfoundpath_change", args=[row.pk]), {"hits": 0}).status_code == 403
    )


def test_editors_do_not_see_the_404_log(client, editor):
    client.force_login(editor)
    assert client.get(LOG_URL).status_code == 403


def test_rows_not_seen_for_the_given_days_are_pruned(client, capsys):
    client.get("/old-a/")
    client.get("/old-b/")
    not_found.write_back()
    NotFoundPath.objects.filter(path="/old-a/").update(last_seen_at=timezone.now() - timedelta(days=91))
    call_command("prune_not_found")
    assert "已删除 1 条 90 天内没有再出现的 404 记录" in capsys.readouterr().out
    assert logged() == {"/old-b/": 1}
