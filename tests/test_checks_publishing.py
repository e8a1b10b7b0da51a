"""The checks before publishing (union_site/checks/gate.py): a 禁用 word or personal data keeps an article from
已发布 — on the change form and in 立即发布 — until a reviewer ticks the override and writes a reason (recorded, and
in the article's history); 提醒 never blocks; submitting shows the hits; albums and figures alike."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from achievements.models import Metric, Period, Section
from gallery.models import Album
from news.models import Article
from tests.factories import article_change_url as change_url
from tests.factories import article_form_data as form_data
from tests.factories import document_upload, make_photo, pdf
from union_site.checks.models import CheckOverride

pytestmark = pytest.mark.django_db
Status = Article.Status
ID_NUMBER = "372301199001011238"
NAME_LIST = f"<p>获奖名单：</p><table><tr><td>张三</td><td>{ID_NUMBER}</td></tr></table><p>大家要再接再励。</p>"
OVERRIDE = {"checks_override": "on", "checks_override_reason": "名单经本人同意公开，报上级审批。"}


@pytest.fixture
def waiting(make_article):
    return make_article(status=Status.REVIEW, title="表彰名单公示", body=NAME_LIST)


def publish(client, article, **extra):
    return client.post(change_url(article), form_data(article, status=Status.PUBLISHED, **extra))


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_reviewer_sees_every_hit_in_its_sentence(client, reviewer, waiting):
    client.force_login(reviewer)
    page = client.get(change_url(waiting)).content.decode()
    assert "内容检查：禁用词 1 处、个人信息 1 处" in page
    assert "<mark>再接再励</mark>" in page and "建议改为“再接再厉”" in page
    assert "<mark>372***********1238</mark>" in page
    assert ID_NUMBER not in page.split('id="content-checks"')[1].split("</section>")[0]  # masked in the panel
    assert 'name="checks_override"' in page


def test_publishing_is_refused_from_the_form(client, reviewer, waiting):
    client.force_login(reviewer)
    response = publish(client, waiting)
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [
        "不能发布：内容检查发现禁用词 1 处、个人信息 1 处（见上方检查结果）。请修改；确需发布的，请勾选“忽略以上问题，"
        "仍然发布”并写明理由。"
    ]
    waiting.refresh_from_db()
    assert waiting.status == Status.REVIEW
    assert not CheckOverride.objects.exists()


def test_the_override_needs_a_reason(client, reviewer, waiting):
    client.force_login(reviewer)
    response = publish(client, waiting, checks_override="on", checks_override_reason="  ")
    assert response.context["adminform"].form.errors["checks_override_reason"] == ["请写明忽略检查、仍然发布的理由。"]
    waiting.refresh_from_db()
    assert waiting.status == Status.REVIEW


def test_publishing_with_override_and_reason_is_recorded(client, reviewer, waiting):
    client.force_login(reviewer)
    response = publish(client, waiting, **OVERRIDE)
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Status.PUBLISHED
    record = CheckOverride.objects.get()
    assert record.content_object == waiting and record.user == reviewer
    assert record.reason == OVERRIDE["checks_override_reason"]
    assert "正文：身份证号“372***********1238”" in record.summary and "禁用词“再接再励”" in record.summary
    latest = waiting.history.first()
    assert OVERRIDE["checks_override_reason"] in latest.history_change_reason
    history = client.get(reverse("admin:news_article_history", args=[waiting.pk])).content.decode()
    assert OVERRIDE["checks_override_reason"] in history
    assert "忽略检查发布记录" in client.get(reverse("admin:content_checks_checkoverride_changelist")).content.decode()


def test_what_was_overridden_does_not_stop_the_next_edit_but_new_findings_do(client, reviewer, waiting):
    client.force_login(reviewer)
    publish(client, waiting, **OVERRIDE)
    waiting.refresh_from_db()
    assert client.post(change_url(waiting), form_data(waiting, summary="表彰名单")).status_code == 302
    waiting.refresh_from_db()
    response = client.post(change_url(waiting), form_data(waiting, summary="联系电话 13805431234"))
    assert response.status_code == 200 and "个人信息 1 处" in response.context["adminform"].form.non_field_errors()[0]


def test_warnings_never_block(client, reviewer, make_article):
    article = make_article(status=Status.REVIEW, body="<p>这样做既使职工受益。截止目前已有百余人报名。</p>")
    client.force_login(reviewer)
    response = publish(client, article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    (message,) = [m for m in messages_of(response) if "内容检查" in m]
    assert "提醒 2 处" in message and "<mark>既使</mark>" in message and "建议改为“截至目前”" in message


def test_submitting_shows_the_hits_and_is_not_blocked(client, editor, make_article):
    draft = make_article(status=Status.DRAFT, body=NAME_LIST)
    client.force_login(editor)
    page = client.get(change_url(draft)).content.decode()
    assert "<mark>再接再励</mark>" in page
    assert 'name="checks_override"' not in page  # not the editor's to override
    response = client.post(change_url(draft), form_data(draft, status=Status.REVIEW))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW
    (message,) = [m for m in messages_of(response) if "内容检查" in m]
    assert "禁用词 1 处、个人信息 1 处" in message and "<mark>再接再励</mark>" in message
    assert ID_NUMBER not in message


def test_an_attachment_name_typed_in_the_same_save_is_checked(client, reviewer, make_article):
    article = make_article(status=Status.REVIEW)
    client.force_login(reviewer)
    data = form_data(article, status=Status.PUBLISHED)
    data.update(
        {
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-file": document_upload("名单.pdf", pdf()),
            "attachments-0-title": f"张三身份证{ID_NUMBER}",
            "attachments-0-order": "0",
        }
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 200
    report = response.context["adminform"].form.content_report
    assert [(f.field, f.hit) for f in report.blocking] == [("附件显示名称", "372***********1238")]


def action(client, name, *articles):
    return client.post(
        reverse("admin:news_article_changelist"),
        {"action": name, "_selected_action": [a.pk for a in articles]},
        follow=True,
    )


def test_the_bulk_action_publishes_the_clean_ones_and_names_the_others(client, reviewer, make_article, waiting):
    clean = make_article(status=Status.REVIEW, title="干净的稿子")
    warned = make_article(status=Status.DRAFT, title="有提醒的稿子", body="<p>截止目前共有10人。</p>")
    client.force_login(reviewer)
    response = action(client, "publish_now", clean, warned, waiting)
    assert set(Article.objects.filter(status=Status.PUBLISHED).values_list("title", flat=True)) == {
        "干净的稿子",
        "有提醒的稿子",
    }
    texts = [str(m) for m in response.context["messages"]]
    assert "已发布：2 篇。" in texts
    assert any("以下 1 篇有禁用词或个人信息，未发布：《表彰名单公示》" in t for t in texts)
    assert not any("状态不符" in t for t in texts)
    assert any("《有提醒的稿子》" in t and "<mark>截止目前</mark>" in t for t in texts)


def test_the_bulk_action_publishes_what_was_overridden_before(client, reviewer, waiting):
    client.force_login(reviewer)
    publish(client, waiting, **OVERRIDE)
    action(client, "withdraw", waiting)
    client.post(change_url(waiting), form_data(Article.objects.get(pk=waiting.pk), status=Status.DRAFT))
    action(client, "publish_now", waiting)
    assert Article.objects.get(pk=waiting.pk).status == Status.PUBLISHED


def test_bulk_submit_shows_the_hits(client, editor, make_article):
    draft = make_article(status=Status.DRAFT, title="待提交的名单", body=NAME_LIST)
    client.force_login(editor)
    texts = [str(m) for m in action(client, "submit_for_review", draft).context["messages"]]
    assert Article.objects.get(pk=draft.pk).status == Status.REVIEW
    assert any("《待提交的名单》" in t and "<mark>再接再励</mark>" in t for t in texts)


# --- albums and figures -----------------------------------------------------------------------------------------


def album_form(album, **changes):
    photos = list(album.photos.order_by("order", "id"))
    data = {
        "title": album.title,
        "place": "",
        "description": "",
        "note": "",
        "is_published": "on",
        "photos-TOTAL_FORMS": len(photos),
        "photos-INITIAL_FORMS": len(photos),
        "photos-MIN_NUM_FORMS": 0,
        "photos-MAX_NUM_FORMS": 1000,
    }
    for i, photo in enumerate(photos):
        row = {"id": photo.pk, "album": album.pk, "caption": photo.caption, "alt_text": photo.alt_text, "order": 1}
        data.update({f"photos-{i}-{key}": value for key, value in row.items()})
    data.update(changes)
    return data


def test_an_album_with_personal_data_in_a_caption_is_not_shown(client, editor, reviewer):
    album = Album.objects.create(title="慰问困难职工")
    make_photo(album, caption="慰问困难职工李四（电话13805431234）", alt_text="")
    url = reverse("admin:gallery_album_change", args=[album.pk])
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert "<mark>138****1234</mark>" in page and "第 1 张照片的图片说明" in page
    response = client.post(url, album_form(album))
    assert response.status_code == 200
    assert "请修改后再发布" in response.context["adminform"].form.non_field_errors()[0]  # editors cannot override
    assert not Album.objects.get(pk=album.pk).is_published

    client.force_login(reviewer)
    assert client.post(url, album_form(album, **OVERRIDE)).status_code == 302
    assert Album.objects.get(pk=album.pk).is_published
    assert CheckOverride.objects.get().content_object == album


def test_a_caption_corrected_in_the_same_save_lets_the_album_show(client, editor):
    album = Album.objects.create(title="慰问困难职工")
    make_photo(album, caption="慰问困难职工李四（电话13805431234）", alt_text="")
    client.force_login(editor)
    data = album_form(album, **{"photos-0-caption": "慰问困难职工"})
    assert client.post(reverse("admin:gallery_album_change", args=[album.pk]), data).status_code == 302
    assert Album.objects.get(pk=album.pk).is_published


def test_a_figure_with_a_wrong_word_is_saved_with_a_warning(client, editor):
    period = Period.objects.create(name="第六次代表大会以来", start_year=2018, end_year=2023, headline="数说五年")
    section = Section.objects.create(period=period, title="维权服务", order=1)
    metric = Metric.objects.create(section=section, label="法律援助站点", value=134, unit="处")
    client.force_login(editor)
    data = {
        "section": section.pk,
        "label": "中华总工会法律援助站点",
        "value": "134",
        "unit": "处",
        "qualifier": "",
        "scope": "cumulative",
        "order": "0",
        "source_text": "",
        "source_document": "",
        "note": "",
        "loaded_version": metric.version,
        "values-TOTAL_FORMS": "0",
        "values-INITIAL_FORMS": "0",
        "values-MIN_NUM_FORMS": "0",
        "values-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:achievements_metric_change", args=[metric.pk]), data)
    assert response.status_code == 302
    assert Metric.objects.get(pk=metric.pk).label == "中华总工会法律援助站点"
    (message,) = [m for m in messages_of(response) if "内容检查" in m]
    assert "<mark>中华总工会</mark>" in message and "建议改为“中华全国总工会”" in message
    page = client.get(reverse("admin:achievements_metric_change", args=[metric.pk])).content.decode()
    assert "<mark>中华总工会</mark>" in page and 'name="checks_override"' not in page


def photo_form(photo, **changes):
    data = {"album": photo.album_id, "caption": photo.caption, "alt_text": photo.alt_text, "credit": "", "order": 0}
    data.update({"taken_at_0": "", "taken_at_1": "", "note": "", **changes})
    return data


def test_a_photo_edited_on_its_own_in_a_shown_album_passes_the_checks(client, editor, reviewer):
    shown, hidden = Album.objects.create(title="劳模表彰", is_published=True), Album.objects.create(title="备选")
    photo = make_photo(shown, caption="劳模代表发言", alt_text="劳模代表在主席台发言")
    url = reverse("admin:gallery_photo_change", args=[photo.pk])
    leak = "劳模代表李四（电话13805431234）发言"
    client.force_login(editor)
    response = client.post(url, photo_form(photo, caption=leak))
    assert response.status_code == 200 and "请修改后再发布" in response.context["adminform"].form.non_field_errors()[0]
    photo.refresh_from_db()
    assert photo.caption == "劳模代表发言"  # the shown album's page never had the number

    hidden_photo = make_photo(hidden, caption="", alt_text="")
    hidden_url = reverse("admin:gallery_photo_change", args=[hidden_photo.pk])
    assert client.post(hidden_url, photo_form(hidden_photo, caption=leak)).status_code == 302  # not public: saved
    moved = client.post(hidden_url, photo_form(hidden_photo, caption=leak, album=shown.pk))
    assert moved.status_code == 200  # moving it into the shown album would publish it

    client.force_login(reviewer)
    assert client.post(url, photo_form(photo, caption=leak, **OVERRIDE)).status_code == 302
    assert CheckOverride.objects.get().content_object == photo
