from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from union_site.common.fields import user_stamp
from union_site.common.text import CleanTextMixin

TEXT_MAX = 500  # the longest 简答 a visitor may send


def two_weeks_from_now():
    return timezone.now() + timedelta(days=14)


class SurveyQuerySet(models.QuerySet):
    def public(self):
        """The one rule for what visitors see: published, and opened (answerable now, or closed with its results)."""
        return self.filter(status=Survey.Status.PUBLISHED, opens_at__lte=timezone.now())

    def next_visibility_change(self, now):
        """The earliest moment after `now` at which a published survey opens or closes, or None: until then the
        public pages show the same surveys in the same states. One query."""
        found = self.filter(status=Survey.Status.PUBLISHED).aggregate(
            opens=Min("opens_at", filter=Q(opens_at__gt=now)),
            closes=Min("closes_at", filter=Q(closes_at__gt=now)),
        )
        return min((moment for moment in found.values() if moment is not None), default=None)


class Survey(CleanTextMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    class Phase(models.TextChoices):  # not stored: follows the clock
        UPCOMING = "upcoming", _("未开始")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    title = models.CharField(_("标题"), max_length=100, help_text=_("如：职工最希望工会提供的服务。"))
    description = models.TextField(
        _("说明"), blank=True, help_text=_("显示在问卷上方：调查的目的、对象，结果怎样使用。空一行即分段。")
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("草稿不在网站显示；发布后，到开始时间即可作答。"),
    )
    opens_at = models.DateTimeField(_("开始时间"), default=timezone.now, help_text=_("北京时间。到点自动开始。"))
    closes_at = models.DateTimeField(
        _("结束时间"), default=two_weeks_from_now, help_text=_("北京时间。到点自动结束，不再接受答卷。")
    )
    show_results = models.BooleanField(
        _("公布结果"),
        default=True,
        help_text=_("勾选：结束后在网站公布各选项的票数和比例（文字意见从不公开）。不勾选：结果只在后台查看。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    created_by = user_stamp(_("创建人"))
    is_demo = models.BooleanField(_("演示内容"), default=False, editable=False)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("征集调查")
        verbose_name_plural = _("征集调查")
        ordering = ["-opens_at", "-id"]
        permissions = [
            ("publish_survey", _("发布征集调查")),
            ("view_survey_results", _("查看和导出调查结果（含文字意见）")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:detail", kwargs={"pk": self.pk})

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("结束时间必须晚于开始时间。")})

    def phase(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return self.Phase.UPCOMING
        if now < self.closes_at:
            return self.Phase.OPEN
        return self.Phase.CLOSED

    @property
    def phase_label(self):
        return self.Phase(self.phase()).label

    @property
    def is_public(self):
        """published() evaluated on this one survey."""
        return self.status == self.Status.PUBLISHED and self.opens_at <= timezone.now()

    @property
    def is_open(self):
        return self.is_public and self.phase() == self.Phase.OPEN

    @property
    def results_public(self):
        """Visitors see the counts once the survey has closed, if it says 公布结果."""
        return self.is_public and self.show_results and self.phase() == self.Phase.CLOSED


class Question(CleanTextMixin, models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("单选题")
        MULTIPLE = "multiple", _("多选题")
        TEXT = "text", _("简答题（填写文字）")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)

    survey = models.ForeignKey(Survey, verbose_name=_("调查"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("题号"), default=0, help_text=_("数字小的排在前面。"))
    text = models.CharField(_("题目"), max_length=200)
    kind = models.CharField(_("题型"), max_length=20, choices=Kind.choices, default=Kind.SINGLE)
    is_required = models.BooleanField(_("必答"), default=True)
    max_choices = models.PositiveSmallIntegerField(_("最多选几项"), default=0, help_text=_("多选题用，0 表示不限。"))
    note = models.CharField(_("提示"), max_length=200, blank=True, help_text=_("显示在题目下方，可不填。"))

    class Meta:
        verbose_name = _("问题")
        verbose_name_plural = _("问题")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text

    @property
    def has_choices(self):
        return self.kind in self.CHOICE_KINDS


class Choice(CleanTextMixin, models.Model):
    question = models.ForeignKey(Question, verbose_name=_("问题"), on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    text = models.CharField(_("选项"), max_length=100)

    class Meta:
        verbose_name = _("选项")
        verbose_name_plural = _("选项")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class Response(models.Model):
    """One visitor's answers to one survey (an 答卷). Nothing about the visitor is kept: no address, no cookie."""

    survey = models.ForeignKey(Survey, verbose_name=_("调查"), on_delete=models.CASCADE, related_name="responses")
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    is_demo = models.BooleanField(_("演示内容"), default=False, editable=False)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class Answer(CleanTextMixin, models.Model):
    """One chosen option (a multiple choice gives one row per option) or one 简答 of a response. A question or an
    option with answers cannot be deleted on its own (RESTRICT): the counts of the results stay whole; deleting the
    whole survey takes its answers with it."""

    response = models.ForeignKey(Response, verbose_name=_("答卷"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("问题"), on_delete=models.RESTRICT, related_name="answers")
    choice = models.ForeignKey(
        Choice, verbose_name=_("选项"), on_delete=models.RESTRICT, null=True, blank=True, related_name="answers"
    )
    text = models.CharField(_("文字"), max_length=TEXT_MAX, blank=True)

    class Meta:
        verbose_name = _("答案")
        verbose_name_plural = _("答案")

    def __str__(self):
        return str(self.choice or self.text)
