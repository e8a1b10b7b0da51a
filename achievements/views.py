from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from achievements.chart_cache import metric_charts
from achievements.comparison import compare_metrics, split_changes
from achievements.models import Honor, Metric, Period, Section

CRUMB = "数说五年"
# 网页标签 of every 数说五年 page (union_site/compliance.py): one column, of ColumnType 数据发布
PAGE_META = {"ColumnName": CRUMB, "ColumnType": "数据发布", "og:title": CRUMB}


def sections_with_figures(sections):
    return sections.prefetch_related(
        Prefetch("metrics", queryset=Metric.objects.for_display()),
        Prefetch("honors", queryset=Honor.objects.order_by("order", "id")),
    ).order_by("order", "id")


def sources_of(sections):
    """The articles and documents the figures on a page come from (数据来源), each once."""
    seen = {}
    for section in sections:
        for metric in section.metrics.all():
            if metric.source_article_id:
                seen.setdefault(("a", metric.source_article_id), metric.source_article)
            elif metric.source_document:
                seen.setdefault(("d", metric.source_document), metric.source_document)
    return list(seen.values())


def section_charts(sections):
    """Every bar chart of the sections' figure cards, read from the cache at once (achievements/chart_cache.py)."""
    return metric_charts(metric for section in sections for metric in section.metrics.all())


class AchievementsView(TemplateView):
    """数说五年: the latest published period, section by section."""

    template_name = "achievements/index.html"

    def get_context_data(self, **kwargs):
        period = Period.objects.published().first()
        sections = list(sections_with_figures(period.sections.all())) if period else []
        return super().get_context_data(
            period=period,
            sections=sections,
            sources=sources_of(sections),
            metric_charts=section_charts(sections),
            can_compare=Period.objects.published().count() > 1,
            crumbs=[(None, CRUMB)],
            page_meta=PAGE_META,
            **kwargs,
        )


class SectionView(DetailView):
    template_name = "achievements/section_detail.html"
    context_object_name = "section"

    def get_queryset(self):
        return sections_with_figures(Section.objects.published().select_related("period"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            sources=sources_of([self.object]),
            metric_charts=section_charts([self.object]),
            crumbs=[(reverse("achievements:index"), CRUMB), (None, self.object.title)],
            page_meta=PAGE_META,
            **kwargs,
        )


class MetricView(DetailView):
    template_name = "achievements/metric_detail.html"
    context_object_name = "metric"

    def get_queryset(self):
        return Metric.objects.published().for_display().select_related("section__period", "verified_by")

    def get_context_data(self, **kwargs):
        section = self.object.section
        return super().get_context_data(
            crumbs=[
                (reverse("achievements:index"), CRUMB),
                (section.get_absolute_url(), section.title),
                (None, self.object.label),
            ],
            page_meta=PAGE_META,
            **kwargs,
        )


class CompareView(TemplateView):
    """Change per figure between two periods: ?a=<earlier id>&b=<later id>, by default the two latest."""

    template_name = "achievements/compare.html"

    def get_context_data(self, **kwargs):
        periods = list(Period.objects.published().order_by("end_year", "start_year"))
        earlier, later = self.chosen(periods)
        changes = []
        if earlier and later:
            changes = compare_metrics(
                Metric.objects.filter(section__period=earlier).order_by("section__order", "order", "id"),
                Metric.objects.filter(section__period=later).order_by("section__order", "order", "id"),
            )
        paired, single = split_changes(changes)
        return super().get_context_data(
            periods=periods,
            earlier=earlier,
            later=later,
            changes=paired,
            single=single,
            approximate=any(not change.is_exact for change in paired),
            crumbs=[(reverse("achievements:index"), CRUMB), (None, "对比")],
            page_meta=PAGE_META,
            **kwargs,
        )

    def chosen(self, periods):
        by_id = {p.pk: p for p in periods}
        try:
            ids = [int(self.request.GET[key]) for key in ("a", "b") if self.request.GET.get(key)]
        except ValueError:
            raise Http404 from None
        if not ids:
            return (periods[-2], periods[-1]) if len(periods) >= 2 else (None, None)
        if len(ids) != 2 or any(pk not in by_id for pk in ids):
            raise Http404
        earlier, later = sorted((by_id[pk] for pk in ids), key=lambda p: (p.end_year, p.start_year))
        return earlier, later
