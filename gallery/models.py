import hashlib
import json
import uuid
from dataclasses import dataclass
from functools import cache

from django.core.files.storage import default_storage
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFill, ResizeToFit

from union_site.common.concurrency import VersionedModel
from union_site.common.fields import user_stamp
from union_site.common.text import CleanTextMixin


def photo_upload_to(instance, filename):
    """A generated name: the uploader's file name never reaches the disk."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"photos/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{ext}"


THUMB = (480, 320)
MEDIUM = (960, 960)
LARGE = (1920, 1920)
JPEG = {"quality": 82, "progressive": True}
WEBP = {"quality": 80}


def _resize(width, height, to_width, to_height, upscale):
    """pilkit's Resize: the new size, or the old one when it would enlarge and `upscale` is off."""
    if upscale or (to_width < width and to_height < height):
        return to_width, to_height
    return width, height


def processed_size(processors, width, height):
    """The size `processors` give an image of width x height, computed as pilkit computes it (no pixel is read).
    Knows the processors the gallery's specs use; another one is a programming error, said at once."""
    for processor in processors:
        if isinstance(processor, ResizeToFill):  # ResizeToCover, then Crop
            ratio = max(processor.width / width, processor.height / height)
            width, height = _resize(width, height, round(width * ratio), round(height * ratio), processor.upscale)
            width, height = min(width, processor.width), min(height, processor.height)
        elif isinstance(processor, ResizeToFit) and processor.width and processor.height and not processor.mat_color:
            ratio = min(processor.width / width, processor.height / height)
            width, height = _resize(width, height, round(width * ratio), round(height * ratio), processor.upscale)
        else:
            raise NotImplementedError(f"gallery.models.processed_size: add the geometry of {processor!r}")
    return width, height


@dataclass(frozen=True)
class Rendition:
    """One rendition of a photo as stored in Photo.renditions: its storage name and its size in pixels."""

    name: str
    width: int
    height: int

    @property
    def url(self):
        return default_storage.url(self.name)

    @property
    def size(self):
        return self.width, self.height


# 网页标签 of the gallery's pages (union_site/compliance.py): the gallery is one column, of ColumnType 新闻动态.
GALLERY_PAGE_META = {"ColumnName": "活动图集", "ColumnType": "新闻动态"}


class AlbumQuerySet(models.QuerySet):
    def published(self):
        """The one definition of "visible to the public" for albums, and for their photos (PhotoQuerySet)."""
        return self.filter(is_published=True)

    def for_listing(self):
        """Listing order, with the cover and the number of photos shown. The count is a subquery per album, which
        PostgreSQL works out only for the albums of the page (after ORDER BY … LIMIT), where a join counted every
        photo of every album first."""
        shown = Photo.objects.ready().filter(album=models.OuterRef("pk")).order_by().values("album")
        photo_count = models.Subquery(shown.annotate(n=models.Count("pk")).values("n"))
        return (
            self.select_related("cover")
            .annotate(photo_count=Coalesce(photo_count, 0, output_field=models.IntegerField()))
            .order_by("-event_on", "-id")
        )


