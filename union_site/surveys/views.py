"""The public pages of 征集调查: the list, a survey (its form while open, its results once closed) and the thanks page.

The page cache (union_site/page_cache.py) keeps the list and a closed survey's results. A form page holds a CSRF
token and is never stored; the list, which changes when a survey opens or closes, is not stored when that happens
sooner than the cache would keep it (`until_next_change`), so a survey appears and closes at its minute. (Folding
the surveys' minutes into page_cache.next_scheduled_change would cost every page a query when the cache is cold.)"""

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView

from union_site.surveys import intake
from union_site.surveys.charts import choice_chart
from union_site.surveys.forms import AnswerForm
from union_site.surveys.models import Survey
from union_site.surveys.results import survey_results

PREVIEW_PERMISSION = "surveys.view_survey"


def home_crumb():
    return (reverse("surveys:list"), "征集调查")


def until_next_change(response, moment):
    """Not stored by the page cache (which knows only the articles' schedule) when the page changes at `moment`
    sooner than the cache would keep it: a page stored now then never outlives that moment."""
    if moment is not None and (moment - timezone.now()).total_seconds() < settings.PAGE_CACHE_SECONDS:
        patch_cache_control(response, no_cache=True)
    return response


class SurveyListView(ListView):
    template_name = "surveys/survey_list.html"
    context_object_name = "surveys"
    paginate_by = 20

    def get_queryset(self):
        """Open surveys first, the soonest to close first; then the closed ones, the latest closed first."""
        is_open = Q(closes_at__gt=timezone.now())
        return (
            Survey.objects.public()
            .annotate(
                response_count=Count("responses"),
                rank=Case(When(is_open, then=Value(0)), default=Value(1), output_field=IntegerField()),
                open_until=Case(When(is_open, then=F("closes_at"))),
                closed_at=Case(When(~is_open, then=F("closes_at"))),
            )
            .order_by("rank", F("open_until").asc(nulls_last=True), F("closed_at").desc(nulls_last=True), "-id")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(crumbs=[(None, "征集调查")], **kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return until_next_change(response, Survey.objects.next_visibility_change(timezone.now()))


def _visible(request):
    """Visitors see public surveys; staff who may see surveys also preview drafts and those not yet open."""
    if request.user.has_perm(PREVIEW_PERMISSION):
        return Survey.objects.all()
    return Survey.objects.public()


def _questions(survey):
    return list(survey.questions.prefetch_related("choices"))


def _page(request, survey, *, form=None, status=200, **extra):
    phase = survey.phase()
    context = {
        "survey": survey,
        "phase": phase,
        "preview": not survey.is_public,
        "form": form,
        "crumbs": [home_crumb(), (None, survey.title)],
        **extra,
    }
    if phase == Survey.Phase.CLOSED and (survey.results_public or not survey.is_public):
        results = survey_results(survey)
        for result in results:
            if result.has_choices and result.choices:
                result.chart = choice_chart(result, chart_id=f"result-{result.question.pk}")
        context.update(results=results, response_count=survey.responses.count())
    elif form is None and (phase == Survey.Phase.OPEN or not survey.is_public):
        context["form"] = AnswerForm(_questions(survey))
    response = render(request, "surveys/survey_detail.html", context, status=status)
    if phase == Survey.Phase.OPEN:  # a form, or the answered page of one visitor: never shared
        add_never_cache_headers(response)
    return response


def _answered(request, survey, status=200):
    response = render(
        request,
        "surveys/answered.html",
        {"survey": survey, "crumbs": [home_crumb(), (None, "您已参与过本次调查")]},
        status=status,
    )
    add_never_cache_headers(response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def survey_detail(request, pk):
    if request.method == "POST":
        return _answer(request, pk)
    survey = get_object_or_404(_visible(request), pk=pk)
    if survey.is_open and intake.has_answered(request, survey):
        return _answered(request, survey)
    return _page(request, survey)


def _answer(request, pk):
    survey = get_object_or_404(Survey.objects.public(), pk=pk)
    if not survey.is_open:
        return _page(request, survey, late=True, status=409)
    form = AnswerForm(_questions(survey), request.POST)
    if form.is_robot:
        return render(request, "surveys/refused.html", {"survey": survey, "crumbs": [home_crumb()]}, status=400)
    if intake.has_answered(request, survey):
        return _answered(request, survey, status=409)
    if not form.is_valid():
        return _page(request, survey, form=form)
    if not intake.answer_allowed(request, survey):
        return render(
            request,
            "surveys/rate_limited.html",
            {"survey": survey, "crumbs": [home_crumb(), (None, "请稍后再试")]},
            status=429,
        )
    try:
        intake.save_response(survey, form.answers())
    except intake.NotOpen:
        return _page(request, survey, late=True, status=409)
    except IntegrityError:  # a question or an option was removed between the form and the save
        form.add_error(None, "问卷内容刚刚有更新，请核对后重新提交。")
        return _page(request, survey, form=form)
    response = redirect("surveys:thanks", pk=survey.pk)
    intake.remember_answered(response, survey)
    return response


@never_cache
def survey_thanks(request, pk):
    survey = get_object_or_404(Survey.objects.public(), pk=pk)
    crumbs = [home_crumb(), (survey.get_absolute_url(), survey.title), (None, "提交成功")]
    return render(request, "surveys/survey_thanks.html", {"survey": survey, "crumbs": crumbs})
