"""The export log (ExportLog): who may export, who is printed as 生成人, and the row written for every export."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.urls import path

from union_site.models import ExportLog
from union_site.reports import writers as exports

EXPORT_PERMISSION = "union_site.export_report"


def can_export(user):
    return user.is_active and user.has_perm(EXPORT_PERMISSION)


def person(user):
    """生成人 as printed on a report."""
    if user is None:
        return ""
    full_name = user.get_full_name()
    return f"{full_name}（{user.username}）" if full_name else user.username


@contextmanager
def logged(document, fmt, *, user=None, channel=ExportLog.Channel.ADMIN, filters=None, username=""):
    """Log the export written inside the block; gives the on_done callback that records its row count. The row is
    made first, so an export that breaks off halfway still shows who started it; one refused with an ExportError
    (nothing was written) leaves no row."""
    log = ExportLog.objects.create(
        user=user,
        username=user.username if user else username,
        report=document.title[: ExportLog._meta.get_field("report").max_length],
        format=fmt,
        filters=filters or {},
        channel=channel,
        filename=document.filename(fmt)[: ExportLog._meta.get_field("filename").max_length],
    )

    def on_done(row_count):
        ExportLog.objects.filter(pk=log.pk).update(row_count=row_count)

    try:
        yield on_done
    except exports.ExportError:
        log.delete()
        raise


def admin_download(request, document, fmt=exports.XLSX, filters=None):
    """`document` as a download from the admin: 生成人 is the user, and the export is kept in 导出记录."""
    document.generated_by = person(request.user)
    with logged(document, fmt, user=request.user, channel=ExportLog.Channel.ADMIN, filters=filters) as done:
        return exports.export_response(document, fmt, done)


def admin_export_urls(model_admin, make_document, name):
    """[path("export/")] for a model admin: make_document() as XLSX (an import's own template: edit it and import it
    again), for anyone who may see the rows, editors too; importing asks more (union_site/common/table_import.py)."""

    def export(request):
        if not model_admin.has_view_permission(request):
            raise PermissionDenied
        return admin_download(request, make_document())

    return [path("export/", model_admin.admin_site.admin_view(export), name=name)]


def filters_for_log(cleaned_data):
    return {key: "" if value is None else str(value) for key, value in cleaned_data.items()}
