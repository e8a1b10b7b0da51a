"""The newsroom as its people use it, in a real browser: the editor writes an article with a picture and submits
it, the reviewer schedules it, and at the set time it is on the site, in search, the feed and the sitemap; the
history shows both steps."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from news.models import Article, Column
from tests.factories import jpeg_with_gps, log_in_staff, media_base, written
from union_site.roles import EDITOR, REVIEWER

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
DESK = {"viewport": {"width": 1280, "height": 1000}, "locale": "zh-CN"}
TITLE = "市总工会开展职工技能大赛"

pytestmark = pytest.mark.django_db(transaction=True)


def test_write_submit_schedule_and_publish(live_server, browser, role_groups, tmp_path, monkeypatch):
    Column.objects.create(name="工会要闻", slug="union-news")
    editor = log_in_staff(browser.new_context(**DESK).new_page(), live_server.url, "wang", EDITOR)
    editor.goto(live_server.url + "/admin/news/article/add/")
    editor.select_option("#id_column", label="工会要闻")
    editor.fill("#id_title", TITLE)
    editor.locator(".ck-editor__editable").click()
    editor.keyboard.type("全市各级工会组织职工参加技能大赛。")
    editor.locator("input.ck-hidden[type=file]").set_input_files(
        str(written(tmp_path / "现场.jpg", jpeg_with_gps((800, 600))))
    )
    editor.locator(f".ck-editor__editable figure.image img[src^='{media_base()}editor/']").wait_for()
    alt = editor.locator(".ck-text-alternative-form input")  # asked for as soon as the picture is in
    alt.fill("技能大赛比赛现场")
    alt.press("Enter")
    assert editor.locator("#id_is_pinned").count() == 0  # not the editor's to set
    editor.select_option("#id_status", label="待审核")
    editor.click("input[name=_save]")
    assert TITLE in editor.locator(".messagelist li.success").inner_text()
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.REVIEW

    reviewer = log_in_staff(browser.new_context(**DESK).new_page(), live_server.url, "li", REVIEWER)
    reviewer.goto(live_server.url + "/admin/news/article/")
    assert "待审核稿件 1 篇" in reviewer.locator("body").inner_text()
    reviewer.get_by_role("link", name=TITLE).click()
    when = timezone.localtime() + timedelta(hours=1)
    reviewer.select_option("#id_status", label="已发布")
    reviewer.fill("#id_publish_at_0", when.strftime("%Y-%m-%d"))
    reviewer.fill("#id_publish_at_1", when.strftime("%H:%M:%S"))
    reviewer.click("input[name=_save]")
    reviewer.wait_for_url("**/admin/news/article/")
    assert "定时发布" in reviewer.locator("#result_list").inner_text(), reviewer.locator("#content").inner_text()
    reviewer.screenshot(path=str(SHOTS / "admin-scheduled.png"))

    visitor = browser.new_page()
    assert visitor.goto(live_server.url + article.get_absolute_url()).status == 404

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the live server runs in this process: its clock too
    assert visitor.goto(live_server.url + article.get_absolute_url()).status == 200
    assert visitor.locator("h1").inner_text() == TITLE
    visitor.goto(live_server.url + "/search/?q=技能大赛")
    assert TITLE in visitor.locator("main").inner_text()
    assert TITLE in visitor.request.get(live_server.url + "/feeds/news/").text()
    assert article.get_absolute_url() in visitor.request.get(live_server.url + "/sitemap-articles.xml").text()

    reviewer.goto(live_server.url + f"/admin/news/article/{article.pk}/history/")
    history = reviewer.locator("#change-history").inner_text()
    assert "wang" in history and "li" in history and "已发布" in history
    reviewer.screenshot(path=str(SHOTS / "admin-history.png"), full_page=True)
