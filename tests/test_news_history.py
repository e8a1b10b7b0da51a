"""Every save of an article is kept: who, when, what changed; an old version can be restored; two people
editing at once do not silently overwrite each other."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from news.models import Article
from tests.factories import article_change_url as change_url
from tests.factories import article_form_data as form_data

pytestmark = pytest.mark.django_db
Status = Article.Status


def edit(client, article, **changes):
    article.refresh_from_db()
    page = client.get(change_url(article)).content.decode()
    version = page.split('name="loaded_version" value="')[1].split('"')[0]
    return client.post(change_url(article), form_data(article, loaded_version=version, **changes))


def test_history_shows_who_changed_what_and_when(client, editor, reviewer, make_article):
    article = make_article(status=Status.DRAFT, title="初稿标题")
    client.force_login(editor)
    assert edit(client, article, title="改过的标题", status=Status.REVIEW).status_code == 302
    client.force_login(reviewer)
    assert edit(client, article, status=Status.PUBLISHED).status_code == 302

    records = article.history.order_by("history_date")
    assert [r.status for r in records] == [Status.DRAFT, Status.REVIEW, Status.PUBLISHED]
    assert [r.history_user for r in records][1:] == [editor, reviewer]

    page = client.get(reverse("admin:news_article_history", args=[article.pk])).content.decode()
    assert "editor1" in page and "reviewer1" in page
    assert "初稿标题" in page and "改过的标题" in page  # the title change, old → new
    assert "待审核" in page and "已发布" in page


def test_an_old_version_can_be_restored(client, reviewer, make_article):
    article = make_article(title="第一版标题")
    client.force_login(reviewer)
    edit(client, article, title="第二版标题")
    first = article.history.order_by("history_date").first()
    url = reverse("admin:news_article_simple_history", args=[article.pk, first.history_id])
    page = client.get(url).content.decode()
    assert "第一版标题" in page
    version = page.split('name="loaded_version" value="')[1].split('"')[0]
    response = client.post(url, form_data(first.instance, loaded_version=version))
    assert response.status_code == 302, [e for e in response.content.decode().split("errorlist")[1:3]]
    article.refresh_from_db()
    assert article.title == "第一版标题"
    assert article.history.count() == 3


def test_second_editor_is_warned_instead_of_overwriting(editor, reviewer, make_article):
    article = make_article(status=Status.DRAFT, title="共同编辑的稿子")
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(reviewer)
    page_first = first.get(change_url(article)).content.decode()
    page_second = second.get(change_url(article)).content.decode()
    version = page_first.split('name="loaded_version" value="')[1].split('"')[0]
    assert version == page_second.split('name="loaded_version" value="')[1].split('"')[0]

    assert (
        first.post(change_url(article), form_data(article, body="<p>甲的修改</p>", loaded_version=version)).status_code
        == 302
    )
    response = second.post(change_url(article), form_data(article, body="<p>乙的修改</p>", loaded_version=version))
    assert response.status_code == 200
    assert "保存未成功" in response.content.decode()
    article.refresh_from_db()
    assert article.body == "<p>甲的修改</p>"

    # Saving again, knowingly, overwrites: the re-rendered form carries the newer version.
    newer = response.content.decode().split('name="loaded_version" value="')[1].split('"')[0]
    assert newer != version
    assert (
        second.post(change_url(article), form_data(article, body="<p>乙的修改</p>", loaded_version=newer)).status_code
        == 302
    )
    article.refresh_from_db()
    assert article.body == "<p>乙的修改</p>"


def restore_url(record):
    return reverse("admin:news_article_simple_history", args=[record.instance.pk, record.history_id])


def restore(client, record, **changes):
    page = client.get(restore_url(record))
    version = page.content.decode().split('name="loaded_version" value="')[1].split('"')[0]
    return client.post(restore_url(record), form_data(record.instance, loaded_version=version, **changes))


@pytest.fixture
def reopened(client, reviewer, make_article):
    """Published (and pinned) first, then reopened as a draft and unpinned by a reviewer: two versions."""
    article = make_article(title="发布过的版本", is_pinned=True)
    client.force_login(reviewer)
    assert edit(client, article, title="退回修改的版本", status=Status.DRAFT).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.DRAFT and not article.is_pinned
    client.logout()
    return article


def test_editor_cannot_publish_by_restoring_a_published_version(client, editor, reopened):
    published = reopened.history.order_by("history_date").first()
    assert published.status == Status.PUBLISHED
    client.force_login(editor)
    form = client.get(restore_url(published)).context["adminform"].form
    assert [value for value, _label in form.fields["status"].widget.choices] == [Status.DRAFT, Status.REVIEW]
    assert form["status"].value() == Status.DRAFT  # the status it has now, not the old version's

    response = restore(client, published, status=Status.PUBLISHED)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"] == ["“发布”须由审核人员操作，您没有这项权限。"]
    reopened.refresh_from_db()
    assert reopened.status == Status.DRAFT and reopened.title == "退回修改的版本"


def test_editor_restoring_an_old_version_restores_the_text_not_the_reviewers_fields(client, editor, reopened):
    published = reopened.history.order_by("history_date").first()
    client.force_login(editor)
    assert restore(client, published, status=Status.DRAFT).status_code == 302
    reopened.refresh_from_db()
    assert reopened.title == "发布过的版本"  # the text is restored
    assert reopened.status == Status.DRAFT and not reopened.is_pinned  # what only reviewers set is not


def test_restoring_needs_the_right_to_change_the_article_as_it_is_now(client, editor, reporter, make_article):
    article = make_article(title="已发布的原文")
    first = article.history.get()
    for person in (editor, reporter):  # both may view its history; neither may change a published article
        client.force_login(person)
        assert client.get(restore_url(first)).status_code == 200
        response = client.post(restore_url(first), form_data(first.instance, title="借恢复改了"))
        assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "已发布的原文"


def test_reviewer_restoring_follows_the_same_rules_as_saving(client, reviewer, make_article):
    article = make_article(title="撤下的文章")
    client.force_login(reviewer)
    assert edit(client, article, status=Status.ARCHIVED).status_code == 302
    published = article.history.order_by("history_date").first()
    response = restore(client, published, status=Status.PUBLISHED)
    assert response.context["adminform"].form.errors["status"] == ["稿件不能从“已归档”改为“已发布”。"]
    assert restore(client, published, status=Status.DRAFT).status_code == 302  # reopened: the usual path from here
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def history_page(client, article):
    return client.get(reverse("admin:news_article_history", args=[article.pk])).content.decode()


def headers(page):
    return re.findall(r'<th scope="col">([^<]*)</th>', page.split("<thead>")[1].split("</thead>")[0])


def test_history_reads_in_chinese_and_beijing_time(client, reviewer, make_article):
    """Headers in Chinese, times in Beijing time to the minute, the body's change as words of its text (no markup),
    a picture named with its alt text, and no empty 修改原因 column."""
    article = make_article(
        title="劳动竞赛",
        body='<h2>活动</h2><p>全市工会系统深入开展劳动竞赛。</p><figure><img src="/media/e/a1.jpg"></figure>',
    )
    client.force_login(reviewer)
    new_body = (
        '<h2>活动</h2><p>全市工会系统广泛开展劳动竞赛。</p><figure class="image"><img src="/media/e/a1.jpg"'
        ' alt="竞赛现场"></figure><figure class="image"><img src="/media/e/b2.jpg" alt="颁奖"></figure>'
    )
    assert edit(client, article, body=new_body, publish_at_0="2026-12-02", publish_at_1="05:27:32").status_code == 302

    page = history_page(client, article)
    assert headers(page) == ["时间", "修改人", "操作", "状态", "修改内容", "版本"]
    assert "None" not in page and "修改原因" not in page  # no version has one
    assert "2026-12-02 05:27" in page and "+00:00" not in page  # Beijing time, as typed, to the minute
    assert "<del>深入</del><ins>广泛</ins>" in page
    assert "&lt;h2&gt;" not in page and "<h2>活" not in page.split("change-history")[1]  # never markup
    assert "图片 a1.jpg 的替代文字：“（空）” → “竞赛现场”" in page
    assert "新增图片：b2.jpg（替代文字：颁奖）" in page


def test_a_restore_is_labelled_with_the_version_it_brought_back(client, reviewer, make_article):
    article = make_article(title="第一版")
    client.force_login(reviewer)
    edit(client, article, title="第二版")
    first = article.history.order_by("history_date").first()
    assert restore(client, first).status_code == 302
    latest = article.history.order_by("-history_date").first()
    when = timezone.localtime(first.history_date).strftime("%Y-%m-%d %H:%M")
    assert latest.history_change_reason == f"还原到 {when} 系统 的版本"  # the first version was made in code

    page = history_page(client, article)
    assert "修改原因" in headers(page) and f"还原到 {when} 系统 的版本" in page
    assert '<td class="nowrap">还原</td>' in page
