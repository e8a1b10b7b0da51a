import html
import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from union_site.common.concurrency import VersionedModel
from union_site.common.fields import user_stamp
from union_site.common.file_types import FAMILIES as FILE_FAMILIES
from union_site.common.file_types import TYPES as FILE_TYPES
from union_site.common.file_types import name_stem, size_label
from union_site.common.matching import q_matches
from union_site.common.queries import fetch_parts
from union_site.common.richtext import sanitize_html
from union_site.common.text import CleanTextMixin

from .adoption import Adoption, settle_adoption
from .search_tokens import search_tokens

# 栏目类型 (ColumnType, a 网页标签 of 国办发〔2017〕47号《政府网站发展指引》), the mapping a site operator may need to
# adjust to the spec their supervisor applies. News columns get theirs from Column.column_type; the other pages
# name theirs where their page_meta is made:
#
#     首页 (union_site/views.py)                              首页
#     news column named 通知公告, or of 版式 “公告列表”          通知公告
#     news column named 政策文件                              政策文件
#     any other news column, 新闻中心 (news/views.py)          新闻动态
#     活动图集 (gallery/models.py GALLERY_PAGE_META)           新闻动态
#     数说五年 (achievements/views.py)                         数据发布
#     下载中心 (news/downloads.py DOWNLOADS_META)                办事服务
COLUMN_TYPE_NEWS, COLUMN_TYPE_NOTICE, COLUMN_TYPE_POLICY = "新闻动态", "通知公告", "政策文件"
COLUMN_TYPES_BY_NAME = {"通知公告": COLUMN_TYPE_NOTICE, "政策文件": COLUMN_TYPE_POLICY}


class ColumnQuerySet(models.QuerySet):
    def in_nav(self):
        """The main navigation's columns, the one rule (README, 导航栏): 显示在导航栏 ticked and at least one article
        public now. An empty column gets no entry until its first article is public (a scheduled one at its minute:
        union_site/context_processors.py); its page still answers at its address."""
        public = Article.objects.filter(article_public_q(timezone.now()), column=OuterRef("pk"))
        return self.filter(is_in_nav=True).filter(Exists(public))


