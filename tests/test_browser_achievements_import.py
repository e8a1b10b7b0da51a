"""Importing figures in a real browser: the editor uploads a spreadsheet from the metric list, checks the preview,
confirms, and the new figure with its yearly series is on the public site."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from achievements.importers import IMPORT_COLUMNS
from achievements.models import Metric, Period, Section
from tests.factories import log_in_staff
from union_site.roles import EDITOR

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
PERIOD = "滨州市工会第六次代表大会以来"

pytestmark = pytest.mark.django_db(transaction=True)


def figures_xlsx(path, mistakes=False):
    """Two figures with their 2019-2023 series; with mistakes, a formula as a value and a year outside the period."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([*IMPORT_COLUMNS, "2019", "2020", "2021", "2022", "2023" if not mistakes else "2018"])
    sheet.append(
        [PERIOD, "职工思想政治引领 工作成效显著", "“滨州工会”公众号关注用户", "=1+1" if mistakes else "11.1万余", "人"]
        + ["", "现有总数", 1, "是", "“滨州工会”微信公众号关注用户达11.1万余人", "《2023年工会统计年报》"]
        + [32000, 51000, 70000, 93000, 111000]
    )
    sheet.append([PERIOD, "维权服务", "工会驿站", 305, "处", "", "现有总数", 1, "否", "", "", 120, 180, 230, 280, 305])
    workbook.save(path)
    return path


def test_editor_imports_figures_and_they_are_on_the_site(live_server, browser, role_groups, tmp_path):
    period = Period.objects.create(name=PERIOD, start_year=2019, end_year=2023, headline="“数”说五年")
    Section.objects.create(period=period, title="职工思想政治引领 工作成效显著", order=1)

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    log_in_staff(page, live_server.url, "wang", EDITOR)
    page.goto(live_server.url + "/admin/achievements/metric/")
    page.get_by_role("link", name="从表格导入").click()
    assert page.url.endswith("/admin/achievements/metric/import/")

    page.set_input_files("#id_file", str(figures_xlsx(tmp_path / "有错的表.xlsx", mistakes=True)))
    page.click("input[type=submit][value='上传并预览']")
    assert "错误 2 行" in page.locator(".import-summary").inner_text()
    problems = page.locator("ul.row-errors li").all_inner_texts()
    outside = "列：2018 年不在时期“滨州市工会第六次代表大会以来”的 2019—2023 年之内"
    assert problems == [
        "第 2 行“数值”列：“=1+1”不是数字：公式不会被计算，请直接填写数值",
        "第 2 行“2018”" + outside,
        "第 3 行“2018”" + outside,
    ]
    assert page.locator("input[name=confirm]").count() == 0
    page.screenshot(path=str(SHOTS / "admin-import-errors.png"), full_page=True)

    page.set_input_files("#id_file", str(figures_xlsx(tmp_path / "五年数据.xlsx")))
    page.click("input[type=submit][value='上传并预览']")
    assert "共 2 行：新增 2，更新 0，不变 0；错误 0 行" in page.locator(".import-summary").inner_text()
    preview = page.locator("table.import-preview").inner_text()
    assert (
        "11.1万余人" in preview and "305处" in preview and "新板块" in preview and "2023年：11.1万人" in preview
    )  # in the display unit, not 111000
    page.screenshot(path=str(SHOTS / "admin-import-preview.png"), full_page=True)

    page.click("input[name=confirm]")
    assert "已导入：新增 2 项，更新 0 项，年度数值 10 条" in page.locator(".messagelist li.success").inner_text()
    metric = Metric.objects.get(label="“滨州工会”公众号关注用户")
    assert metric.updated_by.username == "wang" and metric.values.count() == 5

    visitor = browser.new_page()
    assert visitor.goto(live_server.url + f"/achievements/metric/{metric.pk}/").status == 200
    main = visitor.locator("main").inner_text()
    assert "11.1万余人" in main and "2023年" in main and "《2023年工会统计年报》" in main
    visitor.screenshot(path=str(SHOTS / "public-imported-metric.png"), full_page=True)
