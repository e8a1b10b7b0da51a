"""基层投稿 in a real browser: a county union's 通讯员 writes two items and submits them, the reviewer publishes one
(官网) and ticks 公众号, returns the other with a reason the 通讯员 then reads in its list, and the month's
信息采用情况通报 ranks the unit and names the units that sent nothing."""

import io
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook

from news.models import Article, Column
from tests.factories import log_in_staff
from union_site.contributions.models import Correspondent, Unit
from union_site.roles import CORRESPONDENT, REVIEWER

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
DESK = {"viewport": {"width": 1280, "height": 1000}, "locale": "zh-CN"}
FIRST, SECOND = "滨城区总工会开展夏送清凉活动", "滨城区总工会召开全委会议"
REASON = "会议消息时效性不强，请改写为工作成效后再报。"

pytestmark = pytest.mark.django_db(transaction=True)


def write(page, base_url, title, text):
    page.goto(base_url + "/admin/news/article/add/")
    page.select_option("#id_column", label="基层动态")
    page.fill("#id_title", title)
    page.locator(".ck-editor__editable").click()
    page.keyboard.type(text)
    page.select_option("#id_status", label="待审核")
    page.click("input[name=_save]")
    assert title in page.locator(".messagelist li.success").inner_text()


def test_a_contributor_submits_the_reviewer_adopts_and_the_report_ranks_the_unit(
    live_server, browser, role_groups, tmp_path
):
    SHOTS.mkdir(exist_ok=True)
    Column.objects.create(name="基层动态", slug="grassroots")
    unit = Unit.objects.create(name="滨城区总工会", type=Unit.Type.COUNTY, order=1)
    Unit.objects.create(name="沾化区总工会", type=Unit.Type.COUNTY, order=2)

    contributor = log_in_staff(browser.new_context(**DESK).new_page(), live_server.url, "bincheng", CORRESPONDENT)
    Correspondent.objects.create(user=User.objects.get(username="bincheng"), unit=unit)
    write(contributor, live_server.url, FIRST, "连日来，滨城区总工会走访一线职工，送去防暑降温物品。")
    write(contributor, live_server.url, SECOND, "滨城区总工会召开全委会议。")
    assert contributor.locator("#id_contributing_unit").count() == 0  # the unit is not theirs to choose
    list_text = contributor.locator("#result_list").inner_text()
    assert list_text.count("待处理") == 2 and list_text.count("待审核") == 2
    contributor.screenshot(path=str(SHOTS / "contributions-list-submitted.png"), full_page=True)

    context = browser.new_context(**DESK, accept_downloads=True)
    reviewer = log_in_staff(context.new_page(), live_server.url, "li", REVIEWER)
    reviewer.goto(live_server.url + "/admin/news/article/")
    reviewer.get_by_role("link", name=FIRST).click()
    assert reviewer.locator("#id_contributing_unit option:checked").inner_text() == "滨城区总工会"
    reviewer.check("#id_is_used_on_wechat")
    reviewer.select_option("#id_status", label="已发布")
    reviewer.screenshot(path=str(SHOTS / "contributions-adopt.png"), full_page=True)
    reviewer.click("input[name=_save]")
    reviewer.wait_for_url("**/admin/news/article/")
    reviewer.get_by_role("link", name=SECOND).click()
    reviewer.select_option("#id_adoption", label="退回")
    reviewer.fill("#id_return_reason", REASON)
    reviewer.click("input[name=_save]")
    reviewer.wait_for_url("**/admin/news/article/")
    result = reviewer.locator("#result_list").inner_text()
    assert "滨城区总工会 · 采用（官网、公众号）" in result and f"滨城区总工会 · 退回：{REASON}" in result

    contributor.goto(live_server.url + "/admin/news/article/")
    list_text = contributor.locator("#result_list").inner_text()
    assert "采用（官网、公众号）" in list_text and f"退回：{REASON}" in list_text
    contributor.screenshot(path=str(SHOTS / "contributions-list-decided.png"), full_page=True)

    visitor = browser.new_page()
    visitor.goto(live_server.url + Article.objects.get(title=FIRST).get_absolute_url())
    visitor.get_by_role("link", name="滨城区总工会").click()
    assert FIRST in visitor.locator("main").inner_text() and "滨城区总工会来稿" in visitor.locator("h1").inner_text()
    visitor.screenshot(path=str(SHOTS / "contributions-column.png"), full_page=True)

    reviewer.goto(live_server.url + "/admin/reports/")
    section = reviewer.locator("#report-contributions")
    reviewer.screenshot(path=str(SHOTS / "contributions-center.png"), full_page=True)
    files = {}
    for label, fmt in [("Excel", "xlsx"), ("PDF", "pdf")]:
        with reviewer.expect_download() as info:
            section.get_by_role("button", name=f"导出 {label}", exact=False).click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        files[fmt] = target
    book = load_workbook(io.BytesIO(files["xlsx"].read_bytes()))
    ranked = [[cell.value for cell in row] for row in book["县市区总工会"].iter_rows(min_row=4)]
    assert ranked == [["第1名", "滨城区总工会", 2, 1, 1, 0, 1, 2]]
    assert [[cell.value for cell in row] for row in book["零报送单位"].iter_rows(min_row=4)] == [
        ["县市区总工会", "沾化区总工会"]
    ]
    shutil.copy(files["pdf"], SHOTS / "contributions-report.pdf")