class Column(CleanTextMixin, models.Model):
    class Kind(models.TextChoices):
        LIST = "list", _("新闻列表")
        NOTICE = "notice", _("公告列表（只列标题和日期）")
        PHOTO = "photo", _("图片新闻（带封面）")

    name = models.CharField(_("栏目名称"), max_length=50, unique=True)
    slug = models.SlugField(
        _("网址名"), max_length=50, unique=True, help_text=_("出现在网址里，只用英文字母、数字和短横线，如 notices。")
    )
    kind = models.CharField(_("版式"), max_length=10, choices=Kind.choices, default=Kind.LIST)
    description = models.CharField(_("栏目说明"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面。"))
    is_in_nav = models.BooleanField(_("显示在导航栏"), default=True)
    update_days = models.PositiveSmallIntegerField(
        _("更新周期（天）"),
        null=True,
        blank=True,
        default=14,
        help_text=_(
            "网站巡检按此检查栏目是否按时更新：动态、要闻类栏目填 14，通知公告、政策文件类填 180；"
            "专题、归档等不需定期更新的栏目留空（不查更新，但没有公开文章时仍算空白栏目）。"
        ),
    )

    objects = ColumnQuerySet.as_manager()

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:column", kwargs={"slug": self.slug})

    @property
    def column_type(self):
        """栏目类型 (the table above COLUMN_TYPES_BY_NAME): by the column's name first, then by its 版式."""
        if self.name in COLUMN_TYPES_BY_NAME:
            return COLUMN_TYPES_BY_NAME[self.name]
        if self.kind == self.Kind.NOTICE:
            return COLUMN_TYPE_NOTICE
        return COLUMN_TYPE_NEWS

    def page_meta(self):
        """The column page's 网页标签 (union_site/compliance.py adds the site's)."""
        return {
            "ColumnName": self.name,
            "ColumnDescription": self.description,
            "ColumnType": self.column_type,
            "og:title": self.name,
        }


def article_search_text(article):
    """What search looks in: the headings, the body as plain text (markup is not searched) and the 显示名称 of its
    attachments (a notice is found by its 报名表)."""
    body = html.unescape(strip_tags(article.body))
    parts = [
        article.kicker,
        article.title,
        article.subtitle,
        article.doc_number,  # 发文字号: people search for 滨工发〔2026〕12号
        article.doc_index_number,
        article.byline,
        article.summary,
        body,
        *article_attachment_titles(article),
    ]
    return "\n".join(part for part in parts if part)


def article_attachment_titles(article):
    """Its attachments' 显示名称 as stored (prefetched, when they are); none before the article is saved. Attachments
    saved after their article (the admin's inline) refresh its search fields: news/attachments.py."""
    if article.pk is None:
        return []
    return [attachment.title for attachment in article.attachments.all()]


def article_title_text(article):
    """The headings, which rank a search hit higher than the body does."""
    return "\n".join(part for part in [article.kicker, article.title, article.subtitle] if part)


LEAD_CHARS = 120


def article_lead_text(article):
    """导语 as lists and shares show it: the summary, or the start of the body as plain text."""
    if article.summary:
        return article.summary
    return Truncator(html.unescape(strip_tags(article.body))).chars(LEAD_CHARS)


def article_fill_derived_fields(article):
    """What save() works out from the editor's fields: `search_text` (substring match, snippets), its bigram tokens
    (news/search_tokens.py) for the index, and the lead. Code that writes rows without save() (bulk_create) calls it
    too."""
    article.search_text = article_search_text(article)
    article.search_tokens = search_tokens(article.search_text)
    article.title_tokens = search_tokens(article_title_text(article))
    article.lead_text = article_lead_text(article)


def article_published_by_q(now, prefix=""):
    """已发布 and its publishing time has come by `now`: scheduled articles have not; expired ones have.
    `prefix` for lookups through a relation ("articles__")."""
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}publish_at__lte": now})


def article_expired_q(now, prefix=""):
    """Past its 下线时间 (an article without one never expires)."""
    return Q(**{f"{prefix}unpublish_at__lte": now})


def article_public_q(now, prefix=""):
    """The one definition of "visible to the public" at `now`: published by then and not expired. `published()`
    filters on it and `Article.is_public` evaluates it (`q_matches`), so the two cannot disagree."""
    return article_published_by_q(now, prefix) & ~article_expired_q(now, prefix)


SEARCH_FIELDS = ("search_text", "search_tokens", "title_tokens")


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Visible to the public now: `article_public_q`."""
        return self.filter(article_public_q(timezone.now()))

    def around(self, article, related_count=5):
        """(previous, next, related): the published articles of the same column just before and after `article` in
        publishing order, and its `related_count` newest others: three index range scans with their LIMITs, asked
        as one query (fetch_parts)."""
        same = self.published().filter(column_id=article.column_id).only("id", "title", "publish_at")
        at, pk = article.publish_at or timezone.now(), article.pk  # a draft's preview: as if published now
        older = same.filter(Q(publish_at__lt=at) | Q(publish_at=at, id__lt=pk)).order_by("-publish_at", "-id")
        newer = same.filter(Q(publish_at__gt=at) | Q(publish_at=at, id__gt=pk)).order_by("publish_at", "id")
        others = same.exclude(pk=pk).order_by("-publish_at", "-id")
        previous, following, related = fetch_parts([older[:1], newer[:1], others[:related_count]])
        return (previous or [None])[0], (following or [None])[0], related

    def newest_of_column(self, column_id, count):
        """The `count` newest published articles of the column, newest first, as (id, title, publish_at): what
        `around_in` finds the neighbours of the newest ones in."""
        same = self.published().filter(column_id=column_id).order_by("-publish_at", "-id")
        return list(same.values_list("id", "title", "publish_at")[:count])

    def for_listing(self):
        """Listing order, with the column, and without the body and the search fields: no list shows them (the lead
        is kept at save, `lead_text`), and the search fields hold the text again, two or three times over
        (news/search_tokens.py)."""
        return self.select_related("column").defer("body", *SEARCH_FIELDS).order_by("-is_pinned", "-publish_at", "-id")

    def with_cover(self):
        return self.exclude(cover="")

    def next_visibility_change(self, now):
        """The earliest moment after `now` at which an 已发布 article appears (its 发布时间) or leaves (its 下线时间),
        or None: until then `published()` gives the same rows. One query on every database: the first of each from
        its index, as two subqueries (a MIN over the published rows read all 10,000 of them, 7 ms, on every
        publish)."""
        published = self.filter(status=Article.Status.PUBLISHED)

        def first(field):
            later = published.filter(**{f"{field}__gt": now}).order_by(field).values(field)[:1]
            return Subquery(later, output_field=models.DateTimeField())

        found = self.model._base_manager.annotate(appears=first("publish_at"), leaves=first("unpublish_at"))
        row = found.values("appears", "leaves").order_by()[:1]
        moments = [moment for found_row in row for moment in found_row.values() if moment is not None]
        return min(moments, default=None)

    def headline(self):
        """头条: the newest published headline article, else the newest published article; None when none is."""
        published = self.published().for_listing()
        return published.filter(is_headline=True).first() or published.first()

    def column_lists(self, columns, per_column):
        """[the first `per_column` articles of this queryset in each of `columns`, in listing order]. One index range
        scan with a LIMIT per column, asked as one query (fetch_parts), which stays fast however many articles there
        are; a single ROW_NUMBER() query ranks every published article on each request and was 4x slower at 10,000
        articles (make bench)."""
        return fetch_parts(self.filter(column=column).for_listing()[:per_column] for column in columns)


def around_in(newest, pk, count, related_count=5):
    """ArticleQuerySet.around of the published article `pk`, from `newest` (newest_of_column's `count` rows): the
    same three when they are all in it, else None (a full list may leave out the last row's older neighbour, or
    some of the related)."""
    ids = [row[0] for row in newest]
    cut = len(ids) == count  # there may be older ones
    if pk not in ids or (cut and (ids.index(pk) == len(ids) - 1 or len(ids) - 1 < related_count)):
        return None
    at = ids.index(pk)
    rows = [Article(id=id_, title=title, publish_at=publish_at) for id_, title, publish_at in newest]
    previous = rows[at + 1] if at + 1 < len(rows) else None
    following = rows[at - 1] if at > 0 else None
    return previous, following, [row for row in rows if row.pk != pk][:related_count]


class Article(CleanTextMixin, VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        REVIEW = "review", _("待审核")
        PUBLISHED = "published", _("已发布")
        ARCHIVED = "archived", _("已归档")

    class Validity(models.TextChoices):
        VALID = "valid", _("有效")
        AMENDED = "amended", _("已修改")
        REPEALED = "repealed", _("已废止")
        EXPIRED = "expired", _("已失效")

    column = models.ForeignKey(Column, verbose_name=_("栏目"), on_delete=models.PROTECT, related_name="articles")
    kicker = models.CharField(_("引题"), max_length=200, blank=True, help_text=_("标题上方的一行小字，可不填。"))
    title = models.CharField(_("标题"), max_length=200)
    subtitle = models.CharField(_("副标题"), max_length=200, blank=True, help_text=_("标题下方，如“——……工作掠影”。"))
    byline = models.CharField(_("作者/通讯员"), max_length=200, blank=True, help_text=_("如：本报通讯员 张三 李四"))
    source = models.CharField(_("来源"), max_length=100, blank=True, help_text=_("如：滨州日报、滨州工人报"))
    summary = models.TextField(_("摘要"), blank=True, help_text=_("列表和分享时显示；不填则取正文开头。"))
    body = models.TextField(_("正文"), blank=True, help_text=_("保存时会自动清除不安全的代码（脚本、事件属性等）。"))
    cover = models.ImageField(_("封面图"), upload_to="covers/%Y/%m/", blank=True)
    album = models.ForeignKey(
        "gallery.Album",
        verbose_name=_("相关相册"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    publish_at = models.DateTimeField(
        _("发布时间"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("发布时自动填入；设为将来的时间即定时发布，到点自动出现在网站上。"),
    )
    unpublish_at = models.DateTimeField(
        _("下线时间"), null=True, blank=True, help_text=_("到点自动从网站撤下；不填则一直显示。")
    )
    is_pinned = models.BooleanField(_("置顶"), default=False)
    is_headline = models.BooleanField(_("头条"), default=False, help_text=_("首页头条位置显示最新的一篇头条。"))
    view_count = models.PositiveIntegerField(_("阅读数"), default=0, editable=False)
    # 公文信息: for 通知公告 and 政策文件 that publish an official document; empty on ordinary news.
    doc_index_number = models.CharField(
        _("索引号"), max_length=50, blank=True, help_text=_("政府信息公开目录中的索引号，照公开目录填写；没有可不填。")
    )
    doc_number = models.CharField(
        _("发文字号"),
        max_length=50,
        blank=True,
        help_text=_("文件的发文字号，如：滨工发〔2026〕12号（用六角括号〔〕）。"),
    )
    doc_written_on = models.DateField(
        _("成文日期"), null=True, blank=True, help_text=_("文件落款的日期，不是网站发布日期。")
    )
    doc_topic = models.CharField(
        _("主题分类"), max_length=50, blank=True, help_text=_("按信息公开目录的主题分类填写，如：工会工作。")
    )
    doc_validity = models.CharField(
        _("有效性"),
        max_length=10,
        choices=Validity.choices,
        blank=True,
        help_text=_("文件现在是否有效。选“已修改”“已废止”“已失效”时，文章页会醒目提示读者。不是公文的文章不选。"),
    )
    review_comment = models.TextField(
        _("审核意见"), blank=True, help_text=_("驳回时写明原因，稿件退回草稿，编辑可见。")
    )
    submitted_at = models.DateTimeField(_("提交审核时间"), null=True, blank=True, editable=False)
    note = models.TextField(_("编辑备注"), blank=True, help_text=_("只在后台可见，如原稿存疑之处。"))
    # 来稿 (README "基层投稿"): the unit that sent the item, its 通讯员, and how it was used (news/adoption.py).
    contributing_unit = models.ForeignKey(
        "contributions.Unit",
        verbose_name=_("来稿单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        help_text=_("县市区总工会、产业工会等报送的稿件选其单位，文章页显示“来稿单位”，并计入信息采用情况通报。"),
    )
    contributor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("通讯员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    adoption = models.CharField(
        _("采用状态"),
        max_length=10,
        choices=Adoption.choices,
        default=Adoption.PENDING,
        db_index=True,
        help_text=_("发布到官网即为采用；勾选公众号、上级媒体也即为采用。退回须写明原因。"),
    )
    is_used_on_site = models.BooleanField(_("官网采用"), default=False, editable=False)
    is_used_on_wechat = models.BooleanField(_("公众号采用"), default=False)
    is_used_upstream = models.BooleanField(_("上级媒体采用"), default=False)
    upstream_outlet = models.CharField(
        _("上级媒体名称"), max_length=100, blank=True, help_text=_("如：工人日报、中工网、山东工人报。")
    )
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True, editable=False)
    return_reason = models.TextField(_("退回原因"), blank=True, help_text=_("退回时填写，来稿单位的通讯员可见。"))
    lead_text = models.TextField(_("导语（自动）"), blank=True, editable=False)  # article_lead_text, made on save
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    search_tokens = models.TextField(_("检索词元"), blank=True, editable=False)
    title_tokens = models.TextField(_("标题检索词元"), blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    created_by = user_stamp(_("创建人"))
    updated_by = user_stamp(_("最后修改人"))

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["view_count", "lead_text", "search_text", "search_tokens", "title_tokens", "version"],
        verbose_name=_("文章历史版本"),
    )

    class Meta:
        verbose_name = _("文章")
        verbose_name_plural = _("文章")
        ordering = ["-publish_at", "-id"]
        permissions = [("publish_article", _("可以发布、定时、置顶、撤下文章"))]
        indexes = [  # for_listing()'s order, overall and per column: a LIMIT reads a few rows instead of sorting all
            models.Index(F("is_pinned").desc(), F("publish_at").desc(), F("id").desc(), name="article_listing"),
            models.Index(
                "column", F("is_pinned").desc(), F("publish_at").desc(), F("id").desc(), name="article_column_listing"
            ),
            # published()'s columns, per column: a column's page count (the paginator's COUNT) reads this index
            # alone, not every row of the column (rows are wide: 8 ms for 2,000 articles on PostgreSQL, now 0.4).
            models.Index(fields=["column", "status", "publish_at", "unpublish_at"], name="article_column_visible"),
            # next_visibility_change: the next 下线时间 (few articles have one)
            models.Index(fields=["unpublish_at"], condition=Q(unpublish_at__isnull=False), name="article_unpublish_at"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if self.status == self.Status.PUBLISHED and self.publish_at is None:
            self.publish_at = timezone.now()  # 发布时间 stays empty until publishing (news/workflow.py sets it)
        settle_adoption(self, published=self.status == self.Status.PUBLISHED)
        article_fill_derived_fields(self)
        if not self._state.adding and kwargs.get("update_fields") is None:
            # 阅读数 is written back from the cache meanwhile (union_site/common/counters.py): an edit must not put
            # back the number it loaded.
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "view_count"
            ]
        super().save(*args, **kwargs)

    @property
    def is_scheduled(self):
        """已发布, its publishing time still to come."""
        return self.status == self.Status.PUBLISHED and not q_matches(article_published_by_q(timezone.now()), self)

    @property
    def is_expired(self):
        return q_matches(article_expired_q(timezone.now()), self)

    @property
    def is_public(self):
        """The Python twin of `published()`: the same Q, evaluated on this article."""
        return q_matches(article_public_q(timezone.now()), self)

    DOC_FIELDS = ["doc_index_number", "doc_number", "doc_written_on", "doc_topic", "doc_validity"]

    @property
    def has_document_meta(self):
        return any(getattr(self, name) for name in self.DOC_FIELDS)

    @property
    def validity_notice(self):
        """What a reader must be told about a document no longer (wholly) in force; empty otherwise."""
        return VALIDITY_NOTICES.get(self.doc_validity, "")

    @property
    def lead(self):
        """Summary, or the start of the body: kept at save (lists show 20 at a time), worked out for rows written
        without save()."""
        return self.lead_text or article_lead_text(self)

    @property
    def share_image(self):
        """The picture a share of this article shows: its cover, else its album's cover; "" when it has neither."""
        if self.cover:
            return self.cover.url
        return self.album.share_image if self.album_id else ""

    def page_meta(self):
        """The article page's 网页标签: its column's, the article tags of 国办发〔2017〕47号 and Open Graph's.
        union_site/compliance.py adds the site's; None leaves a tag to the site's default (ContentSource: 主办单位)."""
        url, lead = self.get_absolute_url(), self.lead
        published = timezone.localtime(self.publish_at) if self.publish_at else None  # a draft's preview: none yet
        return {
            **self.column.page_meta(),
            "ArticleTitle": self.title,
            "PubDate": published.strftime("%Y-%m-%d %H:%M") if published else None,  # Beijing time
            "ContentSource": self.source or None,
            "Keywords": ",".join(word for word in [self.doc_topic, self.column.name] if word),
            "Author": self.byline,
            "Description": lead,
            "Url": url,
            "og:title": self.title,
            "og:type": "article",
            "og:url": url,
            "og:description": lead,
            "og:image": self.share_image or None,
            "article:published_time": published.isoformat("T", "seconds") if published else None,
        }


VALIDITY_NOTICES = {
    Article.Validity.AMENDED: _("本文件已修改，请以修改后的文件为准。"),
    Article.Validity.REPEALED: _("本文件已废止，仅供查阅。"),
    Article.Validity.EXPIRED: _("本文件已失效，仅供查阅。"),
}


# --- 附件 (attachments): files of an article, edited inline with it; their rules are news/attachments.py's ---------


def attachment_path(attachment, filename):
    """attachments/<year>/<month>/<uuid>.<kind>: a generated name, with the extension of what the content is
    (union_site/common/file_types.py). The editor's file name is kept in the row, never used for the file."""
    return f"attachments/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{attachment.kind or 'bin'}"


# Characters Windows refuses in a file name, and control characters: never in a download's name.
UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def attachment_download_name(title, kind):
    """The name a download is saved under: the 显示名称, made a valid file name, with the extension of the file's
    real type (added unless the name already ends with it)."""
    stem = UNSAFE_IN_FILE_NAMES.sub("_", title or "").strip(" .")[:150] or "附件"
    return stem if stem.lower().endswith(f".{kind}") else f"{stem}.{kind}"


class AttachmentQuerySet(models.QuerySet):
    def public(self):
        """Attachments of articles visible to the public now: the articles' one rule, `article_public_q`."""
        return self.filter(article_public_q(timezone.now(), prefix="article__"))

    def of_kind(self, kind):
        """One type (?kind=docx) or a family of them (?kind=word: doc, docx); an unknown word filters nothing."""
        if kind in FILE_TYPES:
            return self.filter(kind=kind)
        if kind in FILE_FAMILIES:
            return self.filter(kind__in=[key for key, t in FILE_TYPES.items() if t.family == kind])
        return self

    def for_listing(self):
        """下载中心's order, newest article first, each article's files in their own order; with the article and
        column a row names, and without the articles' texts."""
        return (
            self.select_related("article__column")
            .only(
                *ATTACHMENT_LISTED,
                "article__column",
                "article__title",
                "article__publish_at",
                "article__column__name",
                "article__column__slug",
            )
            .order_by("-article__publish_at", "-article_id", "order", "id")
        )


ATTACHMENT_LISTED = ("id", "article", "file", "title", "original_name", "kind", "size", "order", "download_count")


class Attachment(CleanTextMixin, models.Model):
    article = models.ForeignKey(Article, verbose_name=_("文章"), on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    title = models.CharField(
        _("显示名称"),
        max_length=200,
        blank=True,
        help_text=_("网站上显示的名称，也是下载时的文件名；不填则用原文件名。"),
    )
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True, editable=False)
    kind = models.CharField(
        _("格式"),
        max_length=10,
        choices=[(key, file_type.label) for key, file_type in FILE_TYPES.items()],
        editable=False,
        help_text=_("按文件内容识别，不看文件名。"),
    )
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面。"))
    download_count = models.PositiveIntegerField(_("下载次数"), default=0, editable=False)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title or self.original_name

    def get_absolute_url(self):
        """The download, its name at the end: some phone browsers (WeChat's) name the file after the address."""
        return reverse("downloads:file", kwargs={"pk": self.pk, "filename": self.download_name})

    @property
    def file_type(self):
        return FILE_TYPES[self.kind]

    @property
    def badge(self):
        """The short word on the file icon (PDF, DOC, XLS …)."""
        return FILE_FAMILIES[self.file_type.family][1]

    @property
    def download_name(self):
        return attachment_download_name(self.title or name_stem(self.original_name), self.kind)

    @property
    def size_label(self):
        return size_label(self.size)
