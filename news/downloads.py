"""The public side of attachments: 下载中心 (/downloads/: every attachment of the public articles, filtered by column
and type, found by name, 20 a page) and the download of one file (/attachments/<id>/<name>), mounted by
union_site/urls.py (news/download_urls.py). Files of an article that is not public are 404 to visitors; staff who
may view articles download them as they preview the article."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from news.attachments import attachment_response, count_download, with_pending_downloads
from news.models import ATTACHMENT_LISTED, Attachment, Column
from union_site.common.file_types import FAMILIES, TYPES
from union_site.common.text import strip_controls

PAGE_SIZE = 20
QUERY_MAX = 50
DOWNLOADS = "下载中心"
# 网页标签 (union_site/compliance.py); 栏目类型 办事服务: 办事表格 and 文件 to download (the table in news/models.py)
DOWNLOADS_META = {"ColumnName": DOWNLOADS, "ColumnType": "办事服务", "og:title": DOWNLOADS}
FAMILIES_OF = {key: file_type.family for key, file_type in TYPES.items()}


@dataclass(frozen=True)
class Chosen:
    """What the visitor filters by: a column's slug, a type or family (union_site/common/file_types.py), words."""

    column: str = ""
    kind: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params):
        def value(name, limit):
            return strip_controls(params.get(name, "")).replace("\x00", "").strip()[:limit]

        return cls(column=value("column", 50), kind=value("kind", 10), q=value("q", QUERY_MAX))

    @property
    def any(self):
        return bool(self.column or self.kind or self.q)

    def query(self):
        """The filters as a query string to put before page=N ("" or "column=notices&q=…&")."""
        chosen = {name: getattr(self, name) for name in ("column", "kind", "q") if getattr(self, name)}
        return urlencode(chosen) + "&" if chosen else ""


def download_rows(chosen):
    """The public attachments 下载中心 lists for `chosen`, in its order."""
    attachments = Attachment.objects.public().for_listing()
    if chosen.column:
        attachments = attachments.filter(article__column__slug=chosen.column)
    if chosen.kind:
        attachments = attachments.of_kind(chosen.kind)
    if chosen.q:
        attachments = attachments.filter(title__icontains=chosen.q)
    return attachments


def filter_choices():
    """(columns, [(family, name)]) that have public attachments: the filter offers nothing that finds nothing."""
    public = Attachment.objects.public()
    columns = Column.objects.filter(Exists(public.filter(article__column=OuterRef("pk")))).only("name", "slug")
    present = {FAMILIES_OF.get(kind) for kind in public.order_by().values_list("kind", flat=True).distinct()}
    return list(columns), [(family, label) for family, (label, _badge) in FAMILIES.items() if family in present]


class DownloadCentreView(ListView):
    template_name = "news/downloads.html"
    context_object_name = "attachments"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.chosen = Chosen.from_query(self.request.GET)
        return download_rows(self.chosen)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        columns, kinds = filter_choices()
        context["attachments"] = context["object_list"] = with_pending_downloads(context["object_list"])
        return {
            **context,
            "chosen": self.chosen,
            "page_query": self.chosen.query(),
            "filter_columns": columns,
            "filter_kinds": kinds,
            "crumbs": [(None, DOWNLOADS)],
            "page_meta": DOWNLOADS_META,
        }


@require_safe
def attachment_download(request, pk, filename=""):
    """The file while its article is public; staff who may view articles also before and after (as they preview the
    article). The name in the address is for the browser only: the row decides. A visitor's download is counted in
    the cache (count_download), never written to the database on the way."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("article").only(
            *ATTACHMENT_LISTED, "article__status", "article__publish_at", "article__unpublish_at"
        ),
        pk=pk,
    )
    public = attachment.article.is_public
    if not public and not request.user.has_perm("news.view_article"):
        raise Http404("附件不存在或尚未公开")
    if public and request.method == "GET" and not request.user.is_authenticated:
        count_download(attachment)
    return attachment_response(attachment)
