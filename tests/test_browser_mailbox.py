"""主席信箱 end to end in a real browser: a visitor on a phone writes a letter and keeps the 查询码; staff accept,
forward, answer, approve and publish it in the admin; the visitor reads the answer with the code, and the public
page shows the letter masked."""

from pathlib import Path

import pytest

from tests.factories import log_in_staff
from union_site.common.preferences import ELDER_COOKIE
from union_site.mailbox.models import Department, Letter
from union_site.roles import MAILBOX_HANDLER, REVIEWER

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
DESK = {"viewport": {"width": 1280, "height": 1000}, "locale": "zh-CN"}
PHONE = {"viewport": {"width": 375, "height": 800}, "is_mobile": True, "has_touch": True}

pytestmark = pytest.mark.django_db(transaction=True)


def step(page, name):
    page.get_by_role("button", name=name, exact=True).click()
    assert f"“{name}”已完成" in page.locator(".messagelist").inner_text()


def test_a_letter_from_a_phone_to_a_published_masked_answer(live_server, browser, open_page, role_groups):
    Department.objects.create(name="权益保障部")
    visitor = open_page(**PHONE)
    visitor.goto(live_server.url + "/mailbox/")
    visitor.get_by_role("link", name="我要写信").click()
    visitor.get_by_role("button", name="提交来信").click()  # empty: the summary names the mistakes
    assert "提交未成功" in visitor.locator(".mb-error-summary").inner_text()
    visitor.get_by_label("咨询").check()
    visitor.locator("#id_title").fill("新就业形态劳动者怎样入会")
    visitor.get_by_label("来信内容").fill("我叫刘德华，是外卖骑手，电话13812345678，请问怎样加入工会？")
    visitor.locator("#id_name").fill("刘德华")
    visitor.get_by_label("联系电话").fill("13812345678")
    visitor.get_by_label("同意在隐去姓名").check()
    visitor.get_by_label("我已阅读并同意").check()
    visitor.get_by_role("button", name="提交来信").click()
    code = visitor.locator(".mb-code").inner_text()
    assert len(code) == 14
    assert visitor.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    handler = log_in_staff(browser.new_context(**DESK).new_page(), live_server.url, "handler", MAILBOX_HANDLER)
    assert "待受理</a>：1" in handler.locator("#mailbox-counts").inner_html().replace("<strong>", "").replace(
        "</strong>", ""
    )
    handler.goto(live_server.url + "/admin/mailbox/letter/")
    handler.get_by_role("link", name="新就业形态劳动者怎样入会").click()
    step(handler, "受理")
    handler.select_option("#id_department", label="权益保障部")
    step(handler, "转办")
    handler.fill("#id_reply", "刘德华同志：可通过“齐鲁工惠”App申请入会，咨询电话13812345678已回访。")
    step(handler, "答复")

    reviewer = log_in_staff(browser.new_context(**DESK).new_page(), live_server.url, "reviewer", REVIEWER)
    letter = Letter.objects.get()
    reviewer.goto(live_server.url + f"/admin/mailbox/letter/{letter.pk}/change/")
    step(reviewer, "审核通过")
    step(reviewer, "公开")

    visitor.goto(live_server.url + "/mailbox/query/")
    visitor.get_by_label("查询码").fill(code.lower())
    visitor.get_by_role("button", name="查询").click()
    result = visitor.locator(".mb-result").inner_text()
    assert "已答复" in result and "齐鲁工惠" in result

    visitor.goto(live_server.url + "/mailbox/")
    visitor.get_by_role("link", name="新就业形态劳动者怎样入会").click()
    public = visitor.locator("main").inner_text()
    assert "刘**" in public and "138****5678" in public and "权益保障部" in public
    assert "刘德华" not in public and "13812345678" not in public


@pytest.mark.parametrize("elder", [False, True])
def test_screenshots_of_the_form_on_a_phone(live_server, open_page, elder, db):
    page = open_page(**PHONE)
    if elder:
        page.context.add_cookies([{"name": ELDER_COOKIE, "value": "1", "url": live_server.url}])
    page.goto(live_server.url + "/mailbox/new/")
    page.get_by_role("button", name="提交来信").click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"mailbox-new{'-elder' if elder else ''}.png", full_page=True)
