"""网站巡检, 栏目更新 and 首页更新: each column against its 更新周期, the national 单项否决 thresholds (5 columns not
updated, 10 long overdue, 5 blank) and the home page's 2 weeks, on a frozen clock."""

import importlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from news.models import Article, Column
from union_site.inspection.findings import NOTICE, SERIOUS, VETO
from union_site.inspection.report import inspect_site

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def frozen(monkeypatch):
    """The clock stands at NOW (every timezone.now(), so published() and localdate() too)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def make_column(db):
    counter = iter(range(1, 1000))

    def make(update_days=14, **fields):
        n = next(counter)
        return Column.objects.create(name=f"栏目{n}", slug=f"column-{n}", update_days=update_days, **fields)

    return make


def publish(column, at, **fields):
    return Article.objects.create(
        column=column, title=f"{column.name}的文章", status=Article.Status.PUBLISHED, publish_at=at, **fields
    )


def section(report, key):
    return next(s for s in report.sections if s.key == key)


def vetoes(report, key="columns"):
    return [f for f in section(report, key).findings if f.severity == VETO]


def test_a_column_is_overdue_a_moment_after_its_period_not_before(frozen, make_column):
    on_time = make_column(update_days=14)
    publish(on_time, NOW - timedelta(days=14) + timedelta(minutes=1))
    late = make_column(update_days=14)
    publish(late, NOW - timedelta(days=14, minutes=1))
    notices = make_column(update_days=180)
    publish(notices, NOW - timedelta(days=100))  # 6 months for 通知公告: not late

    report = inspect_site()
    states = {state.column: state for state in report.columns}
    assert [states[c].status for c in (on_time, late, notices)] == ["按时更新", "超期未更新", "按时更新"]
    found = section(report, "columns").findings
    assert [f.where for f in found] == [f"栏目“{late.name}”"]
    assert found[0].severity == SERIOUS and "已 14 天（更新周期 14 天）" in found[0].what
    assert found[0].url == late.get_absolute_url() and f"column__id__exact={late.pk}" in found[0].fix_url


def test_only_public_articles_count(frozen, make_column):
    column = make_column()
    publish(column, NOW - timedelta(days=30))
    publish(column, NOW + timedelta(days=1))  # scheduled
    publish(column, NOW - timedelta(days=1), unpublish_at=NOW - timedelta(hours=1))  # withdrawn
    Article.objects.create(column=column, title="草稿", publish_at=NOW - timedelta(hours=2))
    (state,) = inspect_site().columns
    assert state.last_published == NOW - timedelta(days=30) and state.is_overdue


def test_four_overdue_columns_are_serious_the_fifth_is_a_veto(frozen, make_column):
    overdue = [make_column(update_days=14) for _ in range(4)]
    for column in overdue:
        publish(column, NOW - timedelta(days=20))
    report = inspect_site()
    assert vetoes(report) == [] and section(report, "columns").count(SERIOUS) == 4

    fifth = make_column(update_days=180)
    publish(fifth, NOW - timedelta(days=200))
    report = inspect_site()
    (veto,) = vetoes(report)
    assert "累计 5 个" in veto.what and fifth.name in veto.what and report.has_veto


def test_an_empty_column_with_a_period_counts_as_not_updated_too(frozen, make_column):
    for _ in range(3):
        publish(make_column(), NOW - timedelta(days=20))
    make_column(), make_column()  # blank: not updated within their 2 weeks either
    (veto,) = vetoes(inspect_site())
    assert "累计 5 个" in veto.what


def test_five_blank_columns_are_a_veto_exempt_ones_included(frozen, make_column):
    for _ in range(4):
        make_column(update_days=None)
    report = inspect_site()
    assert vetoes(report) == []
    assert [f.what for f in section(report, "columns").findings] == ["空白栏目：栏目里没有一篇公开的文章。"] * 4

    make_column(update_days=None)
    (veto,) = vetoes(inspect_site())
    assert veto.what.startswith("空白栏目 5 个")


def test_ten_long_overdue_columns_are_a_veto_whatever_their_period(frozen, make_column):
    for _ in range(10):
        publish(make_column(update_days=365), NOW - timedelta(days=400))
    found = [f.what for f in vetoes(inspect_site())]
    assert found == ["栏目不更新：应更新但长期未更新的栏目 10 个（达到 10 个即单项否决）。"]  # not the 5 of rule 1


def test_an_exempt_column_is_never_overdue(frozen, make_column):
    archive = make_column(update_days=None)
    publish(archive, NOW - timedelta(days=3000))
    (state,) = inspect_site().columns
    assert state.status == "不查更新" and not state.is_overdue
    assert section(inspect_site(), "columns").findings == []


def test_the_home_page_two_weeks(frozen, make_column):
    column = make_column(update_days=None)
    home = section(inspect_site(), "home").findings
    assert [f.severity for f in home] == [VETO] and "还没有一篇公开的文章" in home[0].what

    article = publish(column, NOW - timedelta(days=3))
    assert section(inspect_site(), "home").findings == []
    Article.objects.filter(pk=article.pk).update(publish_at=NOW - timedelta(days=8))
    assert [f.severity for f in section(inspect_site(), "home").findings] == [NOTICE]
    Article.objects.filter(pk=article.pk).update(publish_at=NOW - timedelta(days=14, minutes=1))
    (finding,) = section(inspect_site(), "home").findings
    assert finding.severity == VETO and "已 14 天没有新信息" in finding.what and finding.url == "/"


def test_the_period_is_edited_with_the_column(client, superuser, make_column):
    column = make_column()
    client.force_login(superuser)
    page = client.get(f"/admin/news/column/{column.pk}/change/").content.decode()
    assert 'name="update_days"' in page and "更新周期（天）" in page
    assert 'name="form-0-update_days"' in client.get("/admin/news/column/").content.decode()  # list_editable


@pytest.mark.parametrize(
    "slug, name, kind, expected",
    [
        ("news", "工会要闻", "list", 14),
        ("photos", "图片新闻", "photo", 14),
        ("notices", "通知公告", "notice", 180),
        ("policies", "政策文件", "notice", 180),
        ("rules", "规章制度文件", "list", 180),
        ("special-2025", "专题：职工运动会", "list", None),
        ("archive", "往期回顾", "list", None),
    ],
)
def test_the_migration_gives_existing_columns_their_period(slug, name, kind, expected):
    migration = importlib.import_module("news.migrations.0013_column_update_days")
    assert migration.update_days_for(Column(slug=slug, name=name, kind=kind)) == expected
