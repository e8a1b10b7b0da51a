"""The admin's first page as each role sees it in Chromium at 1280 px (its own counts, the red band with the emblem),
and axe-core on the admin's main pages (index, article list, article form, history): no serious or critical
violation, colour contrast included."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from news.models import Article, Column
from tests.factories import log_in_staff

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
BLOCKING = {"serious", "critical"}
pytestmark = pytest.mark.django_db(transaction=True)
Status = Article.Status
axe = Axe()


@pytest.fixture
def newsroom(role_groups):
    column = Column.objects.create(name="工会要闻", slug="union-news")
    for n in range(3):
        Article.objects.create(column=column, title=f"待审稿件{n}", status=Status.REVIEW, body="<p>正文。</p>")
    return column


def panel_counts(page):
    return {
        li.get_attribute("data-line"): int(li.locator(".count").inner_text())
        for li in page.locator("#dashboard-panels li[data-line]").all()
    }


def test_each_role_finds_its_work_on_the_first_page(live_server, browser, newsroom):
    SHOTS.mkdir(exist_ok=True)
    seen = {}
    for username, group in [("editor-d", "编辑"), ("reviewer-d", "审核"), ("reporter-d", "报表")]:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page = context.new_page()
        log_in_staff(page, live_server.url, username, group)
        if username == "editor-d":
            from django.contrib.auth.models import User

            editor = User.objects.get(username=username)
            Article.objects.create(column=newsroom, title="我写的", status=Status.DRAFT, created_by=editor)
            Article.objects.create(
                column=newsroom, title="退回的", status=Status.DRAFT, created_by=editor, review_comment="请补充图片。"
            )
        page.goto(live_server.url + "/admin/")
        seen[group] = panel_counts(page)
        header = page.locator("#header")
        assert header.evaluate("h => getComputedStyle(h).backgroundColor") == "rgb(164, 22, 26)"
        assert page.locator("#site-name img.admin-emblem").evaluate("img => img.naturalWidth > 0")
        apps = page.locator("#content-main .app-news, #content-main .module caption").all_inner_texts()
        assert apps and apps[0].startswith("新闻")
        page.screenshot(path=str(SHOTS / f"admin-index-{username}.png"), full_page=True)
        context.close()
    assert seen["审核"]["待审核"] == 3
    assert seen["编辑"]["我的草稿"] == 1 and seen["编辑"]["被驳回（按审核意见修改后重新提交）"] == 1
    assert "待审核" not in seen["编辑"]
    assert "待审核" not in seen["报表"] and "我的草稿" not in seen["报表"]


def test_the_admins_main_pages_have_no_serious_accessibility_violations(live_server, browser, newsroom):
    article = Article.objects.filter(status=Status.REVIEW).first()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    log_in_staff(page, live_server.url, "reviewer-e", "审核")
    page.goto(live_server.url + f"/admin/news/article/{article.pk}/change/")
    page.fill("#id_title", "待审稿件（改）")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    failures = []
    for name, url in {
        "index": "/admin/",
        "articles": "/admin/news/article/",
        "article form": f"/admin/news/article/{article.pk}/change/",
        "history": f"/admin/news/article/{article.pk}/history/",
    }.items():
        page.goto(live_server.url + url)
        if name == "article form":
            page.wait_for_selector(".ck-editor__editable")
        violations = [v for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING]
        for v in violations:
            targets = ", ".join(" ".join(node["target"]) for node in v["nodes"][:4])
            failures.append(f"{name}: [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])}×: {targets})")
    context.close()
    assert not failures, "\n".join(failures)
