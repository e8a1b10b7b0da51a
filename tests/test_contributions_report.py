"""信息采用情况通报 in 报表中心: per unit type, each unit's 报送 and 采用 per channel in the month, weighted by the
分值 of 网站设置, ranked with ties as 并列, then the 零报送 units; in Excel, CSV and PDF, laid out as a 通报."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from news.models import Article
from tests.factories import xlsx_workbook
from union_site.contributions import report
from union_site.contributions.models import Unit
from union_site.models import SiteSettings

pytestmark = pytest.mark.django_db
COUNTY, INDUSTRY = Unit.Type.COUNTY, Unit.Type.INDUSTRY


def at(*args):
    return datetime(*args, tzinfo=UTC) - timedelta(hours=8)  # Beijing wall time


@pytest.fixture
def march(make_article):
    """March 2026: 滨城区 2 sent, 1 adopted on 官网 and 公众号 (2 points); 沾化区 1 sent, adopted on 官网 and 公众号
    (2 points); 邹平市 1 sent, nothing adopted; 惠民县 nothing (and an item of February); 教育工会 one item adopted
    upstream (3 points). 阳信县 is inactive and sent nothing: not listed."""
    units = {}
    for order, (name, kind) in enumerate(
        [
            ("滨城区总工会", COUNTY),
            ("沾化区总工会", COUNTY),
            ("惠民县总工会", COUNTY),
            ("邹平市总工会", COUNTY),
            ("滨州市教育工会", INDUSTRY),
        ]
    ):
        units[name] = Unit.objects.create(name=name, type=kind, order=order)
    Unit.objects.create(name="阳信县总工会", type=COUNTY, is_active=False)

    def item(unit, sent, adopted=None, **channels):
        article = make_article(contributing_unit=units[unit], status=Article.Status.DRAFT, title=f"{unit}的来稿")
        Article.objects.filter(pk=article.pk).update(submitted_at=sent, adopted_at=adopted, **channels)

    both = {"adoption": "adopted", "is_used_on_site": True, "is_used_on_wechat": True}
    item("滨城区总工会", at(2026, 3, 2, 9), at(2026, 3, 3, 9), **both)
    item("滨城区总工会", at(2026, 3, 31, 23), adoption="returned", return_reason="重复")
    item("沾化区总工会", at(2026, 3, 10, 9), at(2026, 3, 11, 9), **both)
    item("邹平市总工会", at(2026, 3, 1, 0))
    item("惠民县总工会", at(2026, 2, 28, 23), at(2026, 2, 28, 23, 30), adoption="adopted", is_used_on_site=True)
    upstream = {"adoption": "adopted", "is_used_upstream": True, "upstream_outlet": "工人日报"}
    item("滨州市教育工会", None, at(2026, 3, 15, 9), **upstream)  # entered by the editors, no submission
    return units


def document(**filters):
    form = report.Form({"month": "", "date_from": "", "date_to": "", **filters})
    assert form.is_valid(), form.errors
    return report.document(**form.cleaned_data)


def rows_of(doc, title):
    (table,) = [table for table in doc.tables if table.title == title]
    return [list(row) for row in table.rows]


def test_units_are_ranked_within_their_type_with_ties_and_the_silent_ones_named(march):
    doc = document(month="2026-03")
    assert [table.title for table in doc.tables] == ["县市区总工会", "产业工会", "零报送单位", "采用稿件明细"]
    assert rows_of(doc, "县市区总工会") == [
        ["并列第1名", "滨城区总工会", 2, 1, 1, 0, 1, Decimal(2)],
        ["并列第1名", "沾化区总工会", 1, 1, 1, 0, 1, Decimal(2)],
        ["第3名", "邹平市总工会", 1, 0, 0, 0, 0, Decimal(0)],
    ]
    assert rows_of(doc, "产业工会") == [["第1名", "滨州市教育工会", 1, 0, 0, 1, 1, Decimal(3)]]
    assert rows_of(doc, "零报送单位") == [["县市区总工会", "惠民县总工会"]]  # its item was February's
    assert ["滨州市教育工会", "滨州市教育工会的来稿", "上级媒体：工人日报", date(2026, 3, 15)] in rows_of(
        doc, "采用稿件明细"
    )
    assert doc.subtitle == "（2026年3月）" and ("时间范围", "2026-03-01 至 2026-03-31") in doc.filters


def test_the_weights_of_the_site_settings_decide_the_ranking(march):
    SiteSettings.objects.update_or_create(pk=1, defaults={"weight_wechat": Decimal("0.5"), "weight_site": 2})
    (first, second, third) = rows_of(document(month="2026-03"), "县市区总工会")
    assert first[:2] == ["并列第1名", "滨城区总工会"] and first[-1] == Decimal("2.5")
    assert "得分 = 官网×2 + 公众号×0.5 + 上级媒体×3" in document(month="2026-03").tables[0].note


def test_ranking_places_follow_ties_one_one_three():
    scores = [Decimal(5), Decimal(4), Decimal(4), Decimal(1), Decimal(1), Decimal(0)]
    tallies = [report.Tally(Unit(name=f"单位{n}"), sent=1, score=score) for n, score in enumerate(scores)]
    assert [place for place, _tally in report.ranked(tallies)] == [
        "第1名",
        "并列第2名",
        "并列第2名",
        "并列第4名",
        "并列第4名",
        "第6名",
    ]


def test_a_date_range_instead_of_a_month(march):
    doc = document(date_from="2026-03-01", date_to="2026-03-05")
    assert doc.subtitle == "（2026年3月1日至2026年3月5日）"
    ranked_names = [row[1] for row in rows_of(doc, "县市区总工会")]
    assert ranked_names == ["滨城区总工会", "邹平市总工会"]


def test_a_wrong_month_gets_a_chinese_error():
    form = report.Form({"month": "三月", "date_from": "", "date_to": ""})
    assert not form.is_valid() and form.errors["month"] == ["月份的格式应为 2026-03。"]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def download(client, fmt):
    url = reverse("reports:download", args=["contributions"])
    response = client.get(url, {"month": "2026-03", "date_from": "", "date_to": "", "format": fmt})
    assert response.status_code == 200
    return body(response)


def test_the_report_in_excel_csv_and_pdf(client, reporter, march):
    SiteSettings.objects.update_or_create(pk=1, defaults={"report_issuer": "滨州市总工会宣传教育部"})
    client.force_login(reporter)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(download(client, "xlsx")))
    assert workbook.sheetnames == ["县市区总工会", "产业工会", "零报送单位", "采用稿件明细"]
    sheet = workbook["县市区总工会"]
    assert sheet["A1"].value == "信息采用情况通报（2026年3月） · 县市区总工会"
    assert "发文单位：滨州市总工会宣传教育部" in sheet["A2"].value
    assert [cell.value for cell in sheet[4]] == ["并列第1名", "滨城区总工会", 2, 1, 1, 0, 1, 2]

    rows = list(csv.reader(io.StringIO(download(client, "csv").decode("utf-8-sig"))))
    assert rows[0] == ["报表", "信息采用情况通报（2026年3月）"] and ["发文单位", "滨州市总工会宣传教育部"] in rows
    assert ["第3名", "邹平市总工会", "1", "0", "0", "0", "0", "0"] in rows and ["县市区总工会", "惠民县总工会"] in rows

    pdf = PdfReader(io.BytesIO(download(client, "pdf")))
    text = "".join("".join(page.extract_text().split()) for page in pdf.pages)
    for words in [
        "信息采用情况通报",
        "（2026年3月）",
        "并列第1名",
        "零报送单位",
        "惠民县总工会",
        "滨州市总工会宣传教育部",
    ]:
        assert words in text


def test_the_demo_gives_the_month_a_ranking_and_silent_units(demo):
    doc = report.document()
    ranked_names = [row[1] for table in doc.tables[:1] for row in table.rows]
    assert ranked_names == ["邹平市总工会", "滨城区总工会"]
    silent = [name for _type, name in rows_of(doc, "零报送单位")]
    assert "沾化区总工会" in silent and "滨州市教育工会" in silent


def test_xlsx_of_the_report_is_safe_with_a_formula_like_unit_name(march):
    Unit.objects.filter(name="邹平市总工会").update(name="=HYPERLINK(1)")
    cell = xlsx_workbook(document(month="2026-03"))["县市区总工会"]["B6"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


def test_the_command_writes_the_months_report(march, tmp_path):
    from django.core.management import call_command

    call_command("export_report", "contributions", "--month", "2026-03", "--format", "csv", "-o", str(tmp_path))
    (written,) = tmp_path.iterdir()
    assert "_信息采用情况通报_2026-03_" in written.name and written.suffix == ".csv"
    rows = list(csv.reader(io.StringIO(written.read_text(encoding="utf-8-sig"))))
    assert ["并列第1名", "沾化区总工会", "1", "1", "1", "0", "1", "2"] in rows
