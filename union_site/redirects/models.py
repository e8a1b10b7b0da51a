from django.db import models
from django.utils.translation import gettext_lazy as _

PATH_LENGTH = 200  # as a redirect's 旧地址 (django.contrib.redirects' old_path), so a logged address can become one


class NotFoundPath(models.Model):
    """One address that answered 404, with how often and when; or, for bots' probes, one row per kind of probe.
    Written only by the write-back in union_site/redirects/not_found.py, never by a request."""

    class Kind(models.TextChoices):
        PAGE = "page", _("页面")
        PROBE = "probe", _("扫描探测")

    path = models.CharField(
        _("地址"),
        max_length=PATH_LENGTH,
        unique=True,
        help_text=_("不含问号后面的参数；扫描探测按类别合并为一行。"),
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.PAGE, db_index=True)
    hits = models.PositiveBigIntegerField(_("次数"), default=0, db_index=True)
    first_seen_at = models.DateTimeField(_("首次出现"))
    last_seen_at = models.DateTimeField(_("最近出现"), db_index=True)
    last_referrer = models.CharField(
        _("最近来源"), max_length=500, blank=True, help_text=_("最近一次访问是从哪个网页点过来的（Referer）。")
    )
    last_full_path = models.CharField(_("最近的完整地址"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("404 记录")
        verbose_name_plural = _("404 记录")
        ordering = ["-hits", "-last_seen_at"]

    def __str__(self):
        return self.path


class LegacyPage(models.Model):
    """An article of the old site brought here by `manage.py import_legacy` (union_site/redirects/legacy.py): its old
    address, the article it became, and what was imported, so importing the export again changes nothing and an
    article edited here since is not overwritten."""

    old_path = models.CharField(_("旧地址"), max_length=PATH_LENGTH, unique=True)
    article = models.OneToOneField(
        "news.Article", verbose_name=_("文章"), on_delete=models.CASCADE, related_name="legacy_page"
    )
    digest = models.CharField(_("导入内容摘要"), max_length=64, help_text=_("导入的那一行的 SHA-256，判断是否有变化。"))
    article_version = models.PositiveIntegerField(_("导入时的文章版本"))
    imported_at = models.DateTimeField(_("导入时间"), auto_now=True)

    class Meta:
        verbose_name = _("旧网站文章")
        verbose_name_plural = _("旧网站文章")

    def __str__(self):
        return self.old_path
