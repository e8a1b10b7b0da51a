"""新媒体矩阵 (/channels/: the union's official channels from 网站设置) and the square share picture
(/share/<article|album>/<id>.jpg) of the pages' share cards."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from union_site.sharing.images import KINDS, share_source, square_bytes

CHANNELS = "新媒体矩阵"


class ChannelsView(TemplateView):
    template_name = "sharing/channels.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            crumbs=[(None, CHANNELS)], page_meta={"ColumnName": CHANNELS, "og:title": CHANNELS}, **kwargs
        )


@require_safe
def share_image(request, kind, pk):
    """Only of what is public (the apps' published()); 404 for anything else or one without a picture."""
    if kind not in KINDS:
        raise Http404
    obj = get_object_or_404(KINDS[kind].objects.published(), pk=pk)
    source = share_source(obj)
    if not source:
        raise Http404("没有封面图")
    response = HttpResponse(square_bytes(source), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
