"""新闻发布统计 as a person opens it in Excel: months in Beijing time, only what was really published, every column
listed, a 合计 row, the 20 most read, review days, the filter form's defaults and errors, and a flat query count."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from news import exports as news_exports
from news.models import Article, Column
from tests.factories import xlsx_workbook
from union_site.reports import writers as exports

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")
Status = Article.Status
YEAR_2025 = {"date_from": date(2025, 1, 1), "date_to": date(2025, 12, 31)}
SHEETS = ["各栏目逐月发布数", "按作者", "按状态", "阅读量前 20 篇", "审核用时"]


def beijing(*args):
    return datetime(*args, tzinfo=BEIJING)


def sheets(document):
    """{sheet name: (header, data rows)} read back from the XLSX the writer makes."""
    result = {}
    for sheet in xlsx_workbook(document).worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        result[sheet.title] = (list(rows[2]), [list(row) for row in rows[3:]])
    return result


def by_first_cell(rows):
    return {row[0]: row[1:] for row in rows}


@pytest.fixture
def columns(column):
    """Three columns in site order (the fixture's 测试栏目 has order 99, so it comes last)."""
    return [
        Column.objects.create(name="工会要闻", slug="news", order=1),
        Column.objects.create(name="通知公告", slug="notices", order=2),
        column,
    ]


def test_workbook_has_one_sheet_per_table_with_headers(columns):
    book = sheets(news_exports.document(**YEAR_2025))
    assert list(book) == SHEETS
    months = [f"2025-{m:02d}" for m in range(1, 13)]
    assert book["各栏目逐月发布数"][0] == ["栏目", *months, "合计"]
    assert book["按作者"][0] == ["作者", "发布数", "阅读量合计"]
    assert book["按状态"][0] == ["状态", "稿件数"]
    assert book["阅读量前 20 篇"][0] == ["排名", "标题", "栏目", "发布时间", "阅读数"]
    assert book["审核用时"][0] == ["栏目", "已发布篇数", "平均用时", "最长"]


def test_months_follow_beijing_time_and_every_column_is_listed_with_a_total_row(columns, make_article):
    news, notices, other = columns
    make_article(column=news, publish_at=beijing(2025, 2, 1, 0, 30))  # 2025-01-31 16:30 UTC: still February
    make_article(column=news, publish_at=beijing(2025, 1, 31, 23, 59))
    make_article(column=notices, publish_at=beijing(2025, 2, 14, 9, 0))
    make_article(column=notices, publish_at=beijing(2024, 12, 31, 23, 59))  # before the range
    make_article(column=notices, publish_at=beijing(2026, 1, 1, 0, 0))  # after it
    header, rows = sheets(news_exports.document(**YEAR_2025))["各栏目逐月发布数"]
    table = by_first_cell(rows)
    assert [row[0] for row in rows] == ["工会要闻", "通知公告", "测试栏目", "合计"]
    jan, feb = header.index("2025-01") - 1, header.index("2025-02") - 1
    assert table["工会要闻"][jan] == 1 and table["工会要闻"][feb] == 1 and table["工会要闻"][-1] == 2
    assert table["通知公告"][feb] == 1 and table["通知公告"][-1] == 1
    assert table["测试栏目"] == [0] * 13  # a column with nothing still appears, with zeros
    assert table["合计"][jan] == 1 and table["合计"][feb] == 2 and table["合计"][-1] == 3
    assert all(isinstance(value, int) for value in table["合计"])
    assert news_exports.published_counts_by_column(**YEAR_2025) == [(news, 2), (notices, 1), (other, 0)]


def test_drafts_reviews_archived_and_scheduled_articles_are_not_counted(columns, make_article):
    news = columns[0]
    today = timezone.localdate()
    make_article(column=news)  # published a minute ago: counted
    make_article(column=news, status=Status.DRAFT)
    make_article(column=news, status=Status.REVIEW)
    make_article(column=news, status=Status.ARCHIVED)
    make_article(column=news, publish_at=timezone.now() + timedelta(hours=1))  # scheduled, time not come
    period = {"date_from": today - timedelta(days=1), "date_to": today + timedelta(days=30)}
    document = news_exports.document(**period)
    table = by_first_cell(sheets(document)["各栏目逐月发布数"][1])
    assert table["工会要闻"][-1] == 1 and table["合计"][-1] == 1
    assert dict(news_exports.published_counts_by_column(**period))[news] == 1


def test_status_table_lists_every_status_for_articles_created_in_the_range(columns, make_article):
    today = timezone.localdate()
    make_article(status=Status.DRAFT)
    make_article(status=Status.DRAFT)
    make_article(status=Status.REVIEW)
    make_article(status=Status.PUBLISHED)
    old = make_article(status=Status.PUBLISHED)
    Article.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    _, rows = sheets(news_exports.document(date_from=today, date_to=today))["按状态"]
    assert rows == [["草稿", 2], ["待审核", 1], ["已发布", 1], ["已归档", 0], ["合计", 4]]


def test_authors_count_their_published_articles_and_views(columns, make_article):
    wang = User.objects.create_user("wangfang", first_name="王芳")
    li = User.objects.create_user("lisi")
    make_article(created_by=wang, view_count=10, publish_at=beijing(2025, 3, 1, 9))
    make_article(created_by=wang, view_count=5, publish_at=beijing(2025, 3, 2, 9))
    make_article(created_by=wang, status=Status.DRAFT, publish_at=beijing(2025, 3, 2, 9))
    make_article(created_by=li, view_count=100, publish_at=beijing(2025, 4, 1, 9))
    make_article(view_count=1, publish_at=beijing(2025, 4, 1, 9))
    _, rows = sheets(news_exports.document(**YEAR_2025))["按作者"]
    assert rows == [["王芳", 2, 15], ["lisi", 1, 100], ["（未记录）", 1, 1]]


def test_top_articles_are_the_20_most_read_newest_first_on_a_tie(columns, make_article):
    for n in range(25):
        make_article(title=f"文章{n:02d}", view_count=n, publish_at=beijing(2025, 5, 1, 8) + timedelta(hours=n))
    make_article(title="同样多但更早", view_count=24, publish_at=beijing(2025, 1, 1, 8))
    make_article(title="草稿读得再多也不算", view_count=9999, status=Status.DRAFT, publish_at=beijing(2025, 5, 1, 8))
    _, rows = sheets(news_exports.document(**YEAR_2025))["阅读量前 20 篇"]
    assert len(rows) == 20
    assert [row[0] for row in rows] == list(range(1, 21))
    assert [row[1] for row in rows[:3]] == ["文章24", "同样多但更早", "文章23"]
    assert rows[0][2] == "测试栏目"
    assert rows[0][3] == datetime(2025, 5, 2, 8, 0)  # Beijing wall-clock time, as the site shows it
    assert [row[4] for row in rows] == sorted((row[4] for row in rows), reverse=True)


def test_review_days_average_and_longest_per_column_and_overall(columns, make_article):
    news, notices, _ = columns
    submitted = beijing(2025, 3, 1, 10)
    make_article(column=news, submitted_at=submitted, publish_at=submitted + timedelta(days=2))
    make_article(column=news, submitted_at=submitted, publish_at=submitted + timedelta(days=1, hours=12))
    make_article(column=notices, submitted_at=submitted, publish_at=submitted + timedelta(hours=6))
    make_article(column=notices, publish_at=submitted)  # never submitted: not counted
    make_article(column=notices, submitted_at=submitted, publish_at=submitted - timedelta(days=1))  # back-dated
    _, rows = sheets(news_exports.document(**YEAR_2025))["审核用时"]
    table = by_first_cell(rows)
    assert table["工会要闻"] == [2, "1.8 天", "2.0 天"]  # (2 + 1.5) / 2 = 1.75
    assert table["通知公告"] == [1, "6 小时", "6 小时"]  # under a day: hours, not 0.3 天
    assert table["测试栏目"] == [0, None, None]
    assert table["合计"] == [3, "1.3 天", "2.0 天"]  # 3.75 / 3 = 1.25


def test_a_review_of_minutes_is_not_zero_days(columns, make_article):
    submitted = beijing(2025, 3, 1, 10)
    make_article(column=columns[0], submitted_at=submitted, publish_at=submitted + timedelta(minutes=3))
    make_article(column=columns[0], submitted_at=submitted, publish_at=submitted + timedelta(hours=1, minutes=33))
    _, rows = sheets(news_exports.document(**YEAR_2025))["审核用时"]
    assert by_first_cell(rows)["工会要闻"] == [2, "48 分钟", "1 小时 33 分钟"]


def test_csv_carries_provenance_and_the_same_numbers(columns, make_article):
    make_article(column=columns[0], publish_at=beijing(2025, 7, 1, 9))
    document = news_exports.document(**YEAR_2025)
    document.generated_by = "审核员（reviewer1）"
    rows = list(csv.reader(io.StringIO(b"".join(exports.iter_csv(document)).decode("utf-8-sig"))))
    assert ["报表", "新闻发布统计"] in rows
    assert ["筛选条件", "时间范围：2025-01-01 至 2025-12-31"] in rows
    assert ["生成人", "审核员（reviewer1）"] in rows
    for title in SHEETS:
        assert [title] in rows
    assert ["工会要闻", "0", "0", "0", "0", "0", "0", "1", "0", "0", "0", "0", "0", "1"] in rows
    assert document.filename("csv").endswith("_新闻统计_" + f"{timezone.localdate():%Y-%m-%d}.csv")


def test_form_defaults_to_this_year_until_today():
    today = timezone.localdate()
    form = news_exports.Form()
    assert form["date_from"].value() == date(today.year, 1, 1)
    assert form["date_to"].value() == today
    assert f'value="{today:%Y-%m-%d}"' in str(form["date_to"])
    bound = news_exports.Form({})
    assert bound.is_valid()
    assert bound.cleaned_data == {"date_from": date(today.year, 1, 1), "date_to": today}


def test_form_with_only_one_date_fills_the_other():
    only_to = news_exports.Form({"date_to": "2024-06-30"})
    assert only_to.is_valid()
    assert only_to.cleaned_data == {"date_from": date(2024, 1, 1), "date_to": date(2024, 6, 30)}
    only_from = news_exports.Form({"date_from": "2025-03-01"})
    assert only_from.is_valid()
    assert only_from.cleaned_data == {"date_from": date(2025, 3, 1), "date_to": timezone.localdate()}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"date_from": "2025-03-01", "date_to": "2025-02-28"}, "结束日期不能早于开始日期。"),
        ({"date_from": "2014-01-01", "date_to": "2024-01-01"}, "时间范围不能超过 10 年，请缩小范围。"),
        ({"date_from": "2025-02-30", "date_to": "2025-03-01"}, None),
    ],
)
def test_form_errors_are_in_chinese(data, error):
    form = news_exports.Form(data)
    assert not form.is_valid()
    if error:
        assert form.errors["date_to"] == [error]
    else:
        assert "date_from" in form.errors and "date_to" not in form.errors


def test_ten_years_exactly_is_allowed():
    assert news_exports.Form({"date_from": "2014-01-01", "date_to": "2023-12-31"}).is_valid()


def test_pdf_of_a_year_is_written(columns, make_article):
    make_article(column=columns[0], publish_at=beijing(2025, 7, 1, 9))
    buffer = io.BytesIO()
    assert exports.write_pdf(news_exports.document(**YEAR_2025), buffer) > 0
    assert buffer.getvalue().startswith(b"%PDF")


def test_query_count_is_flat_from_3_to_30_articles(columns, make_article, django_assert_max_num_queries):
    users = [User.objects.create_user(f"author{i}") for i in range(3)]
    submitted = beijing(2025, 6, 1, 8)

    def add(n):
        for i in range(n):
            make_article(
                column=columns[i % 3],
                created_by=users[i % 3],
                view_count=i,
                submitted_at=submitted,
                publish_at=submitted + timedelta(days=i % 40, hours=i),
            )

    add(3)
    with django_assert_max_num_queries(12) as small:
        sheets(news_exports.document(**YEAR_2025))
    add(27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        book = sheets(news_exports.document(**YEAR_2025))
    assert by_first_cell(book["各栏目逐月发布数"][1])["合计"][-1] == 30
