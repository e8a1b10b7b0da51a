from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from achievements import numbers
from union_site.common.concurrency import VersionedModel
from union_site.common.fields import user_stamp
from union_site.common.spreadsheets import plain_number
from union_site.common.text import CleanTextMixin

NOT_NEGATIVE = MinValueValidator(Decimal(0), message=_("数值不能为负数。"))
# Changing any of these makes a figure a different claim: its 核实 mark is cleared.
VERIFIED_FIELDS = ("value", "unit", "qualifier", "scope")


class PublishedByPeriodQuerySet(models.QuerySet):
    """published(): what the public sees, by the one rule Period.published_q() (its period is 在网站显示)."""

    period_path = ""  # the lookup from the queried model to its Period

    def published(self):
        return self.filter(Period.published_q(self.period_path))


class PeriodQuerySet(PublishedByPeriodQuerySet):
    pass


class Period(CleanTextMixin, models.Model):
    name = models.CharField(_("时期名称"), max_length=100, unique=True, help_text=_("如：滨州市工会第六次代表大会以来"))
    start_year = models.PositiveSmallIntegerField(_("起始年份"))
    end_year = models.PositiveSmallIntegerField(_("截止年份"))
    headline = models.CharField(_("页面标题"), max_length=200, blank=True, help_text=_("如：“数”说五年"))
    summary = models.TextField(_("导语"), blank=True)
    is_published = models.BooleanField(_("在网站显示"), default=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("时期")
        verbose_name_plural = _("时期")
        ordering = ["-end_year", "-start_year"]

    def __str__(self):
        return f"{self.name}（{self.start_year}—{self.end_year}）"

    @staticmethod
    def published_q(period_path=""):
        """The one rule for "visible to the public" in 数说五年: the period is shown on the site. `period_path` leads
        from the queried model to its Period ("period", "section__period"); every published() composes this."""
        return models.Q(**{f"{period_path}__is_published" if period_path else "is_published": True})

    def clean(self):
        if self.start_year and self.end_year and self.start_year > self.end_year:
            raise ValidationError({"end_year": _("截止年份不能早于起始年份。")})


class SectionQuerySet(PublishedByPeriodQuerySet):
    period_path = "period"


class Section(CleanTextMixin, models.Model):
    period = models.ForeignKey(Period, verbose_name=_("时期"), on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("板块标题"), max_length=100, help_text=_("如：职工思想政治引领 工作成效显著"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    summary = models.TextField(_("板块导语"), blank=True)

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("板块")
        verbose_name_plural = _("板块")
        ordering = ["period", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "title"],
                name="section_unique_title_in_period",
                violation_error_message=_("这个时期里已有同名的板块。"),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("achievements:section", kwargs={"pk": self.pk})


class MetricQuerySet(PublishedByPeriodQuerySet):
    period_path = "section__period"

    def highlighted(self):
        return self.filter(is_highlight=True)

    def for_display(self):
        """What a figure card, chart and source line need, in a fixed number of queries."""
        return (
            self.select_related("source_article")
            .prefetch_related(models.Prefetch("values", queryset=MetricValue.objects.order_by("year")))
            .order_by("order", "id")
        )


class Metric(CleanTextMixin, VersionedModel):
    class Qualifier(models.TextChoices):
        EXACT = numbers.EXACT, _("准确数")
        MORE = numbers.MORE, _("余（多于）")
        MORE_DUO = numbers.MORE_DUO, _("多（多于，口语）")
        NEARLY = numbers.NEARLY, _("近（接近）")
        ABOUT = numbers.ABOUT, _("约（大约）")

    class Scope(models.TextChoices):
        CUMULATIVE = "cumulative", _("时期内累计")
        PER_YEAR = "per_year", _("每年")
        TOTAL = "total", _("现有总数（期末）")

    section = models.ForeignKey(Section, verbose_name=_("板块"), on_delete=models.CASCADE, related_name="metrics")
    label = models.CharField(_("指标名称"), max_length=100, help_text=_("如：劳模工匠宣讲活动"))
    value = models.DecimalField(
        _("数值"),
        max_digits=16,
        decimal_places=2,
        validators=[NOT_NEGATIVE],
        help_text=_("填原始数值，如 11.1万 填 111000；网站会按报纸写法显示为“11.1万”。"),
    )
    unit = models.CharField(_("单位"), max_length=20, help_text=_("如：场、处、人、元、%。钱数填“元”，显示为“万元”。"))
    qualifier = models.CharField(
        _("修饰"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT, blank=True
    )
    scope = models.CharField(_("口径"), max_length=12, choices=Scope.choices, default=Scope.CUMULATIVE)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_highlight = models.BooleanField(_("首页重点展示"), default=False)
    source_article = models.ForeignKey(
        "news.Article",
        verbose_name=_("来源文章"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="metrics",
    )
    source_text = models.TextField(_("原文语句"), blank=True, help_text=_("数据出自的原句，便于核对。"))
    source_document = models.CharField(
        _("来源文件"),
        max_length=200,
        blank=True,
        help_text=_("不是出自网站文章时，填文件名称，如《2023年工会统计年报》。"),
    )
    note = models.TextField(_("编辑备注"), blank=True, help_text=_("只在后台可见，如原文存疑之处。"))
    verified_by = user_stamp(_("核实人"))
    verified_on = models.DateField(_("核实日期"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = user_stamp(_("最后修改人"))

    objects = MetricQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"], verbose_name=_("指标历史版本"))

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["section__period", "section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "label"],
                name="metric_unique_label_in_section",
                violation_error_message=_("同一板块里已有同名的指标。"),
            )
        ]
        permissions = [("verify_metric", _("可以核实指标数据"))]

    def __str__(self):
        return f"{self.label}：{self.display_value()}"

    def clean(self):
        if self.unit in numbers.PERCENT_UNITS and self.value is not None and self.value > 100:
            raise ValidationError({"value": _("百分比不能超过 100。")})

    def save(self, *args, **kwargs):
        if self.pk and self.verified_on:
            before = Metric.objects.filter(pk=self.pk).values(*VERIFIED_FIELDS).first()
            if before and any(before[f] != getattr(self, f) for f in VERIFIED_FIELDS):
                self.verified_by, self.verified_on = None, None
                if kwargs.get("update_fields") is not None:  # e.g. update_or_create: save the cleared mark too
                    kwargs["update_fields"] = {*kwargs["update_fields"], "verified_by", "verified_on"}
        super().save(*args, **kwargs)

    @property
    def is_verified(self):
        return self.verified_on is not None

    @property
    def scope_note(self):
        """What a figure card adds to its label: 每年 for a yearly figure, nothing for a cumulative or total one."""
        return self.get_scope_display() if self.scope == self.Scope.PER_YEAR else ""

    @property
    def source_name(self):
        """数据来源 as a reader sees it."""
        if self.source_article_id:
            return self.source_article.title
        return self.source_document

    def figure(self):
        return numbers.figure_parts(self.value, self.unit, self.qualifier)

    def display_value(self):
        return "" if self.value is None else str(self.figure())

    display_value.short_description = _("显示为")

    def get_absolute_url(self):
        return reverse("achievements:metric", kwargs={"pk": self.pk})


class MetricValue(models.Model):
    metric = models.ForeignKey(Metric, verbose_name=_("指标"), on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField(_("年份"))
    value = models.DecimalField(_("数值"), max_digits=16, decimal_places=2, validators=[NOT_NEGATIVE])

    class Meta:
        verbose_name = _("年度数值")
        verbose_name_plural = _("年度数值")
        ordering = ["metric", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "year"],
                name="metricvalue_unique_year",
                violation_error_message=_("这个指标已经有该年份的数值。"),
            )
        ]

    def __str__(self):
        return f"{self.year}年：{plain_number(self.value)}"

    def clean(self):
        if self.year is None or not self.metric_id:
            return
        period = self.metric.section.period
        if not period.start_year <= self.year <= period.end_year:
            raise ValidationError(
                {
                    "year": _("年份应在 %(start)s—%(end)s 之间（%(period)s）。")
                    % {"start": period.start_year, "end": period.end_year, "period": period.name}
                }
            )
        if self.metric.unit in numbers.PERCENT_UNITS and self.value is not None and self.value > 100:
            raise ValidationError({"value": _("百分比不能超过 100。")})


class HonorQuerySet(PublishedByPeriodQuerySet):
    period_path = "section__period"


class Honor(CleanTextMixin, models.Model):
    section = models.ForeignKey(Section, verbose_name=_("板块"), on_delete=models.CASCADE, related_name="honors")
    title = models.CharField(_("荣誉名称"), max_length=200, help_text=_("如：全国网络正能量新媒体（微信组）"))
    recipient = models.CharField(_("获得者"), max_length=100, blank=True, help_text=_("如：“滨州工会”微信公众号"))
    years = models.CharField(_("年份/次数"), max_length=50, blank=True, help_text=_("如：连续两年、2022"))
    issuer = models.CharField(_("授予单位"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    source_text = models.TextField(_("原文语句"), blank=True)

    objects = HonorQuerySet.as_manager()

    class Meta:
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        ordering = ["section", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "recipient", "title"], name="honor_unique_in_section")
        ]

    def __str__(self):
        return self.title
