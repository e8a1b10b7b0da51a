"""报表中心 at /admin/reports/ and `manage.py export_report`: who may export, what they get, and the log."""

import csv
import io
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from achievements.models import Metric
from union_site.models import ExportLog
from union_site.reports.center import REPORTS

CENTER = reverse("reports:center")


def download(name, **params):
    return reverse("reports:download", args=[name]) + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def as_reporter(client, reporter):
    client.force_login(reporter)
    return client


def test_reporter_finds_the_center_on_the_admin_index_and_editor_does_not(client, reporter, editor):
    client.force_login(reporter)
    page = client.get(reverse("admin:index")).content.decode()
    assert CENTER in page and "报表中心" in page
    client.force_login(editor)
    assert CENTER not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("role", ["reporter", "reviewer", "superuser"])
def test_reporters_reviewers_and_superusers_open_the_center_and_download(db, client, request, role):
    # db: so that it runs before the live-server tests flush the role groups
    client.force_login(request.getfixturevalue(role))
    page = client.get(CENTER)
    assert page.status_code == 200
    for report in REPORTS.values():
        assert report.title in page.content.decode()
    assert client.get(download("gallery", format="csv")).status_code == 200


def test_editor_gets_403_on_the_page_and_on_every_download(client, editor):
    client.force_login(editor)
    assert client.get(CENTER).status_code == 403
    for name in REPORTS:
        for fmt in ["xlsx", "csv", "pdf"]:
            assert client.get(download(name, format=fmt)).status_code == 403
    assert not ExportLog.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    for url in [CENTER, download("achievements", format="xlsx")]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_achievements_xlsx_matches_the_public_figures(as_reporter, demo):
    response = as_reporter.get(download("achievements", format="xlsx"))
    assert response.status_code == 200
    filename = f"滨州市总工会_五年成就_{timezone.localdate():%Y-%m-%d}.xlsx"
    assert f"filename*=utf-8''{quote(filename)}" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(body(response)))
    sections = list(Metric.objects.values_list("section__title", flat=True).distinct())
    assert book.sheetnames[0] == "汇总" and set(sections) <= set(book.sheetnames)

    public = as_reporter.get(reverse("achievements:index")).content.decode()
    metric = Metric.objects.get(label__contains="微信公众号关注用户")
    sheet = book[metric.section.title]
    assert [c.value for c in sheet[3]][:6] == ["指标", "显示值", "数值", "单位", "修饰", "口径"]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == metric.label)
    assert row[1].value == "11.1万余人" and "11.1" in public
    assert row[2].value == 111000 and row[2].data_type == "n" and row[2].number_format == "#,##0"
    shown = [r[1].value for r in sheet.iter_rows(min_row=4)]
    for value in shown:
        number = value.rstrip("人场处个名家万余元多%")
        assert number in public


def test_achievements_csv_and_pdf_carry_the_public_figures(as_reporter, demo):
    data = body(as_reporter.get(download("achievements", format="csv")))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["报表", "五年成就数据表"] and ["生成人", "reporter1"] in rows
    assert any(r[:2] == ["劳模工匠宣讲团常态化宣讲活动", "520余场"] for r in rows)

    response = as_reporter.get(download("achievements", format="pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(body(response))).pages)
    assert "五年成就数据表" in text and "劳模工匠宣讲团" in text and "520余场" in text


def test_every_download_is_logged_with_who_what_and_how_many(as_reporter, reporter, demo, period_id=None):
    as_reporter.get(download("achievements", format="xlsx"))
    body(as_reporter.get(download("achievements", format="csv")))
    logs = list(ExportLog.objects.order_by("id"))
    assert [(log.user, log.report, log.format, log.channel) for log in logs] == [
        (reporter, "五年成就数据表", "xlsx", "admin"),
        (reporter, "五年成就数据表", "csv", "admin"),
    ]
    metrics_and_summary = Metric.objects.count() + Metric.objects.values("section").distinct().count()
    assert logs[0].row_count == logs[1].row_count == metrics_and_summary
    assert logs[0].filters == {"period": ""}
    assert "五年成就数据表" in as_reporter.get(CENTER).content.decode()  # 我最近的导出


def test_only_superusers_read_the_export_log(client, reporter, superuser, demo):
    client.force_login(reporter)
    client.get(download("gallery", format="xlsx"))
    url = reverse("admin:union_site_exportlog_changelist")
    assert client.get(url).status_code == 403
    client.force_login(superuser)
    page = client.get(url).content.decode()
    assert "图片库清单" in page and "reporter1" in page


def test_bad_format_gets_a_chinese_error_and_no_file(as_reporter):
    response = as_reporter.get(download("achievements", format="docx"))
    assert response.status_code == 400 and "请选择导出格式" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_unknown_report_is_404(as_reporter):
    assert as_reporter.get(download("salaries", format="csv")).status_code == 404


def test_export_report_command_writes_a_named_file_and_logs_it(tmp_path, demo):
    out = io.StringIO()
    call_command("export_report", "achievements", "--format", "xlsx", "-o", str(tmp_path), stdout=out)
    written = tmp_path / f"滨州市总工会_五年成就_{timezone.localdate():%Y-%m-%d}.xlsx"
    assert written.exists() and "已导出" in out.getvalue()
    assert "汇总" in load_workbook(written).sheetnames
    log = ExportLog.objects.get()
    assert log.channel == "command" and log.row_count > 50 and log.user is None


def test_export_report_command_explains_bad_filters_in_chinese(tmp_path, demo):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(CommandError, match="没有名为“第九届”的时期"):
        call_command("export_report", "achievements", "--period", "第九届", "-o", str(tmp_path / "a.xlsx"))
    with pytest.raises(CommandError, match="没有这些筛选条件"):
        call_command("export_report", "gallery", "--period", "1", "-o", str(tmp_path / "a.xlsx"))
    assert not list(tmp_path.iterdir()) and not ExportLog.objects.exists()
