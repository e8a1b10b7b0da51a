"""Idle logout: a staff session ends after 30 minutes without a request (DJANGO_SESSION_IDLE_MINUTES); each request
keeps it alive; the admin's pages tell their script how long is left. Visitors get no session at all."""

import re

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from union_site.accounts import middleware

pytestmark = pytest.mark.django_db

MINUTE = 60


@pytest.fixture
def clock(monkeypatch):
    """The idle clock, moved by the test: clock.now += 31 * MINUTE. (Not conftest.py's `clock`: the idle middleware
    reads its own clock, in seconds, not timezone.now().)"""

    class Clock:
        now = 1_800_000_000.0

    monkeypatch.setattr(middleware, "clock", lambda: Clock.now)
    return Clock


def test_a_session_idle_for_more_than_30_minutes_ends(client, editor, clock):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
    clock.now += 31 * MINUTE
    response = client.get("/admin/news/article/")
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert "next=/admin/news/article/" in response.url
    login_page = client.get(response.url).content.decode()
    assert "超过 30 分钟没有操作" in login_page and "登录后可以恢复" in login_page
    assert client.get("/admin/").status_code == 302  # still out


def test_activity_keeps_the_session_alive(client, editor, clock):
    client.force_login(editor)
    for _ in range(4):  # two hours of work, a page every 25 minutes
        clock.now += 25 * MINUTE
        assert client.get("/admin/").status_code == 200
    clock.now += 30 * MINUTE + 5
    assert client.get("/admin/").status_code == 302


def test_the_limit_comes_from_the_setting(client, editor, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client.force_login(editor)
    clock.now += 4 * MINUTE
    assert client.get("/admin/").status_code == 200
    clock.now += 6 * MINUTE
    assert client.get("/admin/").status_code == 302


def test_a_fresh_login_starts_the_clock(client, editor, clock):
    client.post(reverse("admin:login"), {"username": "editor1", "password": "pw-for-tests-only"})
    clock.now += 29 * MINUTE
    assert client.get("/admin/").status_code == 200


def test_keep_alive_answers_the_time_left_and_counts_as_activity(client, editor, clock):
    client.force_login(editor)
    client.get("/admin/")
    clock.now += 26 * MINUTE
    answer = client.post(reverse("accounts:keepalive")).json()
    assert answer["seconds_left"] == 30 * MINUTE
    clock.now += 26 * MINUTE
    assert client.get("/admin/").status_code == 200
    clock.now += 31 * MINUTE
    assert client.post(reverse("accounts:keepalive")).status_code == 401


def test_admin_pages_carry_the_time_left_for_the_warning_script(client, editor, clock):
    client.force_login(editor)
    client.get("/admin/")
    clock.now += 30  # the session is stamped at most once a minute, so this page has 29 minutes 30 seconds left
    page = client.get("/admin/news/article/add/").content.decode()
    tag = re.search(r"<script src=\"[^\"]*admin_session\.js\"[^>]*>", page).group(0)
    assert 'data-idle-seconds-left="1770"' in tag and 'data-idle-warning-seconds="300"' in tag
    assert 'data-user="editor1"' in tag and "defer" in tag
    assert "<script>" not in page  # nothing inline


def test_an_idle_logout_on_the_public_site_leaves_a_visitor(client, editor, clock):
    client.force_login(editor)
    clock.now += 31 * MINUTE
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("url", ["/", "/news/", "/search/?q=工会", "/robots.txt"])
def test_visitors_get_no_session_and_no_cookie(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies and "Set-Cookie" not in response.headers
    assert Session.objects.count() == 0
