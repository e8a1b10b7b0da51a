"""审计日志 at /admin/audit/ (union_site/audit/): superusers read who changed what in the admin, every export and
every login, failure and lockout, newest first in Beijing time, filtered and paged; the same list as Excel or CSV.
Editors and reviewers get 403."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from openpyxl import load_workbook

from union_site.models import ExportLog

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit:log")
EXPORT = reverse("audit:export")
BEIJING = ZoneInfo("Asia/Shanghai")
needs_axes = pytest.mark.skipif(not apps.is_installed("axes"), reason="django-axes is not installed")


def logged_change(user, obj, flag, message, at=None):
    entry = LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj),
        action_flag=flag,
        change_message=message,
    )
    if at:
        LogEntry.objects.filter(pk=entry.pk).update(action_time=at)
    return entry


def exported(user, report="新闻发布统计", at=None, **fields):
    fields = {"format": "xlsx", "row_count": 12, "filename": "新闻统计.xlsx", **fields}
    log = ExportLog.objects.create(user=user, username=user.username, report=report, **fields)
    if at:
        ExportLog.objects.filter(pk=log.pk).update(created_at=at)
    return log


def page_text(client, **params):
    response = client.get(AUDIT, params)
    assert response.status_code == 200
    return response.content.decode()


def rows_of(page, logins=False):
    """The list's rows; without the 登录 rows unless asked (django-axes records every force_login as a login)."""
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:] if "<tbody>" in page else []
    return rows if logins else [row for row in rows if 'class="audit-kind login"' not in row]


def test_superusers_find_the_audit_log_on_the_admin_index_and_others_get_403(client, superuser, editor, reviewer):
    client.force_login(superuser)
    index = client.get(reverse("admin:index")).content.decode()
    assert AUDIT in index and "审计日志" in index
    for someone in (editor, reviewer):
        client.force_login(someone)
        assert AUDIT not in client.get(reverse("admin:index")).content.decode()
        assert client.get(AUDIT).status_code == 403
        assert client.get(EXPORT, {"format": "csv"}).status_code == 403
    assert not ExportLog.objects.exists()
    client.logout()
    assert client.get(AUDIT).status_code == 302  # to the login page


def test_admin_changes_read_in_chinese_with_who_when_and_a_link(client, superuser, editor, make_article):
    article = make_article(title="全市工会工作会议召开")
    at = datetime(2026, 3, 5, 9, 30, 15, tzinfo=BEIJING)
    logged_change(editor, article, ADDITION, '[{"added": {}}]', at=at)
    logged_change(editor, article, CHANGE, '[{"changed": {"fields": ["标题", "正文"]}}]', at=at + timedelta(hours=1))
    logged_change(superuser, article, DELETION, "", at=at + timedelta(hours=2))
    client.force_login(superuser)
    rows = rows_of(page_text(client))
    assert len(rows) == 3
    deleted, changed, added = rows  # newest first
    assert "2026-03-05 11:30:15" in deleted and "后台删除" in deleted and "root1" in deleted
    assert "href=" not in deleted  # the object is gone: no link
    assert "2026-03-05 10:30:15" in changed and "后台修改" in changed and "已修改标题 和 正文。" in changed
    assert f'href="{reverse("admin:news_article_change", args=[article.pk])}"' in changed
    assert "文章：全市工会工作会议召开" in changed and "editor1" in changed
    assert "2026-03-05 09:30:15" in added and "后台新增" in added and "已添加。" in added


def test_exports_are_listed_with_their_report_rows_and_channel(client, superuser, reporter):
    exported(reporter, channel=ExportLog.Channel.COMMAND, filters={"year": "2026"})
    client.force_login(superuser)
    (row,) = rows_of(page_text(client, kind="export"))
    assert "导出" in row and "报表：新闻发布统计" in row and "reporter1" in row
    assert "命令行" in row and "12 行" in row and "year=2026" in row


