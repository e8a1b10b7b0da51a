from django.db import models
from django.utils.translation import gettext_lazy as _

URL_LENGTH = 2000  # longer addresses are not checked (union_site/inspection/external.py)


class ExternalLink(models.Model):
    """An address on another site that public content links to, and what its last check found
    (union_site/inspection/external.py). Written by the task worker only; a result is reused for a week."""

    url = models.CharField(_("网址"), max_length=URL_LENGTH, unique=True)
    status = models.PositiveSmallIntegerField(_("HTTP 状态码"), null=True, blank=True)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("检查时间"), db_index=True)

    class Meta:
        verbose_name = _("外部链接检查结果")
        verbose_name_plural = _("外部链接检查结果")
        ordering = ["url"]

    def __str__(self):
        return self.url

    @property
    def is_ok(self):
        return self.status is not None and self.status < 400 and not self.error

    @property
    def problem(self):
        """Why the link does not work, as a person reads it; empty when it works."""
        if self.is_ok:
            return ""
        return self.error or f"对方网站回答 HTTP {self.status}"


class Report(models.Model):
    """No table: gives the 网站巡检 page its place in the admin (/admin/inspection/report/, union_site/inspection/
    admin.py) and its permission, inspection.view_report (审核 and superusers: union_site/roles.py)."""

    class Meta:
        managed = False
        default_permissions = ("view",)
        verbose_name = _("网站巡检报告")
        verbose_name_plural = _("网站巡检报告")

    def __str__(self):
        return str(self._meta.verbose_name)
