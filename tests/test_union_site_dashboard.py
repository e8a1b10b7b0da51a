"""The admin's first page for each role: 待审核 for reviewers, 我的草稿 and 被驳回 for editors, 定时发布 and 即将下线,
report staff's own recent exports; the apps in the office's order (新闻, 图片, 数说五年, 站点)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article
from union_site.models import ExportLog

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def newsroom(make_article, editor, reviewer):
    now = timezone.now()
    make_article(status=Status.REVIEW, title="待审1", created_by=editor)
    make_article(status=Status.REVIEW, title="待审2", created_by=editor)
    make_article(status=Status.DRAFT, title="我的草稿", created_by=editor)
    make_article(status=Status.DRAFT, title="被驳回的", created_by=editor, review_comment="数据请核实。")
    make_article(status=Status.DRAFT, title="别人的草稿", created_by=reviewer)
    make_article(title="定时的", publish_at=now + timedelta(days=2))
    make_article(title="快下线的", unpublish_at=now + timedelta(days=3))
    make_article(title="很久才下线", unpublish_at=now + timedelta(days=30))


def counts(client, user):
    client.force_login(user)
    page = client.get(reverse("admin:index")).content.decode()
    found = re.findall(
        r'<li data-line="([^"]+)"><a href="([^"]+)">[^<]+</a><span><span class="count">(\d+)</span>', page
    )
    return page, {label: int(count) for label, _url, count in found}, {label: url for label, url, _c in found}


def test_each_role_sees_its_own_counts(client, newsroom, editor, reviewer, reporter):
    _, for_reviewer, _ = counts(client, reviewer)
    assert for_reviewer["待审核"] == 2
    assert for_reviewer["我的草稿"] == 1  # 别人的草稿 is the reviewer's own
    assert for_reviewer["定时发布（尚未到时间）"] == 1 and for_reviewer["7 天内即将下线"] == 1

    _, for_editor, urls = counts(client, editor)
    assert "待审核" not in for_editor
    assert for_editor["我的草稿"] == 1 and for_editor["被驳回（按审核意见修改后重新提交）"] == 1
    rejected = client.get(urls["被驳回（按审核意见修改后重新提交）"].replace("&amp;", "&")).content.decode()
    assert "被驳回的" in rejected and "我的草稿" not in rejected.split("result_list")[1]

    page, for_reporter, _ = counts(client, reporter)
    assert "待审核" not in for_reporter and "我的草稿" not in for_reporter
    assert "我最近的导出" in page and "还没有导出过报表。" in page


def test_report_staff_see_their_recent_exports(client, reporter):
    ExportLog.objects.create(
        user=reporter, username=reporter.username, report="新闻发布统计", format="xlsx", row_count=12
    )
    client.force_login(reporter)
    page = client.get(reverse("admin:index")).content.decode()
    assert "新闻发布统计（XLSX）" in page and "12 行" in page


def test_apps_in_the_offices_order(client, superuser):
    client.force_login(superuser)
    apps = [app["app_label"] for app in client.get(reverse("admin:index")).context["app_list"]]
    assert apps[:4] == ["news", "gallery", "achievements", "union_site"]
