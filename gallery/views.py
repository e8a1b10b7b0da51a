from django.core.paginator import InvalidPage, Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import DetailView, ListView

from gallery.models import GALLERY_PAGE_META, Album, Photo

ALBUMS_PER_PAGE = 12
PHOTOS_PER_PAGE = 48
PHOTO_ORDER = ("order", "id")


class AlbumListView(ListView):
    template_name = "gallery/album_list.html"
    context_object_name = "albums"
    paginate_by = ALBUMS_PER_PAGE

    def get_queryset(self):
        return Album.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            crumbs=[(None, "活动图集")], page_meta={**GALLERY_PAGE_META, "og:title": "活动图集"}, **kwargs
        )


class AlbumDetailView(DetailView):
    """One album, its photos paginated (`?page=`). `?photo=<id>` redirects to the page holding that photo, so a
    link to one photo still works when the album has more than one page."""

    template_name = "gallery/album_detail.html"
    context_object_name = "album"

    def get_queryset(self):
        return Album.objects.published().select_related("cover")  # the cover is the page's og:image

    def get(self, request, *args, **kwargs):
        if "photo" in request.GET:
            return self.redirect_to_photo(request.GET["photo"])
        return super().get(request, *args, **kwargs)

    def redirect_to_photo(self, photo_id):
        album = self.get_object()
        if not photo_id.isdigit():
            raise Http404("没有这张照片")
        photo = get_object_or_404(Photo.objects.published().only("id", "order"), album=album, pk=photo_id)
        before = (
            album.photos.published().filter(Q(order__lt=photo.order) | Q(order=photo.order, id__lt=photo.id)).count()
        )
        page = before // PHOTOS_PER_PAGE + 1
        query = f"?page={page}" if page > 1 else ""
        return redirect(f"{album.get_absolute_url()}{query}#photo-{photo.pk}")

    def get_context_data(self, **kwargs):
        album = self.object
        paginator = Paginator(album.photos.published().order_by(*PHOTO_ORDER), PHOTOS_PER_PAGE)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404("没有这一页") from error
        photos = list(page.object_list)
        for number, photo in enumerate(photos, start=page.start_index()):
            photo.number = number  # its place in the album, for the alt text of a photo that has none (Photo.alt)
        return super().get_context_data(
            photos=photos,
            page_obj=page,
            paginator=paginator,
            is_paginated=page.has_other_pages(),
            articles=album.articles.published().only("id", "title", "publish_at", "album"),
            crumbs=[(reverse("gallery:list"), "活动图集"), (None, album.title)],
            page_meta=album.page_meta(),
            **kwargs,
        )
