from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from union_site.common.masking import mask_name, mask_text
from union_site.common.text import CleanTextMixin
from union_site.mailbox import workdays

STALE_DAYS = 90  # 政府网站: 超过3个月未回应有效留言 is a 单项否决


class Department(CleanTextMixin, models.Model):
    name = models.CharField(_("名称"), max_length=100, unique=True, help_text=_("如：权益保障部。公开的答复显示它。"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0, help_text=_("数字小的排在前面。"))
    is_active = models.BooleanField(
        _("可转办"), default=True, help_text=_("不再承办来信的部门取消勾选即可，不要删除。")
    )

    class Meta:
        verbose_name = _("承办部门")
        verbose_name_plural = _("承办部门")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class Holiday(CleanTextMixin, models.Model):
    date = models.DateField(_("日期"), unique=True)
    name = models.CharField(_("名称"), max_length=50, help_text=_("如：春节、国庆节调休上班。"))
    is_workday = models.BooleanField(
        _("调休上班"), default=False, help_text=_("勾选：这一天是周末但要上班（调休）；不勾选：这一天放假。")
    )

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class LetterQuerySet(models.QuerySet):
    def published(self):
        """The one rule for what the public sees: staff published it and it has an answer."""
        return self.filter(is_published=True, status__in=Letter.ANSWERED, replied_at__isnull=False)

    def unanswered(self):
        return self.filter(status__in=Letter.OPEN)

    def overdue(self, today=None):
        return self.unanswered().filter(due_on__lt=today or workdays.beijing_today())

    def due_soon(self, today=None):
        """Not yet overdue, due within 2 working days."""
        today = today or workdays.beijing_today()
        return self.unanswered().filter(due_on__gte=today, due_on__lte=workdays.add_working_days(today, 2))

    def stale(self, now=None):
        return self.unanswered().filter(received_at__lt=(now or timezone.now()) - timedelta(days=STALE_DAYS))

    def waiting_review(self):
        return self.filter(status=Letter.Status.REPLIED, reply_reviewed_at__isnull=True)

    def search(self, query):
        """Public search: only the published, masked wording (searching the original would tell whether a name or
        a number is in a letter)."""
        return self.filter(Q(public_title__icontains=query) | Q(public_content__icontains=query))


class Letter(CleanTextMixin, models.Model):
    class Type(models.TextChoices):
        CONSULT = "consult", _("咨询")
        COMPLAINT = "complaint", _("投诉")
        SUGGESTION = "suggestion", _("建议")
        HELP = "help", _("求助")

    class Status(models.TextChoices):
        RECEIVED = "received", _("待受理")
        ACCEPTED = "accepted", _("已受理")
        FORWARDED = "forwarded", _("转办")
        REPLIED = "replied", _("已答复")
        CLOSED = "closed", _("已办结")
        REJECTED = "rejected", _("不予受理")

    OPEN = (Status.RECEIVED, Status.ACCEPTED, Status.FORWARDED)
    ANSWERED = (Status.REPLIED, Status.CLOSED)

    letter_type = models.CharField(_("类型"), max_length=20, choices=Type.choices)
    title = models.CharField(_("标题"), max_length=100)
    content = models.TextField(_("内容"))
    name = models.CharField(_("姓名"), max_length=20)
    phone = models.CharField(_("联系电话"), max_length=20)
    unit = models.CharField(_("工作单位"), max_length=100, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    may_publish = models.BooleanField(_("同意公开"), default=False, help_text=_("来信人同意隐去个人信息后在网站公开。"))
    consent_at = models.DateTimeField(_("同意个人信息处理时间"))
    query_code_digest = models.CharField(_("查询码摘要"), max_length=64, unique=True, editable=False)

    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("承办部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        help_text=_("转办时选择。"),
    )
    reject_reason = models.TextField(_("不予受理理由"), blank=True, help_text=_("不予受理时必填，来信人查询时可见。"))
    received_at = models.DateTimeField(_("收信时间"), default=timezone.now, db_index=True)
    due_on = models.DateField(_("答复期限"), db_index=True, help_text=_("按工作日计算，节假日见“节假日”表。"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    reply = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reply_reviewed_at = models.DateTimeField(_("答复审核时间"), null=True, blank=True)
    reply_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复审核人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    public_title = models.CharField(
        _("公开标题"), max_length=100, blank=True, help_text=_("网站上显示的标题；公开时默认取原标题并隐去个人信息。")
    )
    public_content = models.TextField(
        _("公开内容"), blank=True, help_text=_("网站上显示的来信内容，可删改措辞；原信保持不变。")
    )
    is_published = models.BooleanField(_("已公开"), default=False, db_index=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    is_demo = models.BooleanField(_("演示内容"), default=False, editable=False)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("来信")
        verbose_name_plural = _("来信")
        ordering = ["-received_at"]
        permissions = [
            ("handle_letter", _("办理来信（受理、转办、答复、办结、不予受理）")),
            ("review_letter", _("审核来信答复")),
            ("publish_letter", _("公开来信")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.due_on is None:
            self.due_on = workdays.add_working_days(
                timezone.localdate(self.received_at), workdays.reply_days(self.letter_type)
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("mailbox:detail", kwargs={"pk": self.pk})

    # --- what the visitor and the public see ---

    @property
    def is_answered(self):
        return self.status in self.ANSWERED

    @property
    def reply_visible(self):
        """The reply reaches the visitor (query page) and the public once it is written and, where replies are
        reviewed (MAILBOX_REPLY_REVIEW), approved."""
        if not self.is_answered or not self.reply:
            return False
        return self.reply_reviewed_at is not None or not settings.MAILBOX_REPLY_REVIEW

    def visitor_status(self):
        """The status as the visitor reads it: 已收到 / 办理中 / 已答复 / 已办结 / 不予受理."""
        if self.status == self.Status.RECEIVED:
            return _("已收到")
        if self.status == self.Status.REJECTED:
            return _("不予受理")
        if self.status == self.Status.CLOSED:
            return _("已办结")
        if self.reply_visible:
            return _("已答复")
        return _("办理中")

    def masked(self, text):
        return mask_text(text, names=[self.name])

    @property
    def masked_name(self):
        return mask_name(self.name)

    @property
    def shown_title(self):
        return self.masked(self.public_title or self.title)

    @property
    def shown_content(self):
        return self.masked(self.public_content or self.content)

    @property
    def shown_reply(self):
        return self.masked(self.reply)

    # --- the admin's urgency ---

    def urgency(self, today=None):
        """ "overdue", "soon", "stale" (over 90 days unanswered) or "" for the admin list."""
        if self.status not in self.OPEN:
            return ""
        today = today or workdays.beijing_today()
        if self.received_at < timezone.now() - timedelta(days=STALE_DAYS):
            return "stale"
        if self.due_on < today:
            return "overdue"
        if self.due_on <= workdays.add_working_days(today, 2):
            return "soon"
        return ""


class LetterStep(models.Model):
    """One step of a letter's handling: who, when, from which status to which, and the note. Written by the
    workflow only (union_site/mailbox/workflow.py), never edited: the history of the letter."""

    letter = models.ForeignKey(Letter, verbose_name=_("来信"), on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=20)
    from_status = models.CharField(_("原状态"), max_length=20, choices=Letter.Status.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Letter.Status.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_name = models.CharField(_("操作人账号"), max_length=150, blank=True, help_text=_("账号删除后仍可查。"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action}（{self.by_name}）"
