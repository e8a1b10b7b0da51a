"""阅读数 (union_site/common/counters.py): a visitor's view writes nothing to the database; views are counted in the
cache and written to the database in batches by a background task (django-tasks' database backend, run by
`manage.py db_worker`)."""

import pytest
from django.db import OperationalError, connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from news.models import Article
from tests.factories import writes
from tests.workers import run_worker
from union_site.common import counters


@pytest.fixture(autouse=True)
def _view_answers_every_request(settings):
    """Every request reaches the article view; a page served from the page cache has its own test below."""
    settings.PAGE_CACHE_SECONDS = 0


def shown(client, article):
    """The 阅读数 on the article's page."""
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    return int(html.split("<span>阅读：", 1)[1].split("</span>", 1)[0])


def stored(article):
    article.refresh_from_db(fields=["view_count"])
    return article.view_count


def test_a_visitors_view_writes_nothing_to_the_database(client, make_article):
    article, other = make_article(), make_article()
    with CaptureQueriesContext(connection) as first:
        client.get(article.get_absolute_url())
    # the window's one write-back, queued for the whole site: a task row, not the article
    assert len(writes(first)) == 1 and DBTaskResult._meta.db_table in writes(first)[0]
    with CaptureQueriesContext(connection) as later:
        for _ in range(3):
            assert client.get(article.get_absolute_url()).status_code == 200
        assert client.get(other.get_absolute_url()).status_code == 200
    assert writes(later) == []
    assert DBTaskResult.objects.count() == 1
    assert stored(article) == 0 and counters.pending(Article, article.pk) == 4


@pytest.mark.django_db(transaction=True)  # the worker manages its own transactions, as in production
def test_three_views_reach_the_database_when_the_worker_runs_the_write_back(client, make_article, clock):
    article = make_article(view_count=5)
    assert [shown(client, article) for _ in range(3)] == [6, 7, 8]  # stored + pending, each view included
    assert stored(article) == 5

    task = DBTaskResult.objects.get()
    assert task.task_path == "union_site.common.counters.write_back_counts"
    assert task.args_kwargs["args"] == ["news.article", "view_count"]
    due_in = (task.run_after - timezone.now()).total_seconds()
    assert counters.WINDOW - 5 < due_in <= counters.WINDOW
    run_worker()  # not due yet
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY and stored(article) == 5

    clock.forward(counters.WINDOW)
    run_worker()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == 3
    assert stored(article) == 8 and counters.pending(Article, article.pk) == 0
    assert shown(client, article) == 9


def test_a_view_counted_while_the_write_back_runs_is_not_lost(client, make_article):
    article = make_article()
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    arrived = []

    def visitor_arrives(execute, sql, params, many, context):
        """Between the write-back's read of the counts and its UPDATE, one more visitor."""
        if sql.lstrip().upper().startswith("UPDATE") and not arrived:
            arrived.append(counters.count(Article, article.pk))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(visitor_arrives):
        assert counters.write_back(Article) == 2
    assert arrived == [3]
    assert stored(article) == 2 and counters.pending(Article, article.pk) == 1
    assert counters.write_back(Article) == 1
    assert stored(article) == 3 and counters.pending(Article, article.pk) == 0


def test_views_of_many_articles_are_written_in_chunks(make_article, monkeypatch):
    monkeypatch.setattr(counters, "CHUNK", 2)
    articles = [make_article() for _ in range(5)]
    for n, article in enumerate(articles):
        for _ in range(n % 2 + 1):
            counters.count(Article, article.pk)
    with CaptureQueriesContext(connection) as queries:
        assert counters.write_back(Article) == 1 + 2 + 1 + 2 + 1
    statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
    assert statements.count("SELECT") == 3 + 3  # the pks, two at a time; each chunk's new counts, kept for the pages
    assert statements.count("UPDATE") == 2 + 2 + 1  # per chunk, one per distinct count
    assert [stored(article) for article in articles] == [1, 2, 1, 2, 1]


def test_a_page_served_from_the_page_cache_is_counted_too(client, make_article, settings):
    settings.PAGE_CACHE_SECONDS = 600
    article = make_article()
    responses = [client.get(article.get_absolute_url()) for _ in range(3)]
    assert responses[-1].get("X-Cache") == "HIT"  # union_site/page_cache.py: the view did not run
    assert counters.pending(Article, article.pk) == 3
    assert all(counters.COUNTER_HEADER not in response for response in responses)


def test_a_page_is_served_when_the_cache_fails(client, make_article, monkeypatch):
    class BrokenCache:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache unreachable")

            return fail

    article = make_article(view_count=7)
    monkeypatch.setattr(counters, "cache", BrokenCache())
    assert shown(client, article) == 8  # this view shown, not counted
    monkeypatch.undo()
    assert counters.pending(Article, article.pk) == 0 and stored(article) == 7


def test_a_page_is_served_when_redis_is_unreachable(client, make_article, settings, monkeypatch):
    pytest.importorskip("redis", reason="redis-py is not installed")
    from union_site.common import cache as forgiving

    # the process-wide outage memory starts afresh and is put back, so a Redis the suite runs on (REDIS_URL) is not
    # skipped by the tests after this one
    monkeypatch.setattr(forgiving, "outage", forgiving._Outage())
    article = make_article(view_count=7)
    # what settings.py configures when REDIS_URL is set, pointed at a port where nothing listens
    settings.CACHES = {
        "default": {"BACKEND": "union_site.common.cache.ForgivingRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    assert shown(client, article) == 8
    assert counters.write_back(Article) == 0 and stored(article) == 7


def test_a_page_is_served_and_counted_when_the_task_cannot_be_queued(client, make_article, monkeypatch):
    def database_down(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(DatabaseBackend, "enqueue", database_down)
    article = make_article()
    assert shown(client, article) == 1
    assert counters.pending(Article, article.pk) == 1  # written by the next window's task
    assert not DBTaskResult.objects.exists()


def test_staff_reading_or_previewing_are_not_counted(client, make_article, editor):
    article, draft = make_article(), make_article(status=Article.Status.DRAFT)
    assert shown(Client(), article) == 1  # a visitor
    client.force_login(editor)
    assert shown(client, article) == 1  # sees the visitor's view, adds none
    assert "预览" in client.get(draft.get_absolute_url()).content.decode()
    assert counters.pending(Article, article.pk) == 1 and counters.pending(Article, draft.pk) == 0


def test_a_head_request_is_not_counted(client, make_article):
    article = make_article()
    assert client.head(article.get_absolute_url()).status_code == 200
    assert counters.pending(Article, article.pk) == 0


def test_saving_an_edit_keeps_the_views_written_back_meanwhile(make_article):
    article = make_article(view_count=5)
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 3)  # a write-back while the form is open
    article.title = "改过的标题"
    article.save()
    article.refresh_from_db()
    assert (article.title, article.view_count) == ("改过的标题", 8)
