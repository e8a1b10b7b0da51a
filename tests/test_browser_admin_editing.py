"""The article admin as an editor sees it in Chromium at 1280 px: the body's 小标题 styled in the editor as on the
site, 字数 instead of an English word count, no English badge, the 替换文本 form opened for every uploaded picture;
the history page in Chinese; a published article read-only with the line saying who may change it."""

from pathlib import Path

import pytest

from news.models import Article, Column
from tests.factories import jpeg, log_in_staff, written

SHOTS = Path(__file__).resolve().parent.parent / "test-results"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page(open_page, role_groups):
    SHOTS.mkdir(exist_ok=True)
    return open_page(viewport={"width": 1280, "height": 900})


def test_editor_writes_with_site_styles_a_character_count_and_is_asked_for_alt_text(live_server, page, tmp_path):
    Column.objects.create(name="工会要闻", slug="union-news")
    log_in_staff(page, live_server.url, "editor-b", "编辑")
    page.goto(live_server.url + "/admin/news/article/add/")
    page.select_option("#id_column", label="工会要闻")
    page.fill("#id_title", "职工运动会开幕")
    assert page.locator("#id_publish_at").count() == 0 or page.input_value("#id_publish_at_0") == ""

    body = page.locator(".ck-editor__editable")
    body.click()
    page.locator(".ck-heading-dropdown button.ck-dropdown__button").click()
    page.get_by_role("menuitemradio", name="小标题").click()
    page.keyboard.type("开幕式")
    page.keyboard.press("Enter")
    page.keyboard.type("全市职工运动会今天开幕。")
    heading = body.locator("h2")
    style = heading.evaluate("h => { const s = getComputedStyle(h); return [s.color, s.textAlign, s.fontSize]; }")
    assert style == ["rgb(164, 22, 26)", "center", "21px"]  # as .article-body h2 on the public page
    assert heading.evaluate("h => getComputedStyle(h).backgroundColor") == "rgba(0, 0, 0, 0)"  # not the admin's band
    indent = body.locator("p").first.evaluate("p => getComputedStyle(p).textIndent")
    assert indent == "38px"  # 2em of 19px, as on the site

    count = page.locator(".ck-editor-container .word-count")
    assert count.inner_text() == "字数：15"  # 开幕式 + 全市职工运动会今天开幕。(punctuation counts, spaces do not)
    assert "单词" not in page.content()
    assert not page.locator(".ck-powered-by").is_visible()

    photo = written(tmp_path / "开幕式.jpg", jpeg((800, 600)))
    page.locator("input.ck-hidden[type=file]").set_input_files(str(photo))
    form = page.locator(".ck-text-alternative-form")
    form.wait_for(state="visible")
    assert "给看不见图片的读者使用" in form.inner_text()
    assert "1 张图片还没有替代文字" in count.inner_text()
    page.screenshot(path=str(SHOTS / "editor-alt-prompt.png"))
    form.locator("input").fill("运动员入场")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('.word-count').textContent.includes('替代文字')")

    page.select_option("#id_status", label="待审核")
    page.click("input[name=_save]")
    assert "成功" in page.locator(".messagelist li.success").first.inner_text()
    article = Article.objects.get(title="职工运动会开幕")
    assert article.status == Article.Status.REVIEW and 'alt="运动员入场"' in article.body
    assert article.publish_at is None

    page.goto(live_server.url + f"/admin/news/article/{article.pk}/change/")
    paragraph = page.locator(".ck-editor__editable p", has_text="全市职工运动会今天开幕")
    paragraph.click()
    page.keyboard.press("End")
    page.keyboard.type("共有 3000 名职工参加。")
    page.click("input[name=_save]")
    page.locator(".messagelist li.success").first.wait_for()

    page.goto(live_server.url + f"/admin/news/article/{article.pk}/history/")
    table = page.locator("#change-history")
    assert table.locator("thead").inner_text().split() == ["时间", "修改人", "操作", "状态", "修改内容", "版本"]
    assert "editor-b" in table.inner_text() and "None" not in table.inner_text()
    assert table.locator("ins").first.inner_text() == "共有 3000 名职工参加。"  # the words added, not markup
    assert "<p>" not in table.inner_text() and "修改原因" not in table.inner_text()
    page.screenshot(path=str(SHOTS / "history.png"), full_page=True)


def test_an_editor_at_a_published_article_reads_it_as_the_site_shows_it(live_server, page):
    column = Column.objects.create(name="工会要闻", slug="union-news")
    article = Article.objects.create(
        column=column, title="已发布稿件", body="<h2>一、总体情况</h2><p>正文。</p>", status=Article.Status.PUBLISHED
    )
    log_in_staff(page, live_server.url, "editor-c", "编辑")
    page.goto(live_server.url + f"/admin/news/article/{article.pk}/change/")
    assert page.get_by_role("note").first.inner_text().startswith("已发布的文章只能由审核人员修改")
    heading = page.locator(".admin-article-body h2")
    assert heading.inner_text() == "一、总体情况"
    assert heading.evaluate("h => getComputedStyle(h).color") == "rgb(164, 22, 26)"
    assert heading.evaluate("h => getComputedStyle(h).backgroundColor") == "rgba(0, 0, 0, 0)"
    page.screenshot(path=str(SHOTS / "read-only.png"))
