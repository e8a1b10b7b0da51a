from django import template

from achievements.chart_cache import metric_charts
from achievements.charts import series_table_rows

register = template.Library()


def _points(metric):
    return [(v.year, v.value) for v in metric.values.all()]  # prefetched by Metric.objects.for_display()


@register.simple_tag(takes_context=True)
def metric_chart(context, metric, kind="bar"):
    """The metric's yearly series as an inline SVG chart, or nothing when it has fewer than two years. From the
    page's `metric_charts` (every chart of the page read from the cache at once, achievements/views.py) when it
    holds this one, else drawn or read from the cache alone."""
    page_charts = context.get("metric_charts") or {}
    if (metric.pk, kind) in page_charts:
        return page_charts[(metric.pk, kind)]
    return metric_charts([metric], kind)[(metric.pk, kind)]


@register.simple_tag
def metric_series(metric):
    """[(year, figure)] for the table of yearly values; empty when the metric has none (most seed figures)."""
    points = _points(metric)
    return series_table_rows(points, metric.unit) if points else []
