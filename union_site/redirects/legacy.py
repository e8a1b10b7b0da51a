"""An old site's articles brought here, each with a 301 from its old address (`manage.py import_legacy`).

    import_row(row, fetcher, overwrite=False, dry_run=False) -> Outcome(action, message, …) for one ExportRow

One row, one article, all or nothing: its files are fetched and checked first (the attachment and picture
validators of every upload), then the article, its attachments, its redirects and its LegacyPage are saved in one
transaction; a row with any problem is skipped whole and says why, and the other rows go on. The old address is the
row's identity: importing the export again finds the article it made (LegacyPage) and changes nothing where the row
is the same (不变), updates it where the row changed (更新), and keeps an article edited here since the import (保留)
unless `overwrite`. The body goes through the sanitizer on save (Article.save); pictures of the body that live on
the old site are stored as editor uploads and the body points at them; the article keeps the old publication date
and is published (it was public there), unless 内容检查 (union_site/checks) finds a 禁用 word or personal data in it
or its 附件: then it waits as 待审核 with the findings in its 审核意见, as an editor's article would, and its old
address leads nowhere until a reviewer publishes it (the old site's mistake is not published again).
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from news.attachments import apply_upload, files_follow_rows, prepare_upload, save_with_file
from news.models import Article, Attachment, Column
from news.uploads import PastedPictures, editor_image_path, take_pasted_images
from union_site.checks.gate import blocked
from union_site.common import file_types
from union_site.common.images import ImageRejected, clean_image
from union_site.common.images import max_bytes as max_image_bytes
from union_site.common.pasted import image_sources, replace_sources
from union_site.common.storage import lasting_url
from union_site.common.table_import import NEW, UNCHANGED, UPDATED
from union_site.redirects.addresses import AddressError, old_path
from union_site.redirects.legacy_files import FetchError
from union_site.redirects.models import LegacyPage
from union_site.redirects.store import save_redirects

SKIPPED, KEPT = "跳过", "保留"
CHANGE_REASON = "从旧网站导入"
EDITED_HERE = "这篇文章导入后已在本站修改过，没有覆盖（要用导出文件里的内容覆盖，加 --overwrite）。"
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时]\s*(\d{1,2})\s*(?:[:：分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?\s*$"
)


@dataclass
class Outcome:
    number: int
    action: str  # 新增 / 更新 / 不变 / 保留 / 跳过
    old_path: str = ""
    article: Article | None = None
    problems: list = field(default_factory=list)
    attachments: int = 0
    pictures: int = 0
    redirects: int = 0  # redirects made or changed
    held: str = ""  # what 内容检查 found, when the article waits for a reviewer instead of being published

    @property
    def message(self):
        if self.problems:
            return "；".join(self.problems)
        parts = [f"附件 {self.attachments} 个"] if self.attachments else []
        parts += [f"图片 {self.pictures} 张"] if self.pictures else []
        parts += [f"内容检查发现{self.held}，已设为待审核，未发布"] if self.held else []
        return f"《{self.article.title}》" + (f"（{'，'.join(parts)}）" if parts else "") if self.article else ""


class RowProblem(Exception):
    """Why a row is skipped; one message or several."""

    def __init__(self, *problems):
        super().__init__(*problems)
        self.problems = list(problems)


def import_row(row, fetcher, *, overwrite=False, dry_run=False):
    with translation.override(settings.LANGUAGE_CODE):
        outcome = Outcome(row.number, SKIPPED)
        try:
            _import(row, fetcher, outcome, overwrite=overwrite, dry_run=dry_run)
        except RowProblem as problem:
            outcome.action, outcome.problems = SKIPPED, problem.problems
        except AddressError as error:  # a redirect the store refuses (the old address is the article's own)
            outcome.action, outcome.problems = SKIPPED, [str(error)]
        return outcome


def _import(row, fetcher, outcome, *, overwrite, dry_run):
    if row.problem:
        raise RowProblem(row.problem)
    outcome.old_path = _old_address(row.text("old_url"), "旧地址")
    column_path = _old_address(row.text("column_url"), "旧栏目地址") if row.text("column_url") else ""
    column = _column(row.text("column"))
    digest = _digest(row)
    known = LegacyPage.objects.select_related("article").filter(old_path=outcome.old_path).first()
    if known and known.digest == digest:
        outcome.action, outcome.article = UNCHANGED, known.article
        if not dry_run:  # put back a redirect deleted meanwhile; otherwise this changes nothing
            outcome.redirects = _save_redirects(outcome.old_path, known.article, column_path, column)
        return
    if known and known.article.version != known.article_version and not overwrite:
        outcome.action, outcome.article = KEPT, known.article
        outcome.problems = [EDITED_HERE]
        return
    article = known.article if known else Article()
    _fill(article, row, column)
    pictures = _pictures(row, fetcher, article)
    attachments = _attachments(row, fetcher)
    outcome.action, outcome.article = (UPDATED if known else NEW), article
    outcome.attachments, outcome.pictures = len(attachments), len(pictures.pending)
    if dry_run:
        return
    with transaction.atomic(), files_follow_rows():
        article._change_reason = CHANGE_REASON
        article.save()
        for old in article.attachments.all() if known else ():
            old.delete()  # its file goes once this commits
        for order, (prepared, title) in enumerate(attachments, start=1):
            attachment = Attachment(article=article, order=order)
            apply_upload(attachment, prepared)
            attachment.title = title or file_types.name_stem(prepared.original_name)
            save_with_file(attachment)
        outcome.held = _hold_if_blocked(article)
        outcome.redirects = _save_redirects(outcome.old_path, article, column_path, column)
        version = Article.objects.filter(pk=article.pk).values_list("version", flat=True).get()
        LegacyPage.objects.update_or_create(
            old_path=outcome.old_path, defaults={"article": article, "digest": digest, "article_version": version}
        )
        pictures.store_on_commit()


def _hold_if_blocked(article):
    """Keeps `article` (saved, with its 附件) from the public while the checks block it; what they found, or ""."""
    report = blocked(article)
    if report is None:
        return ""
    counts = report.counts()
    article.status = Article.Status.REVIEW
    article.review_comment = (
        f"从旧网站导入时，内容检查发现{counts}（打开文章可见检查结果），没有发布。请修改后发布；"
        "确需公开的，由审核人员勾选“忽略以上问题，仍然发布”并写明理由。"
    )
    article._change_reason = f"{CHANGE_REASON}：内容检查未通过，待审核"
    article.save()
    return counts


def _old_address(text, label):
    if not text:
        raise RowProblem(f"缺少{label}。")
    try:
        return old_path(text)
    except AddressError as error:
        raise RowProblem(f"{label}“{text}”：{error}。") from None


def _column(text):
    if not text:
        raise RowProblem("缺少栏目。")
    column = Column.objects.filter(Q(name=text) | Q(slug=text)).first()
    if column is None:
        names = "、".join(Column.objects.values_list("name", flat=True))
        raise RowProblem(f"本站没有栏目“{text}”（现有：{names}）。请先在后台建好栏目，或改正导出文件。")
    return column


def publication_time(text):
    """The old site's publication time as a moment in the site's time zone: 2023-04-27, 2023/4/27 10:30,
    2023年4月27日, an ISO time with its offset. Raises RowProblem."""
    if not text:
        raise RowProblem("缺少发布时间（文章保留旧网站的发布时间）。")
    match = _DATE.match(text)
    try:
        if match:
            moment = datetime(*(int(part or 0) for part in match.groups()))
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise RowProblem(f"发布时间“{text}”不是有效的日期（应如 2023-04-27 或 2023-04-27 10:30）。") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _fill(article, row, column):
    if not row.text("title"):
        raise RowProblem("缺少标题。")
    article.column = column
    article.title = row.text("title")
    article.byline = row.text("author")
    article.source = row.text("source")
    article.summary = row.text("summary")
    article.body = row.text("body")
    article.publish_at = publication_time(row.text("date"))
    article.status = Article.Status.PUBLISHED
    try:
        article.full_clean(exclude=["body"], validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = [f"{_label(name)}：{'；'.join(texts)}" for name, texts in error.message_dict.items()]
        raise RowProblem(*problems) from None


def _label(name):
    try:
        return str(Article._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _pictures(row, fetcher, article):
    """The body's pictures on the old site fetched and checked as editor uploads, the body pointing at where they
    will be stored; pictures pasted into the old body as data: URLs likewise (news/uploads.py)."""
    problems, sources, pending, seen = [], {}, [], {}
    for number, src in image_sources(article.body):
        if not src or src.startswith((settings.MEDIA_URL, "data:")):
            continue
        try:
            if src not in seen:
                fetched = fetcher.fetch(src, max_image_bytes(), base_url=row.text("old_url"))
                image = clean_image(ContentFile(fetched.data, name=fetched.name))
                seen[src] = editor_image_path(image.content)
                pending.append((seen[src], image.content))
        except (FetchError, ImageRejected) as error:
            problems.append(f"正文第 {number} 张图片：{getattr(error, 'message', error)}")
            continue
        sources[number] = lasting_url(seen[src])
    try:
        pasted = take_pasted_images(replace_sources(article.body, sources))
    except ValidationError as error:
        problems += error.messages
        pasted = None
    if problems:
        raise RowProblem(*problems)
    article.body = pasted.body
    return PastedPictures(pasted.body, pending + pasted.pending)


def _attachments(row, fetcher):
    """[(PreparedUpload, 显示名称)] of the row's files, each fetched and checked as an admin upload is."""
    found, problems = [], []
    for number, item in enumerate(row.fields.get("attachments", []), start=1):
        try:
            fetched = fetcher.fetch(item.ref, file_types.max_bytes(), base_url=row.text("old_url"))
            found.append((prepare_upload(fetched.name, fetched.data), item.title))
        except FetchError as error:
            problems.append(f"第 {number} 个附件：{error}")
        except ValidationError as error:
            problems.append(f"第 {number} 个附件“{item.title or item.ref}”：{'；'.join(error.messages)}")
    if problems:
        raise RowProblem(*problems)
    return found


def _save_redirects(old, article, column_path, column):
    pairs = [(old, article.get_absolute_url())]
    if column_path:
        pairs.append((column_path, column.get_absolute_url()))
    saved = save_redirects(pairs)
    return saved.count(NEW) + saved.count(UPDATED)


def _digest(row):
    fields = {key: value for key, value in row.fields.items() if key != "attachments"}
    fields["attachments"] = [(item.ref, item.title) for item in row.fields.get("attachments", [])]
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
