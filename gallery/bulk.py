"""Bulk upload into an album: many files at once, or ZIP archives of them.

Every picture goes through union_site.common.images.clean_image (the one validator). Good files are saved, bad ones are
reported by file name with the reason in Chinese; nothing of a refused file is stored. ZIP archives are read in
memory entry by entry and never extracted by name, so no entry can write outside the media folder; folders are
flattened, and the entry count and total size are capped against zip bombs.

The request stores each photo's original and its renditions' names and sizes, not the rendition files: those take
about a second of CPU per photo, so one task per upload (gallery/tasks.py) makes them in the task worker, and the
photos appear on the site once it has (Photo.renditions_ready).

A file already in the album (the same bytes: SHA-256 of the upload, Photo.content_hash) is skipped and reported, so
an upload sent again after a failure (the browser gave up, the page was reloaded) adds nothing twice. The browser's
script (gallery/static/gallery/bulk_upload.js) sends one file per request, so each request stays a second or two
however many photos are chosen; without JavaScript the form sends them all in one request."""

import hashlib
import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Max

from gallery.models import Photo
from gallery.tasks import enqueue_renditions
from union_site.common import generation
from union_site.common.images import ImageRejected, clean_image, max_bytes
from union_site.common.storage import save_whole_or_nothing

ZIP_MAX_ENTRIES = 500
ZIP_MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # 1 GB of pictures once decompressed
ZIP_MAGIC = b"PK\x03\x04"


SAVED, DUPLICATE, REJECTED = "saved", "duplicate", "rejected"
OUTCOME_LABELS = {SAVED: "已上传", DUPLICATE: "重复，已跳过", REJECTED: "未通过"}


@dataclass(frozen=True)
class Outcome:
    """One file of an upload as the report's table shows it: its name, what happened, and why."""

    name: str
    status: str  # SAVED, DUPLICATE or REJECTED
    message: str = ""

    @property
    def label(self):
        return OUTCOME_LABELS[self.status]

    def as_dict(self):
        return {"name": self.name, "status": self.status, "label": self.label, "message": self.message}


@dataclass
class BulkResult:
    saved: list = field(default_factory=list)  # Photo rows, not renditions_ready yet
    outcomes: list = field(default_factory=list)  # an Outcome per file, in the order they came
    queued: bool = False  # the task making their renditions is queued

    @property
    def rejected(self):
        return [(o.name, o.message) for o in self.outcomes if o.status == REJECTED]

    @property
    def duplicates(self):
        return [(o.name, o.message) for o in self.outcomes if o.status == DUPLICATE]

    def summary(self):
        text = f"{len(self.saved)} 张已上传"
        if self.duplicates:
            text += f"，{len(self.duplicates)} 张重复已跳过"
        return text + f"，{len(self.rejected)} 张未通过"


@dataclass
class Candidate:
    name: str  # what the user calls it: "活动.zip › 01.jpg"
    file: object = None  # an uploaded file, or the bytes of a ZIP entry in a BytesIO
    problem: str = ""


def entry_file(name, data):
    buffer = io.BytesIO(data)
    buffer.name, buffer.size = name, len(data)
    return buffer


def is_zip(uploaded):
    uploaded.seek(0)
    head = uploaded.read(4)
    uploaded.seek(0)
    return head == ZIP_MAGIC


def zip_candidates(uploaded):
    """The pictures inside a ZIP, each read with a size cap; problems reported per entry or for the archive."""
    archive_name = uploaded.name
    try:
        archive = zipfile.ZipFile(uploaded)
        entries = [info for info in archive.infolist() if not info.is_dir() and not _is_junk(info.filename)]
    except (zipfile.BadZipFile, OSError, ValueError):
        yield Candidate(archive_name, problem="压缩包已损坏，无法打开。")
        return
    if len(entries) > ZIP_MAX_ENTRIES:
        yield Candidate(archive_name, problem=f"压缩包里的文件太多（最多 {ZIP_MAX_ENTRIES} 个），请分批上传。")
        return
    total, limit = 0, max_bytes()
    for info in entries:
        name = f"{archive_name} › {_readable(info)}"
        if info.flag_bits & 0x1:
            yield Candidate(name, problem="文件已加密，无法读取。")
            continue
        try:
            with archive.open(info) as member:
                data = member.read(limit + 1)  # the header's size can lie: read no more than the limit allows
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
            yield Candidate(name, problem="压缩包里的这个文件已损坏。")
            continue
        if len(data) > limit:
            yield Candidate(name, problem=f"文件太大（最大 {limit // (1024 * 1024)} MB），请压缩后再上传。")
            continue
        total += len(data)
        if total > ZIP_MAX_TOTAL_BYTES:
            yield Candidate(name, problem="压缩包解压后太大，其余文件未处理，请分批上传。")
            return
        yield Candidate(name, entry_file(name, data))