class Album(CleanTextMixin, VersionedModel):
    title = models.CharField(_("相册名称"), max_length=200, unique=True)
    event_on = models.DateField(_("活动日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=100, blank=True)
    description = models.TextField(_("说明"), blank=True)
    cover = models.ForeignKey(
        "Photo",
        verbose_name=_("封面照片"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("从本相册的照片中选一张；不选则用第一张。"),
    )
    is_published = models.BooleanField(
        _("在网站显示"),
        default=False,
        help_text=_(
            "新相册默认不显示：上传照片、给每张照片填好替代文字或图片说明后再勾选。有照片两项都没填时不能勾选。"
        ),
    )
    note = models.TextField(_("编辑备注"), blank=True, help_text=_("只在后台可见，如原图说存疑之处。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = user_stamp(_("最后修改人"))

    objects = AlbumQuerySet.as_manager()

    class Meta:
        verbose_name = _("相册")
        verbose_name_plural = _("相册")
        ordering = ["-event_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("gallery:album", kwargs={"pk": self.pk})

    @property
    def shown_cover(self):
        """The cover as the public pages show it: None when there is none or its renditions are not made yet (a
        bulk upload still being processed), so pages fall back as for an album without a cover. Read where the
        album is already published, so this is PhotoQuerySet.published() for one photo."""
        cover = self.cover if self.cover_id else None
        return cover if cover and cover.renditions_ready else None

    @property
    def share_image(self):
        """The picture a share of this album shows (its cover's medium rendition); "" without a shown cover."""
        cover = self.shown_cover
        return cover.rendition_url("medium") if cover else ""

    def page_meta(self):
        """The album page's 网页标签; None leaves a tag to the site's default (union_site/compliance.py)."""
        return {
            **GALLERY_PAGE_META,
            "og:title": self.title,
            "og:description": self.description or None,
            "og:image": self.share_image or None,
        }


class PhotoQuerySet(models.QuerySet):
    def published(self):
        """Photos of published albums (Album's rule, not a copy of it) whose renditions are made."""
        return self.filter(album__in=Album.objects.published()).ready()

    def ready(self):
        """Photos whose renditions exist: not those of a bulk upload the task worker has not processed yet."""
        return self.filter(renditions_ready=True)

    def processing(self):
        """Photos waiting for the task worker to make their renditions (gallery/tasks.py), failed ones included."""
        return self.filter(renditions_ready=False)

    def missing_alt(self):
        """Photos with neither 替代文字 nor 图片说明: nothing to tell a reader who cannot see them."""
        return self.filter(alt_text="", caption="")


class RenditionsField(models.JSONField):
    """Photo.renditions, brought up to date as the row is written (save, create, bulk_create; not raw loads, which
    keep what they load): fields are written in order, so `image` has stored its upload and has its final name."""

    def pre_save(self, model_instance, add):
        model_instance.current_renditions(store=False)
        return super().pre_save(model_instance, add)


class Photo(CleanTextMixin, models.Model):
    album = models.ForeignKey(Album, verbose_name=_("相册"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("图片"),
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
        help_text=_("JPEG、PNG、WebP 或 GIF。"),
    )
    caption = models.TextField(_("图片说明"), blank=True, help_text=_("照片下方的文字，说明人物、事件和地点。"))
    alt_text = models.CharField(
        _("替代文字"),
        max_length=200,
        blank=True,
        help_text=_("给看不见图片的读者（读屏软件）描述画面；不填则用图片说明。"),
    )
    credit = models.CharField(_("摄影/来源"), max_length=100, blank=True)
    taken_at = models.DateTimeField(_("拍摄时间"), null=True, blank=True)
    order = models.PositiveIntegerField(_("排序"), default=0)
    width = models.PositiveIntegerField(_("宽"), editable=False, default=0)
    height = models.PositiveIntegerField(_("高"), editable=False, default=0)
    is_placeholder = models.BooleanField(
        _("示意图"), default=False, help_text=_("演示用的占位图片，请在后台换成真实照片。")
    )
    note = models.TextField(_("编辑备注"), blank=True, help_text=_("只在后台可见，如原图说存疑之处。"))
    original_name = models.CharField(
        _("原文件名"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("上传时电脑或手机上的文件名（ZIP 里的照片带压缩包名），只在后台显示；存储用生成的文件名。"),
    )
    # SHA-256 of the bytes as uploaded (before the validator re-encodes them): the same file uploaded again into the
    # album is found and skipped (gallery/bulk.py). Empty for photos added before it was recorded.
    content_hash = models.CharField(_("内容指纹"), max_length=64, blank=True, editable=False)
    # Empty for photos uploaded before this was recorded (the annual report then counts the album's creation time).
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True, null=True)
    # After `image` (its file is stored, so its name is final, by the time this field is written): see RenditionsField.
    renditions = RenditionsField(
        _("各尺寸图片"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("各尺寸图片的文件名和像素大小，保存照片时自动填写。"),
    )

    # False from a bulk upload until the task worker has made the renditions (gallery/tasks.py): until then the
    # photo is not on the site. A failure there leaves it False and says why in renditions_error.
    renditions_ready = models.BooleanField(
        _("缩略图已生成"), default=True, editable=False, help_text=_("批量上传的照片在后台生成缩略图后才在网站显示。")
    )
    renditions_error = models.CharField(_("缩略图生成失败原因"), max_length=300, blank=True, editable=False)

    objects = PhotoQuerySet.as_manager()

    # Renditions, made once when the photo is saved (imagekit's Optimistic strategy, unless the photo is not
    # renditions_ready: then by the task worker, gallery/renditions.py) and served as plain files:
    # a 3:2 thumbnail for grids, medium and large for the viewer; each as WebP with a JPEG fallback. These specs name
    # the files; Photo.renditions keeps the names. A changed spec changes the names: stored ones are then made again
    # (rendition_spec_key), and `manage.py generateimages gallery:photo:<kind>` makes the files under the new names.
    thumbnail = ImageSpecField(source="image", processors=[ResizeToFill(*THUMB)], format="JPEG", options=JPEG)
    thumbnail_webp = ImageSpecField(source="image", processors=[ResizeToFill(*THUMB)], format="WEBP", options=WEBP)
    medium = ImageSpecField(
        source="image", processors=[ResizeToFit(*MEDIUM, upscale=False)], format="JPEG", options=JPEG
    )
    medium_webp = ImageSpecField(
        source="image", processors=[ResizeToFit(*MEDIUM, upscale=False)], format="WEBP", options=WEBP
    )
    large = ImageSpecField(source="image", processors=[ResizeToFit(*LARGE, upscale=False)], format="JPEG", options=JPEG)
    large_webp = ImageSpecField(
        source="image", processors=[ResizeToFit(*LARGE, upscale=False)], format="WEBP", options=WEBP
    )
    RENDITIONS = ["thumbnail", "thumbnail_webp", "medium", "medium_webp", "large", "large_webp"]

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")
        ordering = ["album", "order", "id"]
        constraints = [
            # The database decides: two uploads of one file at the same moment cannot both be stored.
            models.UniqueConstraint(
                fields=["album", "content_hash"],
                condition=~models.Q(content_hash=""),
                name="gallery_photo_content_once_per_album",
            )
        ]

    def __str__(self):
        return self.caption[:40] or self.original_name or f"照片 {self.pk or ''}".strip()

    def save(self, *args, **kwargs):
        """A photo loaded while 处理中 and saved later (its caption edited in the album form) keeps what the task
        worker wrote meanwhile: a save never turns a photo back to not ready (only a bulk upload's first save does)."""
        if not self._state.adding and not self.renditions_ready and self.pk:
            stored = Photo.objects.filter(pk=self.pk).values_list("renditions_ready", "renditions_error").first()
            if stored:
                self.renditions_ready, self.renditions_error = stored
        super().save(*args, **kwargs)

    @property
    def has_alt(self):
        return bool(self.alt_text or self.caption)

    @property
    def alt(self):
        """替代文字, else 图片说明, else a description from the album: "{相册名称} 第N张照片", N being the photo's
        place in the album when the page has set `number` (the album page does), never an empty alt."""
        if self.has_alt:
            return self.alt_text or self.caption
        number = getattr(self, "number", None)
        return f"{self.album.title} 第{number}张照片" if number else f"{self.album.title} 的照片"

    # The stored renditions. Pages read names and sizes from Photo.renditions, never from the ImageSpecFields above:
    # imagekit works a name out (pickling and hashing the spec) on every access, ~55 % of an album page's time.

    def made_renditions(self):
        """What Photo.renditions holds for this image: each rendition's name, as imagekit names it from the spec,
        and its size in pixels; `source` and `spec` tell whether it is still current (renditions_are_current)."""
        width, height = self.width or self.image.width, self.height or self.image.height  # 0: not measured yet
        return {"source": self.image.name, "spec": rendition_spec_key(), **self._rendition_files(width, height)}

    def _rendition_files(self, width, height):
        """{kind: {name, width, height}}: the spec's name for this image, and the size it makes of width x height."""
        files = {}
        for kind in self.RENDITIONS:
            cachefile = getattr(self, kind)  # imagekit: the spec, and the name it gives this image
            size = processed_size(cachefile.generator.processors, width, height)
            files[kind] = {"name": cachefile.name, "width": size[0], "height": size[1]}
        return files

    def renditions_are_current(self):
        stored = self.renditions or {}
        return stored.get("source") == self.image.name and stored.get("spec") == rendition_spec_key()

    def current_renditions(self, store=True):
        """Photo.renditions, made again first when missing or out of date (a new image, a changed spec); with
        `store`, a saved photo keeps what was made (one UPDATE, once)."""
        if self.image and not self.renditions_are_current():
            self.renditions = self.made_renditions()
            if store and self.pk:
                Photo.objects.filter(pk=self.pk).update(renditions=self.renditions)
        return self.renditions if self.image else {}

    def rendition(self, kind):
        """One stored rendition ("thumbnail", "medium_webp", …: Photo.RENDITIONS) as a Rendition; None without an
        image."""
        stored = self.current_renditions()
        return Rendition(**stored[kind]) if stored else None

    def rendition_url(self, kind):
        rendition = self.rendition(kind)
        return rendition.url if rendition else ""

    @property
    def rendered(self):
        """Every stored rendition by kind, for templates: photo.rendered.large.url, photo.rendered.large.width."""
        stored = self.current_renditions()
        return {kind: Rendition(**stored[kind]) for kind in self.RENDITIONS} if stored else {}

    @property
    def medium_size(self):
        return self.rendition("medium").size

    @property
    def large_size(self):
        return self.rendition("large").size

    def _srcset(self, thumbnail, medium):
        """The thumbnail, and the medium rendition when it is wider (a tiny original's medium would only be worse)."""
        thumbnail, medium = self.rendition(thumbnail), self.rendition(medium)
        candidates = [f"{thumbnail.url} {thumbnail.width}w"]
        if medium.width > thumbnail.width:
            candidates.append(f"{medium.url} {medium.width}w")
        return ", ".join(candidates)

    @property
    def srcset(self):
        """srcset of the JPEG renditions, for an <img> as wide as a thumbnail or more."""
        return self._srcset("thumbnail", "medium")

    @property
    def srcset_webp(self):
        """The same candidates in WebP, for a <source type="image/webp">."""
        return self._srcset("thumbnail_webp", "medium_webp")

    def media_files(self):
        """Every stored file of this photo: the upload and its renditions (names need no file access)."""
        if not self.image:
            return []
        stored = self.current_renditions(store=False)  # read by deletes, exports and the orphan finder: no write
        return [self.image.name] + [stored[kind]["name"] for kind in self.RENDITIONS]

    def get_absolute_url(self):
        return self.album.get_absolute_url() + f"?photo={self.pk}"  # the album page finds the photo's page


def renditions_of(image_name, width, height):
    """Photo.renditions for an image stored as `image_name`, of width x height (migration 0005 fills old rows)."""
    return Photo(image=image_name, width=width, height=height).made_renditions()


@cache
def rendition_spec_key():
    """A digest of what the specs, imagekit's namer and its folder make of one probe image: stored renditions made
    under other specs are out of date, and made again from the specs (the one source of the names)."""
    made = Photo(image="probe/probe.jpg", width=4000, height=3000)._rendition_files(4000, 3000)
    return hashlib.md5(json.dumps(made, sort_keys=True).encode(), usedforsecurity=False).hexdigest()[:12]
