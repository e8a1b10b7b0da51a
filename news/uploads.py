"""Images uploaded from the article editor (CKEditor 5's simple upload adapter posts here, field "upload").

Used instead of django-ckeditor-5's own upload view: only people who may write articles may upload, every file
goes through `union_site.common.images.clean_image`, and it is stored under a generated name. The answer is what
CKEditor 5 expects: `{"url": ...}`, or `{"error": {"message": ...}}`, whose message the editor shows.
"""

import logging

from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from union_site.common.images import ImageRejected, clean_image
from union_site.common.storage import save_whole_or_nothing

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
    return JsonResponse({"url": default_storage.url(name)})


def store_editor_image(content):
    """Saves under editor/<year>/<month>/<generated name>; a write that fails midway leaves no partial file."""
    path = timezone.localdate().strftime(UPLOAD_FOLDER) + content.name
    return save_whole_or_nothing(default_storage, path, content)
