"""{% share_box url %}: the page's QR code for 微信扫一扫 (screen and print); {% share_card obj %}: what WeChat and QQ
read for a share card (title, description, a square picture: union_site/sharing/images.py)."""

from django import template
from django.urls import reverse

from gallery.models import Album
from news.models import Article
from union_site.common.qr import qr_svg
from union_site.sharing.images import share_source

register = template.Library()


@register.inclusion_tag("sharing/_share_box.html", takes_context=True)
def share_box(context, path=None):
    """The QR code of `path` (the page's own address without its query string when not given), absolute."""
    request = context["request"]
    url = request.build_absolute_uri(path or request.path)
    return {"url": url, "qr": qr_svg(url, "本页二维码：用微信扫一扫，在手机上打开")}


def share_picture(obj):
    kind = "article" if isinstance(obj, Article) else "album" if isinstance(obj, Album) else None
    if kind is None or not share_source(obj):
        return ""
    return reverse("sharing:image", kwargs={"kind": kind, "pk": obj.pk})


@register.inclusion_tag("sharing/_share_card.html", takes_context=True)
def share_card(context, obj=None, title="", description=""):
    request = context["request"]
    if obj is not None:
        title = title or obj.title
        description = description or getattr(obj, "lead", "") or getattr(obj, "description", "")
    picture = share_picture(obj) if obj is not None else ""
    return {
        "title": title,
        "description": description,
        "picture": request.build_absolute_uri(picture) if picture else "",
    }
