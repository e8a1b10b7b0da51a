"""来稿单位 and 通讯员. What an article records of its 来稿 (unit, contributor, 采用) is on news.Article; its rules are
news/adoption.py's; who may do what is access.py's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from union_site.common.text import CleanTextMixin


class UnitQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Unit(CleanTextMixin, models.Model):
    """来稿单位: a union or department that sends news to the site; the 通报 ranks units within their type."""

    class Type(models.TextChoices):
        COUNTY = "county", _("县市区总工会")
        INDUSTRY = "industry", _("产业工会")
        DEPARTMENT = "department", _("机关部室")
        GRASSROOTS = "grassroots", _("基层工会")
        OTHER = "other", _("其他")

    name = models.CharField(_("单位名称"), max_length=100, unique=True, help_text=_("如：滨城区总工会。"))
    type = models.CharField(_("单位类型"), max_length=12, choices=Type.choices, default=Type.OTHER)
    is_active = models.BooleanField(
        _("启用"), default=True, help_text=_("停用的单位不再出现在来稿单位的选项里，没有来稿时也不列入通报。")
    )
    contact = models.CharField(
        _("联系人及电话"), max_length=200, blank=True, help_text=_("只在后台可见，如：张三 0543-1234567。")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面。"))

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("来稿单位")
        verbose_name_plural = _("来稿单位")
        ordering = ["type", "order", "id"]

    def __str__(self):
        return self.name


class Correspondent(models.Model):
    """通讯员: an account bound to one 来稿单位. It writes and submits that unit's items only (access.py)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="correspondent"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("来稿单位"), on_delete=models.PROTECT, related_name="correspondents")
    created_at = models.DateTimeField(_("绑定时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("通讯员")
        verbose_name_plural = _("通讯员")
        ordering = ["unit", "user__username"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.get_username()}（{self.unit}）"
