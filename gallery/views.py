from django.urls import reverse
from django.views.generic import DetailView, ListView

from gallery.models import Album

ALBUMS_PER_PAGE = 12


class AlbumListView(ListView):
    template_name = "gallery/album_list.html"
    context_object_name = "albums"
    paginate_by = ALBUMS_PER_PAGE

    def get_queryset(self):
        return Album.objects.published().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=[(None, "活动图集")], **kwargs)


class AlbumDetailView(DetailView):
    template_name = "gallery/album_detail.html"
    context_object_name = "album"

    def get_queryset(self):
        return Album.objects.published()

    def get_context_data(self, **kwargs):
        album = self.object
        return super().get_context_data(
            photos=album.photos.order_by("order", "id"),
            articles=album.articles.published().only("id", "title", "publish_at"),
            crumbs=[(reverse("gallery:list"), "活动图集"), (None, album.title)],
            **kwargs,
        )
