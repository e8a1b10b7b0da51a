"""导出所选: the admin lists' Excel/CSV actions give what the list shows, to those allowed to export (issue #6)."""

import csv
import html
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from openpyxl import load_workbook

from achievements.models import Metric, Period, Section
from gallery.models import Album, Photo
from news.models import Article
from tests.factories import make_photo
from union_site.models import ExportLog

pytestmark = pytest.mark.django_db

ARTICLES = reverse("admin:news_article_changelist")
METRICS = reverse("admin:achievements_metric_changelist")
ALBUMS = reverse("admin:gallery_album_changelist")
PHOTOS = reverse("admin:gallery_photo_changelist")
HEADER_ROW = 3  # union_site/reports/writers.py _write_sheet: title, provenance, then the header; data from row 4


def export(client, url, objects, action="export_selected_xlsx"):
    return client.post(url, {"action": action, "index": 0, "_selected_action": [obj.pk for obj in objects]})


def visible_headers(client, url):
    """The column titles of the change list as the user sees them (the checkbox column has no text)."""
    page = client.get(url).content.decode()
    texts = (html.unescape(strip_tags(cell)).strip() for cell in re.findall(r'<div class="text">(.*?)</div>', page))
    return [text for text in texts if text]


def xlsx_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=HEADER_ROW))
    return [cell.value for cell in rows[0]], rows[1:]


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def by_first_text(rows, column):
    return {row[column].value: row for row in rows}


@pytest.fixture
def articles(make_article, editor):
    pinned = make_article(title="职工书屋建设推进会召开", is_pinned=True, view_count=1234)
    Article.objects.filter(pk=pinned.pk).update(updated_by=editor)
    draft = make_article(title="草稿一篇", status=Article.Status.DRAFT, view_count=0)
    return [pinned, draft]


@pytest.fixture
def metric(db):
    period = Period.objects.create(name="第六次代表大会以来", start_year=2018, end_year=2023)
    section = Section.objects.create(period=period, title="职工维权服务工作 实绩突出", order=1)
    metric = Metric.objects.create(
        section=section,
        label="法律援助站点",
        value=Decimal("134.5"),
        unit="处",
        qualifier=Metric.Qualifier.MORE,
        scope=Metric.Scope.TOTAL,
        is_highlight=True,
    )
    Metric.objects.filter(pk=metric.pk).update(verified_on=date(2024, 3, 1))
    return metric


@pytest.fixture
def album(db):
    album = Album.objects.create(title="劳动模范表彰大会", event_on=date(2024, 4, 28), is_published=True)
    for i in range(3):
        make_photo(album, caption=f"第{i + 1}张", credit="宣传部")
    return album


# What the file contains -----------------------------------------------------------------------------------------


def test_reporter_gets_the_article_list_columns_as_xlsx(client, reporter, articles, editor):
    client.force_login(reporter)
    response = export(client, ARTICLES, articles)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    headers, rows = xlsx_rows(response)
    assert headers == visible_headers(client, ARTICLES)
    assert headers == ["标题", "栏目", "状态", "发布时间", "置顶", "头条", "阅读数", "最后修改人", "来稿单位 · 采用"]
    assert len(rows) == 2
    pinned, draft = articles
    row = by_first_text(rows, 0)[pinned.title]
    values = [cell.value for cell in row]
    assert values[1:3] == ["测试栏目", "已发布"]
    local = timezone.localtime(pinned.publish_at).replace(tzinfo=None)
    assert abs(values[3] - local) < timedelta(seconds=1)  # a real date, in Beijing time
    assert values[4:6] == ["是", "否"]
    assert values[6] == 1234 and row[6].data_type == "n"
    assert values[7] == editor.username
    draft_row = [cell.value for cell in by_first_text(rows, 0)[draft.title]]
    assert draft_row[2] == "草稿"
    assert draft_row[6] == 0
    assert draft_row[7] is None  # nobody: empty, not "None" or the list's "-"


def test_html_columns_export_their_text(client, reporter, make_article):
    later = timezone.now() + timedelta(days=2)
    scheduled = make_article(title="定时稿", publish_at=later)
    client.force_login(reporter)
    headers, rows = xlsx_rows(export(client, ARTICLES, [scheduled]))
    state = rows[0][headers.index("状态")].value
    assert state == f"定时发布 {timezone.localtime(later):%Y-%m-%d %H:%M}"  # format_html's <strong> is gone
    assert "<" not in state


