"""Demo accounts and the role groups behind them."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from news.models import Article
from tests.factories import attachment_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_demo_accounts_one_per_role_with_random_passwords_written_once(var_dir, client):
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))
    lines = (var_dir / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()
    passwords = {line.split()[0]: line.split()[1] for line in lines}
    assert set(passwords) == {"admin", "editor", "reviewer", "reporter", "mailbox", "contributor"}
    assert len(set(passwords.values())) == 6
    assert oct((var_dir / "demo-accounts.txt").stat().st_mode)[-3:] == "600"
    for username, password in passwords.items():
        login = client.post(reverse("admin:login"), {"username": username, "password": password})
        assert login.status_code == 302, username
        index = client.get(reverse("admin:index"))
        if username in {"admin", "reviewer", "mailbox"}:  # 管理员, 审核 and 信箱办理 first set up two-factor (README)
            assert index.status_code == 302 and index.url.startswith(reverse("accounts:setup"))
        else:
            assert index.status_code == 200
        client.logout()

    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))  # second `make run`
    again = (var_dir / "demo-accounts.txt").read_text(encoding="utf-8").splitlines()
    assert again == lines
    assert User.objects.filter(username__in=passwords).count() == 6
    assert User.objects.get(username="contributor").correspondent.unit.name == "滨城区总工会"


def test_roles_hold_the_permissions_their_work_needs(var_dir):
    call_command("create_demo_accounts", stdout=open("/dev/null", "w"))
    editor, reviewer, reporter = (User.objects.get(username=n) for n in ("editor", "reviewer", "reporter"))
    assert editor.has_perm("news.change_article") and not editor.has_perm("news.publish_article")
    assert reviewer.has_perm("news.publish_article") and reviewer.has_perm("news.delete_article")
    assert reporter.has_perm("achievements.view_metric") and not reporter.has_perm("achievements.change_metric")
    assert User.objects.get(username="admin").is_superuser


def test_report_staff_cannot_change_content_in_the_admin(client, reporter, make_article):
    article = make_article(title="原标题")
    client.force_login(reporter)
    url = reverse("admin:news_article_change", args=[article.pk])
    assert client.get(url).status_code == 200  # may read
    client.post(url, {"title": "被改了", "column": article.column_id, "status": "published"})
    article.refresh_from_db()
    assert article.title == "原标题"
    assert client.get(reverse("admin:news_article_add")).status_code == 403


def test_editor_can_write_an_article_in_the_admin(client, editor, column):
    client.force_login(editor)
    response = client.post(
        reverse("admin:news_article_add"),
        {
            "column": column.pk,
            "title": "编辑写的稿子",
            "body": "<p>内容</p>",
            "status": "draft",
            "publish_at_0": "2026-11-24",
            "publish_at_1": "10:00:00",
            **attachment_rows(Article()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="编辑写的稿子")
    assert article.created_by == editor and article.updated_by == editor
