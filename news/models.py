import html

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from union_site.common.fields import user_stamp
from union_site.common.richtext import sanitize_html
from union_site.common.text import CleanTextMixin


class ColumnQuerySet(models.QuerySet):
    def in_nav(self):
        return self.filter(is_in_nav=True)


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

    objects = ColumnQuerySet.as_manager()

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:column", kwargs={"slug": self.slug})


def article_search_text(article):
    """What search looks in: the headings and the body as plain text (markup is not searched)."""
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
    ]
    return "\n".join(part for part in parts if part)


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of "visible to the public": status published, inside its publish window."""
        now = timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=now).filter(
            Q(unpublish_at__isnull=True) | Q(unpublish_at__gt=now)
        )

    def neighbours(self, article):
        """(previous, next) published articles of the same column, in publishing order."""
        same = (
            self.published()
            .filter(column_id=article.column_id)
            .exclude(pk=article.pk)
            .only("id", "title", "publish_at")
        )
        older = same.filter(Q(publish_at__lt=article.publish_at) | Q(publish_at=article.publish_at, id__lt=article.id))
        newer = same.filter(Q(publish_at__gt=article.publish_at) | Q(publish_at=article.publish_at, id__gt=article.id))
        return older.order_by("-publish_at", "-id").first(), newer.order_by("publish_at", "id").first()

    def related_to(self, article, count=5):
        return (
            self.published()
            .filter(column_id=article.column_id)
            .exclude(pk=article.pk)
            .only("id", "title", "publish_at")
            .order_by("-publish_at", "-id")[:count]
        )

    def for_listing(self):
        return self.select_related("column").order_by("-is_pinned", "-publish_at", "-id")


class Article(CleanTextMixin, models.Model):
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
        default=timezone.now,
        db_index=True,
        help_text=_("设为将来的时间即定时发布，到点自动出现在网站上。"),
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
    search_text = models.TextField(_("检索文本"), blank=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    created_by = user_stamp(_("创建人"))
    updated_by = user_stamp(_("最后修改人"))

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["view_count", "search_text"], verbose_name=_("文章历史版本"))

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
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        self.search_text = article_search_text(self)
        if self.status == self.Status.REVIEW and self.submitted_at is None:
            self.submitted_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.publish_at > timezone.now()

    @property
    def is_expired(self):
        return self.unpublish_at is not None and self.unpublish_at <= timezone.now()

    @property
    def is_public(self):
        now = timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )

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
        """Summary, or the start of the body."""
        if self.summary:
            return self.summary
        return Truncator(html.unescape(strip_tags(self.body))).chars(120)


VALIDITY_NOTICES = {
    Article.Validity.AMENDED: _("本文件已修改，请以修改后的文件为准。"),
    Article.Validity.REPEALED: _("本文件已废止，仅供查阅。"),
    Article.Validity.EXPIRED: _("本文件已失效，仅供查阅。"),
}
