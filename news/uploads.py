"""Images uploaded from the article editor (CKEditor 5's simple upload adapter posts here, field "upload").

Used instead of django-ckeditor-5's own upload view: only people who may write articles may upload, every file
goes through `union_site.common.images.clean_image`, and it is stored under a generated name. The answer is what
CKEditor 5 expects: `{"url": ...}`, or `{"error": {"message": ...}}`, whose message the editor shows.

Pictures still pasted in the body as data: URLs when an article is saved (`take_pasted_images`, called by the
article form) become the same uploads: the same validator, the same folder, written once the save commits.
"""

import logging
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from union_site.common.images import ImageRejected, clean_image
from union_site.common.pasted import open_pasted, pasted_images, replace_sources
from union_site.common.storage import lasting_url, save_whole_or_nothing

logger = logging.getLogger(__name__)

UPLOAD_FOLDER = "editor/%Y/%m/"


def may_upload(user):
    return (
        user.is_active and user.is_staff and (user.has_perm("news.add_article") or user.has_perm("news.change_article"))
    )


def error(message, status):
    return JsonResponse({"error": {"message": message}}, status=status)


@require_POST
def editor_upload(request):
    if not may_upload(request.user):
        return error("您没有上传图片的权限，请重新登录或联系管理员。", status=403)
    uploaded = request.FILES.get("upload")
    if uploaded is None:
        return error("没有收到文件，请重新选择图片。", status=400)
    try:
        image = clean_image(uploaded)
    except ImageRejected as rejected:
        return error(rejected.message, status=400)
    try:
        name = store_editor_image(image.content)
    except Exception:
        logger.exception("editor image upload: storage write failed")
        return error("图片保存失败，请稍后再试。", status=500)
    return JsonResponse({"url": lasting_url(name)})


def editor_image_path(content):
    """editor/<year>/<month>/<generated name>: where a picture of an article's body is stored."""
    return timezone.localdate().strftime(UPLOAD_FOLDER) + content.name


def store_editor_image(content, path=None):
    """Saves under editor_image_path(content), or the `path` it gave earlier; a write that fails midway leaves no
    partial file."""
    return save_whole_or_nothing(default_storage, path or editor_image_path(content), content)


# --- pictures pasted into the body as data: URLs (union_site/common/pasted.py) -----------------------------------


@dataclass
class PastedPictures:
    """The body with its pasted pictures pointing at where they will be stored, and the files still to write."""

    body: str
    pending: list = field(default_factory=list)  # (path, content)

    def store_on_commit(self):
        """Writes the files once the article's transaction commits: a save refused or rolled back later (an edit
        conflict, an error) leaves no file behind."""
        if self.pending:
            transaction.on_commit(partial(store_pasted, list(self.pending)))
            self.pending.clear()


def take_pasted_images(body):
    """Every data: picture of `body` checked by clean_image, as an editor upload is, and its src rewritten to the
    address it will be stored at (the same picture pasted twice is stored once). Raises ValidationError naming
    each picture that cannot be used; nothing is written here."""
    errors, sources, pending, seen = [], {}, [], {}
    for pasted in pasted_images(body):
        try:
            if pasted.src not in seen:
                image = clean_image(open_pasted(pasted))
                seen[pasted.src] = editor_image_path(image.content)
                pending.append((seen[pasted.src], image.content))
        except ImageRejected as rejected:
            errors.append(
                ValidationError(
                    f"正文中的第 {pasted.number} 张图片无法使用：{rejected.message}请删除后重新插入。",
                    code="pasted_image",
                )
            )
            continue
        sources[pasted.number] = lasting_url(seen[pasted.src])
    if errors:
        raise ValidationError(errors)
    return PastedPictures(replace_sources(body, sources), pending)


def store_pasted(pending):
    for path, content in pending:
        try:
            stored = store_editor_image(content, path)
        except Exception:
            logger.exception("pasted picture %s: storage write failed after the article was saved", path)
            continue
        if stored != path:  # a fresh generated name is never taken; if the storage renamed it, the body misses it
            logger.error("pasted picture stored as %s, not %s as the article's body says", stored, path)
