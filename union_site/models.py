from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# FormToken (one use of an add form) is a table of this app, defined with the code that uses it.
from union_site.common.concurrency import FormToken, VersionedModel  # noqa: F401
from union_site.common.fields import user_stamp
from union_site.common.text import CleanTextMixin


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


def default_site_name():
    return settings.SITE_NAME


SITE_CODE = RegexValidator(r"^[A-Za-z0-9]+$", _("网站标识码只能由字母和数字组成，如 3716000001。"))
DOMAIN = RegexValidator(r"^[A-Za-z0-9.-]+(:\d+)?$", _("只填域名，如 www.bzzgh.gov.cn，不要带 https:// 和斜杠。"))


# The default 个人信息处理说明 of the 主席信箱 form (《个人信息保护法》 第十七条: what, why, who, how long, the writer's
# rights); staff adapt it in 网站设置.
MAILBOX_NOTICE = (
    "您在主席信箱填写的姓名、联系电话、工作单位和电子邮箱，仅用于办理、答复您的来信和与您联系，"
    "由本会负责信箱的工作人员和承办部门查看，不向其他单位或个人提供。\n"
    "来信和答复只有在您勾选同意公开后，由工作人员隐去姓名、电话、身份证号、邮箱等个人信息，才会在网站公开。\n"
    "来信及办理记录按档案管理规定保存。您可以致电本会查询、更正您的个人信息，或要求删除尚未办结来信中的个人信息。"
)


