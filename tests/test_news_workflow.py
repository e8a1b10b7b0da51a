"""The editorial workflow, enforced on the server: editors write and submit, reviewers publish."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article

pytestmark = pytest.mark.django_db
Status = Article.Status


def form_data(article, **changes):
    local = timezone.localtime(article.publish_at)
    data = {
        "column": article.column_id,
        "kicker": article.kicker,
        "title": article.title,
        "subtitle": article.subtitle,
        "byline": article.byline,
        "source": article.source,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "review_comment": article.review_comment,
        "publish_at_0": local.strftime("%Y-%m-%d"),
        "publish_at_1": local.strftime("%H:%M:%S"),
        "unpublish_at_0": "",
        "unpublish_at_1": "",
        "album": "",
        "note": article.note,
    }
    data.update(changes)
    return data


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


@pytest.fixture
def draft(make_article):
    return make_article(status=Status.DRAFT, title="待写完的稿子")


def test_editor_submits_a_draft_for_review(client, editor, draft):
    client.force_login(editor)
    response = client.post(change_url(draft), form_data(draft, status=Status.REVIEW))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW and draft.submitted_at is not None


def test_editor_cannot_publish_with_a_crafted_post(client, editor, draft):
    client.force_login(editor)
    response = client.post(change_url(draft), form_data(draft, status=Status.PUBLISHED))
    assert response.status_code == 200  # the form comes back with an error
    assert "有效" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_editor_cannot_create_an_article_already_published(client, editor, column):
    client.force_login(editor)
    data = {"column": column.pk, "title": "偷偷发布", "status": Status.PUBLISHED}
    client.post(reverse("admin:news_article_add"), data)
    assert not Article.objects.filter(title="偷偷发布", status=Status.PUBLISHED).exists()


def test_editor_cannot_schedule_pin_or_headline(client, editor, draft):
    client.force_login(editor)
    later = timezone.localtime() + timedelta(days=3)
    data = form_data(draft, is_pinned="on", is_headline="on", publish_at_0=later.strftime("%Y-%m-%d"))
    client.post(change_url(draft), data)
    before = draft.publish_at
    draft.refresh_from_db()
    assert not draft.is_pinned and not draft.is_headline
    assert draft.publish_at == before


def test_editor_cannot_change_a_published_article(client, editor, make_article):
    article = make_article(title="已发布的原文")
    client.force_login(editor)
    client.post(change_url(article), form_data(article, title="编辑偷偷改了"))
    article.refresh_from_db()
    assert article.title == "已发布的原文"


def test_reviewer_schedules_an_article_and_it_appears_on_time(client, reviewer, draft, monkeypatch):
    client.force_login(reviewer)
    later = timezone.localtime() + timedelta(hours=2)
    data = form_data(
        draft,
        status=Status.PUBLISHED,
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M:%S"),
        is_pinned="on",
    )
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.is_scheduled and draft.is_pinned
    changelist = client.get(reverse("admin:news_article_changelist")).content.decode()
    assert "定时发布" in changelist

    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    future = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: future)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_reviewer_rejects_with_a_comment_the_editor_reads(client, reviewer, editor, make_article):
    article = make_article(status=Status.REVIEW, title="需要修改的稿子")
    client.force_login(reviewer)
    client.post(change_url(article), form_data(article, status=Status.DRAFT, review_comment="第二段数据请核实。"))
    article.refresh_from_db()
    assert article.status == Status.DRAFT and article.review_comment == "第二段数据请核实。"
    client.force_login(editor)
    assert "第二段数据请核实。" in client.get(change_url(article)).content.decode()
    assert "已驳回" in client.get(reverse("admin:news_article_changelist")).content.decode()


def action(client, name, *articles):
    return client.post(
        reverse("admin:news_article_changelist"),
        {"action": name, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_bulk_actions_respect_the_same_rules(client, editor, reviewer, make_article):
    drafts = [make_article(status=Status.DRAFT) for _ in range(2)]
    published = make_article()
    client.force_login(editor)
    action(client, "submit_for_review", *drafts, published)
    assert {a.status for a in Article.objects.filter(pk__in=[d.pk for d in drafts])} == {Status.REVIEW}
    assert Article.objects.get(pk=published.pk).status == Status.PUBLISHED

    assert 'value="publish_now"' not in client.get(reverse("admin:news_article_changelist")).content.decode()
    action(client, "publish_now", *drafts)  # a crafted POST of an action not offered
    assert not Article.objects.filter(pk__in=[d.pk for d in drafts], status=Status.PUBLISHED).exists()

    client.force_login(reviewer)
    page = client.get(reverse("admin:news_article_changelist")).content.decode()
    assert "待审核稿件 2 篇" in page
    action(client, "publish_now", *drafts)
    assert Article.objects.filter(pk__in=[d.pk for d in drafts], status=Status.PUBLISHED).count() == 2
    action(client, "withdraw", published)
    assert Article.objects.get(pk=published.pk).status == Status.ARCHIVED
    action(client, "pin", published)
    assert Article.objects.get(pk=published.pk).is_pinned


def test_report_staff_and_visitors_cannot_reach_the_workflow(client, reporter, draft):
    assert client.post(change_url(draft), form_data(draft, status=Status.PUBLISHED)).status_code == 302  # to login
    client.force_login(reporter)
    client.post(change_url(draft), form_data(draft, status=Status.PUBLISHED))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert client.get(draft.get_absolute_url()).status_code == 200  # staff preview
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