def candidates(uploaded_files):
    for uploaded in uploaded_files:
        if is_zip(uploaded):
            yield from zip_candidates(uploaded)
        else:
            yield Candidate(uploaded.name, uploaded)


def content_hash(uploaded):
    """SHA-256 of a file's bytes as uploaded, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in iter(lambda: uploaded.read(1024 * 1024), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def duplicate_message(existing):
    """Why a file was skipped: the photo of the album it repeats, by the name the editor knows it by."""
    known_as = existing.original_name or existing.caption[:30] or f"排序 {existing.order} 的照片"
    return f"与相册里已有的“{known_as}”内容完全相同，未再保存。"


def add_photos(album, uploaded_files, credit=""):
    """Each good file saved as it comes (a later failure keeps the earlier ones), then one task queued to make the
    renditions of those saved (also when a later file failed the whole request). The photos are hidden until the
    task has made their renditions, so their saves change no public page (generation.unchanged): the cached pages
    go stale once, when the task shows them."""
    result = BulkResult()
    order = (album.photos.aggregate(last=Max("order"))["last"] or 0) + 1
    try:
        with generation.unchanged():
            for candidate in candidates(uploaded_files):
                outcome, photo = _add_one(album, candidate, order, credit)
                result.outcomes.append(outcome)
                if photo:
                    result.saved.append(photo)
                    order += 1
    finally:
        result.queued = enqueue_renditions([photo.pk for photo in result.saved])
    return result


def _add_one(album, candidate, order, credit):
    """(Outcome, the saved Photo or None) for one file."""
    if candidate.problem:
        return Outcome(candidate.name, REJECTED, candidate.problem), None
    digest = content_hash(candidate.file)
    existing = album.photos.filter(content_hash=digest).first()
    if existing:
        return Outcome(candidate.name, DUPLICATE, duplicate_message(existing)), None
    try:
        image = clean_image(candidate.file)
    except ImageRejected as rejected:
        return Outcome(candidate.name, REJECTED, rejected.message), None
    try:
        photo = _save(album, image, order, credit, candidate.name, digest)
    except IntegrityError:  # the same file stored by a request that ran at the same moment
        existing = album.photos.filter(content_hash=digest).first()
        return Outcome(candidate.name, DUPLICATE, duplicate_message(existing) if existing else ""), None
    return Outcome(candidate.name, SAVED), photo


def _save(album, image, order, credit, original_name, digest):
    """One photo: the row and its file together, or neither (also when the disk fills mid-write)."""
    # Width and height given: a name set on the field below measures nothing, and a row left at 0 is measured again
    # (the file opened) every time it is loaded.
    # Not renditions_ready: the save stores the renditions' names and sizes, and the task worker makes the files.
    photo = Photo(
        album=album,
        order=order,
        credit=credit,
        original_name=original_name[: Photo._meta.get_field("original_name").max_length],
        content_hash=digest,
        taken_at=image.taken_at,
        width=image.width,
        height=image.height,
        renditions_ready=False,
    )
    field, storage = photo.image.field, photo.image.storage
    photo.image.name = save_whole_or_nothing(storage, field.generate_filename(photo, image.content.name), image.content)
    try:
        with transaction.atomic():
            photo.save()
    except Exception:
        storage.delete(photo.image.name)
        raise
    return photo


def _readable(info):
    """Entry names as the user's system wrote them: ZIPs from Chinese Windows use GBK without saying so."""
    name = info.filename
    if not info.flag_bits & 0x800:  # not marked UTF-8: Python decoded it as cp437
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return posixpath.basename(name.replace("\\", "/"))


def _is_junk(name):
    base = posixpath.basename(name)
    return name.startswith("__MACOSX/") or base.startswith("._") or base in {".DS_Store", "Thumbs.db"}
