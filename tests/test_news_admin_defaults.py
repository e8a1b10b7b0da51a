"""What the article's admin page starts with and tells its reader: 发布时间 empty until publishing, a published article
shown to an editor as the public page shows it with the line saying who may change it, the 审核意见 of a returned
draft at the top, and no 提交审核 while a picture of the body has no alt text."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article
from tests.factories import article_change_url as change_url
from tests.factories import article_form_data as form_data

pytestmark = pytest.mark.django_db
Status = Article.Status
PICTURE = '<figure class="image"><img src="/media/editor/2026/01/p.jpg"{}></figure>'


def test_a_new_draft_has_no_publishing_time_until_it_is_published(client, editor, reviewer, column):
    client.force_login(editor)
    form = client.get(reverse("admin:news_article_add")).context["adminform"].form
    assert form.initial.get("publish_at") is None
    data = form_data(Article(column=column, title="新稿", body="<p>正文</p>", status=Status.DRAFT))
    assert client.post(reverse("admin:news_article_add"), data).status_code == 302
    article = Article.objects.get(title="新稿")
    assert article.publish_at is None

    preview = client.get(article.get_absolute_url()).content.decode()  # staff preview of the draft
    assert "发布时间：尚未发布" in preview
    for url in ("/news/", "/feeds/news/", "/sitemap-articles.xml", reverse("admin:news_article_changelist")):
        assert client.get(url).status_code == 200, url

    client.force_login(reviewer)
    before = timezone.now()
    assert client.post(change_url(article), form_data(article, status=Status.PUBLISHED)).status_code == 302
    article.refresh_from_db()
    assert article.publish_at >= before - timedelta(seconds=1)  # the moment it was published
    assert "尚未发布" not in client.get(article.get_absolute_url()).content.decode()


def test_an_editor_sees_a_published_article_as_readers_do_and_whom_to_ask(client, editor, make_article):
    article = make_article(title="已发布的稿子", body="<h2>小标题</h2><p>正文<strong>加粗</strong></p>")
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    assert "已发布的文章只能由审核人员修改" in page
    assert '<div class="article-body admin-article-body"><h2>小标题</h2><p>正文<strong>加粗</strong></p></div>' in page
    assert "&lt;h2&gt;" not in page  # not the HTML source


def test_a_reviewers_comment_is_a_banner_at_the_top_for_the_editor(client, editor, make_article):
    article = make_article(status=Status.DRAFT, review_comment="第二段数据请核实来源。")
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    banner = page.index('id="review-comment-banner"')
    assert banner < page.index('id="id_title"')  # above the fields
    assert "第二段数据请核实来源。" in page[banner : page.index('id="id_title"')]
    assert "已发布的文章只能由审核人员修改" not in page


def test_submitting_needs_alt_text_on_every_picture(client, editor, make_article):
    body = "<p>现场。</p>" + PICTURE.format("") + PICTURE.format(' alt="职工代表发言"')
    article = make_article(status=Status.DRAFT, body=body)
    client.force_login(editor)
    response = client.post(change_url(article), form_data(article, status=Status.REVIEW))
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["body"]
    assert error.startswith("正文中的第 1 张图片还没有替代文字（给看不见图片的读者的画面说明），暂不能提交审核。")
    article.refresh_from_db()
    assert article.status == Status.DRAFT

    saved_as_draft = client.post(change_url(article), form_data(article, summary="还在写"))  # drafts may lack it
    assert saved_as_draft.status_code == 302

    article.refresh_from_db()
    captioned = body.replace("</figure>", "<figcaption>会场全景</figcaption></figure>", 1)  # the albums' rule
    assert client.post(change_url(article), form_data(article, body=captioned, status=Status.REVIEW)).status_code == 302
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_bulk_submit_leaves_articles_with_undescribed_pictures_by_name(client, editor, make_article):
    left = make_article(status=Status.DRAFT, title="缺替代文字", body=PICTURE.format(""))
    done = make_article(status=Status.DRAFT, title="图文齐全", body=PICTURE.format(' alt="颁奖"'))
    client.force_login(editor)
    data = {"action": "submit_for_review", "_selected_action": [left.pk, done.pk]}
    page = client.post(reverse("admin:news_article_changelist"), data, follow=True).content.decode()
    assert "以下 1 篇正文中有图片还没有替代文字，未处理：《缺替代文字》。" in page
    left.refresh_from_db()
    done.refresh_from_db()
    assert (left.status, done.status) == (Status.DRAFT, Status.REVIEW)
