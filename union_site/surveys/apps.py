from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """征集调查: polls and 意见征集 written in the admin, answered once per visitor at /surveys/, their results public
    after closing (README "征集调查")."""

    name = "union_site.surveys"
    label = "surveys"
    verbose_name = "征集调查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from union_site.common import generation
        from union_site.surveys.models import Choice, Question, Survey

        # What the public pages show of a survey. Answers are not watched: the pages show counts only once a survey
        # has closed, when no answer comes in any more (union_site/surveys/intake.py bumps for a late one), so a busy
        # poll does not end every cached page of the site at each answer.
        generation.watch(Survey, Question, Choice)
