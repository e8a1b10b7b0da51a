"""A notice with its files, as its people handle it in a real browser: the editor attaches a docx and a pdf to a
通知公告 in the admin and submits it, the reviewer publishes it, and a visitor on a phone (375 px) downloads both from
the article page and from 下载中心, under their Chinese names."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from news.models import Article, Column
from tests.factories import docx, log_in_staff, pdf, written
from union_site.roles import EDITOR, REVIEWER

DESK = {"viewport": {"width": 1280, "height": 1000}}
TITLE = "关于举办2026年职工运动会的通知"
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "accept_downloads": True}
SHOTS = Path(__file__).resolve().parent.parent / "test-results"

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_notice_with_two_files_is_written_published_and_downloaded_on_a_phone(
    live_server, open_page, role_groups, tmp_path
):
    Column.objects.create(name="通知公告", slug="notices", kind=Column.Kind.NOTICE)
    form_file = written(tmp_path / "2026年职工运动会报名表.docx", docx())
    rules_file = written(tmp_path / "规程-定稿.pdf", pdf())

    editor = log_in_staff(open_page(**DESK), live_server.url, "wang", EDITOR)
    editor.goto(live_server.url + "/admin/news/article/add/")
    editor.select_option("#id_column", label="通知公告")
    editor.fill("#id_title", TITLE)
    editor.locator(".ck-editor__editable").click()
    editor.keyboard.type("请各单位填写报名表，按竞赛规程组织报名。")
    editor.set_input_files("input[name='attachments-0-file']", str(form_file))
    editor.locator(".add-row a").click()  # 添加另一个 附件
    editor.set_input_files("input[name='attachments-1-file']", str(rules_file))
    editor.fill("input[name='attachments-1-title']", "2026年职工运动会竞赛规程")
    editor.fill("input[name='attachments-1-order']", "2")
    editor.select_option("#id_status", label="待审核")
    editor.click("input[name=_save]")
    assert TITLE in editor.locator(".messagelist li.success").inner_text()
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.REVIEW
    assert [(a.title, a.kind) for a in article.attachments.all()] == [
        ("2026年职工运动会报名表", "docx"),
        ("2026年职工运动会竞赛规程", "pdf"),
    ]

    reviewer = log_in_staff(open_page(**DESK), live_server.url, "li", REVIEWER)
    reviewer.goto(live_server.url + f"/admin/news/article/{article.pk}/change/")
    expect(reviewer.locator(".file-upload a").first).to_have_text("2026年职工运动会报名表.docx")
    reviewer.select_option("#id_status", label="已发布")
    reviewer.click("input[name=_save]")
    reviewer.wait_for_url("**/admin/news/article/")
    article.refresh_from_db()
    assert article.is_public and article.attachments.count() == 2  # saving again kept both files

    visitor = open_page(**PHONE)
    visitor.goto(live_server.url + article.get_absolute_url())
    files = visitor.locator("section.attachments")
    expect(files.get_by_role("heading")).to_have_text("附件（2 个）")
    links = files.locator("a.attachment-link")
    expect(links).to_have_count(2)
    for link in (links.nth(0), links.nth(1)):
        box = link.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 300  # a large target for a thumb
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    SHOTS.mkdir(exist_ok=True)
    files.screenshot(path=str(SHOTS / "attachments-phone.png"))

    saved = {}
    for name in ("2026年职工运动会报名表", "2026年职工运动会竞赛规程"):
        with visitor.expect_download() as info:
            files.get_by_role("link", name=re.compile(name)).click()
        download = info.value
        saved[download.suggested_filename] = Path(download.path()).read_bytes()
    assert saved == {
        "2026年职工运动会报名表.docx": form_file.read_bytes(),
        "2026年职工运动会竞赛规程.pdf": rules_file.read_bytes(),
    }

    visitor.goto(live_server.url + "/")
    visitor.locator("details.nav-menu summary").click()
    visitor.locator("details.nav-menu").get_by_role("link", name="下载中心").click()
    visitor.wait_for_url("**/downloads/")
    expect(visitor.locator("h1")).to_have_text("下载中心")
    visitor.select_option("#dl-kind", label="PDF")
    visitor.get_by_role("button", name="筛选").click()
    visitor.wait_for_url("**/downloads/?*kind=pdf*")
    expect(visitor.locator("a.attachment-link")).to_have_count(1)
    visitor.goto(live_server.url + "/downloads/")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= 375
    visitor.screenshot(path=str(SHOTS / "downloads-phone.png"), full_page=True)
    for name, expected in (("2026年职工运动会报名表", "docx"), ("2026年职工运动会竞赛规程", "pdf")):
        with visitor.expect_download() as info:
            visitor.locator("a.attachment-link", has_text=name).click()
        assert info.value.suggested_filename == f"{name}.{expected}"


@pytest.mark.parametrize("elder", [False, True], ids=["normal", "elder"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_file_lists_pass_the_accessibility_checks(live_server, browser, demo, width, elder):
    """The demo notice's 附件 and 下载中心 (its filter form too), as tests/test_browser_accessibility.py checks the
    key pages: no serious axe-core violation, nothing wider than a 320 px phone, 长者模式 targets of 44 px."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN", bypass_csp=True)
    if elder:
        context.add_cookies([{"name": "elder", "value": "1", "url": live_server.url}])
    page = context.new_page()
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    notice = Article.objects.get(column__slug="notices")
    small_targets = """() => [...document.querySelectorAll('main a, main button, main input, main select')]
      .filter(el => !el.closest('.article-body'))
      .map(el => [el.textContent.trim() || el.name, el.getBoundingClientRect().height])
      .filter(([name, height]) => height > 0 && height < 44)"""
    failures = []
    for url in (notice.get_absolute_url(), "/downloads/", "/downloads/?kind=pdf"):
        page.goto(live_server.url + url)
        blocking = [v for v in Axe().run(page).response["violations"] if v["impact"] in {"serious", "critical"}]
        failures += [f"{url}: {v['id']} {[n['target'] for n in v['nodes'][:3]]}" for v in blocking]
        if elder and (small := page.evaluate(small_targets)):
            failures.append(f"{url}: targets under 44 px in 长者模式: {small}")
        if width == 375:
            page.set_viewport_size({"width": 320, "height": 800})
            if page.evaluate("document.documentElement.scrollWidth") > 320:
                failures.append(f"{url}: wider than a 320 px phone")
            page.set_viewport_size({"width": width, "height": 800})
    context.close()
    assert not failures, "\n".join(failures)
