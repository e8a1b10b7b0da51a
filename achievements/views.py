from django.db.models import Prefetch
from django.views.generic import TemplateView

from achievements.models import Honor, Metric, Period


class AchievementsView(TemplateView):
    """数说五年: the latest published period, section by section."""

    template_name = "achievements/index.html"

    def get_context_data(self, **kwargs):
        period = Period.objects.published().first()
        sections = []
        if period:
            sections = period.sections.prefetch_related(
                Prefetch("metrics", queryset=Metric.objects.order_by("order", "id")),
                Prefetch("honors", queryset=Honor.objects.order_by("order", "id")),
            ).order_by("order", "id")
        return super().get_context_data(period=period, sections=sections, crumbs=[(None, "数说五年")], **kwargs)