def test_metric_columns_keep_numbers_choices_and_booleans(client, reporter, metric):
    client.force_login(reporter)
    headers, rows = xlsx_rows(export(client, METRICS, [metric]))
    assert headers == visible_headers(client, METRICS)
    cells = dict(zip(headers, rows[0], strict=True))
    assert cells["数值"].value == Decimal("134.5") or cells["数值"].value == 134.5
    assert cells["数值"].data_type == "n"
    assert cells["修饰"].value == "余（多于）"
    assert cells["口径"].value == "现有总数（期末）"
    assert cells["板块"].value == "职工维权服务工作 实绩突出"
    assert cells["首页重点展示"].value == "是"
    assert cells["核实"].value == "是"  # a boolean=True admin method
    assert cells["显示为"].value == metric.display_value()
    assert cells["最后修改人"].value is None


def test_album_and_photo_lists_export_counts_dates_and_captions(client, reporter, album):
    client.force_login(reporter)
    hidden = Album.objects.create(title="未公开相册", is_published=False)
    headers, rows = xlsx_rows(export(client, ALBUMS, [album, hidden]))
    assert headers == visible_headers(client, ALBUMS)
    cells = dict(zip(headers, by_first_text(rows, 0)[album.title], strict=True))
    assert cells["照片数"].value == 3 and cells["照片数"].data_type == "n"  # the changelist's annotation
    assert cells["活动日期"].value.date() == date(2024, 4, 28)
    assert cells["在网站显示"].value == "是"
    cells = dict(zip(headers, by_first_text(rows, 0)[hidden.title], strict=True))
    assert cells["照片数"].value == 0
    assert cells["活动日期"].value is None
    assert cells["在网站显示"].value == "否"

    photos = list(album.photos.all())
    headers, rows = xlsx_rows(export(client, PHOTOS, photos))
    assert headers == visible_headers(client, PHOTOS)
    assert headers[0] == "预览"
    assert [row[0].value for row in rows] == [None] * 3  # a thumbnail has no text: the column stays, empty
    assert sorted(row[1].value for row in rows) == ["第1张", "第2张", "第3张"]
    assert {row[2].value for row in rows} == {album.title}


def test_csv_is_utf8_with_bom_and_chinese_headers(client, reporter, articles):
    client.force_login(reporter)
    rows = csv_rows(export(client, ARTICLES, articles, "export_selected_csv"))
    headers = visible_headers(client, ARTICLES)
    start = rows.index(headers)
    assert rows[0] == ["报表", "文章（所选 2 条）"]
    data = {row[0]: row for row in rows[start + 1 :]}
    assert set(data) == {"职工书屋建设推进会召开", "草稿一篇"}
    assert data["职工书屋建设推进会召开"][4] == "是"
    assert data["职工书屋建设推进会召开"][6] == "1234"


def test_formula_like_titles_are_inert(client, reporter, make_article):
    evil = make_article(title='=HYPERLINK("http://evil")')
    client.force_login(reporter)
    headers, rows = xlsx_rows(export(client, ARTICLES, [evil]))
    cell = rows[0][0]
    assert cell.value == '=HYPERLINK("http://evil")'
    assert cell.data_type == "s"
    rows = csv_rows(export(client, ARTICLES, [evil], "export_selected_csv"))
    assert rows[-1][0] == '\'=HYPERLINK("http://evil")'


def test_control_characters_in_a_caption_do_not_break_the_export(client, reporter, album):
    photo = album.photos.first()
    Photo.objects.filter(pk=photo.pk).update(caption="职工\x0b合影\x0c")  # saved past the model's own cleaning
    client.force_login(reporter)
    headers, rows = xlsx_rows(export(client, PHOTOS, [photo]))
    assert rows[0][headers.index("图片说明")].value == "职工合影"
    rows = csv_rows(export(client, PHOTOS, [photo], "export_selected_csv"))
    assert rows[-1][1] == "职工合影"


# Who may export ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [ARTICLES, METRICS, ALBUMS, PHOTOS])
def test_actions_are_offered_to_reporters_and_reviewers_only(
    client, reporter, reviewer, editor, url, articles, metric, album
):
    # (the action bar only appears on a list with records)
    for user, offered in [(reporter, True), (reviewer, True), (editor, False)]:
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        content = page.content.decode()
        assert ("导出所选（Excel）" in content) is offered, user
        assert ("导出所选（CSV）" in content) is offered, user
        assert ('value="export_selected_csv"' in content) is offered, user


