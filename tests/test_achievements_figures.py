"""数说五年 as editors keep it and readers see it: validation, provenance, verification, comparison, pages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from achievements.comparison import compare_metrics
from achievements.models import Honor, Metric, MetricValue, Period, Section

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(db):
    period = Period.objects.create(name="第六次代表大会以来", start_year=2018, end_year=2023, headline="数说五年")
    return Section.objects.create(period=period, title="职工维权服务工作 实绩突出", order=1)


@pytest.fixture
def metric(section):
    return Metric.objects.create(section=section, label="法律援助站点", value=134, unit="处", is_highlight=True)


def errors_of(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


def test_validation_messages_are_clear_chinese(section, metric):
    assert errors_of(Metric(section=section, label="负数", value=-1, unit="个"))["value"] == ["数值不能为负数。"]
    assert errors_of(Metric(section=section, label="比例", value=101, unit="%"))["value"] == ["百分比不能超过 100。"]
    assert "unit" in errors_of(Metric(section=section, label="无单位", value=1, unit=""))
    assert errors_of(Metric(section=section, label="法律援助站点", value=1, unit="处"))["__all__"] == [
        "同一板块里已有同名的指标。"
    ]
    assert errors_of(MetricValue(metric=metric, year=2030, value=1))["year"] == [
        "年份应在 2018—2023 之间（第六次代表大会以来）。"
    ]
    MetricValue.objects.create(metric=metric, year=2020, value=100)
    assert errors_of(MetricValue(metric=metric, year=2020, value=120))["__all__"] == ["这个指标已经有该年份的数值。"]


def test_changing_a_verified_figure_clears_its_verification(metric, reviewer):
    metric.verified_by, metric.verified_on = reviewer, "2026-11-01"
    metric.save()
    metric.order = 5  # not part of the claim: the mark stays
    metric.save()
    metric.refresh_from_db()
    assert metric.is_verified
    metric.value = Decimal("140")
    metric.save()
    metric.refresh_from_db()
    assert not metric.is_verified and metric.verified_by is None

    Metric.objects.filter(pk=metric.pk).update(verified_by=reviewer, verified_on="2026-11-01")
    Metric.objects.update_or_create(section=metric.section, label=metric.label, defaults={"value": 150})
    metric.refresh_from_db()
    assert not metric.is_verified  # also when saved with update_fields


def test_admin_save_records_who_changed_a_figure(client, editor, metric):
    client.force_login(editor)
    url = reverse("admin:achievements_metric_change", args=[metric.pk])
    version = client.get(url).content.decode().split('name="loaded_version" value="')[1].split('"')[0]
    data = {
        "section": metric.section_id,
        "label": metric.label,
        "value": "150",
        "unit": "处",
        "qualifier": "",
        "scope": "cumulative",
        "order": 0,
        "is_highlight": "on",
        "source_text": "",
        "source_document": "年报",
        "note": "",
        "loaded_version": version,
        "values-TOTAL_FORMS": 0,
        "values-INITIAL_FORMS": 0,
        "values-MIN_NUM_FORMS": 0,
        "values-MAX_NUM_FORMS": 1000,
    }
    assert client.post(url, data).status_code == 302
    metric.refresh_from_db()
    assert metric.value == 150 and metric.updated_by == editor
    assert metric.history.first().history_user == editor


def test_only_reviewers_mark_figures_verified(client, editor, reviewer, metric):
    url = reverse("admin:achievements_metric_changelist")
    post = {"action": "mark_verified", "_selected_action": [metric.pk]}
    client.force_login(editor)
    assert 'value="mark_verified"' not in client.get(url).content.decode()
    client.post(url, post)
    metric.refresh_from_db()
    assert not metric.is_verified
    client.force_login(reviewer)
    client.post(url, post)
    metric.refresh_from_db()
    assert metric.verified_by == reviewer and metric.is_verified


def test_comparison_math(section):
    earlier_period = Period.objects.create(name="第五次代表大会以来", start_year=2013, end_year=2018)
    old = Section.objects.create(period=earlier_period, title="维权")
    before = [
        Metric(section=old, label="法律援助站点", value=100, unit="处"),
        Metric(section=old, label="职工书屋", value=0, unit="处"),
        Metric(section=old, label="已停办的项目", value=5, unit="个"),
    ]
    after = [
        Metric(section=section, label="法律援助站点", value=134, unit="处"),
        Metric(section=section, label="职工书屋", value=72, unit="处"),
        Metric(section=section, label="会员", value=553000, unit="人"),
    ]
    changes = {c.label: c for c in compare_metrics(before, after)}
    assert changes["法律援助站点"].difference == 34 and changes["法律援助站点"].percent == Decimal("34.0")
    assert (
        changes["法律援助站点"].difference_display() == "+34处" and changes["法律援助站点"].percent_display() == "+34%"
    )
    assert changes["职工书屋"].percent is None  # from 0: no percentage
    assert changes["会员"].difference is None and changes["已停办的项目"].later is None
    assert list(changes) == ["法律援助站点", "职工书屋", "会员", "已停办的项目"]
    fall = compare_metrics([Metric(label="x", value=200, unit="人")], [Metric(label="x", value=150000, unit="人")])[0]
    assert fall.difference_display() == "+14.98万人" and fall.percent_display() == "+74900%"
    drop = compare_metrics([Metric(label="y", value=3, unit="个")], [Metric(label="y", value=2, unit="个")])[0]
    assert drop.difference_display() == "−1个" and drop.percent_display() == "-33.3%"


def test_compare_page_between_two_periods(client, section, metric):
    earlier = Period.objects.create(name="第五次代表大会以来", start_year=2013, end_year=2018)
    old = Section.objects.create(period=earlier, title="维权")
    Metric.objects.create(section=old, label="法律援助站点", value=100, unit="处")
    page = client.get(reverse("achievements:compare")).content.decode()
    assert "法律援助站点" in page and "+34处" in page and "+34%" in page
    assert "与上一时期对比" in client.get(reverse("achievements:index")).content.decode()
    assert client.get(reverse("achievements:compare") + "?a=x&b=1").status_code == 404
    assert client.get(reverse("achievements:compare") + f"?a={earlier.pk}&b=999999").status_code == 404
    swapped = client.get(reverse("achievements:compare") + f"?a={section.period.pk}&b={earlier.pk}")
    assert "+34处" in swapped.content.decode()  # the earlier period is always the base


def test_metric_page_shows_series_chart_table_and_source(client, metric, make_article):
    article = make_article(title="五年来工作掠影")
    metric.source_article, metric.source_text = article, "建成各级工会法律援助站点134处。"
    metric.save()
    for year, value in [(2019, 80), (2021, 110), (2023, 134)]:
        MetricValue.objects.create(metric=metric, year=year, value=value)
    page = client.get(metric.get_absolute_url()).content.decode()
    assert "134处" in page and "建成各级工会法律援助站点134处。" in page
    assert article.get_absolute_url() in page and "尚未核实" in page
    assert "<svg" in page and 'role="img"' in page and "2019年" in page and "2023年" in page
    assert page.count("<circle") == 3  # one point per year on the line


def test_metric_page_without_yearly_values_shows_the_figure(client, metric):
    """Most figures have no yearly series (every one of the seed's): the page shows the figure, no chart or table."""
    response = client.get(metric.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "134处" in page and "历年数据" not in page and "<svg" not in page


def test_index_and_section_pages_link_figures_and_name_their_source(client, demo):
    index = client.get(reverse("achievements:index")).content.decode()
    assert "数据来源" in index and "“数”说服务发展新故事" in index
    section = Section.objects.order_by("order").first()
    assert section.get_absolute_url() in index
    page = client.get(section.get_absolute_url()).content.decode()
    for metric in section.metrics.all():
        assert metric.get_absolute_url() in page and metric.display_value() in page


def test_section_page_query_count_does_not_grow(client, section, django_assert_max_num_queries):
    def add(n, start):
        for i in range(start, start + n):
            metric = Metric.objects.create(section=section, label=f"指标{i}", value=i + 1, unit="个")
            MetricValue.objects.create(metric=metric, year=2020, value=i)
            MetricValue.objects.create(metric=metric, year=2021, value=i + 1)

    add(5, 0)
    with django_assert_max_num_queries(10) as small:
        client.get(section.get_absolute_url())
    add(95, 5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(section.get_absolute_url()).status_code == 200


def test_unpublished_period_is_hidden(client, metric):
    Period.objects.update(is_published=False)
    assert client.get(metric.get_absolute_url()).status_code == 404
    assert client.get(metric.section.get_absolute_url()).status_code == 404
    assert metric.label not in client.get(reverse("achievements:index")).content.decode()


def test_one_rule_hides_an_unpublished_period_from_every_published_queryset(metric):
    Honor.objects.create(section=metric.section, title="全国模范职工之家")
    managers = [Period.objects, Section.objects, Metric.objects, Honor.objects]
    assert [manager.published().count() for manager in managers] == [1, 1, 1, 1]
    Period.objects.update(is_published=False)
    assert [manager.published().count() for manager in managers] == [0, 0, 0, 0]


def test_a_yearly_figure_card_says_so(client, metric):
    assert "（每年）" not in client.get(metric.get_absolute_url()).content.decode()
    metric.scope = Metric.Scope.PER_YEAR
    metric.save()
    assert "（每年）" in client.get(metric.get_absolute_url()).content.decode()
    assert "（每年）" in client.get(reverse("home")).content.decode()  # the home page shows highlighted figures
