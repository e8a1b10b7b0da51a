"""网站年度工作报表: the site's particulars, the year's articles per column and in total, albums, photos, figures and
columns, counted in Beijing calendar years; listed in 报表中心 and written as Excel."""

import io
from datetime import UTC, date, datetime
from io import StringIO
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from achievements.models import Metric, Period, Section
from gallery.models import Album, Photo
from news.models import Article, Column
from tests.factories import data_rows, xlsx_workbook
from union_site.models import SiteSettings
from union_site.reports import annual

pytestmark = pytest.mark.django_db

YEAR = 2025


def at(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def year_of_work(make_article):
    SiteSettings.objects.create(
        domain="www.bzzgh.gov.cn", site_code="3716000001", sponsor="滨州市总工会", icp_number="鲁ICP备12345678号-1"
    )
    news = Column.objects.create(name="工会要闻", slug="news", order=1)
    notices = Column.objects.create(name="通知公告", slug="notices", kind=Column.Kind.NOTICE, order=2)
    Column.objects.create(name="劳模风采", slug="models", order=3, is_in_nav=False)
    for month in (1, 5, 9):
        make_article(column=news, publish_at=at(YEAR, month, 10, 2))
    make_article(column=news, publish_at=at(YEAR - 1, 12, 31, 16, 30))  # 2025-01-01 00:30 in Beijing: counts
    make_article(column=news, publish_at=at(YEAR, 12, 31, 16, 30))  # 2026-01-01 00:30 in Beijing: does not
    make_article(column=notices, publish_at=at(YEAR, 3, 1, 1))
    make_article(column=notices, publish_at=at(YEAR, 3, 2, 1), status=Article.Status.DRAFT)
    make_article(column=notices, publish_at=at(YEAR - 1, 6, 1, 1))

    in_year, before = at(YEAR, 4, 1, 2), at(YEAR - 1, 4, 1, 2)
    dated = Album.objects.create(title="活动日期在本年", event_on=date(YEAR, 5, 1), is_published=True)
    made = Album.objects.create(title="本年新建", is_published=True)
    old = Album.objects.create(title="往年的相册", event_on=date(YEAR - 1, 5, 1), is_published=True)
    hidden = Album.objects.create(title="未显示的相册", event_on=date(YEAR, 5, 1))
    Album.objects.filter(pk__in=[made.pk]).update(created_at=in_year)
    Album.objects.filter(pk__in=[dated.pk, old.pk, hidden.pk]).update(created_at=before)
    photos = [
        Photo(album=dated, image="photos/a/1.jpg", width=60, height=40),  # uploaded in the year
        Photo(album=dated, image="photos/a/2.jpg", width=60, height=40),
        Photo(album=old, image="photos/a/3.jpg", width=60, height=40),  # uploaded the year before
        Photo(album=made, image="photos/a/4.jpg", width=60, height=40),  # no upload time: its album's, in the year
        Photo(album=hidden, image="photos/a/5.jpg", width=60, height=40),  # album not shown
    ]
    Photo.objects.bulk_create(photos)
    Photo.objects.filter(image__in=["photos/a/1.jpg", "photos/a/2.jpg", "photos/a/5.jpg"]).update(created_at=in_year)
    Photo.objects.filter(image="photos/a/3.jpg").update(created_at=before)
    Photo.objects.filter(image="photos/a/4.jpg").update(created_at=None)

    shown = Section.objects.create(
        period=Period.objects.create(name="五年", start_year=2018, end_year=2023), title="甲"
    )
    draft = Section.objects.create(
        period=Period.objects.create(name="草稿时期", start_year=2023, end_year=2028, is_published=False), title="乙"
    )
    for n, (section, updated_at) in enumerate(
        [(shown, in_year), (shown, in_year), (shown, before), (draft, in_year)], start=1
    ):
        metric = Metric.objects.create(section=section, label=f"指标{n}", value=n, unit="个")
        Metric.objects.filter(pk=metric.pk).update(updated_at=updated_at)


def test_the_report_counts_the_year(year_of_work):
    book = xlsx_workbook(annual.document(YEAR))
    assert book.sheetnames == ["基本信息", "信息发布", "互动交流", "其他"]

    basic = dict((label, value) for label, value in data_rows(book["基本信息"]))
    assert basic["网站名称"] == "滨州市总工会"
    assert basic["网站域名"] == "www.bzzgh.gov.cn"
    assert basic["网站标识码"] == "3716000001"
    assert basic["主办单位"] == "滨州市总工会"
    assert basic["ICP备案号"] == "鲁ICP备12345678号-1"
    assert basic["公安机关备案号"] == "（未填写）"

    assert [cell.value for cell in book["信息发布"][3]] == ["栏目", "栏目类型", "发布数"]
    assert data_rows(book["信息发布"]) == [
        ["工会要闻", "新闻动态", 4],
        ["通知公告", "通知公告", 1],
        ["劳模风采", "新闻动态", 0],
        ["测试栏目", "新闻动态", 0],  # make_article's column: every column is listed, zeros included
        ["合计", None, 5],
    ]

    other = {row[0]: row[1] for row in data_rows(book["其他"])}
    assert other == {"相册数": 2, "照片数": 3, "数说五年数据更新": 2, "栏目数": 4}
    # 工会要闻 and 通知公告: 劳模风采 is not ticked for it, 测试栏目 has no public article (Column.objects.in_nav)
    assert "其中 2 个显示在导航栏" in data_rows(book["其他"])[-1][2]


def test_an_empty_site_reports_zeros_and_says_what_is_not_filled_in(db):
    book = xlsx_workbook(annual.document(YEAR))
    basic = dict((label, value) for label, value in data_rows(book["基本信息"]))
    assert basic["网站名称"] == basic["主办单位"] == "滨州市总工会"
    assert basic["网站标识码"] == basic["ICP备案号"] == "（未填写）"
    assert data_rows(book["信息发布"]) == [["合计", None, 0]]
    assert {row[0]: row[1] for row in data_rows(book["其他"])} == {
        "相册数": 0,
        "照片数": 0,
        "数说五年数据更新": 0,
        "栏目数": 0,
    }


def test_the_report_center_lists_it_and_downloads_it(client, reporter, year_of_work):
    client.force_login(reporter)
    page = client.get(reverse("reports:center")).content.decode()
    assert "网站年度工作报表" in page and 'name="year"' in page
    response = client.get(reverse("reports:download", args=["annual"]), {"format": "xlsx", "year": YEAR})
    assert response.status_code == 200
    filename = f"滨州市总工会_{YEAR}年度报表_{timezone.localdate():%Y-%m-%d}.xlsx"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert data_rows(book["信息发布"])[-1] == ["合计", None, 5]
    assert "年度：2025年" in book["其他"]["A2"].value


@pytest.mark.parametrize("year", ["1999", str(timezone.localdate().year + 1), "明年"])
def test_a_year_out_of_range_is_refused(client, reporter, year):
    client.force_login(reporter)
    response = client.get(reverse("reports:download", args=["annual"]), {"format": "xlsx", "year": year})
    assert response.status_code == 400
    assert "网站年度工作报表" in response.content.decode()


def test_no_year_means_this_year(client, reporter, make_article):
    make_article()
    client.force_login(reporter)
    response = client.get(reverse("reports:download", args=["annual"]), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert f"年度：{timezone.localdate().year}年" in text
    assert "合计,,1" in text


def test_the_command_writes_it(tmp_path, year_of_work):
    out = StringIO()
    call_command("export_report", "annual", "--year", str(YEAR), "-o", str(tmp_path / "年度.xlsx"), stdout=out)
    assert "网站年度工作报表" in out.getvalue()
    book = load_workbook(tmp_path / "年度.xlsx")
    assert data_rows(book["信息发布"])[-1] == ["合计", None, 5]
