"""What is checked of each kind of content: `texts_of(obj)` -> [(field label, text)], the public texts only.

    文章     引题, 标题, 副标题, 摘要, 正文 (as text, not markup), each 附件's 显示名称
    相册     相册名称, 地点, 说明, each photo's 图片说明 and 替代文字
    照片     图片说明, 替代文字
    指标     指标名称, 原文语句, 来源文件 (编辑备注 is never shown to the public)

and `file_texts_of(obj)`: the text inside an article's 附件 (file_text.py), checked for personal data only: a file
from the provincial union is published as it came, its wording is not the editor's to change.

Known by model label, not by import: the apps call the checks (gate.py), so the checks do not import the apps.
Given the admin form being saved, the inline rows are read as that form posts them (a 显示名称 typed in the same
save as the publishing is checked too).
"""

import html
import re
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

BLOCK_END = re.compile(r"<br\s*/?>|</(?:p|div|h[1-6]|li|tr|blockquote|figcaption|pre|table|ul|ol)\s*>", re.I)
CELL_END = re.compile(r"</t[dh]\s*>", re.I)
MAX_INLINE_ROWS = 1000  # Django's own default max for a formset


def html_text(markup):
    """Rich text as a reader reads it: one line per paragraph, heading, list item or table row, cells apart (two
    numbers in neighbouring cells are two numbers, not one long one)."""
    text = CELL_END.sub(" ", BLOCK_END.sub("\n", markup or ""))
    return html.unescape(strip_tags(text))


def label(obj, name):
    return str(obj._meta.get_field(name).verbose_name)


def fields_of(obj, names):
    return [(label(obj, name), getattr(obj, name) or "") for name in names]


def posted_rows(form, prefix, names, saved, file_field=None):
    """An inline's rows as `form`'s POST leaves them: `saved` ({str(pk): {name: value}}) with the posted rows laid
    over it (changed, added, deleted). A new row with its first field empty takes the name of its file, as the
    attachment form does. Without the inline in the POST, the saved rows."""
    data = getattr(form, "data", None) or {}
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", "")), MAX_INLINE_ROWS)
    except ValueError:
        return list(saved.values())
    rows = dict(saved)
    for index in range(total):
        key = f"{prefix}-{index}-"
        pk = data.get(key + "id") or ""
        if data.get(key + "DELETE"):
            rows.pop(pk, None)
            continue
        values = {name: data.get(key + name, "") for name in names}
        upload = form.files.get(key + file_field) if file_field else None
        if not values[names[0]] and upload is not None:
            values[names[0]] = PurePath(upload.name).stem
        if pk:
            rows[pk] = {**rows.get(pk, {}), **values}
        elif any(values.values()):
            rows[f"new-{index}"] = values
    return list(rows.values())


def article_texts(article, form=None):
    texts = fields_of(article, ["kicker", "title", "subtitle", "summary"])
    texts.append((label(article, "body"), html_text(article.body)))
    saved = {}
    if article.pk:
        saved = {str(a.pk): {"title": a.title or PurePath(a.original_name).stem} for a in article.attachments.all()}
    rows = posted_rows(form, "attachments", ["title"], saved, file_field="file") if form else saved.values()
    texts += [("附件显示名称", row["title"]) for row in rows]
    return texts


PHOTO_FIELDS = ["caption", "alt_text"]


def _upload_text(upload):
    from union_site.checks.file_text import file_text, reads
    from union_site.common.file_types import detect_file_type

    try:
        kind = detect_file_type(upload.name, upload).key
    except ValidationError:  # the attachment's own form refuses it, with the reason
        return ""
    return file_text(upload, kind) if reads(kind) else ""


def article_file_texts(article, form=None):
    """[(“附件《显示名称》”, the file's text)] of the 附件 as the save leaves them: the saved files, a file replaced or
    added in this save read from the upload, deleted rows left out (file_text.py says which formats are read)."""
    from union_site.checks.file_text import stored_file_text

    files = {}
    if article.pk:
        for attachment in article.attachments.all():
            name = attachment.title or PurePath(attachment.original_name).stem
            files[str(attachment.pk)] = (name, lambda a=attachment: stored_file_text(a))
    data = getattr(form, "data", None) or {}
    try:
        total = min(int(data.get("attachments-TOTAL_FORMS", "")), MAX_INLINE_ROWS)
    except ValueError:
        total = 0
    for index in range(total):
        key = f"attachments-{index}-"
        pk = data.get(key + "id") or f"new-{index}"
        upload = form.files.get(key + "file")
        if data.get(key + "DELETE"):
            files.pop(pk, None)
        elif upload is not None:
            name = data.get(key + "title") or PurePath(upload.name).stem
            files[pk] = (name, lambda u=upload: _upload_text(u))
    return [(f"附件《{name}》", read()) for name, read in files.values()]


def photo_texts(photo):
    return fields_of(photo, PHOTO_FIELDS)


def album_texts(album, form=None):
    texts = fields_of(album, ["title", "place", "description"])
    saved = {}
    if album.pk:
        saved = {str(p.pk): {n: getattr(p, n) for n in PHOTO_FIELDS} for p in album.photos.all()}
    rows = posted_rows(form, "photos", PHOTO_FIELDS, saved) if form else saved.values()
    for number, row in enumerate(rows, start=1):
        texts += [(f"第 {number} 张照片的图片说明", row["caption"]), (f"第 {number} 张照片的替代文字", row["alt_text"])]
    return texts


def metric_texts(metric, form=None):
    return fields_of(metric, ["label", "source_text", "source_document"])


TEXTS = {
    "news.article": article_texts,
    "gallery.album": album_texts,
    "gallery.photo": lambda photo, form=None: photo_texts(photo),
    "achievements.metric": metric_texts,
}


FILE_TEXTS = {"news.article": article_file_texts}


def texts_of(obj, form=None):
    """[(field label, text)] of `obj`'s public texts, empty ones left out."""
    return [(name, text) for name, text in TEXTS[obj._meta.label_lower](obj, form) if text]


def file_texts_of(obj, form=None):
    """[(label, text)] of the files `obj` publishes (checked for personal data only: README "内容检查")."""
    files = FILE_TEXTS.get(obj._meta.label_lower)
    return [(name, text) for name, text in files(obj, form) if text] if files else []
