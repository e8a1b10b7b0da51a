"""An answer arriving from the public form: answer once (a signed cookie per survey), a limit per address, and the
response with its answers saved in one transaction against the survey as the database has it at that moment."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from union_site.accounts.client_ip import client_ip
from union_site.common import generation, ratelimit
from union_site.surveys.models import Answer, Response, Survey

COOKIE_SALT = "surveys.answered"
COOKIE_AGE = timedelta(days=365)
# Responses per address and survey: generous, since a factory's or an office's workers often share one address.
ANSWERS_PER_ADDRESS = (30, 3600)


class NotOpen(Exception):
    """The survey closed (or was withdrawn) between the form and the save."""


def cookie_name(survey):
    return f"survey_{survey.pk}"


def has_answered(request, survey):
    """The visitor's browser holds this survey's signed cookie (its value is the survey's id, so a cookie copied from
    another survey does not pass)."""
    value = request.get_signed_cookie(cookie_name(survey), default=None, salt=COOKIE_SALT)
    return value == str(survey.pk)


def remember_answered(response, survey):
    response.set_signed_cookie(
        cookie_name(survey),
        str(survey.pk),
        salt=COOKIE_SALT,
        max_age=int(COOKIE_AGE.total_seconds()),
        path="/surveys/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def answer_allowed(request, survey):
    """Counts one response from this address to this survey; False when over the limit."""
    count, seconds = ANSWERS_PER_ADDRESS
    return ratelimit.allow("survey-answer-ip", f"{survey.pk}:{client_ip(request)}", count, seconds)


def save_response(survey, answers):
    """One Response with its Answers, all or nothing; `answers` as AnswerForm.answers() gives them. The survey's row
    is locked first (the admin takes the same lock before changing questions: union_site/surveys/admin.py), so its
    questions cannot change in between. Raises NotOpen when the survey is no longer open."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if not survey.is_open:
            raise NotOpen
        response = Response.objects.create(survey=survey)
        rows = []
        for question, choice_ids, text in answers:
            if choice_ids:
                rows += [Answer(response=response, question=question, choice_id=pk) for pk in choice_ids]
            else:
                rows.append(Answer(response=response, question=question, text=text))
        Answer.objects.bulk_create(rows)
        # The public pages count answers only once a survey has closed: one that closed while this was saved may
        # already show its results without this response.
        transaction.on_commit(lambda: survey.is_open or generation.bump())
    return response
