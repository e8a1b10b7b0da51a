from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    """One downloaded or written report: who, which, with what filters, how many rows, when (报表中心)."""

    class Channel(models.TextChoices):
        ADMIN = "admin", _("报表中心")
        ACTION = "action", _("后台列表“导出所选”")
        COMMAND = "command", _("命令行")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("导出人账号"), max_length=150, blank=True, help_text=_("账号删除后仍可查。"))
    report = models.CharField(_("报表"), max_length=100)
    format = models.CharField(_("格式"), max_length=10)
    filters = models.JSONField(_("筛选条件"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("行数"), null=True, blank=True, help_text=_("空白表示未导出完成。"))
    channel = models.CharField(_("途径"), max_length=10, choices=Channel.choices, default=Channel.ADMIN)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("导出时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-created_at", "-id"]
        permissions = [("export_report", _("可以导出报表"))]

    def __str__(self):
        return f"{self.report}（{self.format}）"
