"""征集调查 in the admin: a survey and its questions on one page, each question's options typed one per line (the
admin has no inline inside an inline, and a textarea is what an office worker writes a list in); the 结果 page with
the 文字意见 and its Excel/CSV/PDF export.

Once a survey has an answer its questions and options are locked (shown read-only): changing them would change what
the counted answers mean. A page opened before the first answer came in and saved after it is refused with a message,
under a lock on the survey's row that the saving of an answer takes too (union_site/surveys/intake.py)."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from union_site.common.text import strip_controls
from union_site.models import ExportLog
from union_site.reports import writers
from union_site.reports.admin_actions import ExportSelectedMixin
from union_site.reports.log import can_export, logged, person
from union_site.surveys.charts import choice_chart
from union_site.surveys.exports import survey_document
from union_site.surveys.models import Choice, Question, Response, Survey
from union_site.surveys.results import survey_results, text_answers

PUBLISH = "surveys.publish_survey"
RESULTS = "surveys.view_survey_results"
LOCK_FIELD = "_questions_locked"  # posted by a change page that showed the questions locked
TEXTS_SHOWN = 100  # 文字意见 per question on the 结果 page; the export has them all
CHOICE_MAX = Choice._meta.get_field("text").max_length
LOCKED = _(
    "本调查已收到答卷，问题和选项已锁定，不能再增删或修改（否则已统计的结果会出错）。您对问题的修改没有保存，"
    "请重新打开本页；如需调整问题，请在列表中选中本调查，用“复制为新的草稿”另建一份。"
)


def has_answers(survey):
    return survey is not None and survey.pk is not None and Response.objects.filter(survey_id=survey.pk).exists()


def has_answers_locked(survey):
    """has_answers, with the survey's row locked until the admin's transaction ends: an answer being saved meanwhile
    waits for it (PostgreSQL; SQLite writes one at a time anyway)."""
    list(Survey.objects.select_for_update().filter(pk=survey.pk).values_list("pk", flat=True))
    return has_answers(survey)


def questions_locked(request, survey):
    """The questions are shown locked: the survey has answers (as the page was opened, for a save)."""
    if request.method == "POST":
        return request.POST.get(LOCK_FIELD) == "1"
    return has_answers(survey)


def choice_lines(text):
    return [line for line in (strip_controls(line).strip() for line in (text or "").splitlines()) if line]


def save_choices(question, texts):
    """The question's options become `texts`, in that order: existing rows are reused by position (ids kept)."""
    existing = list(Choice.objects.filter(question=question).order_by("order", "id"))
    for order, text in enumerate(texts, start=1):
        if order <= len(existing):
            choice = existing[order - 1]
            if (choice.text, choice.order) != (text, order):
                choice.text, choice.order = text, order
                choice.save()
        else:
            Choice.objects.create(question=question, order=order, text=text)
    for choice in existing[len(texts) :]:
        choice.delete()


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=_("选项（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 50}),
        help_text=_("单选题、多选题填写，每行写一个选项，按顺序显示；简答题留空。"),
    )

    class Meta:
        model = Question
        fields = ["order", "text", "kind", "is_required", "max_choices", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["choices_text"] = "\n".join(choice.text for choice in self.instance.choices.all())

    def clean(self):
        data = super().clean()
        kind, lines = data.get("kind"), choice_lines(data.get("choices_text"))
        self.choice_texts = lines
        if kind in Question.CHOICE_KINDS:
            repeated = next((line for n, line in enumerate(lines) if line in lines[:n]), None)
            too_long = next((line for line in lines if len(line) > CHOICE_MAX), None)
            if len(lines) < 2:
                self.add_error("choices_text", _("单选题和多选题至少要有两个选项，每行写一个。"))
            elif repeated:
                self.add_error("choices_text", _("选项“%(text)s”重复了，请删去一个。") % {"text": repeated})
            elif too_long:
                self.add_error(
                    "choices_text",
                    _("每个选项最多 %(max)d 个字：“%(text)s…”太长。") % {"max": CHOICE_MAX, "text": too_long[:20]},
                )
        elif lines:
            self.add_error("choices_text", _("简答题不需要选项：请清空“选项”，或把题型改为单选题、多选题。"))
        if kind == Question.Kind.MULTIPLE and (data.get("max_choices") or 0) > len(lines) >= 2:
            self.add_error("max_choices", _("“最多选几项”不能超过选项个数（%(n)d 个）。") % {"n": len(lines)})
        if kind != Question.Kind.MULTIPLE:
            data["max_choices"] = 0
        return data

    def _save_m2m(self):
        super()._save_m2m()
        save_choices(self.instance, self.choice_texts)


class QuestionFormSet(BaseInlineFormSet):
    def clean(self):
        survey = self.instance
        deleted = [form for form in self.initial_forms if self.can_delete and self._should_delete_form(form)]
        changed = deleted or any(form.has_changed() for form in self.forms)
        if changed and survey.pk and has_answers_locked(survey):  # before the admin's own "protected objects" check
            raise ValidationError(LOCKED)
        super().clean()
        kept = [form for form in self.forms if (form.instance.pk or form.has_changed()) and form not in deleted]
        if survey.status == Survey.Status.PUBLISHED and not kept:
            raise ValidationError(_("发布前请至少添加一个问题。"))


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    fieldsets = [(None, {"fields": [("order", "kind", "is_required", "max_choices"), "text", "choices_text", "note"]})]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("choices")

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is not None else 3

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not questions_locked(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not questions_locked(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not questions_locked(request, obj)

    @admin.display(description=_("选项（每行一个）"))
    def choices_text(self, question):
        """The options as the locked page shows them."""
        return "\n".join(choice.text for choice in question.choices.all())


def copy_survey(survey, user):
    """A new draft with the survey's text and questions, open from now for two weeks, without answers."""
    with transaction.atomic():
        now = timezone.now()
        copy = Survey.objects.create(
            title=f"{survey.title}（副本）"[: Survey._meta.get_field("title").max_length],
            description=survey.description,
            opens_at=now,
            closes_at=now + timedelta(days=14),
            show_results=survey.show_results,
            created_by=user,
        )
        for question in survey.questions.prefetch_related("choices"):
            choices = list(question.choices.all())
            question.pk, question.survey, question._state.adding = None, copy, True
            question.save()
            Choice.objects.bulk_create(Choice(question=question, order=c.order, text=c.text) for c in choices)
    return copy


@admin.register(Survey)
class SurveyAdmin(ExportSelectedMixin, admin.ModelAdmin):
    change_form_template = "admin/surveys/survey/change_form.html"
    list_display = [
        "title",
        "status",
        "phase_column",
        "opens_at",
        "closes_at",
        "response_count",
        "show_results",
        "results_link",
    ]
    list_filter = ["status", "show_results"]
    search_fields = ["title", "description"]
    date_hierarchy = "opens_at"
    fieldsets = [
        (None, {"fields": ["title", "description"]}),
        (_("时间与发布"), {"fields": [("opens_at", "closes_at"), "status", "show_results"]}),
    ]
    inlines = [QuestionInline]
    actions = ["copy_as_draft"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(answers_count=Count("responses"))

    def get_list_display(self, request):
        if request.user.has_perm(RESULTS):
            return self.list_display
        return [name for name in self.list_display if name != "results_link"]

    def get_export_fields(self, request):
        return [name for name in super().get_export_fields(request) if name != "results_link"]

    def get_readonly_fields(self, request, obj=None):
        return [] if request.user.has_perm(PUBLISH) else ["status"]

    def has_change_permission(self, request, obj=None):
        """A published survey is changed by those who may publish (审核) only."""
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.status == Survey.Status.PUBLISHED:
            return allowed and request.user.has_perm(PUBLISH)
        return allowed

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("进度"))
    def phase_column(self, survey):
        return survey.phase_label

    @admin.display(description=_("答卷"), ordering="answers_count")
    def response_count(self, survey):
        return survey.answers_count

    @admin.display(description=_("结果"))
    def results_link(self, survey):
        return format_html('<a href="{}">查看结果</a>', reverse("admin:surveys_survey_results", args=[survey.pk]))

    @admin.action(description=_("复制为新的草稿（含问题和选项）"), permissions=["add"])
    def copy_as_draft(self, request, queryset):
        copies = [copy_survey(survey, request.user) for survey in queryset]
        self.message_user(
            request, _("已复制 %(n)d 份调查，副本为草稿，可修改问题后发布。") % {"n": len(copies)}, messages.SUCCESS
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        survey = self.get_object(request, object_id)
        extra = {
            "questions_locked": questions_locked(request, survey),
            "answer_count": survey.responses.count() if survey else 0,
            "may_see_results": request.user.has_perm(RESULTS),
        }
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})

    # --- 结果 ---

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/results/", view(self.results_view), name="surveys_survey_results"),
            path("<int:pk>/results/export/", view(self.export_view), name="surveys_survey_export"),
            *super().get_urls(),
        ]

    def _survey_for_results(self, request, pk):
        if not request.user.has_perm(RESULTS):
            raise PermissionDenied
        return get_object_or_404(Survey, pk=pk)

    def results_view(self, request, pk):
        survey = self._survey_for_results(request, pk)
        results = survey_results(survey)
        for result in results:
            if result.has_choices and result.choices:
                result.chart = choice_chart(result, chart_id=f"result-{result.question.pk}")
            elif not result.has_choices:
                result.texts = list(text_answers(result.question)[:TEXTS_SHOWN])
                result.more_texts = max(result.respondents - len(result.texts), 0)
        context = {
            **self.admin_site.each_context(request),
            "title": _("调查结果：%(title)s") % {"title": survey.title},
            "opts": self.model._meta,
            "original": survey,
            "survey": survey,
            "results": results,
            "response_count": survey.responses.count(),
            "staff": True,
            "formats": writers.FORMATS if can_export(request.user) else {},
        }
        return TemplateResponse(request, "admin/surveys/survey/results.html", context)

    def export_view(self, request, pk):
        survey = self._survey_for_results(request, pk)
        if not can_export(request.user):
            raise PermissionDenied
        fmt = request.GET.get("format", "")
        if fmt not in writers.FORMATS:
            self.message_user(request, _("请选择导出格式：Excel、CSV 或 PDF。"), messages.ERROR)
            return redirect("admin:surveys_survey_results", pk=survey.pk)
        document = survey_document(survey, fmt)
        document.generated_by = person(request.user)
        try:
            with logged(
                document, fmt, user=request.user, channel=ExportLog.Channel.ADMIN, filters={"survey": pk}
            ) as done:
                return writers.export_response(document, fmt, done)
        except writers.ExportError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect("admin:surveys_survey_results", pk=survey.pk)
