"""采用 of a contributed item: 官网 follows publishing on every path, 公众号 and 上级媒体 (with its outlet) are
ticked by the reviewer, 退回 needs a reason the contributor sees and sends the item back to be revised."""

import pytest
from django.urls import reverse

from news.models import Article
from tests.factories import article_change_url as change_url
from tests.factories import article_form_data as form_data
from union_site.contributions.models import Unit

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def unit(db):
    return Unit.objects.create(name="博兴县总工会", type=Unit.Type.COUNTY)


@pytest.fixture
def submitted(make_article, unit):
    return make_article(status=Status.REVIEW, contributing_unit=unit, title="博兴县职工技能大赛开幕")


@pytest.fixture
def as_reviewer(client, reviewer):
    client.force_login(reviewer)
    return client


def errors_of(response):
    return response.context["adminform"].form.errors


def test_publishing_adopts_for_the_site_and_the_reviewer_adds_wechat(as_reviewer, submitted):
    data = form_data(submitted, status=Status.PUBLISHED, adoption="pending", is_used_on_wechat="on")
    assert as_reviewer.post(change_url(submitted), data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.adoption == "adopted" and submitted.adopted_at is not None
    assert submitted.is_used_on_site and submitted.is_used_on_wechat and not submitted.is_used_upstream


def test_publishing_from_the_list_adopts_for_the_site_too(as_reviewer, submitted):
    url = reverse("admin:news_article_changelist")
    as_reviewer.post(url, {"action": "publish_now", "_selected_action": [submitted.pk], "index": "0"})
    submitted.refresh_from_db()
    assert submitted.status == Status.PUBLISHED and submitted.is_used_on_site and submitted.adoption == "adopted"


def test_an_article_of_the_city_union_itself_is_no_contribution(make_article):
    article = make_article(status=Status.PUBLISHED)
    assert article.adoption == "pending" and not article.is_used_on_site and article.adopted_at is None


def test_upstream_media_needs_the_outlets_name(as_reviewer, submitted):
    response = as_reviewer.post(change_url(submitted), form_data(submitted, is_used_upstream="on"))
    assert errors_of(response)["upstream_outlet"] == ["勾选了“上级媒体”，请写明刊用的媒体名称，如：工人日报。"]
    response = as_reviewer.post(change_url(submitted), form_data(submitted, upstream_outlet="工人日报"))
    assert errors_of(response)["is_used_upstream"] == ["写了上级媒体名称，请同时勾选“上级媒体”。"]
    submitted.refresh_from_db()
    assert submitted.adoption == "pending" and not submitted.is_used_upstream

    data = form_data(submitted, is_used_upstream="on", upstream_outlet="工人日报")
    assert as_reviewer.post(change_url(submitted), data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.adoption == "adopted" and submitted.upstream_outlet == "工人日报"
    assert submitted.status == Status.REVIEW and not submitted.is_used_on_site  # used upstream, not (yet) on the site


def test_adopted_needs_a_channel(as_reviewer, submitted):
    response = as_reviewer.post(change_url(submitted), form_data(submitted, adoption="adopted"))
    assert errors_of(response)["adoption"] == ["采用须有渠道：发布到官网，或勾选公众号、上级媒体。"]
    submitted.refresh_from_db()
    assert submitted.adoption == "pending"


def test_returning_needs_a_reason_and_sends_the_item_back_to_its_correspondent(as_reviewer, submitted):
    response = as_reviewer.post(change_url(submitted), form_data(submitted, adoption="returned"))
    assert errors_of(response)["return_reason"] == ["退回时请写明原因，来稿单位的通讯员会看到。"]

    data = form_data(submitted, adoption="returned", return_reason="时效性不强，请补充现场图片后再报。")
    assert as_reviewer.post(change_url(submitted), data).status_code == 302
    submitted.refresh_from_db()
    assert submitted.adoption == "returned" and submitted.status == Status.DRAFT
    assert submitted.return_reason == "时效性不强，请补充现场图片后再报。"


def test_a_returned_item_submitted_again_waits_for_a_decision(client, editor, make_article, unit):
    item = make_article(status=Status.DRAFT, contributing_unit=unit, adoption="returned", return_reason="请补充图片")
    client.force_login(editor)
    assert client.post(change_url(item), form_data(item, status=Status.REVIEW)).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.REVIEW and item.adoption == "pending"


def test_an_item_used_somewhere_cannot_be_returned(as_reviewer, make_article, unit):
    item = make_article(contributing_unit=unit)  # published: used on the site
    response = as_reviewer.post(change_url(item), form_data(item, adoption="returned", return_reason="不用了"))
    assert errors_of(response)["adoption"] == ["已采用（官网）的稿件不能退回。"]
    item.refresh_from_db()
    assert item.adoption == "adopted"


def test_taking_an_item_down_keeps_its_adoption(make_article, unit):
    item = make_article(contributing_unit=unit, is_used_on_wechat=True)
    item.status = Status.ARCHIVED
    item.save()
    item.refresh_from_db()
    assert item.adoption == "adopted" and item.is_used_on_site and item.is_used_on_wechat


def test_the_article_page_names_the_unit_and_its_column_lists_the_units_items(client, make_article, unit, column):
    other = Unit.objects.create(name="无棣县总工会", type=Unit.Type.COUNTY)
    mine = make_article(contributing_unit=unit, title="博兴县的来稿")
    theirs = make_article(contributing_unit=other, title="无棣县的来稿")
    make_article(title="市总工会的消息")
    page = client.get(mine.get_absolute_url()).content.decode()
    link = f"{column.get_absolute_url()}?unit={unit.pk}"
    assert "来稿单位：" in page and f'href="{link}"' in page and "博兴县总工会" in page

    listing = client.get(link).content.decode()
    assert mine.title in listing and theirs.title not in listing and "市总工会的消息" not in listing
    assert "博兴县总工会（1）" in listing and "无棣县总工会（1）" in listing
    assert client.get(f"{column.get_absolute_url()}?unit=999").status_code == 404


def test_renaming_a_unit_ends_the_cached_article_page(client, make_article, unit):
    item = make_article(contributing_unit=unit)
    assert "博兴县总工会" in client.get(item.get_absolute_url()).content.decode()
    unit.name = "博兴县总工会（新名）"
    unit.save()
    response = client.get(item.get_absolute_url())
    assert response["X-Cache"] == "MISS" and "博兴县总工会（新名）" in response.content.decode()
