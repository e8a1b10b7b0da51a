from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from gallery.bulk import add_photos
from gallery.forms import BulkUploadForm, PhotoCardForm, PhotoForm
from gallery.models import Album, Photo
from gallery.photo_grid import APPLY, PAGE_PARAM, PagedBulkFormSetMixin
from gallery.tasks import enqueue_renditions
from union_site.checks.gate import ContentCheckAdminMixin, ContentCheckFormMixin
from union_site.common.concurrency import EditConflictMixin, RaceSafeAdminMixin
from union_site.common.forms import CleanImageField
from union_site.common.multipart import FileCountHandler, TooManyFiles
from union_site.reports.admin_actions import ExportSelectedMixin

IMAGE_FIELDS = {models.ImageField: {"form_class": CleanImageField}}
LISTED_MISSING = 5  # photos named in the error; the rest are counted


def numbers_text(numbers):
    shown = "、".join(str(n) for n in numbers[:LISTED_MISSING])
    return f"第 {shown} 张" + ("等" if len(numbers) > LISTED_MISSING else "")


class PhotoInlineFormSet(PagedBulkFormSetMixin, BaseInlineFormSet):
    """An album may be switched to 在网站显示 only when every photo has 替代文字 or 图片说明, as this very form
    leaves them (an editor fills the blanks and ticks the box in one go). Photos of the album the form does not
    hold (uploaded meanwhile) are checked in the database. Albums already shown are not blocked: photos added to
    them later get a fallback alt text on the site (Photo.alt) and the editor a warning (AlbumAdmin.save_related)."""

    def clean(self):
        super().clean()
        album = self.instance
        if not album.is_published or self._was_published(album):
            return
        missing, in_form = [], set()
        for number, form in enumerate(self.forms, start=1):  # numbered as the rows of the form
            if form.instance.pk:
                in_form.add(form.instance.pk)
            elif not form.has_changed():
                continue  # an empty extra row
            if self.can_delete and self._should_delete_form(form):
                continue
            data = getattr(form, "cleaned_data", {})
            if not (data.get("alt_text", "").strip() or data.get("caption", "").strip()):
                missing.append(number)
        others = album.photos.exclude(pk__in=in_form).missing_alt().count() if album.pk else 0
        if not missing and not others:
            return
        count = len(missing) + others
        which = numbers_text(missing) if missing else ""
        if others:
            which += ("，另有 " if which else "") + f"{others} 张是刚上传、本页还没列出的"
        raise ValidationError(
            f"相册还不能在网站显示：有 {count} 张照片既没有替代文字也没有图片说明（{which}）。"
            "请给每张照片至少填写其中一项，再勾选“在网站显示”；也可以先不勾选，保存后再补。",
            code="photos_without_alt",
        )

    @staticmethod
    def _was_published(album):
        return bool(album.pk) and Album.objects.published().filter(pk=album.pk).exists()


def preview(photo):
    if not photo.image:
        return "—"
    if not photo.renditions_ready:  # a bulk upload's photo the task worker has not made (or could not make) yet
        if photo.renditions_error:
            return format_html('<strong class="errornote">生成失败</strong><br>{}', photo.renditions_error)
        return format_html("<em>{}</em>", "处理中：正在生成缩略图，完成后在网站显示")
    thumbnail = photo.rendition_url("thumbnail")
    return format_html('<img src="{}" alt="" width="120" height="80" style="object-fit:cover">', thumbnail)


