"""图片库清单 as a person opens it: per-album counts of photos missing a caption or alt text, placeholders, disk space
that survives a missing file, the list of photos to complete with their admin links, and a flat query count."""

import csv
import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from gallery import exports as gallery_exports
from gallery.models import Album, Photo
from tests.factories import encoded, make_photo, noisy, xlsx_workbook
from union_site.reports import writers as exports

pytestmark = pytest.mark.django_db

ALBUM_HEADER = [
    "相册",
    "活动日期",
    "地点",
    "在网站显示",
    "照片数",
    "缺少图片说明",
    "缺少替代文字",
    "示意图（占位）",
    "原图占用（MB）",
    "含缩略图合计（MB）",
]
PHOTO_HEADER = ["相册", "照片编号", "文件名", "图片说明", "缺少", "后台链接"]


def noisy_jpeg():
    """About 0.1 MB, so the space shows in a column rounded to 0.01 MB."""
    return ContentFile(encoded(noisy((400, 300)), "JPEG", quality=95), "big.jpg")


def sheets(document):
    book = xlsx_workbook(document)
    return {s.title: (list(rows[2]), [list(r) for r in rows[3:]]) for s in book.worksheets if (rows := list(s.values))}


def by_first_cell(rows):
    return {row[0]: row[1:] for row in rows}


@pytest.fixture
def albums(db):
    shown = Album.objects.create(
        title="全市职工运动会", event_on=date(2025, 5, 1), place="滨州市体育中心", is_published=True
    )
    make_photo(shown, caption="开幕式", alt_text="运动员入场")
    make_photo(shown, caption="", alt_text="拔河比赛")
    make_photo(shown, caption="颁奖", alt_text="")
    make_photo(shown, caption="", alt_text="")
    hidden = Album.objects.create(title="尚未整理的相册", is_published=False)
    make_photo(hidden, caption="示意", alt_text="示意", is_placeholder=True)
    return shown, hidden


def test_album_table_counts_missing_captions_alt_texts_and_placeholders(albums):
    header, rows = sheets(gallery_exports.document())["相册"]
    assert header == ALBUM_HEADER
    table = by_first_cell(rows)
    assert [row[0] for row in rows] == ["全市职工运动会", "尚未整理的相册", "合计"]
    assert table["全市职工运动会"][1:7] == ["滨州市体育中心", "是", 4, 2, 2, 0]
    assert table["全市职工运动会"][0].date() == date(2025, 5, 1)  # an Excel date, read back as a datetime
    assert table["尚未整理的相册"][1:7] == [None, "否", 1, 0, 0, 1]
    assert table["合计"][:7] == [None, None, None, 5, 2, 2, 1]
    assert all(isinstance(value, int) for value in table["合计"][3:7])
    assert all(isinstance(value, int | float) for value in table["合计"][7:])  # numbers, not text


def test_unpublished_albums_can_be_left_out(albums):
    document = gallery_exports.document(include_unpublished=False)
    book = sheets(document)
    assert [row[0] for row in book["相册"][1]] == ["全市职工运动会", "合计"]
    assert document.filters == [("相册范围", "只含在网站显示的相册")]


def test_space_is_counted_from_the_files_and_a_deleted_file_counts_as_zero(db):
    album = Album.objects.create(title="有大图的相册")
    photo = Photo.objects.create(album=album, caption="大图", alt_text="大图", image=noisy_jpeg())
    assert all(default_storage.exists(name) for name in photo.media_files())  # renditions made on save
    original = default_storage.size(photo.image.name)
    everything = sum(default_storage.size(name) for name in photo.media_files())
    row = by_first_cell(sheets(gallery_exports.document())["相册"][1])["有大图的相册"]
    assert row[-2] == pytest.approx(original / 1024 / 1024, abs=0.005) and row[-2] > 0
    assert row[-1] == pytest.approx(everything / 1024 / 1024, abs=0.005) and row[-1] > row[-2]

    default_storage.delete(photo.image.name)  # lost on the server; the row stays
    document = gallery_exports.document()
    row = by_first_cell(sheets(document)["相册"][1])["有大图的相册"]
    assert row[-2] == 0
    assert row[-1] == pytest.approx((everything - original) / 1024 / 1024, abs=0.005)
    assert "有 1 张照片的原图文件在服务器上找不到" in document.tables[0].note


def test_photos_to_complete_list_what_is_missing_with_their_admin_links(albums):
    shown, _ = albums
    header, rows = sheets(gallery_exports.document())["待补充说明的照片"]
    assert header == PHOTO_HEADER
    photos = list(shown.photos.order_by("order", "id"))
    assert [row[1] for row in rows] == [p.pk for p in photos[1:]]
    assert [row[4] for row in rows] == ["图片说明", "替代文字", "图片说明、替代文字"]
    assert {row[0] for row in rows} == {"全市职工运动会"}
    assert rows[0][2] == photos[1].image.name.rsplit("/", 1)[-1]
    assert rows[0][5] == reverse("admin:gallery_photo_change", args=[photos[1].pk])


def test_csv_has_provenance_and_booleans_in_chinese(albums):
    text = b"".join(exports.iter_csv(gallery_exports.document())).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["报表", "图片库清单"] in rows
    assert ["筛选条件", "相册范围：全部相册（含未在网站显示的）"] in rows
    assert rows[rows.index(["相册"]) + 1] == ALBUM_HEADER
    shown = next(row for row in rows if row and row[0] == "全市职工运动会" and len(row) == len(ALBUM_HEADER))
    assert shown[1:8] == ["2025-05-01", "滨州市体育中心", "是", "4", "2", "2", "0"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [({}, True), ({"include_unpublished": "true"}, True), ({"include_unpublished": "false"}, False)]
    + [({"include_unpublished": "0"}, False), ({"include_unpublished": False}, False)],
)
def test_form_binds_from_a_query_string_or_a_command_dict(data, expected):
    form = gallery_exports.Form(data)
    assert form.is_valid()
    assert form.cleaned_data == {"include_unpublished": expected}


def test_unbound_form_offers_to_include_everything():
    html = str(gallery_exports.Form()["include_unpublished"])
    assert '<option value="true" selected>包含</option>' in html
    assert '<option value="false">不包含</option>' in html


def test_query_count_is_flat_from_3_to_30_albums(db, django_assert_max_num_queries):
    def add(start, n):
        for i in range(start, start + n):
            album = Album.objects.create(title=f"相册{i}", is_published=i % 2 == 0)
            make_photo(album, caption="" if i % 3 else "图说")

    add(0, 3)
    with django_assert_max_num_queries(8) as small:
        sheets(gallery_exports.document())
    add(3, 27)
    with django_assert_max_num_queries(len(small.captured_queries)):
        book = sheets(gallery_exports.document())
    assert by_first_cell(book["相册"][1])["合计"][3] == 30
