"""A survey's results as plain data, for the public page, the admin's 结果 page and the export alike:

    survey_results(survey)   [QuestionResult] in question order: per option its count and its share of the people
                             who answered the question; for a 简答题 only how many wrote something
    text_answers(question)   the 简答 of one question, newest first (staff only: never on a public page)

A share is of the people who answered that question, not of all responses (an optional question left blank does not
count), so the shares of a 多选题 may add up to more than 100%. Four queries however many questions and answers."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from union_site.surveys.models import Answer, Question

ONE_PLACE = Decimal("0.1")


@dataclass
class ChoiceCount:
    text: str
    count: int
    percent: Decimal  # 0–100, one decimal

    @property
    def shown_percent(self):
        return f"{self.percent}%"


@dataclass
class QuestionResult:
    number: int
    question: Question
    respondents: int  # people who answered this question
    choices: list = field(default_factory=list)  # [ChoiceCount] in the option order; empty for a 简答题
    chart: str = ""  # its SVG (union_site/surveys/charts.py), set by the page that shows it

    @property
    def has_choices(self):
        return self.question.has_choices


def percent(part, whole):
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / whole).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def survey_results(survey):
    questions = list(survey.questions.prefetch_related("choices"))
    answers = Answer.objects.filter(question__survey=survey)
    per_choice = dict(answers.filter(choice__isnull=False).values_list("choice").annotate(n=Count("id")))
    per_question = dict(answers.values_list("question").annotate(n=Count("response", distinct=True)))
    results = []
    for number, question in enumerate(questions, start=1):
        respondents = per_question.get(question.pk, 0)
        choices = [
            ChoiceCount(choice.text, per_choice.get(choice.pk, 0), percent(per_choice.get(choice.pk, 0), respondents))
            for choice in question.choices.all()
        ]
        results.append(QuestionResult(number, question, respondents, choices if question.has_choices else []))
    return results


def text_answers(question):
    return (
        Answer.objects.filter(question=question, choice__isnull=True)
        .exclude(text="")
        .select_related("response")
        .order_by("-response__submitted_at", "-id")
    )
