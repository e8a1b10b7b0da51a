"""The figures' yearly charts (achievements/charts.py), drawn once and then read from Django's cache.

A chart's key is a digest of everything it is drawn from: the metric's pk (the chart's id), its label, unit and yearly
values, the chart kind, and the drawing code (charts.py, numbers.py). Editing any of them makes a new key, whichever
way the edit happened (the admin, an import, `QuerySet.update`): a stale chart can't be shown, and nothing depends on
signals. The content generation (union_site/common/generation.py) is deliberately not in the key: it changes with every
article saved, and charts keyed on it would be redrawn after every publish although no figure changed. 长者模式 and
字号 do not change the SVG (it scales with the page), so they are not in the key either.

A page reads all its charts with one `get_many` (one round trip to Redis) and stores the ones it had to draw with one
`set_many`; the cache unreachable, every chart is drawn as before.
"""

import hashlib
from pathlib import Path

from django.core.cache import cache
from django.utils.safestring import mark_safe

from achievements import charts, numbers

KEY_PREFIX = "achievements:chart:v1:"
LIFETIME = 7 * 24 * 3600  # unused keys (old values, old code) simply age out
CODE = hashlib.blake2b(
    b"".join(Path(module.__file__).read_bytes() for module in (charts, numbers)), digest_size=6
).hexdigest()


def chart_arguments(metric, kind):
    """trend_chart's arguments for `metric`, or None when it has fewer than two years (no chart)."""
    points = [(v.year, v.value) for v in metric.values.all()]  # prefetched by Metric.objects.for_display()
    if len(points) < 2:
        return None
    return {
        "points": points,
        "title": f"{metric.label}（{points[0][0]}—{points[-1][0]}年）",
        "unit": metric.unit,
        "chart_id": f"chart-{metric.pk}",
        "kind": kind,
    }


def chart_key(arguments):
    digest = hashlib.blake2b(repr(sorted(arguments.items())).encode(), digest_size=16).hexdigest()
    return f"{KEY_PREFIX}{CODE}:{arguments['chart_id']}:{arguments['kind']}:{digest}"


def metric_charts(metrics, kind="bar"):
    """{(metric pk, kind): the chart as inline SVG, or "" for a metric with fewer than two years}, in one cache read."""
    wanted = {}
    charts_by_metric = {}
    for metric in metrics:
        arguments = chart_arguments(metric, kind)
        if arguments is None:
            charts_by_metric[(metric.pk, kind)] = ""
        else:
            wanted[(metric.pk, kind)] = (chart_key(arguments), arguments)
    found = cache.get_many([key for key, _ in wanted.values()]) if wanted else {}
    drawn = {}
    for name, (key, arguments) in wanted.items():
        svg = found.get(key)
        if svg is None:
            svg = drawn[key] = str(charts.trend_chart(**arguments))
        charts_by_metric[name] = mark_safe(svg)  # noqa: S308 - trend_chart's output, every text in it escaped
    if drawn:
        cache.set_many(drawn, LIFETIME)
    return charts_by_metric
