"""The 词库 (Term), its version (TermListVersion: what each process's matcher is keyed by), and the record of a
publication that went ahead despite the checks (CheckOverride)."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from union_site.checks.normalize import normalised_word
from union_site.common.fields import user_stamp
from union_site.common.text import CleanTextMixin

MIN_WORD_LENGTH = 2  # a single character (象) would flag every word it is part of (形象、现象、对象)


class Term(CleanTextMixin, models.Model):
    class Level(models.TextChoices):
        BLOCK = "block", _("禁用")
        WARN = "warn", _("提醒")

    word = models.CharField(
        _("词语"),
        max_length=100,
        unique=True,
        help_text=_("要查找的写法，如：再接再励。全角半角、繁体简体的写法都会查到。至少两个字。"),
    )
    suggestion = models.CharField(_("建议改为"), max_length=200, blank=True, help_text=_("如：再接再厉。"))
    level = models.CharField(
        _("级别"),
        max_length=10,
        choices=Level.choices,
        default=Level.WARN,
        help_text=_("禁用：改正后才能发布（审核人员写明理由后可以仍然发布）；提醒：只提示，不影响发布。"),
    )
    note = models.TextField(
        _("说明"), blank=True, help_text=_("为什么要改、什么情况下不算错；检查结果里显示给编辑和审核人员。")
    )
    is_active = models.BooleanField(_("启用"), default=True, help_text=_("不勾选则暂不检查这个词。"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    created_by = user_stamp(_("创建人"))
    updated_by = user_stamp(_("最后修改人"))

    class Meta:
        verbose_name = _("词库词条")
        verbose_name_plural = _("词库")
        ordering = ["word"]

    def __str__(self):
        return self.word

    @property
    def blocks(self):
        return self.level == self.Level.BLOCK

    def clean(self):
        self.word = (self.word or "").strip()
        self.suggestion = (self.suggestion or "").strip()
        twin = twin_of(self.word, Term.objects.exclude(pk=self.pk).values_list("word", flat=True))
        problem = word_problem(self.word, self.suggestion) or (twin and twin_message(twin))
        if problem:
            raise ValidationError({"word": problem})


def word_problem(word, suggestion):
    """Why `word` cannot be a 词条 by itself (too short, the same as its suggestion), else ""."""
    key = normalised_word(word)
    if len(key) < MIN_WORD_LENGTH:
        return f"词语至少要有 {MIN_WORD_LENGTH} 个字：一个字会把含有它的正确词语也查出来。"
    if suggestion and normalised_word(suggestion) == key:
        return "建议改为的写法与词语相同。"
    return ""


def twin_of(word, words):
    """The one of `words` that is `word` but for full-width or traditional forms (both would match alike)."""
    key = normalised_word(word)
    return next((other for other in words if other != word and normalised_word(other) == key), None)


def twin_message(twin):
    return f"与已有的词条“{twin}”相同（只是全角半角或繁体简体不同）。"


class TermListVersion(models.Model):
    """One row: the 词库's version. `number` counts the changes (shown in reports); `token` is new at every change
    and never reused, so a matcher built inside a transaction that rolled back is never taken for a later one."""

    number = models.PositiveBigIntegerField(_("版本号"), default=0)
    token = models.CharField(_("版本标识"), max_length=32, default="")

    class Meta:
        verbose_name = _("词库版本")
        verbose_name_plural = _("词库版本")

    def __str__(self):
        return f"词库第 {self.number} 版"


def bump_term_list(version_model=None):
    """Moves the 词库's version on; `version_model` is a migration's historical TermListVersion where one runs."""
    version_model = version_model or TermListVersion
    token = uuid.uuid4().hex
    if not version_model.objects.filter(pk=1).update(number=F("number") + 1, token=token):
        version_model.objects.update_or_create(pk=1, defaults={"number": 1, "token": token})


def term_list_version():
    """(number, token) of the 词库 now; (0, "") before its first change."""
    return TermListVersion.objects.filter(pk=1).values_list("number", "token").first() or (0, "")


class CheckOverride(models.Model):
    """A reviewer published (or showed) content although its check found 禁用 words or personal data, and said why.
    The findings it covered are kept: the same findings do not stop the next save again, new ones do."""

    content_type = models.ForeignKey(ContentType, verbose_name=_("内容类型"), on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(_("内容编号"))
    content_object = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("内容"), max_length=200)
    user = user_stamp(_("操作人"))
    reason = models.TextField(_("理由"))
    summary = models.TextField(_("当时的检查结果"))
    keys = models.JSONField(_("问题标识"), default=list, editable=False)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("忽略检查发布记录")
        verbose_name_plural = _("忽略检查发布记录")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="checkoverride_object")]

    def __str__(self):
        return f"{self.object_repr}（{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}）"
