"""Alt text on every image: an album cannot be switched to 在网站显示 while a photo has neither 替代文字 nor 图片说明,
new albums start hidden, and a photo without either in an album already shown gets a descriptive fallback."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gallery.models import Album, Photo
from gallery.views import PHOTOS_PER_PAGE
from tests.factories import jpeg, make_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def album(db):
    """Five photos; the 2nd, 4th and 5th have neither caption nor alt text (as a bulk upload leaves them)."""
    album = Album.objects.create(title="全市首届职工运动会")
    for order, (caption, alt_text) in enumerate(
        [("田径比赛。", ""), ("", ""), ("", "运动员冲过终点"), ("", ""), ("", "")], start=1
    ):
        make_photo(album, order=order, caption=caption, alt_text=alt_text)
    return album


def change_url(album):
    return reverse("admin:gallery_album_change", args=[album.pk])


def form_data(album, publish=True, photo_changes=None):
    """The album's change form as the admin sends it; photo_changes: {order: {field: value}}."""
    photos = list(album.photos.order_by("order", "id"))
    data = {
        "title": album.title,
        "place": "",
        "description": "",
        "note": "",
        "photos-TOTAL_FORMS": len(photos),
        "photos-INITIAL_FORMS": len(photos),
        "photos-MIN_NUM_FORMS": 0,
        "photos-MAX_NUM_FORMS": 1000,
    }
    if publish:
        data["is_published"] = "on"
    for i, photo in enumerate(photos):
        row = {"caption": photo.caption, "alt_text": photo.alt_text, "credit": "", "order": photo.order}
        row.update((photo_changes or {}).get(photo.order, {}))
        data.update({f"photos-{i}-{key}": value for key, value in row.items()})
        data.update({f"photos-{i}-id": photo.pk, f"photos-{i}-album": album.pk})
    return data


def test_new_albums_start_hidden(client, reviewer):
    assert Album.objects.create(title="新相册").is_published is False
    client.force_login(reviewer)
    form = client.get(reverse("admin:gallery_album_add")).context["adminform"].form
    assert form.initial.get("is_published", form.fields["is_published"].initial) is False


def test_publishing_is_refused_while_photos_lack_alt_text_and_nothing_is_saved(client, reviewer, album):
    client.force_login(reviewer)
    data = form_data(album, photo_changes={1: {"caption": "田径比赛开幕。"}})
    data["title"] = "改过的相册名"
    response = client.post(change_url(album), data)
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.non_form_errors()
    message = " ".join(errors)
    assert "有 3 张照片既没有替代文字也没有图片说明（第 2、4、5 张）" in message
    assert "再勾选“在网站显示”" in message
    assert "有 3 张照片既没有替代文字也没有图片说明（第 2、4、5 张）" in response.content.decode()
    album.refresh_from_db()
    assert album.is_published is False and album.title == "全市首届职工运动会"
    assert album.photos.get(order=1).caption == "田径比赛。"  # the photo edit in the same form was not saved either