class PhotoInline(admin.TabularInline):
    """The album's photos as a grid of cards, a page at a time (gallery/photo_grid.py): thumbnail and original file
    name, 图片说明 / 替代文字 / 摄影 and 排序 typed in place, 选中 for 应用到所选照片. A photo's picture is replaced on
    its own page (更换图片), new photos come through 批量上传照片."""

    model = Photo
    form = PhotoCardForm
    formset = PhotoInlineFormSet
    template = "admin/gallery/album/photo_grid.html"
    fields = ["caption", "alt_text", "credit", "order"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False  # through 批量上传照片 (one photo too): the grid has no empty card

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        try:
            page = int(request.GET.get(PAGE_PARAM, 1))
        except ValueError:
            page = 1
        return type(formset.__name__, (formset,), {"page_number": page})


class AlbumForm(ContentCheckFormMixin, EditConflictMixin):
    """The model's fields, plus the version and the add form's token; shown on the site only once the content checks
    pass (union_site/checks/gate.py: 禁用 words, personal data in the album's and its photos' texts)."""

    def clean(self):
        cleaned = super().clean()
        self.check_content(publishing=bool(cleaned.get("is_published")))
        return cleaned


@admin.register(Album)
class AlbumAdmin(ContentCheckAdminMixin, RaceSafeAdminMixin, ExportSelectedMixin, admin.ModelAdmin):
    form = AlbumForm
    list_display = ["title", "event_on", "photo_count", "is_published", "updated_at"]
    list_filter = ["is_published", ("event_on", admin.DateFieldListFilter)]
    search_fields = ["title", "description", "place", "note"]
    date_hierarchy = "event_on"
    inlines = [PhotoInline]
    change_form_template = ContentCheckAdminMixin.change_form_template  # the checks' panel over the album's own:
    checks_base_template = "admin/gallery/album/change_form.html"

    class Media:
        css = {"all": ["gallery/photo_grid.css"]}
        js = ["gallery/photo_grid.js"]

    def response_change(self, request, obj):
        """应用到所选照片 saves the page like 保存并继续编辑 and says what it did; the page of photos stays."""
        if APPLY not in request.POST:
            return super().response_change(request, obj)
        applied = getattr(request, "photos_applied", None)
        if applied:
            self.message_user(request, _("已应用到所选的 %(n)d 张照片，并已保存。") % {"n": applied}, messages.SUCCESS)
        else:
            self.message_user(
                request, _("没有应用：请先勾选照片，并填写要应用的图片说明或摄影/来源。"), messages.WARNING
            )
        return redirect(request.get_full_path())

    def save_formset(self, request, form, formset, change):
        if isinstance(formset, PhotoInlineFormSet):
            request.photos_applied = formset.applied
        super().save_formset(request, form, formset, change)

    def get_urls(self):
        # Exempt from the CSRF middleware, which would read the body before the view can count its files;
        # bulk_upload_view checks CSRF itself once it has read the body.
        upload = self.admin_site.admin_view(csrf_exempt(self.bulk_upload_view))
        upload_one = self.admin_site.admin_view(self.upload_file_view)
        return [
            path("<int:album_id>/upload/", upload, name="gallery_album_upload"),
            path("<int:album_id>/upload/file/", upload_one, name="gallery_album_upload_file"),
            *super().get_urls(),
        ]

    def upload_album(self, request, album_id):
        album = get_object_or_404(Album, pk=album_id)
        if not (self.has_change_permission(request, album) and request.user.has_perm("gallery.add_photo")):
            raise PermissionDenied
        return album

    def upload_file_view(self, request, album_id):
        """One file of a bulk upload, as the page's script sends them (gallery/static/gallery/bulk_upload.js): a
        picture, or a ZIP of them, stored as the form would; the answer is each file's row of the report as JSON.
        One file per request keeps every request short, and a failed one can be sent again alone."""
        album = self.upload_album(request, album_id)
        if request.method != "POST":
            return JsonResponse({"error": "请用上传页面发送文件。"}, status=405)
        form = BulkUploadForm(request.POST, request.FILES)
        if not form.is_valid() or len(form.cleaned_data["files"]) != 1:
            return JsonResponse({"error": "每次请求发送一个文件。"}, status=400)
        result = add_photos(album, form.cleaned_data["files"], credit=form.cleaned_data["credit"])
        return JsonResponse(
            {"outcomes": [o.as_dict() for o in result.outcomes], "queued": result.queued or not result.saved}
        )

    def bulk_upload_view(self, request, album_id):
        album = self.upload_album(request, album_id)
        if request.method == "POST":
            request.upload_handlers.insert(0, FileCountHandler(request))
            try:
                request.POST  # noqa: B018 - read now, counting its files, before Django's limit discards them
            except TooManyFiles as refused:
                # Nothing of the body was kept (its CSRF token neither): the answer only shows the form again.
                return self.bulk_upload_page(request, album, BulkUploadForm.refused_for_count(refused.count))
        return csrf_protect(self.bulk_upload)(request, album)

    def bulk_upload(self, request, album):
        form = BulkUploadForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = add_photos(album, form.cleaned_data["files"], credit=form.cleaned_data["credit"])
            clean = not (result.rejected or result.duplicates)
            self.message_user(request, result.summary() + "。", messages.SUCCESS if clean else messages.WARNING)
            if result.saved:
                self.message_user(request, self.processing_note(result), messages.INFO)
                self.message_user(request, self.alt_reminder(album), messages.WARNING)  # still to do: not green
            if clean:
                return redirect(reverse("admin:gallery_album_change", args=[album.pk]))
        return self.bulk_upload_page(request, album, form, result)

    def bulk_upload_page(self, request, album, form, result=None):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "album": album,
            "form": form,
            "result": result,
            "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
            "file_url": reverse("admin:gallery_album_upload_file", args=[album.pk]),
            "album_url": reverse("admin:gallery_album_change", args=[album.pk]),
            "processing_note": self.processing_note(None),
            "alt_reminder": self.alt_reminder(album),
            "title": _("批量上传照片：%(album)s") % {"album": album.title},
        }
        return TemplateResponse(request, "admin/gallery/album/bulk_upload.html", context)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_count=Count("photos"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The album page says how many photos wait for their renditions (处理中) and how many failed."""
        waiting = Photo.objects.filter(album_id=object_id).processing() if str(object_id).isdigit() else None
        counts = {"processing": 0, "failed": 0}
        if waiting is not None:
            counts = waiting.aggregate(
                processing=Count("id", filter=models.Q(renditions_error="")),
                failed=Count("id", filter=~models.Q(renditions_error="")),
            )
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "renditions": counts})

    @staticmethod
    def processing_note(result):
        if result is not None and not result.queued:
            return _("缩略图任务未能排队，照片暂不在网站显示：请稍后在“照片”列表中选中它们，执行“重新生成缩略图”。")
        return _("照片正在后台生成缩略图，处理完成后（通常一分钟内）在网站显示；相册页面会显示还有几张在处理中。")

    @staticmethod
    def alt_reminder(album):
        if album.is_published:
            return _(
                "新照片处理完成后即在网站显示。请尽快给每张照片填写图片说明或替代文字；没填之前，网站上暂用"
                "“%(album)s 第N张照片”描述它们。"
            ) % {"album": album.title}
        return _("相册尚未在网站显示：给每张照片填好图片说明或替代文字后，勾选“在网站显示”并保存即可发布。")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        album = form.instance
        missing = album.photos.missing_alt().count() if album.is_published else 0
        if missing:
            self.message_user(
                request,
                _(
                    "本相册有 %(n)d 张照片既没有替代文字也没有图片说明，"
                    "网站上暂用“%(album)s 第N张照片”描述，请尽快补填。"
                )
                % {"n": missing, "album": album.title},
                messages.WARNING,
            )

    @admin.display(description=_("照片数"), ordering="photo_count")
    def photo_count(self, album):
        return album.photo_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cover":
            album_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Photo.objects.filter(album_id=album_id) if album_id else Photo.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PhotoChangeForm(ContentCheckFormMixin, PhotoForm):
    """A photo edited on its own (后台 › 照片): its 图片说明 and 替代文字 are public as soon as it is saved when its
    album is shown, so they pass the album's checks (a photo moved into a shown album too)."""

    def clean(self):
        cleaned = super().clean()
        album = cleaned.get("album")
        self.check_content(publishing=bool(album and album.is_published))
        return cleaned


@admin.register(Photo)
class PhotoAdmin(ContentCheckAdminMixin, ExportSelectedMixin, admin.ModelAdmin):
    form = PhotoChangeForm
    list_display = ["thumb", "caption", "album", "order", "credit", "is_placeholder", "renditions_ready"]
    list_display_links = ["thumb", "caption"]
    list_filter = ["album", "is_placeholder", "renditions_ready"]
    actions = ["retry_renditions"]
    search_fields = ["caption", "alt_text", "credit", "note"]
    list_select_related = ["album"]
    readonly_fields = ["thumb", "width", "height"]
    formfield_overrides = IMAGE_FIELDS

    @admin.display(description=_("预览"))
    def thumb(self, photo):
        return preview(photo)

    @admin.action(description=_("重新生成缩略图"), permissions=["change"])
    def retry_renditions(self, request, queryset):
        """Queue the task again for the selected photos still 处理中 or 生成失败 (e.g. after a worker outage)."""
        ids = list(queryset.processing().values_list("id", flat=True))
        Photo.objects.filter(pk__in=ids).update(renditions_error="")  # 处理中 again until the task says otherwise
        if ids and enqueue_renditions(ids):
            self.message_user(request, _("已为 %(n)d 张照片重新排队生成缩略图。") % {"n": len(ids)}, messages.SUCCESS)
        elif ids:
            self.message_user(request, _("任务未能排队，请稍后再试。"), messages.ERROR)
        else:
            self.message_user(request, _("所选照片的缩略图都已生成。"), messages.INFO)
