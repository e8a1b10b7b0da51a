from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from gallery.models import Album, Photo


def preview(photo):
    if not photo.image:
        return "—"
    return format_html('<img src="{}" alt="" width="120" height="80" style="object-fit:cover">', photo.thumbnail.url)


class PhotoInline(admin.TabularInline):
    model = Photo
    fields = ["thumb", "image", "caption", "alt_text", "credit", "order", "is_placeholder"]
    readonly_fields = ["thumb"]
    extra = 0

    @admin.display(description=_("预览"))
    def thumb(self, photo):
        return preview(photo)


@admin.register(Album)
class AlbumAdmin(admin.ModelAdmin):
    list_display = ["title", "event_on", "photo_count", "is_published", "updated_at"]
    list_filter = ["is_published", ("event_on", admin.DateFieldListFilter)]
    search_fields = ["title", "description", "place", "note"]
    date_hierarchy = "event_on"
    inlines = [PhotoInline]

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
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["thumb", "caption", "album", "order", "credit", "is_placeholder"]
    list_display_links = ["thumb", "caption"]
    list_filter = ["album", "is_placeholder"]
    search_fields = ["caption", "alt_text", "credit", "note"]
    list_select_related = ["album"]
    readonly_fields = ["thumb", "width", "height"]

    @admin.display(description=_("预览"))
    def thumb(self, photo):
        return preview(photo)
