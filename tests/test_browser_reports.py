"""The report staff's day, in a real browser: log in, open 报表中心 from the admin index, download every report in
every format, and find the figures of the public pages in them."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import log_in_staff
from union_site.models import ExportLog
from union_site.roles import REPORTER

SHOTS = Path(__file__).resolve().parent.parent / "test-results"

pytestmark = pytest.mark.django_db(transaction=True)


def test_reporter_downloads_all_three_reports_in_all_three_formats(live_server, browser, role_groups, demo, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN", accept_downloads=True)
    page = log_in_staff(context.new_page(), live_server.url, "zhao", REPORTER)
    page.get_by_role("link", name="打开报表中心").click()
    page.wait_for_url("**/admin/reports/")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "reports-center.png"), full_page=True)

    files = {}
    for name in ["achievements", "news", "gallery"]:
        section = page.locator(f"#report-{name}")
        for label, fmt in [("Excel", "xlsx"), ("CSV", "csv"), ("PDF", "pdf")]:
            with page.expect_download() as info:
                section.get_by_role("button", name=f"导出 {label}", exact=False).click()
            download = info.value
            assert download.suggested_filename.startswith("滨州市总工会_") and download.suggested_filename.endswith(fmt)
            target = tmp_path / download.suggested_filename
            download.save_as(target)
            files[name, fmt] = target.read_bytes()

    book = load_workbook(io.BytesIO(files["achievements", "xlsx"]))
    figures = [row[1].value for sheet in book.worksheets[1:] for row in sheet.iter_rows(min_row=4)]
    assert "520余场" in figures and "11.1万余人" in figures
    public = page.context.new_page()
    public.goto(live_server.url + "/achievements/")
    shown = "".join(public.locator("main").inner_text().split())
    assert "520余场" in shown and "11.1万余人" in shown

    rows = list(csv.reader(io.StringIO(files["news", "csv"].decode("utf-8-sig"))))
    assert rows[0] == ["报表", "新闻发布统计"] and ["生成人", "zhao"] in rows
    pdf = PdfReader(io.BytesIO(files["gallery", "pdf"]))
    assert "图片库清单" in pdf.pages[0].extract_text()
    assert ExportLog.objects.filter(username="zhao").count() == 9
    assert not ExportLog.objects.filter(row_count__isnull=True).exists()
