"""An article's attachments (附件): how a file becomes one, how files and search follow the rows, and how a download
is sent. The model is news/models.py's Attachment; what a file may be is union_site/common/file_types.py's.

- `prepare_upload(name, content)`: the file's type decided by its content (the refusal, in Chinese, as a
  ValidationError); a picture is cleaned as every uploaded picture is (union_site/common/images.py: upright, EXIF
  and GPS removed), so a photo of a 名单 does not publish where it was taken. The admin's row form and
  `attach_file()` (the demo loader, later an import of an old site) both use it.
- Files are written when their row is saved, whole or not at all (save_whole_or_nothing), under a generated name;
  a row that cannot be inserted takes its file with it, and a save that rolls back afterwards (the article form's
  transaction) deletes what it wrote (`files_follow_rows`). Deleting a row, or its article, deletes the file once
  the deletion has committed, never before: a rolled-back delete loses nothing. A replaced file likewise.
- Search: an article's search fields hold its attachments' 显示名称 (news/models.py article_search_text). Rows are
  saved after their article (the admin's inline), so every save or delete of one refreshes its article's fields
  with an UPDATE of those fields only (no history entry, no new version).
- Downloads: `attachment_response` streams the stored file as an attachment (never shown inline), typed by what it
  is, named in Chinese. Counted in the cache (union_site/common/counters.py, field `download_count`): no database
  write per download; pages show the stored count plus the pending one.
"""

import contextlib
import contextvars
import logging
from dataclasses import dataclass
from urllib.parse import quote

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import FileResponse, Http404

from news.models import SEARCH_FIELDS, Article, Attachment, article_fill_derived_fields
from union_site.common import counters
from union_site.common.file_types import FileType, detect_file_type, name_stem, plain_name
from union_site.common.images import ImageRejected, clean_image
from union_site.common.storage import save_whole_or_nothing

logger = logging.getLogger(__name__)

DOWNLOADS = "download_count"  # the counter's field (union_site/common/counters.py)
# A download is a file, never a page: nothing in it runs, whatever a browser makes of it.
DOWNLOAD_CSP = "default-src 'none'; sandbox"


@dataclass(frozen=True)
class PreparedUpload:
    file_type: FileType
    content: File  # what is stored: the upload itself, or a picture's cleaned copy
    original_name: str
    size: int


def prepare_upload(name, content):
    """The checked file, ready to store; raises ValidationError with the reason in Chinese."""
    file_type = detect_file_type(name, content)
    if isinstance(content, bytes | bytearray):
        content = ContentFile(bytes(content), name=plain_name(name))
    if file_type.family == "image":
        try:
            content = clean_image(content).content
        except ImageRejected as rejected:
            raise ValidationError(rejected.message, code="image") from None
    content.seek(0)
    return PreparedUpload(file_type, content, plain_name(name)[:255], content.size)


def apply_upload(attachment, prepared):
    """Gives the row the prepared file (stored when the row is saved: `save_with_file`) and what is known of it."""
    attachment.kind = prepared.file_type.key
    attachment.original_name = prepared.original_name
    attachment.size = prepared.size
    attachment.file = prepared.content


def attach_file(article, name, content, *, title="", order=0, attachment=None):
    """`content` (bytes or a file) called `name`, checked as the admin checks an upload and stored with its row:
    a new attachment of `article`, or `attachment` given a new file (its old one goes once the save commits).
    Raises ValidationError with the reason in Chinese, having stored nothing."""
    prepared = prepare_upload(name, content)
    attachment = attachment or Attachment(article=article)
    apply_upload(attachment, prepared)
    attachment.title = (title or "").strip() or attachment.title or name_stem(prepared.original_name)
    attachment.order = order
    save_with_file(attachment)
    return attachment


# --- files follow rows ---------------------------------------------------------------------------------------------

# The files written inside the innermost files_follow_rows() of this thread or task: [(storage, name)].
_written = contextvars.ContextVar("attachment_files_written", default=None)


def store_file(attachment):
    """Writes the row's new file (assigned and not stored yet) under a generated name, whole or not at all; returns
    that name, or None when the row's file is already stored."""
    field_file = attachment.file
    if not field_file or field_file._committed:
        return None
    storage, content = field_file.storage, field_file.file
    content.seek(0)
    name = save_whole_or_nothing(storage, field_file.field.generate_filename(attachment, content.name), content)
    attachment.file = name
    written = _written.get()
    if written is not None:
        written.append((storage, name))
    return name