class SiteSettings(CleanTextMixin, VersionedModel):
    """网站设置: the one record of the site's official particulars (footer, government meta tags, annual report).
    Read through union_site.site_settings, which caches it."""

    SINGLETON_PK = 1

    site_name = models.CharField(
        _("网站名称"), max_length=100, default=default_site_name, help_text=_("显示在页头、网页标题和网页元数据中。")
    )
    domain = models.CharField(
        _("网站域名"),
        max_length=100,
        blank=True,
        validators=[DOMAIN],
        help_text=_("网站正式使用的域名，如 www.bzzgh.gov.cn（不带 https://）。写入网页元数据 SiteDomain。"),
    )
    sponsor = models.CharField(
        _("主办单位"),
        max_length=100,
        blank=True,
        help_text=_("对网站负责的单位，如：滨州市总工会。页脚显示“主办单位：……”；不填则显示网站名称。"),
    )
    organizer = models.CharField(
        _("承办单位"), max_length=100, blank=True, help_text=_("具体负责网站日常运行的部门或单位；没有可不填。")
    )
    phone = models.CharField(_("联系电话"), max_length=50, blank=True, help_text=_("如：0543-1234567。"))
    address = models.CharField(_("联系地址"), max_length=200, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    site_code = models.CharField(
        _("网站标识码"),
        max_length=20,
        blank=True,
        validators=[SITE_CODE],
        help_text=_(
            "政府网站标识码（SiteIDCode），由主管部门分配，一般为 10 位，如 3716000001。"
            "显示在页脚并写入网页元数据；还没有分配可不填。"
        ),
    )
    icp_number = models.CharField(
        _("ICP备案号"),
        max_length=50,
        blank=True,
        help_text=_("工业和信息化部的网站备案号，如：鲁ICP备12345678号-1。页脚显示并链接到 beian.miit.gov.cn。"),
    )
    police_number = models.CharField(
        _("公安机关备案号"),
        max_length=50,
        blank=True,
        help_text=_(
            "公安机关互联网站安全管理备案号，如：鲁公网安备 37160202000123号。"
            "页脚显示并链接到全国互联网安全管理服务平台的备案查询页。"
        ),
    )
    conac_image = models.ImageField(
        _("党政机关网站标识"),
        upload_to="site/",
        blank=True,
        help_text=_("党政机关网站标识（“红色标识”）图片，开办单位从机构编制部门取得。页脚显示。"),
    )
    conac_url = models.URLField(
        _("党政机关网站标识链接"),
        max_length=500,
        blank=True,
        help_text=_("点击标识打开的核验页面地址，随标识一同给出，如 https://bszs.conac.cn/sitename?method=show&id=……"),
    )
    logo = models.ImageField(
        _("网站标志（Logo）"),
        upload_to="site/",
        blank=True,
        help_text=_("页头左侧显示的标志图片；不填则只显示网站名称。"),
    )
    description = models.CharField(
        _("网站描述"),
        max_length=300,
        blank=True,
        help_text=_("一两句话介绍本网站，供搜索引擎和分享时显示；文章页用文章摘要。"),
    )
    keywords = models.CharField(
        _("关键词"), max_length=200, blank=True, help_text=_("用逗号分隔，如：滨州,工会,职工服务。供搜索引擎使用。")
    )
    mailbox_notice = models.TextField(
        _("主席信箱个人信息处理说明"),
        default=MAILBOX_NOTICE,
        help_text=_("写信页面上、“同意”勾选框前显示的说明：收集哪些信息、用途、谁能看到、保存多久、怎样查询更正。"),
    )
    # 信息采用情况通报 (union_site/contributions/report.py): points per item adopted in each channel, and who issues it
    weight_site = models.DecimalField(
        _("官网采用计分"), max_digits=4, decimal_places=1, default=Decimal(1), validators=[MinValueValidator(0)]
    )
    weight_wechat = models.DecimalField(
        _("公众号采用计分"), max_digits=4, decimal_places=1, default=Decimal(1), validators=[MinValueValidator(0)]
    )
    weight_upstream = models.DecimalField(
        _("上级媒体采用计分"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(3),
        validators=[MinValueValidator(0)],
        help_text=_("每采用一篇计几分。上级媒体刊用难度大，一般计分更高。"),
    )
    report_issuer = models.CharField(
        _("通报发文单位"),
        max_length=100,
        blank=True,
        help_text=_("信息采用情况通报落款的单位，如：滨州市总工会宣传教育部；不填则用主办单位。"),
    )
    # 官方新媒体: the union's own channels, in the header, the footer and on 新媒体矩阵 (/channels/). Each shows only
    # what is filled in; an address is the union's own, never another organisation's page standing in for it.
    wechat_name = models.CharField(
        _("微信公众号名称"), max_length=50, blank=True, help_text=_("如：滨州工会。显示在页头、页脚和新媒体矩阵页。")
    )
    wechat_qr = models.ImageField(
        _("微信公众号二维码"),
        upload_to="site/",
        blank=True,
        help_text=_("在公众平台“设置与开发 › 公众号设置”下载的二维码图片，读者扫码关注。"),
    )
    app_name = models.CharField(_("App 名称"), max_length=50, blank=True, help_text=_("如：齐鲁工惠 App 滨州站。"))
    app_url = models.URLField(
        _("App 下载页"), max_length=500, blank=True, help_text=_("App 官方下载页的完整网址；核实后再填。")
    )
    app_qr = models.ImageField(
        _("App 下载二维码"), upload_to="site/", blank=True, help_text=_("扫码下载 App 的二维码图片。")
    )
    reform_name = models.CharField(
        _("产改平台名称"), max_length=50, blank=True, help_text=_("如：产改在线（产业工人队伍建设改革平台）。")
    )
    reform_url = models.URLField(_("产改平台网址"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = user_stamp(_("最后修改人"))

    class Meta:
        verbose_name = _("网站设置")
        verbose_name_plural = _("网站设置")

    def __str__(self):
        return str(_("网站设置"))

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_PK  # one record: saving another overwrites it
        super().save(*args, **kwargs)

    @property
    def sponsor_or_name(self):
        return self.sponsor or self.site_name

    @property
    def report_issuer_or_sponsor(self):
        return self.report_issuer or self.sponsor_or_name

    @property
    def police_record_code(self):
        """The digits of 公安机关备案号, for the 备案查询 link (鲁公网安备 37160202000123号 -> 37160202000123)."""
        return "".join(ch for ch in self.police_number if ch.isdigit())

    @property
    def channels(self):
        """The official channels filled in, in the order pages show them: (key, label, name, url, QR image)."""
        rows = [
            ("wechat", _("微信公众号"), self.wechat_name, "", self.wechat_qr),
            ("app", _("手机 App"), self.app_name, self.app_url, self.app_qr),
            ("reform", _("产改平台"), self.reform_name, self.reform_url, None),
        ]
        return [Channel(*row) for row in rows if row[2]]

    @property
    def police_url(self):
        code = self.police_record_code
        return f"{POLICE_RECORD_URL}?recordcode={code}" if code else ""


@dataclass(frozen=True)
class Channel:
    key: str
    label: str
    name: str
    url: str
    qr: object  # an ImageFieldFile, empty when none was uploaded


ICP_URL = "https://beian.miit.gov.cn/"
POLICE_RECORD_URL = "http://www.beian.gov.cn/portal/registerSystemInfo"


class QuickLinkQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_shown=True).order_by("order", "id")


class QuickLink(CleanTextMixin, models.Model):
    """友情链接 / 快捷入口 in the footer."""

    name = models.CharField(_("名称"), max_length=50, help_text=_("页脚显示的文字，如：中华全国总工会。"))
    url = models.URLField(_("网址"), max_length=500, help_text=_("完整网址，以 https:// 或 http:// 开头。"))
    description = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("只在后台可见，如网址的来历或待核对之处。")
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面。"))
    is_shown = models.BooleanField(_("显示"), default=True)

    objects = QuickLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("友情链接")
        verbose_name_plural = _("友情链接")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name
