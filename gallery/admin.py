from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gallery.bulk import add_photos
from gallery.forms import BulkUploadForm, PhotoForm
from gallery.models import Album, Photo
from union_site.admin_exports import ExportSelectedMixin
from union_site.forms import CleanImageField

IMAGE_FIELDS = {models.ImageField: {"form_class": CleanImageField}}


def preview(photo):
    if not photo.image:
        return "—"
    return format_html('<img src="{}" alt="" width="120" height="80" style="object-fit:cover">', photo.thumbnail.url)


class PhotoInline(admin.TabularInline):
    model = Photo
    form = PhotoForm
    fields = ["thumb", "image", "caption", "alt_text", "credit", "order"]
    readonly_fields = ["thumb"]
    formfield_overrides = IMAGE_FIELDS
    extra = 0

    @admin.display(description=_("预览"))
    def thumb(self, photo):
        return preview(photo)


@admin.register(Album)
class AlbumAdmin(ExportSelectedMixin, admin.ModelAdmin):
    list_display = ["title", "event_on", "photo_count", "is_published", "updated_at"]
    list_filter = ["is_published", ("event_on", admin.DateFieldListFilter)]
    search_fields = ["title", "description", "place", "note"]
    date_hierarchy = "event_on"
    inlines = [PhotoInline]
    change_form_template = "admin/gallery/album/change_form.html"

    def get_urls(self):
        upload = self.admin_site.admin_view(self.bulk_upload_view)
        return [path("<int:album_id>/upload/", upload, name="gallery_album_upload"), *super().get_urls()]

    def bulk_upload_view(self, request, album_id):
        album = get_object_or_404(Album, pk=album_id)
        if not (self.has_change_permission(request, album) and request.user.has_perm("gallery.add_photo")):
            raise PermissionDenied
        form = BulkUploadForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = add_photos(album, form.cleaned_data["files"], credit=form.cleaned_data["credit"])
            level = messages.SUCCESS if not result.rejected else messages.WARNING
            self.message_user(request, result.summary() + "。", level)
            if not result.rejected:
                return redirect(reverse("admin:gallery_album_change", args=[album.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "album": album,
            "form": form,
            "result": result,
            "title": _("批量上传照片：%(album)s") % {"album": album.title},
        }
        return TemplateResponse(request, "admin/gallery/album/bulk_upload.html", context)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_count=Count("photos"))

    @admin.display(description=_("照片数"), ordering="photo_count")
    def photo_count(self, album):
        return album.photo_count

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "cover":
            album_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Photo.objects.filter(album_id=album_id) if album_id else Photo.objects.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Photo)
class PhotoAdmin(ExportSelectedMixin, admin.ModelAdmin):
    form = PhotoForm
    list_display = ["thumb", "caption", "album", "order", "credit", "is_placeholder"]
    list_display_links = ["thumb", "caption"]
    list_filter = ["album", "is_placeholder"]
    search_fields = ["caption", "alt_text", "credit", "note"]
    list_select_related = ["album"]
    readonly_fields = ["thumb", "width", "height"]
    formfield_overrides = IMAGE_FIELDS

    @admin.display(description=_("预览"))
    def thumb(self, photo):
        return preview(photo)
