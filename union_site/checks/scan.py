"""Everything the public can see now, checked again: for `manage.py scan_content` and the 网站巡检 page.

    public_findings(counts=None) -> iterator of PublicFinding (object, field, hit, level, context, admin_url, …),
                                    article by article, album by album, figure by figure

Reads published articles (with their attachments), shown albums (with their ready photos) and the figures of shown
periods, each by the models' own `published()`, in chunks (`.iterator(chunk_size=…)`) and with only the fields the
checks read: memory stays the same for 100 or 100,000 articles. The 词库 matcher is built once for the whole scan.
A finding an override covered (the reviewer published it knowingly, with a reason) is reported as confirmed
(`confirmed`: that CheckOverride) and does not count as a problem (`is_problem`).
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.urls import reverse

from achievements.models import Metric
from gallery.models import Album, Photo
from news.models import Article, Attachment
from union_site.checks.matcher import term_matcher
from union_site.checks.models import CheckOverride
from union_site.checks.report import Finding, check

CHUNK_SIZE = 500
ARTICLE_FIELDS = ("id", "kicker", "title", "subtitle", "summary", "body")


@dataclass(frozen=True)
class PublicFinding:
    object: object
    kind: str  # 文章 / 相册 / 指标
    finding: Finding
    admin_url: str
    confirmed: CheckOverride | None = None

    field = property(lambda self: self.finding.field)
    hit = property(lambda self: self.finding.hit)
    level = property(lambda self: self.finding.level)
    context = property(lambda self: self.finding.context)

    @property
    def is_problem(self):
        """禁用 or personal data that no override covered: the scan fails on it."""
        return self.finding.blocks and self.confirmed is None


def public_sources():
    """(kind label, queryset) of what is public now, each with only what its checks read."""
    attachments = Attachment.objects.only("id", "article_id", "title", "original_name", "file", "kind").order_by(
        "order", "id"
    )
    photos = Photo.objects.ready().only("id", "album_id", "caption", "alt_text").order_by("order", "id")
    return [
        (
            "文章",
            Article.objects.published().only(*ARTICLE_FIELDS).prefetch_related(Prefetch("attachments", attachments)),
        ),
        (
            "相册",
            Album.objects.published()
            .only("id", "title", "place", "description")
            .prefetch_related(Prefetch("photos", photos)),
        ),
        (
            "指标",
            Metric.objects.published().only(
                "id", "label", "source_text", "source_document", "value", "unit", "qualifier"
            ),
        ),
    ]


def latest_overrides():
    """{(content type id, object id): the latest CheckOverride}: a few rows per overridden object, held for the scan."""
    latest = {}
    for override in CheckOverride.objects.select_related("user").order_by("created_at", "id").iterator(chunk_size=500):
        latest[(override.content_type_id, override.object_id)] = override
    return latest


def public_findings(counts=None):
    """Every finding in public content; `counts` ({kind: number checked}), when given, is filled in as it goes."""
    overrides, matcher = latest_overrides(), term_matcher()
    for kind, queryset in public_sources():
        opts = queryset.model._meta
        content_type = ContentType.objects.get_for_model(queryset.model)
        url_name = f"admin:{opts.app_label}_{opts.model_name}_change"
        for obj in queryset.order_by("pk").iterator(chunk_size=CHUNK_SIZE):
            if counts is not None:
                counts[kind] = counts.get(kind, 0) + 1
            report = check(obj, matcher=matcher)
            # The prefetched rows point back at their article (a reference cycle, left for the garbage collector's
            # rare full passes): dropped now, each chunk's rows are freed as soon as the next one is read.
            obj.__dict__.pop("_prefetched_objects_cache", None)
            if not report:
                continue
            override = overrides.get((content_type.pk, obj.pk))
            covered = set(override.keys) if override else set()
            admin_url = reverse(url_name, args=[obj.pk])
            for finding in report.findings:
                confirmed = override if finding.blocks and finding.key in covered else None
                yield PublicFinding(obj, kind, finding, admin_url, confirmed)