def test_filters_by_person_kind_and_date(client, superuser, editor, reviewer, make_article):
    article = make_article()
    day = datetime(2026, 5, 1, 23, 30, tzinfo=BEIJING)  # late evening in Beijing: still 1 May there, 15:30 UTC
    logged_change(editor, article, CHANGE, "[]", at=day)
    logged_change(reviewer, article, CHANGE, "[]", at=day + timedelta(days=1))
    logged_change(editor, article, DELETION, "", at=day + timedelta(days=2))
    exported(editor, at=day)
    client.force_login(superuser)

    assert len(rows_of(page_text(client))) == 4
    by_editor = rows_of(page_text(client, person="EDITOR1"))
    assert len(by_editor) == 3 and all("editor1" in row for row in by_editor)
    assert len(rows_of(page_text(client, kind="deleted"))) == 1
    on_may_day = rows_of(page_text(client, date_from="2026-05-01", date_to="2026-05-01"))
    assert len(on_may_day) == 2 and all("2026-05-01 23:30" in row for row in on_may_day)
    assert len(rows_of(page_text(client, date_from="2026-05-02"))) == 2
    assert len(rows_of(page_text(client, person="editor1", kind="changed", date_to="2026-05-01"))) == 1
    wrong_way = page_text(client, date_from="2026-05-03", date_to="2026-05-01")
    assert "开始日期不能晚于结束日期" in wrong_way


def test_pages_of_fifty_newest_first_in_a_few_queries(client, superuser, make_article, django_assert_max_num_queries):
    article = make_article()
    start = datetime(2026, 1, 1, 8, 0, tzinfo=BEIJING)
    for n in range(70):
        logged_change(superuser, article, CHANGE, "[]", at=start + timedelta(minutes=n))
        exported(superuser, report=f"报表{n}", at=start + timedelta(minutes=n, seconds=30))
    client.force_login(superuser)
    january = {"date_to": "2026-01-31"}  # not this test's own login, which is today
    with django_assert_max_num_queries(25):
        first = page_text(client, **january)
    rows = rows_of(first, logins=True)
    assert len(rows) == 50 and "共 140 条" in first and "第 1 / 3 页" in first
    assert "09:09:30" in rows[0] and "报表69" in rows[0]  # the newest
    assert "09:09:00" in rows[1]
    last = rows_of(page_text(client, page=3, **january), logins=True)
    assert len(last) == 40 and "08:00:00" in last[-1]
    assert "date_to=2026-01-31&amp;page=2" in first and "下一页" in first  # the next page keeps the filters


def test_the_list_exports_as_excel_and_csv_with_provenance_and_is_logged(client, superuser, editor, make_article):
    article = make_article(title="全市职工技能大赛")
    logged_change(editor, article, CHANGE, '[{"changed": {"fields": ["标题"]}}]')
    client.force_login(superuser)

    response = client.get(EXPORT, {"format": "xlsx", "person": "editor1"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0].startswith("审计日志")
    assert "生成人：root1" in values[1][0] and "人员：editor1" in values[1][0]
    assert values[2] == ("时间（北京时间）", "人员", "类别", "对象", "详情", "IP 地址")
    assert values[3][1:5] == ("editor1", "后台修改", f"文章：{article.title}", "已修改标题。")
    assert len(values) == 4

    response = client.get(EXPORT, {"format": "csv", "kind": "changed"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert ["生成人", "root1"] in lines and ["筛选条件", "类别：后台修改"] in lines
    logs = ExportLog.objects.filter(report="审计日志")
    assert {log.format for log in logs} == {"xlsx", "csv"} and all(log.user == superuser for log in logs)

    assert client.get(EXPORT, {"format": "pdf"}).status_code == 400


@needs_axes
def test_logins_failures_and_lockouts_are_listed(client, superuser, editor, reviewer):
    from django.conf import settings
    from django.test import Client

    visitor = Client()
    login = "/admin/login/"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        visitor.post(login, {"username": "editor1", "password": "wrong", "next": "/admin/"})
    visitor.post(login, {"username": "reviewer1", "password": "wrong", "next": "/admin/"})
    signed_in = visitor.post(login, {"username": "reviewer1", "password": "pw-for-tests-only", "next": "/admin/"})
    assert signed_in.status_code == 302
    client.force_login(superuser)

    failed = rows_of(page_text(client, kind="login_failed"))
    assert failed and all("登录失败" in row and "127.0.0.1" in row for row in failed)
    assert any("reviewer1" in row for row in failed)
    locked = rows_of(page_text(client, kind="lockout"))
    assert locked and all("editor1" in row for row in locked)
    assert any(f"连续登录失败 {settings.AXES_FAILURE_LIMIT} 次" in row for row in locked)
    logins = rows_of(page_text(client, kind="login", person="reviewer1"), logins=True)
    assert len(logins) == 1 and "reviewer1" in logins[0] and "登录成功" in logins[0]
    assert len(rows_of(page_text(client, person="editor1"))) == len(locked) + sum("editor1" in r for r in failed)
    assert "账号锁定" in page_text(client)
