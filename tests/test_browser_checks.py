"""内容检查 as its people meet it, in a real browser: the editor pastes a 名单 with two ID numbers and a misspelt
phrase and submits it; the reviewer sees all three marked in their sentences (the numbers masked), cannot publish
without a reason, and publishes with one, which the history keeps."""

from pathlib import Path

import pytest

from news.models import Article, Column
from tests.factories import log_in_staff
from union_site.checks.models import CheckOverride, Term
from union_site.checks.starter import load_starter_terms
from union_site.roles import EDITOR, REVIEWER

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
DESK = {"viewport": {"width": 1280, "height": 1000}, "locale": "zh-CN"}
TITLE = "2025年度优秀工会积极分子名单公示"
NAME_LIST = (
    "<p>经基层推荐、审核，拟表彰以下同志：</p>"
    "<table><tbody><tr><td>张三</td><td>372301199001011238</td></tr>"
    "<tr><td>李四</td><td>11010519491231002X</td></tr></tbody></table>"
    "<p>希望受表彰的同志再接再励，再创佳绩。</p>"
)
REASON = "名单经本人同意公开，身份证号按上级文件要求公示。"
PASTE = """(html) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", html.replace(/<[^>]+>/g, " "));
    document.querySelector(".ck-editor__editable").dispatchEvent(
        new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true}));
}"""

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_pasted_name_list_waits_for_a_reason(live_server, browser, role_groups):
    load_starter_terms(Term)  # the flush of a browser test took the shipped 词库 with it
    Column.objects.create(name="通知公告", slug="notices")
    editor = log_in_staff(browser.new_context(**DESK).new_page(), live_server.url, "wang", EDITOR)
    editor.goto(live_server.url + "/admin/news/article/add/")
    editor.select_option("#id_column", label="通知公告")
    editor.fill("#id_title", TITLE)
    editor.locator(".ck-editor__editable").click()
    editor.evaluate(PASTE, NAME_LIST)
    editor.locator(".ck-editor__editable td", has_text="11010519491231002X").wait_for()
    editor.select_option("#id_status", label="待审核")
    editor.click("input[name=_save]")
    warning = editor.locator(".messagelist li.warning", has_text="内容检查").inner_text()
    assert "内容检查：禁用词 1 处、个人信息 2 处" in warning and "再接再励" in warning
    assert "372301199001011238" not in warning
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.REVIEW

    reviewer = log_in_staff(browser.new_context(**DESK).new_page(), live_server.url, "li", REVIEWER)
    reviewer.goto(live_server.url + f"/admin/news/article/{article.pk}/change/")
    panel = reviewer.locator("#content-checks")
    assert panel.locator("h2").inner_text() == "内容检查：禁用词 1 处、个人信息 2 处"
    assert panel.locator("mark").all_inner_texts() == ["372***********1238", "110***********002X", "再接再励"]
    assert "建议改为“再接再厉”" in panel.inner_text()
    assert "372301199001011238" not in panel.inner_text()
    reviewer.screenshot(path=str(SHOTS / "admin-content-checks.png"), full_page=True)

    reviewer.select_option("#id_status", label="已发布")
    reviewer.click("input[name=_save]")
    refusal = reviewer.locator("ul.errorlist.nonfield").inner_text()
    assert refusal.startswith("不能发布：内容检查发现禁用词 1 处、个人信息 2 处")
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW

    reviewer.check("#id_checks_override")
    reviewer.click("input[name=_save]")
    assert "请写明忽略检查、仍然发布的理由。" in reviewer.locator("#content-checks").inner_text()
    assert Article.objects.get(pk=article.pk).status == Article.Status.REVIEW

    reviewer.check("#id_checks_override")
    reviewer.fill("#id_checks_override_reason", REASON)
    reviewer.click("input[name=_save]")
    reviewer.wait_for_url("**/admin/news/article/")
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED
    assert CheckOverride.objects.get().reason == REASON

    reviewer.goto(live_server.url + f"/admin/news/article/{article.pk}/history/")
    assert REASON in reviewer.locator("#change-history").inner_text()
