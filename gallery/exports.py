"""图片库清单: every album with its photo count, the photos still missing a caption or alt text, the demo
placeholders, and the disk space its files take; then the photos to complete, each with its admin link.

Space is read from storage for each photo's upload and its six renditions (Photo.media_files()); a file that is not
there counts as 0 and the table's note says how many uploads were missing. Photos are read as plain values, never as
model instances: a Photo instance whose width is unknown makes Django open the image file to measure it.
"""

import posixpath
from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.core.files.storage import default_storage
from django.db.models import Count, F, Q
from django.urls import reverse

from gallery.models import Album, Photo
from union_site.reports.writers import Column, Document, Table

TOTAL = "合计"
INTEGER, MEGABYTES = "#,##0", "#,##0.00"
MB = 1024 * 1024
ALL_ALBUMS = "全部相册（含未在网站显示的）"
PUBLISHED_ALBUMS = "只含在网站显示的相册"


class YesNoSelect(forms.NullBooleanSelect):
    """包含/不包含. Reads true/false, 1/0 and booleans alike, so a command's dict binds as a query string does."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("true", "包含"), ("false", "不包含")]

    def format_value(self, value):
        return {"1": "true", "0": "false"}.get(value) or super().format_value(value)

    def value_from_datadict(self, data, files, name):
        return data.get(name)  # NullBooleanField.to_python turns it into True, False or None


class Form(forms.Form):
    # A select, not a checkbox: an unticked checkbox sends nothing, so a command passing no filters would get False.
    include_unpublished = forms.NullBooleanField(
        label="包含未在网站显示的相册", required=False, initial=True, widget=YesNoSelect
    )

    def clean_include_unpublished(self):
        value = self.cleaned_data.get("include_unpublished")
        return True if value is None else value


# Reading ---------------------------------------------------------------------------------------------------------


def albums_for(include_unpublished):
    albums = Album.objects.all() if include_unpublished else Album.objects.published()
    return albums.order_by(F("event_on").desc(nulls_last=True), "-id")


def file_size(name, storage=default_storage):
    """Bytes of a stored file; 0 when it is not there (deleted by hand, never generated, lost in a restore)."""
    if not name:
        return 0
    try:
        return storage.size(name)
    except OSError:
        return 0


def photo_file_names(image_name, renditions=None):
    """Photo.media_files() for a stored image name and its stored renditions, without a query and without opening
    the image: the width and height given here only stop Django measuring the file (rendition names depend on the
    image name alone, and are worked out from it only when `renditions` is missing or out of date)."""
    return Photo(image=image_name, width=1, height=1, renditions=renditions or {}).media_files()


def album_storage(album_ids, storage=default_storage):
    """({album_id: (original_bytes, all_bytes)}, missing_uploads) for the photos of these albums."""
    sizes, missing = {}, 0
    photos = Photo.objects.filter(album_id__in=album_ids).values_list("album_id", "image", "renditions").order_by()
    for album_id, image_name, renditions in photos.iterator(chunk_size=500):
        names = photo_file_names(image_name, renditions)
        original = file_size(names[0], storage) if names else 0
        renditions = sum(file_size(name, storage) for name in names[1:])
        missing += bool(image_name) and original == 0
        before = sizes.get(album_id, (0, 0))
        sizes[album_id] = (before[0] + original, before[1] + original + renditions)
    return sizes, missing


def megabytes(size):
    return (Decimal(size) / MB).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def missing_label(caption, alt_text):
    return "、".join(label for label, value in [("图片说明", caption), ("替代文字", alt_text)] if not value)


# Rows ------------------------------------------------------------------------------------------------------------


def album_rows(albums, sizes):
    counted = albums.annotate(
        photo_count=Count("photos"),
        missing_caption=Count("photos", filter=Q(photos__caption="")),
        missing_alt=Count("photos", filter=Q(photos__alt_text="")),
        placeholders=Count("photos", filter=Q(photos__is_placeholder=True)),
    ).values_list(
        "id",
        "title",
        "event_on",
        "place",
        "is_published",
        "photo_count",
        "missing_caption",
        "missing_alt",
        "placeholders",
    )
    rows, totals = [], [0, 0, 0, 0, 0, 0]
    for album_id, title, event_on, place, is_published, *counts in counted:
        original, everything = sizes.get(album_id, (0, 0))
        numbers = [*counts, original, everything]
        totals = [a + b for a, b in zip(totals, numbers, strict=True)]
        rows.append([title, event_on, place, is_published, *counts, megabytes(original), megabytes(everything)])
    rows.append([TOTAL, None, None, None, *totals[:4], megabytes(totals[4]), megabytes(totals[5])])
    return rows


def photo_to_complete_rows(albums):
    photos = (
        Photo.objects.filter(album__in=albums)
        .filter(Q(caption="") | Q(alt_text=""))
        .order_by(F("album__event_on").desc(nulls_last=True), "-album_id", "order", "id")
        .values_list("album__title", "id", "image", "caption", "alt_text")
    )
    for album_title, photo_id, image_name, caption, alt_text in photos.iterator(chunk_size=500):
        yield [
            album_title,
            photo_id,
            posixpath.basename(image_name),
            caption,
            missing_label(caption, alt_text),
            reverse("admin:gallery_photo_change", args=[photo_id]),
        ]


# The document ----------------------------------------------------------------------------------------------------


def document(include_unpublished=True):
    albums = albums_for(include_unpublished)
    sizes, missing = album_storage(albums.values("id"))
    missing_note = f"有 {missing} 张照片的原图文件在服务器上找不到，占用按 0 计，请在后台重新上传。" if missing else ""
    tables = [
        Table(
            "相册",
            [
                Column("相册", width=40),
                Column("活动日期"),
                Column("地点"),
                Column("在网站显示"),
                Column("照片数", INTEGER),
                Column("缺少图片说明", INTEGER),
                Column("缺少替代文字", INTEGER),
                Column("示意图（占位）", INTEGER),
                Column("原图占用（MB）", MEGABYTES),
                Column("含缩略图合计（MB）", MEGABYTES),
            ],
            album_rows(albums, sizes),
            note=(
                "缺少替代文字时网站用图片说明代替；示意图是演示用的占位图片，应换成真实照片。"
                "占用空间含原图和网站使用的 6 种缩略图（1 MB = 1024×1024 字节）。" + missing_note
            ),
        ),
        Table(
            "待补充说明的照片",
            [
                Column("相册", width=40),
                Column("照片编号"),
                Column("文件名"),
                Column("图片说明", width=40),
                Column("缺少"),
                Column("后台链接"),
            ],
            photo_to_complete_rows(albums),
            note="缺少图片说明或替代文字的照片；两者都缺的，读屏软件的用户得不到任何描述，应优先补充。"
            "后台链接接在网站地址之后打开。",
        ),
    ]
    return Document(
        title="图片库清单",
        short_name="图片库清单",
        source="本站图片库；占用空间按服务器上的原图和缩略图文件计算",
        tables=tables,
        filters=[("相册范围", ALL_ALBUMS if include_unpublished else PUBLISHED_ALBUMS)],
    )
