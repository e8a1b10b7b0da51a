"""通讯员 (基层投稿): an account bound to one 来稿单位 writes and submits that unit's items only, on the server —
other units' items are never listed, opened or previewed, and forged unit, status or 采用 fields in a POST do
nothing."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from news.models import Article
from tests.factories import article_change_url as change_url
from tests.factories import article_form_data as form_data
from union_site.contributions.models import Correspondent, Unit
from union_site.roles import CORRESPONDENT

pytestmark = pytest.mark.django_db
Status = Article.Status
ADD_URL = reverse("admin:news_article_add")
LIST_URL = reverse("admin:news_article_changelist")


@pytest.fixture
def own_unit(db):
    return Unit.objects.create(name="滨城区总工会", type=Unit.Type.COUNTY)


@pytest.fixture
def other_unit(db):
    return Unit.objects.create(name="沾化区总工会", type=Unit.Type.COUNTY)


def correspondent_account(username, unit=None):
    user = User.objects.create_user(username, password="pw-for-tests-only", is_staff=True)
    user.groups.add(Group.objects.get(name=CORRESPONDENT))
    if unit:
        Correspondent.objects.create(user=user, unit=unit)
    return user


@pytest.fixture
def correspondent(own_unit):
    return correspondent_account("tongxun1", own_unit)


@pytest.fixture
def as_correspondent(client, correspondent):
    client.force_login(correspondent)
    return client


def new_item(column, **changes):
    data = {
        "column": column.pk,
        "title": "滨城区总工会开展送清凉活动",
        "body": "<p>近日，滨城区总工会走进一线。</p>",
        "status": Status.DRAFT,
        "publish_at_0": "2026-03-02",
        "publish_at_1": "09:00:00",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_a_new_item_is_the_correspondents_unit_whatever_the_post_says(
    as_correspondent, correspondent, own_unit, other_unit, column
):
    forged = new_item(
        column,
        contributing_unit=other_unit.pk,
        adoption="adopted",
        is_used_on_wechat="on",
        is_used_upstream="on",
        upstream_outlet="工人日报",
        is_pinned="on",
    )
    assert as_correspondent.post(ADD_URL, forged).status_code == 302
    item = Article.objects.get(title="滨城区总工会开展送清凉活动")
    assert item.contributing_unit == own_unit and item.contributor == correspondent
    assert item.status == Status.DRAFT and item.adoption == "pending"
    assert not (item.is_used_on_wechat or item.is_used_upstream or item.upstream_outlet or item.is_pinned)


def test_a_correspondent_submits_but_cannot_publish(as_correspondent, own_unit, make_article):
    item = make_article(status=Status.DRAFT, contributing_unit=own_unit, title="我单位的稿子")
    response = as_correspondent.post(change_url(item), form_data(item, status=Status.PUBLISHED))
    assert "“发布”须由审核人员操作，您没有这项权限。" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.DRAFT

    assert as_correspondent.post(change_url(item), form_data(item, status=Status.REVIEW)).status_code == 302
    item.refresh_from_db()
    assert item.status == Status.REVIEW and item.submitted_at is not None


def test_a_correspondent_cannot_move_its_item_to_another_unit(as_correspondent, own_unit, other_unit, make_article):
    item = make_article(status=Status.DRAFT, contributing_unit=own_unit)
    forged = form_data(
        item, title="改了标题", contributing_unit=other_unit.pk, return_reason="伪造", adoption="returned"
    )
    assert as_correspondent.post(change_url(item), forged).status_code == 302
    item.refresh_from_db()
    assert item.title == "改了标题"  # the edit itself is saved
    assert item.contributing_unit == own_unit and item.adoption == "pending" and item.return_reason == ""


def test_other_units_items_are_never_listed_opened_or_previewed(as_correspondent, own_unit, other_unit, make_article):
    mine = make_article(status=Status.REVIEW, contributing_unit=own_unit, title="本单位待审稿件")
    theirs = make_article(status=Status.DRAFT, contributing_unit=other_unit, title="沾化区的草稿")
    city = make_article(status=Status.DRAFT, title="市总工会自己的草稿")
    page = as_correspondent.get(LIST_URL).content.decode()
    assert mine.title in page and theirs.title not in page and city.title not in page
    for item in (theirs, city):
        for url in (change_url(item), reverse("admin:news_article_history", args=[item.pk]), item.get_absolute_url()):
            response = as_correspondent.get(url)
            assert response.status_code in (302, 403, 404), url
            assert item.title not in response.content.decode()
        as_correspondent.post(change_url(item), form_data(item, title="被改了"))
        item.refresh_from_db()
        assert item.title != "被改了"


def test_bulk_submit_reaches_only_the_correspondents_own_items(as_correspondent, own_unit, other_unit, make_article):
    mine = make_article(status=Status.DRAFT, contributing_unit=own_unit)
    theirs = make_article(status=Status.DRAFT, contributing_unit=other_unit)
    as_correspondent.post(
        LIST_URL, {"action": "submit_for_review", "_selected_action": [mine.pk, theirs.pk], "index": "0"}
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Status.REVIEW and theirs.status == Status.DRAFT


def test_a_published_item_is_read_only_to_its_correspondent(as_correspondent, own_unit, make_article):
    item = make_article(contributing_unit=own_unit, title="已采用的稿件")
    page = as_correspondent.get(change_url(item))
    assert page.status_code == 200 and "已采用的稿件" in page.content.decode()
    as_correspondent.post(change_url(item), form_data(item, title="采用后又改"))
    item.refresh_from_db()
    assert item.title == "已采用的稿件"


def test_an_account_not_bound_to_a_unit_sees_and_adds_nothing(client, own_unit, make_article, column):
    make_article(status=Status.DRAFT, contributing_unit=own_unit, title="滨城区的草稿")
    client.force_login(correspondent_account("weibangding"))
    assert "滨城区的草稿" not in client.get(LIST_URL).content.decode()
    assert client.post(ADD_URL, new_item(column)).status_code == 403
    assert not Article.objects.filter(title="滨城区总工会开展送清凉活动").exists()


def test_an_editor_sets_the_unit_but_not_the_adoption(client, editor, own_unit, make_article):
    item = make_article(status=Status.DRAFT)
    client.force_login(editor)
    forged = form_data(item, contributing_unit=own_unit.pk, adoption="adopted", is_used_on_wechat="on")
    assert client.post(change_url(item), forged).status_code == 302
    item.refresh_from_db()
    assert item.contributing_unit == own_unit
    assert item.adoption == "pending" and not item.is_used_on_wechat


def test_the_correspondents_list_shows_each_items_state(as_correspondent, own_unit, make_article):
    make_article(status=Status.DRAFT, contributing_unit=own_unit, title="待处理的稿子")
    make_article(contributing_unit=own_unit, title="采用的稿子", is_used_on_wechat=True)
    make_article(
        status=Status.DRAFT,
        contributing_unit=own_unit,
        title="退回的稿子",
        adoption="returned",
        return_reason="内容重复",
    )
    page = as_correspondent.get(LIST_URL).content.decode()
    assert "待处理" in page and "采用（官网、公众号）" in page and "退回：内容重复" in page