def test_workflow_actions_stay_next_to_the_export_actions(client, reviewer, articles, metric):
    client.force_login(reviewer)
    content = client.get(ARTICLES).content.decode()
    for action in ["submit_for_review", "publish_now", "withdraw", "pin", "unpin", "export_selected_xlsx"]:
        assert f'value="{action}"' in content
    assert 'value="mark_verified"' in client.get(METRICS).content.decode()


@pytest.mark.parametrize("action", ["export_selected_xlsx", "export_selected_csv"])
def test_a_forged_post_by_an_editor_exports_nothing(client, editor, articles, action):
    client.force_login(editor)
    response = export(client, ARTICLES, articles, action)
    assert "Content-Disposition" not in response
    assert response.status_code == 302
    with translation.override("zh-hans"):
        from django.utils.translation import gettext

        no_action = gettext("No action selected.")
    assert no_action in client.get(response.url).content.decode()
    assert not ExportLog.objects.exists()


def test_a_forged_post_on_a_list_without_editor_actions_exports_nothing(client, editor, metric):
    client.force_login(editor)
    response = export(client, METRICS, [metric])
    assert "Content-Disposition" not in response
    assert not ExportLog.objects.exists()


# The record and the memory --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "fmt"), [("export_selected_xlsx", "xlsx"), ("export_selected_csv", "csv")])
def test_each_export_is_logged(client, reporter, articles, action, fmt):
    client.force_login(reporter)
    response = export(client, ARTICLES, articles, action)
    b"".join(response.streaming_content)  # CSV records its row count once the last row is written
    log = ExportLog.objects.get()
    assert log.channel == ExportLog.Channel.ACTION
    assert log.user == reporter and log.username == reporter.username
    assert log.format == fmt
    assert log.report == "文章（所选 2 条）"
    assert log.row_count == 2
    assert log.filters == {"ids": [a.pk for a in Article.objects.order_by("-publish_at", "-id")], "count": 2}
    assert log.filename.endswith(f".{fmt}") and "文章" in log.filename


def test_select_across_exports_every_filtered_record(client, reporter, make_article):
    made = [make_article() for _ in range(5)]
    client.force_login(reporter)
    response = client.post(
        ARTICLES, {"action": "export_selected_xlsx", "index": 0, "select_across": 1, "_selected_action": [made[0].pk]}
    )
    _, rows = xlsx_rows(response)
    assert len(rows) == 5
    assert ExportLog.objects.get().filters["count"] == 5


def test_rows_are_read_in_chunks(client, reporter, make_article, monkeypatch):
    made = [make_article() for _ in range(7)]
    calls = []
    original = QuerySet.iterator

    def spy(self, chunk_size=None):
        calls.append(chunk_size)
        return original(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    client.force_login(reporter)
    rows = csv_rows(export(client, ARTICLES, made, "export_selected_csv"))
    assert len(rows) - rows.index(visible_headers(client, ARTICLES)) - 1 == 7
    assert calls and all(calls)


@pytest.mark.parametrize("url", [ARTICLES, METRICS, ALBUMS, PHOTOS])
def test_export_queries_do_not_grow_with_the_rows(client, reporter, make_article, url):
    period = Period.objects.create(name="测试时期", start_year=2018, end_year=2023)
    section = Section.objects.create(period=period, title="测试板块")
    model = {ARTICLES: Article, METRICS: Metric, ALBUMS: Album, PHOTOS: Photo}[url]

    def make(n):
        for _ in range(n):
            i = model.objects.count()
            make_article(updated_by=reporter)
            Metric.objects.create(section=section, label=f"指标{i}", value=i, unit="个", updated_by=reporter)
            album = Album.objects.create(title=f"相册{i}")
            make_photo(album, caption=f"图{i}")

    def queries():
        selected = list(model.objects.all())
        with CaptureQueriesContext(connection) as context:
            rows = csv_rows(export(client, url, selected, "export_selected_csv"))
        assert len(rows) - rows.index(visible_headers(client, url)) - 1 == len(selected)
        return len(context)

    client.force_login(reporter)
    make(3)
    few = queries()
    make(30)
    assert queries() == few
