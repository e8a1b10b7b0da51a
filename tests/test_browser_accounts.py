"""Accounts in a real browser: a reviewer enrols an authenticator at the first login; the admin warns before an idle
logout; what an editor typed survives the session's expiry and is offered back after logging in again; the lockout
page."""

import base64
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django_otp.oath import TOTP

from news.models import Article, Column
from union_site.accounts import middleware
from union_site.roles import EDITOR, REVIEWER

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
PASSWORD = "a-long-test-password-1"
WIDE = {"viewport": {"width": 1280, "height": 900}}

pytestmark = pytest.mark.django_db(transaction=True)


def staff(username, group=None):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def submit_login(page, username, password=PASSWORD):
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")


@pytest.fixture
def server_clock(monkeypatch):
    """The live server's idle clock (it runs in this process), moved by the test."""
    import time

    now = [time.time()]
    monkeypatch.setattr(middleware, "clock", lambda: now[0])
    return now


def test_a_reviewer_enrols_an_authenticator_at_the_first_login(live_server, open_page, role_groups):
    SHOTS.mkdir(exist_ok=True)
    staff("li", REVIEWER)
    page = open_page(**WIDE)
    page.goto(live_server.url + "/admin/login/")
    submit_login(page, "li")
    page.wait_for_url("**/admin/two-factor/setup/**")
    assert page.locator(".qr svg").is_visible()
    assert "必须使用两步验证" in page.locator("#content-main").inner_text()
    page.screenshot(path=str(SHOTS / "admin-two-factor-setup.png"), full_page=True)

    secret = page.locator(".secret").inner_text()  # what a person types into the app when not scanning
    code = TOTP(base64.b32decode(secret.replace(" ", ""))).token()
    page.fill("#id_otp_token", f"{code:06d}")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/two-factor/backup-codes/**")
    assert page.locator("#backup-codes li").count() == 10
    page.screenshot(path=str(SHOTS / "admin-two-factor-backup-codes.png"), full_page=True)
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url("**/admin/")
    assert page.get_by_text("内容管理").first.is_visible()
    assert page.get_by_role("link", name="两步验证").is_visible()


def test_the_admin_warns_before_an_idle_logout_and_keep_working_keeps_the_session(live_server, open_page):
    staff("zhang")
    page = open_page(**WIDE)
    page.clock.install()  # the page's own clock, moved below; the server's keeps real time
    page.goto(live_server.url + "/admin/login/")
    submit_login(page, "zhang")
    page.wait_for_url("**/admin/")
    assert page.locator("#session-idle").count() == 0

    page.clock.fast_forward("26:00")
    warning = page.locator("#session-idle")
    warning.wait_for()
    assert "分钟后将自动退出登录" in warning.inner_text()
    page.screenshot(path=str(SHOTS / "admin-idle-warning.png"))
    page.get_by_role("button", name="继续工作").click()
    warning.wait_for(state="detached")  # the server answered with a fresh 30 minutes

    page.clock.fast_forward("31:00")
    ended = page.locator("#session-idle")
    ended.wait_for()
    assert "您已退出登录" in ended.inner_text() and ended.get_by_role("link", name="重新登录").is_visible()


def test_what_an_editor_typed_is_offered_back_after_the_session_expired(
    live_server, open_page, role_groups, server_clock
):
    Column.objects.create(name="工会要闻", slug="union-news")
    staff("wang", EDITOR)
    page = open_page(**WIDE)
    page.goto(live_server.url + "/admin/login/?next=/admin/news/article/add/")
    submit_login(page, "wang")
    page.wait_for_url("**/admin/news/article/add/")
    page.select_option("#id_column", label="工会要闻")
    page.fill("#id_title", "超时前写的标题")
    page.locator(".ck-editor__editable").click()
    page.keyboard.type("超时前写的正文，还没有保存。")
    draft_key = "union-site:draft:wang:/admin/news/article/add/"
    page.wait_for_function("key => (localStorage.getItem(key) || '').includes('还没有保存')", arg=draft_key)

    server_clock[0] += 31 * 60  # the editor went to a meeting
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/login/**")
    assert "超过 30 分钟没有操作" in page.locator(".messagelist").inner_text()
    assert not Article.objects.filter(title="超时前写的标题").exists()

    submit_login(page, "wang")
    page.wait_for_url("**/admin/news/article/add/")
    assert page.input_value("#id_title") == ""
    page.screenshot(path=str(SHOTS / "admin-draft-offer.png"))
    page.get_by_role("button", name="恢复未保存的内容").click()
    assert page.input_value("#id_title") == "超时前写的标题"
    assert "还没有保存" in page.locator(".ck-editor__editable").inner_text()

    page.click("input[name=_save]")
    page.locator(".messagelist li.success").wait_for()
    article = Article.objects.get(title="超时前写的标题")
    assert "还没有保存" in article.body and article.column.name == "工会要闻"
    # saved: the draft is gone (site JS clears it once the saved page has loaded, so wait for it rather than race)
    page.wait_for_function("key => localStorage.getItem(key) === null", arg=draft_key, timeout=10_000)

    page.goto(live_server.url + "/admin/news/article/add/")
    assert page.get_by_role("button", name="恢复未保存的内容").count() == 0


def test_five_wrong_passwords_show_the_lockout_page(live_server, browser):
    staff("zhao")
    page = browser.new_page(**WIDE)  # a 429 answer is logged to the console by Chromium itself
    page.goto(live_server.url + "/admin/login/")
    for _ in range(5):
        submit_login(page, "zhao", "wrong-password")
    assert "登录已暂停" in page.locator("h1").inner_text()
    assert "请联系管理员解锁" in page.locator("#content-main").inner_text()
    page.screenshot(path=str(SHOTS / "admin-lockout.png"))
    page.close()