def test_only_the_first_few_are_named(client, reviewer):
    album = Album.objects.create(title="大相册")
    for order in range(1, 9):
        make_photo(album, order=order)
    client.force_login(reviewer)
    response = client.post(change_url(album), form_data(album))
    message = " ".join(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert "有 8 张照片" in message and "第 1、2、3、4、5 张等" in message


def test_filling_the_blanks_in_the_same_form_allows_publishing(client, reviewer, album):
    client.force_login(reviewer)
    changes = {2: {"alt_text": "跳远比赛"}, 4: {"caption": "颁奖仪式。"}, 5: {"alt_text": "全体合影"}}
    response = client.post(change_url(album), form_data(album, photo_changes=changes))
    assert response.status_code == 302, response.content.decode()[:1000]
    album.refresh_from_db()
    assert album.is_published is True
    assert not album.photos.missing_alt().exists()


def test_saving_hidden_is_always_allowed(client, reviewer, album):
    client.force_login(reviewer)
    data = form_data(album, publish=False)
    data["place"] = "滨州市体育中心"
    assert client.post(change_url(album), data).status_code == 302
    album.refresh_from_db()
    assert album.place == "滨州市体育中心" and not album.is_published


def test_deleting_the_photos_without_alt_text_allows_publishing(client, reviewer, album):
    client.force_login(reviewer)
    data = form_data(album)
    for i in (1, 3, 4):  # rows of the 2nd, 4th and 5th photos
        data[f"photos-{i}-DELETE"] = "on"
    assert client.post(change_url(album), data).status_code == 302
    album.refresh_from_db()
    assert album.is_published and album.photos.count() == 2


def test_photos_uploaded_while_the_form_was_open_count_too(client, reviewer):
    album = Album.objects.create(title="相册")
    make_photo(album, order=1, caption="有图说")
    data = form_data(album)
    make_photo(album, order=2)  # e.g. a bulk upload in another tab
    client.force_login(reviewer)
    response = client.post(change_url(album), data)
    message = " ".join(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert "有 1 张照片" in message and "刚上传" in message
    album.refresh_from_db()
    assert not album.is_published


def test_an_album_already_shown_can_still_be_saved_and_the_editor_is_warned(client, reviewer, album):
    Album.objects.filter(pk=album.pk).update(is_published=True)
    client.force_login(reviewer)
    data = form_data(album)
    data["place"] = "滨州市体育中心"
    response = client.post(change_url(album), data, follow=True)
    assert response.status_code == 200
    album.refresh_from_db()
    assert album.place == "滨州市体育中心" and album.is_published
    messages = [str(m) for m in response.context["messages"]]
    assert any("3 张照片既没有替代文字也没有图片说明" in m and "全市首届职工运动会 第N张照片" in m for m in messages)


def test_bulk_upload_reminds_the_editor(client, editor):
    album = Album.objects.create(title="待整理的相册")
    client.force_login(editor)
    upload = SimpleUploadedFile("1.jpg", jpeg())
    response = client.post(reverse("admin:gallery_album_upload", args=[album.pk]), {"files": [upload]}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("勾选“在网站显示”" in m for m in messages)


# --- the public page -------------------------------------------------------------------------------------------------


def alts(page):
    return re.findall(r'<img [^>]*alt="([^"]*)"', page.split('<ul class="photo-grid">')[1].split("</ul>")[0])


def test_photos_without_alt_text_get_a_descriptive_fallback(client, album):
    Album.objects.filter(pk=album.pk).update(is_published=True)  # shown before the photos were added
    page = client.get(album.get_absolute_url()).content.decode()
    assert alts(page) == [
        "田径比赛。",
        "全市首届职工运动会 第2张照片",
        "运动员冲过终点",
        "全市首届职工运动会 第4张照片",
        "全市首届职工运动会 第5张照片",
    ]
    assert 'alt=""' not in page.split('<ul class="photo-grid">')[1]


def test_the_fallback_counts_across_pages(client):
    album = Album.objects.create(title="大相册", is_published=True)
    Photo.objects.bulk_create(
        [Photo(album=album, order=i, image=f"photos/x/{i}.jpg", width=60, height=40) for i in range(1, 52)]
    )
    page = client.get(album.get_absolute_url() + "?page=2").content.decode()
    assert alts(page) == [f"大相册 第{n}张照片" for n in range(PHOTOS_PER_PAGE + 1, 52)]


def test_alt_text_wins_over_caption():
    photo = Photo(album=Album(title="相册"), caption="图说", alt_text="替代文字")
    assert photo.alt == "替代文字"
    photo.alt_text = ""
    assert photo.alt == "图说"
    photo.caption = ""
    assert photo.alt == "相册 的照片"
    photo.number = 3
    assert photo.alt == "相册 第3张照片"


def test_demo_albums_load_shown_because_every_photo_has_a_caption(demo, client):
    assert not Album.objects.filter(is_published=False).exists()
    assert not Photo.objects.missing_alt().exists()
    page = client.get(reverse("gallery:list")).content.decode()
    for album in Album.objects.all():
        assert album.title in page.replace("&ldquo;", "“").replace("&rdquo;", "”") or album.get_absolute_url() in page
