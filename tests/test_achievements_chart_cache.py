"""The figures' charts come from the cache while nothing they show has changed, and are drawn anew after an edit."""

from decimal import Decimal

import pytest
from django.urls import reverse

from achievements import charts
from achievements.chart_cache import metric_charts
from achievements.models import Metric, MetricValue, Period, Section
from union_site.common import generation

pytestmark = pytest.mark.django_db

PAGE_CACHE = "union_site.page_cache.PageCacheMiddleware"


@pytest.fixture
def section(db):
    period = Period.objects.create(name="第六次代表大会以来", start_year=2018, end_year=2023, headline="数说五年")
    return Section.objects.create(period=period, title="职工维权服务工作 实绩突出", order=1)


@pytest.fixture
def figures(section):
    """Three figures with yearly values (three charts) and one without (no chart)."""
    made = []
    for n, (label, unit) in enumerate([("法律援助站点", "处"), ("服务职工", "人次"), ("帮扶资金", "元")]):
        metric = Metric.objects.create(section=section, label=label, value=100 + n, unit=unit, order=n)
        for year, value in [(2019, 10 + n), (2021, 20 + n), (2023, 100 + n)]:
            MetricValue.objects.create(metric=metric, year=year, value=value)
        made.append(metric)
    Metric.objects.create(section=section, label="职工书屋", value=12, unit="家", order=9)
    return made


@pytest.fixture
def drawn(monkeypatch):
    """The charts drawn (trend_chart called), as (chart id, kind)."""
    calls = []
    draw = charts.trend_chart

    def spy(points, **options):
        calls.append((options["chart_id"], options["kind"]))
        return draw(points, **options)

    monkeypatch.setattr(charts, "trend_chart", spy)
    return calls


@pytest.fixture
def no_page_cache(settings):
    """Every request renders its page, so what is measured is the charts' cache, not the whole page's."""
    assert PAGE_CACHE in settings.MIDDLEWARE
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != PAGE_CACHE]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def chart_ids(html):
    """The charts' ids on a page (each chart's <svg> is labelled by its title and description; the share box's QR
    code and sections' headings are not charts)."""
    ids = (part.split('"', 1)[0] for part in html.split('aria-labelledby="')[1:])
    return sorted(i for i in ids if i.startswith("chart-"))


def test_an_unchanged_page_draws_its_charts_once(client, figures, drawn, no_page_cache):
    first = page(client, reverse("achievements:index"))
    assert len(chart_ids(first)) == 3 and len(drawn) == 3
    second = page(client, reverse("achievements:index"))
    assert len(drawn) == 3  # nothing drawn again
    assert second == first


def test_section_page_reuses_the_charts_of_the_index(client, figures, section, drawn, no_page_cache):
    page(client, reverse("achievements:index"))
    assert len(chart_ids(page(client, section.get_absolute_url()))) == 3
    assert len(drawn) == 3


def test_editing_a_yearly_value_changes_the_chart(client, figures):
    """Through the whole site, page cache included: the save bumps the content generation (its signals)."""
    url = reverse("achievements:index")
    assert "2023年 100处" in page(client, url)
    value = MetricValue.objects.get(metric=figures[0], year=2023)
    value.value = Decimal("134")
    value.save()
    shown = page(client, url)
    assert "2023年 134处" in shown and "2023年 100处" not in shown


@pytest.mark.parametrize(
    "edit, shown",
    [
        (lambda m: MetricValue.objects.filter(metric=m, year=2023).update(value=134), "2023年 134处"),
        (lambda m: MetricValue.objects.create(metric=m, year=2022, value=50), "2022年 50处"),
        (lambda m: MetricValue.objects.filter(metric=m, year=2023).delete(), "2019年至2021年"),
        (lambda m: Metric.objects.filter(pk=m.pk).update(label="法律服务站点"), "法律服务站点（2019—2023年）"),
        (lambda m: Metric.objects.filter(pk=m.pk).update(unit="个"), "2023年 100个"),
    ],
    ids=["value", "new year", "year removed", "label", "unit"],
)
def test_a_chart_is_never_stale_even_without_a_signal(client, figures, drawn, no_page_cache, edit, shown):
    """QuerySet.update and delete send no save signal, and the generation is not bumped here: the chart's key is
    what it is drawn from, so the edited chart is a new key all the same."""
    url = reverse("achievements:index")
    page(client, url)
    edit(figures[0])
    after = page(client, url)
    assert shown in after
    assert drawn[3:] == [(f"chart-{figures[0].pk}", "bar")]  # only the edited figure's chart is drawn again


def test_new_content_elsewhere_does_not_redraw_the_charts(client, figures, drawn, no_page_cache, make_article):
    page(client, reverse("achievements:index"))
    make_article(title="新发布的文章")
    generation.bump()  # what that save does through the signals, in case they are not connected
    page(client, reverse("achievements:index"))
    assert len(drawn) == 3


def test_bar_and_line_charts_are_kept_apart(client, figures, drawn, no_page_cache):
    metric_page = page(client, figures[0].get_absolute_url())
    assert "<polyline" in metric_page  # the figure's own page: a line
    index = page(client, reverse("achievements:index"))
    assert "<polyline" not in index and index.count("<rect") == 9  # the index: bars, three per chart
    page(client, figures[0].get_absolute_url())
    assert sorted(drawn) == sorted([(f"chart-{figures[0].pk}", "line")] + [(f"chart-{m.pk}", "bar") for m in figures])


def test_page_reads_its_charts_in_one_cache_call(figures, monkeypatch, django_assert_max_num_queries):
    from django.core.cache import cache

    asked = []
    get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: asked.append(list(keys)) or get_many(keys))
    metrics = list(Metric.objects.for_display())
    with django_assert_max_num_queries(0):
        found = metric_charts(metrics)
    assert [len(keys) for keys in asked] == [3]  # one call (one round trip to Redis) for the three charts
    assert [bool(found[(m.pk, "bar")]) for m in metrics] == [True, True, True, False]
    assert chart_ids("".join(found.values())) == sorted(f"chart-{m.pk}-title chart-{m.pk}-desc" for m in figures)