def save_with_file(attachment):
    """The row and its file together: the file first, then the row; a row that cannot be saved deletes its file."""
    name = store_file(attachment)
    try:
        attachment.save()
    except BaseException:
        if name:
            attachment.file.storage.delete(name)
        raise


@contextlib.contextmanager
def files_follow_rows():
    """Around a save whose transaction may roll back after it wrote files (the article form: the article, then its
    attachment rows): when the block is over, committed or not, each file written in it that no row names is
    deleted. Goes outside the transaction."""
    written = []
    reset = _written.set(written)
    try:
        yield
    finally:
        _written.reset(reset)
        if written:
            delete_unclaimed(written)


def delete_unclaimed(written):
    try:
        claimed = set(Attachment.objects.filter(file__in=[name for _, name in written]).values_list("file", flat=True))
        for storage, name in written:
            if name not in claimed:
                storage.delete(name)
    except Exception:  # the database or the storage is down: leave the file (an orphan) rather than fail the answer
        logger.exception("attachment files of a rolled-back save not cleaned up: %s", [name for _, name in written])


def delete_file_on_commit(storage, name):
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)  # a failed delete is logged, not raised


def _with_its_article(origin):
    """True when the deletion began at the article (or articles): nothing of it is left to refresh."""
    if isinstance(origin, QuerySet):
        return origin.model is Article
    return isinstance(origin, Article)


@receiver(pre_save, sender=Attachment)
def attachment_file_replaced(sender, instance, **kwargs):
    if instance.pk is None or kwargs.get("raw"):
        return
    old = Attachment.objects.filter(pk=instance.pk).values_list("file", flat=True).first()
    if old and old != instance.file.name:
        delete_file_on_commit(instance.file.storage, old)


@receiver(post_save, sender=Attachment)
def attachment_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # loaddata and the tests' demo snapshot write the articles' fields as they were
        refresh_article_search(instance.article_id)


@receiver(post_delete, sender=Attachment)
def attachment_deleted(sender, instance, origin=None, **kwargs):
    delete_file_on_commit(instance.file.storage, instance.file.name)
    if not _with_its_article(origin):
        refresh_article_search(instance.article_id)


def refresh_article_search(article_id):
    """The article's search fields worked out again with its attachments as they are now, and written with an
    UPDATE of those fields alone."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        return
    article_fill_derived_fields(article)
    Article.objects.filter(pk=article_id).update(**{name: getattr(article, name) for name in SEARCH_FIELDS})


# --- downloads -----------------------------------------------------------------------------------------------------


def count_download(attachment):
    counters.count(Attachment, attachment.pk, DOWNLOADS)


def with_pending_downloads(attachments):
    """The attachments, each with `downloads`: the stored count plus those counted and not yet written back, read
    from the cache in one round trip (none when it fails)."""
    attachments = list(attachments)
    keys = {counters.counter_key(Attachment, attachment.pk, DOWNLOADS): attachment for attachment in attachments}
    try:
        pending = cache.get_many(list(keys)) if keys else {}
    except Exception:
        pending = {}
    for key, attachment in keys.items():
        waiting = pending.get(key)
        attachment.downloads = attachment.download_count + (waiting if isinstance(waiting, int) and waiting > 0 else 0)
    return attachments


def ascii_name(attachment):
    """The name for clients that do not read `filename*`: the Chinese name has no ASCII spelling, so a plain one."""
    name = attachment.download_name
    if name.isascii() and name.isprintable():
        return name
    return f"attachment-{attachment.pk}.{attachment.kind}"


def content_disposition(attachment):
    """attachment; filename="<ASCII>"; filename*=UTF-8''<the name, percent-encoded> (RFC 6266 with RFC 5987):
    browsers save the file under its Chinese name, extension included; old clients under the ASCII one."""
    encoded = quote(attachment.download_name, safe="")
    return f"attachment; filename=\"{ascii_name(attachment)}\"; filename*=UTF-8''{encoded}"


def attachment_response(attachment):
    """The stored file streamed from its storage (the local folder or the bucket alike), chunk by chunk."""
    storage, name = attachment.file.storage, attachment.file.name
    try:
        stream = storage.open(name, "rb")
    except FileNotFoundError:
        logger.error("attachment %s: its file %s is missing from the storage", attachment.pk, name)
        raise Http404("附件文件不存在") from None
    response = FileResponse(stream, content_type=attachment.file_type.content_type)
    if not response.has_header("Content-Length"):
        response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition(attachment)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    # Not kept by nginx's micro-cache nor any shared cache: whether a file may be downloaded follows its article.
    response["Cache-Control"] = "private, no-cache"
    return response
