from django import template

from achievements.charts import series_table_rows, trend_chart

register = template.Library()


def _points(metric):
    return [(v.year, v.value) for v in metric.values.all()]  # prefetched by Metric.objects.for_display()


@register.simple_tag
def metric_chart(metric, kind="bar"):
    """The metric's yearly series as an inline SVG chart, or nothing when it has fewer than two years."""
    points = _points(metric)
    if len(points) < 2:
        return ""
    title = f"{metric.label}（{points[0][0]}—{points[-1][0]}年）"
    return trend_chart(points, title=title, unit=metric.unit, chart_id=f"chart-{metric.pk}", kind=kind)


@register.simple_tag
def metric_series(metric):
    """[(year, figure)] for the table of yearly values; empty when the metric has none (most seed figures)."""
    points = _points(metric)
    return series_table_rows(points, metric.unit) if points else []
