"""Login lockout (django-axes): five wrong passwords lock a username on one address for 30 minutes, with the same
answer whether or not the username exists; a forged X-Forwarded-For changes nothing; a superuser unlocks in the
admin; the records read in Chinese."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"  # tests/conftest.py gives every user this one
LOGIN = "/admin/login/"


def attempt(client, username, password, **headers):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **headers)


def fail(client, username, times, **headers):
    return [attempt(client, username, "wrong-password", **headers) for _ in range(times)]


def text(response):
    return response.content.decode()


def test_five_wrong_passwords_lock_the_username_and_then_the_right_one_is_refused(client, editor):
    first_four = fail(client, "editor1", 4)
    assert [r.status_code for r in first_four] == [200] * 4
    assert "请输入一个正确的" in text(first_four[-1])

    fifth = attempt(client, "editor1", "wrong-password")
    assert fifth.status_code == 429 and "登录已暂停" in text(fifth)

    right = attempt(client, "editor1", PASSWORD)
    assert right.status_code == 429 and "登录已暂停" in text(right)
    assert client.get(reverse("admin:index")).status_code == 302  # not logged in


def test_four_wrong_then_the_right_password_logs_in_and_starts_the_count_again(client, editor):
    fail(client, "editor1", 4)
    assert attempt(client, "editor1", PASSWORD).status_code == 302
    client.logout()
    assert [r.status_code for r in fail(client, "editor1", 4)] == [200] * 4


def test_the_lockout_page_says_when_to_try_again_in_beijing_time(client, editor):
    before = timezone.now()
    page = text(fail(client, "editor1", 5)[-1])
    assert "连续 5 次登录失败" in page and "30 分钟" in page
    assert "请联系管理员解锁" in page and "北京时间" in page
    # The minute from which it is accepted again: 30 minutes on, rounded up, on the Beijing clock.
    candidates = {
        f"{(timezone.localtime(before) + timedelta(minutes=30 + extra)):%Y年%-m月%-d日 %H:%M}" for extra in (0, 1, 2)
    }
    assert any(candidate in page for candidate in candidates), (candidates, page)


def test_an_unknown_username_gets_the_same_answers_as_a_known_one(client, editor):
    known = fail(client, "editor1", 6)
    unknown = fail(Client(), "no-such-person", 6)
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [200] * 4 + [429] * 2
    assert text(known[-1]) == text(unknown[-1])  # the lockout page names no one
    form_error = "请输入一个正确的"
    assert form_error in text(known[0]) and form_error in text(unknown[0])


def test_an_unknown_username_costs_the_same_password_hashing_as_a_known_one(client, editor, monkeypatch):
    calls = []
    encode = MD5PasswordHasher.encode
    monkeypatch.setattr(MD5PasswordHasher, "encode", lambda self, *args: calls.append(1) or encode(self, *args))
    attempt(client, "editor1", "wrong-password")
    known = len(calls)
    attempt(client, "no-such-person", "wrong-password")
    assert known == len(calls) - known == 1  # no shortcut that would tell the two apart by time


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(client, editor, settings):
    settings.PROXY_COUNT = 0  # the default: no proxy of ours in front, the header is the client's own
    answers = [
        attempt(client, "editor1", "wrong-password", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(1, 6)
    ]
    assert answers[-1].status_code == 429
    assert attempt(client, "editor1", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_a_forged_header_does_not_lock_out_the_person_it_names(client, editor, settings):
    settings.PROXY_COUNT = 0
    fail(client, "editor1", 5, REMOTE_ADDR="192.0.2.66", HTTP_X_FORWARDED_FOR="192.0.2.10")
    victim = Client(REMOTE_ADDR="192.0.2.10")  # the editor, at the address the attacker wrote in the header
    assert attempt(victim, "editor1", PASSWORD).status_code == 302


def test_behind_one_proxy_the_address_it_appends_is_the_one_locked(client, editor, settings):
    settings.PROXY_COUNT = 1  # nginx appends the address it saw; anything left of it is the client's word
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for n in range(1, 6):
        last = attempt(client, "editor1", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.7", **proxy)
    assert last.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    spoofed = attempt(client, "editor1", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8, 203.0.113.7", **proxy)
    assert spoofed.status_code == 429
    colleague = attempt(Client(), "editor1", PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy)
    assert colleague.status_code == 302  # another address behind the same proxy is not locked


def test_a_superuser_unlocks_in_the_admin_and_the_right_password_then_works(client, editor, superuser):
    fail(client, "editor1", 5)
    admin_client = Client()
    admin_client.force_login(superuser)
    changelist = reverse("admin:axes_accessattempt_changelist")
    page = text(admin_client.get(changelist))
    assert "登录失败与锁定" in page and "失败次数" in page and "已锁定，至" in page and "IP 地址" in page

    attempt_row = AccessAttempt.objects.get(username="editor1")
    detail = text(admin_client.get(reverse("admin:axes_accessattempt_change", args=[attempt_row.pk])))
    assert "用户名" in detail and "editor1，127.0.0.1，失败 5 次" in detail and "Username" not in detail
    response = admin_client.post(changelist, {"action": "unlock", "_selected_action": [attempt_row.pk]})
    assert response.status_code == 302
    assert "已解锁 1 条记录" in text(admin_client.get(changelist))

    assert attempt(client, "editor1", PASSWORD).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_deleting_the_record_in_the_admin_unlocks_too(client, editor, superuser):
    fail(client, "editor1", 5)
    admin_client = Client()
    admin_client.force_login(superuser)
    row = AccessAttempt.objects.get(username="editor1")
    delete = reverse("admin:axes_accessattempt_delete", args=[row.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert attempt(client, "editor1", PASSWORD).status_code == 302


def test_login_records_and_failures_read_in_chinese_for_superusers_only(client, editor, reviewer, superuser):
    fail(client, "editor1", 1)
    attempt(client, "editor1", PASSWORD)
    admin_client = Client()
    admin_client.force_login(superuser)
    index = text(admin_client.get(reverse("admin:index")))
    assert "登录保护" in index and "登录记录" in index and "登录失败日志" in index
    assert "Axes" not in index and "TOTP" not in index  # nothing left in English
    logs = text(admin_client.get(reverse("admin:axes_accesslog_changelist")))
    assert "editor1" in logs and "退出时间" in logs and "浏览器" in logs
    failures = text(admin_client.get(reverse("admin:axes_accessfailurelog_changelist")))
    assert "editor1" in failures and "导致锁定" in failures

    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    assert reviewer_client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
