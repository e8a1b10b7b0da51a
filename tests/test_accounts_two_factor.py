"""Two-factor sign-in (django-otp): required of 审核 and superusers, open to everyone. Every test here logs in through
the login page, so nothing is skipped (conftest's force_login shortcut is not used for the person under test)."""

import base64
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from news.models import Article
from tests.factories import authenticator, totp_code
from union_site.accounts.two_factor import new_backup_codes, two_factor_required

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-only"
SETUP, VERIFY = reverse("accounts:setup"), reverse("accounts:verify")
ADMIN_PAGES = [
    "/admin/",
    "/admin/news/article/",
    "/admin/news/article/add/",
    "/admin/reports/",
    "/admin/password_change/",
    "/admin/two-factor/",
    "/admin/auth/user/",
]


@pytest.fixture
def no_throttle(settings):
    """django-otp refuses any code for a second after a wrong one; these tests try a right one straight after."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def log_in(client, user, next_url="/admin/"):
    response = client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD, "next": next_url})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def enter_code(client, code, next_url="/admin/"):
    return client.post(VERIFY, {"otp_token": code, "next": next_url})


def test_a_reviewer_without_an_authenticator_is_sent_to_enrol_and_reaches_no_admin_page(client, reviewer):
    log_in(client, reviewer)
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(SETUP), url
    response = client.post(reverse("admin:news_article_add"), {"title": "未验证时写的"})
    assert response.status_code == 302 and not Article.objects.filter(title="未验证时写的").exists()
    upload = client.post(reverse("editor_upload"))
    assert upload.status_code == 302 and upload.url.startswith(SETUP)


def test_an_unverified_reviewer_sees_the_public_site_as_a_visitor_does(client, reviewer, make_article):
    draft = make_article(status=Article.Status.DRAFT, title="未发布的稿件")
    log_in(client, reviewer)
    assert client.get(draft.get_absolute_url()).status_code == 404  # no draft preview before the code
    assert client.get("/").status_code == 200


def test_superusers_must_use_two_factor_too_and_editors_need_not(client, superuser, editor, reporter):
    assert two_factor_required(superuser)
    assert not two_factor_required(editor) and not two_factor_required(reporter)
    log_in(client, superuser)
    assert client.get("/admin/").url.startswith(SETUP)
    other = Client()
    log_in(other, editor)
    assert other.get("/admin/").status_code == 200


def test_enrolment_shows_a_qr_code_and_the_secret_takes_one_code_then_ten_backup_codes_once(client, reviewer):
    log_in(client, reviewer)
    page = client.get(SETUP + "?next=/admin/news/article/").content.decode()
    assert "<svg" in page and 'class="segno"' in page  # drawn here, no image from another service
    assert "腾讯身份验证器" in page and "Google Authenticator" in page and "Microsoft Authenticator" in page
    assert "<script" not in page.split("</head>")[1]  # no JavaScript needed
    secret = re.search(r'<span class="secret">([A-Z2-7 ]+)</span>', page).group(1)
    device = TOTPDevice.objects.get(user=reviewer, confirmed=False)
    assert base64.b32decode(secret.replace(" ", "")) == device.bin_key  # the secret as text, for typing in
    assert client.get(SETUP).content.decode().count(secret) == 1  # a reload keeps the same QR code and secret

    # The code an authenticator app computes from the secret it was given.
    app = TOTP(base64.b32decode(secret.replace(" ", "")))
    response = client.post(SETUP, {"otp_token": f"{app.token():06d}", "next": "/admin/news/article/"})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:backup_codes"))
    shown = client.get(response.url)
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", shown.content.decode())
    assert len(set(codes)) == 10 and "只显示这一次" in shown.content.decode()
    assert client.get(response.url).status_code == 302  # not shown a second time
    assert client.get("/admin/news/article/").status_code == 200  # verified for this session
    device.refresh_from_db()
    assert device.confirmed and StaticDevice.objects.get(user=reviewer).token_set.count() == 10


def test_a_wrong_code_does_not_confirm_the_enrolment(client, reviewer):
    log_in(client, reviewer)
    client.get(SETUP)
    response = client.post(SETUP, {"otp_token": "000000"})
    assert response.status_code == 200 and "验证码不正确" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=reviewer, confirmed=True).exists()
    assert client.get("/admin/").url.startswith(SETUP)


def test_later_logins_ask_for_a_code_and_refuse_a_wrong_one(client, reviewer, no_throttle):
    device = authenticator(reviewer)
    response = client.get(log_in(client, reviewer, "/admin/news/article/").url)
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert "6 位动态码" in client.get(response.url).content.decode()

    wrong = enter_code(client, "123456" if totp_code(device) != "123456" else "654321")
    assert wrong.status_code == 200 and "验证码不正确" in wrong.content.decode()
    assert client.get("/admin/").url.startswith(VERIFY)

    right = enter_code(client, totp_code(device), "/admin/news/article/")
    assert right.status_code == 302 and right.url == "/admin/news/article/"
    assert client.get("/admin/news/article/").status_code == 200


def test_a_code_works_once_only(reviewer, no_throttle):
    device = authenticator(reviewer)
    code = totp_code(device)
    first, second = Client(), Client()
    log_in(first, reviewer)
    assert enter_code(first, code).status_code == 302
    log_in(second, reviewer)
    assert enter_code(second, code).status_code == 200  # seen before: a replay
    assert enter_code(second, totp_code(device, steps_ahead=1)).status_code == 302  # the app's next code


def test_too_many_wrong_codes_make_it_wait(client, reviewer):
    authenticator(reviewer)
    log_in(client, reviewer)
    enter_code(client, "000001")
    response = enter_code(client, "000002")
    assert "错误次数较多" in response.content.decode() and "北京时间" in response.content.decode()


def test_backup_codes_are_single_use(reviewer, no_throttle):
    authenticator(reviewer)
    codes = new_backup_codes(reviewer)
    first = Client()
    log_in(first, reviewer)
    used = enter_code(first, codes[0].upper())  # as typed from paper: case does not matter
    assert used.status_code == 302
    assert "还剩 9 个" in first.get(used.url).content.decode()

    second = Client()
    log_in(second, reviewer)
    assert enter_code(second, codes[0]).status_code == 200
    assert enter_code(second, codes[1]).status_code == 302


def test_the_code_page_returns_only_to_pages_of_this_site(client, reviewer):
    device = authenticator(reviewer)
    log_in(client, reviewer)
    response = enter_code(client, totp_code(device), "https://evil.example/")
    assert response.status_code == 302 and response.url == reverse("admin:index")


def test_replacing_the_authenticator_needs_a_code_from_the_current_one(client, reviewer):
    authenticator(reviewer)
    log_in(client, reviewer)
    response = client.get(SETUP)
    assert response.status_code == 302 and response.url.startswith(VERIFY)


def test_an_editor_may_turn_it_on_from_the_admin_and_is_then_asked_for_a_code(client, editor, no_throttle):
    log_in(client, editor)
    index = client.get("/admin/").content.decode()
    assert f'href="{reverse("accounts:two_factor")}"' in index  # 两步验证 among the user links
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "未开启" in page and "建议开启" in page
    client.get(SETUP)
    pending = TOTPDevice.objects.get(user=editor)
    assert client.post(SETUP, {"otp_token": totp_code(pending)}).status_code == 302

    again = Client()
    log_in(again, editor)
    assert again.get("/admin/").url.startswith(VERIFY)
    assert enter_code(again, totp_code(pending, steps_ahead=1)).status_code == 302

    # Having chosen it, the editor may turn it off again (a reviewer may not).
    assert again.post(reverse("accounts:turn_off")).status_code == 302
    assert not TOTPDevice.objects.filter(user=editor).exists()


def test_a_reviewer_cannot_turn_it_off(client, reviewer):
    device = authenticator(reviewer)
    log_in(client, reviewer)
    enter_code(client, totp_code(device))
    assert client.post(reverse("accounts:turn_off")).status_code == 403
    assert TOTPDevice.objects.filter(user=reviewer).exists()


def test_a_superuser_resets_a_lost_phone_and_the_person_enrols_again(client, superuser, reviewer):
    authenticator(reviewer)
    new_backup_codes(reviewer)
    boss = Client()
    boss.force_login(superuser)  # conftest: as if the superuser had entered a code
    page = boss.get(reverse("accounts:two_factor")).content.decode()
    assert "所有后台账号" in page and "reviewer1" in page
    assert boss.post(reverse("accounts:reset_user", args=[reviewer.pk])).status_code == 302
    assert not TOTPDevice.objects.filter(user=reviewer).exists() and not StaticDevice.objects.filter(user=reviewer)
    assert LogEntry.objects.filter(object_id=str(reviewer.pk), change_message__contains="两步验证").exists()

    log_in(client, reviewer)
    assert client.get("/admin/").url.startswith(SETUP)


def test_only_superusers_reset_others(client, reviewer, editor):
    device = authenticator(reviewer)
    log_in(client, reviewer)
    enter_code(client, totp_code(device))
    assert client.post(reverse("accounts:reset_user", args=[editor.pk])).status_code == 403


def test_the_development_bypass_makes_it_optional(client, reviewer, settings):
    settings.OTP_DEV_BYPASS = True
    assert not two_factor_required(reviewer)
    log_in(client, reviewer)
    assert client.get("/admin/").status_code == 200


def test_the_development_bypass_refuses_to_start_with_debug_off():
    root = Path(__file__).resolve().parent.parent
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "union_site.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x7!kq2#production-grade-secret-9f3a1c5e7b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a",
        "DJANGO_OTP_DEV_BYPASS": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0 and "DJANGO_OTP_DEV_BYPASS" in result.stderr


def test_resetting_the_demo_accounts_also_resets_their_two_factor(settings, tmp_path):
    from django.contrib.auth.models import User
    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))
    admin_user = User.objects.get(username="admin")
    authenticator(admin_user)
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))  # a second `make run` keeps it
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    call_command("create_demo_accounts", "--reset", stdout=open("/dev/null", "w"))
    assert not TOTPDevice.objects.filter(user=admin_user).exists()
