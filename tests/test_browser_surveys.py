"""征集调查 in a real browser on a phone: a visitor finds the poll in the menu, is told what is missing, answers it, is
told so when trying again, and after the closing minute reads the results as bars with the table beside them."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from union_site.surveys.demo import build_survey
from union_site.surveys.models import Question, Response, Survey

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
PHONE = {"viewport": {"width": 375, "height": 800}, "is_mobile": True, "has_touch": True}

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_visitor_on_a_phone_answers_a_poll_and_after_closing_sees_the_bars(live_server, open_page):
    survey = build_survey(
        "职工最希望工会提供的服务",
        [
            (
                "您最希望工会提供哪些服务？",
                Question.Kind.MULTIPLE,
                2,
                ["职工技能培训", "法律援助与劳动维权", "困难职工帮扶"],
            ),
            (
                "您所在单位的类型",
                Question.Kind.SINGLE,
                0,
                ["国有企业", "民营企业", "新就业形态（快递、外卖、网约车等）"],
            ),
        ],
        status=Survey.Status.PUBLISHED,
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=1),
    )
    page = open_page(**PHONE)
    page.goto(live_server.url + "/")
    page.locator("details.nav-menu summary").click()
    page.locator("details.nav-menu").get_by_role("link", name="征集调查").click()
    page.get_by_role("link", name="职工最希望工会提供的服务").first.click()

    page.get_by_role("button", name="提交答卷").click()  # nothing chosen: both questions named at the top
    summary = page.locator(".mb-error-summary")
    assert "修改以下 2 处" in summary.inner_text() and "请至少选择一项。" in summary.inner_text()
    services = page.get_by_role("group", name="1. 您最希望工会提供哪些服务？")
    assert "请至少选择一项。" in services.inner_text()
    assert fits(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / "surveys-form-375.png", full_page=True)

    services.get_by_label("职工技能培训").check()
    services.get_by_label("困难职工帮扶").check()
    page.get_by_role("group", name="2. 您所在单位的类型").get_by_label("新就业形态（快递、外卖、网约车等）").check()
    page.get_by_role("button", name="提交答卷").click()
    assert page.get_by_role("heading", name="感谢您的参与").is_visible()
    assert Response.objects.filter(survey=survey).count() == 1

    page.goto(live_server.url + survey.get_absolute_url())
    assert page.get_by_role("heading", name="您已参与过本次调查").is_visible()

    survey.closes_at = timezone.now() - timedelta(minutes=1)
    survey.save()
    page.goto(live_server.url + survey.get_absolute_url())
    chart = page.get_by_role("img", name="您最希望工会提供哪些服务？")
    assert chart.locator(".sv-bars rect").count() == 2  # the two options chosen; the third has no bar
    box = chart.bounding_box()
    assert box["width"] > 250 and box["x"] >= 0
    table = page.locator(".sv-table").first
    assert "职工技能培训" in table.inner_text() and "100.0%" in table.inner_text()
    assert fits(page)
    page.screenshot(path=SHOTS / "surveys-results-375.png", full_page=True)
