"""时期对比 as a reader and a statistician read it: approximate figures keep their qualifier and are never given an
exact change, figures only one period has are listed apart, and the import preview and charts speak the display
unit (万元)."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from achievements.charts import trend_chart
from achievements.comparison import compare_metrics, last_place
from achievements.models import Metric, Period, Section

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(svg, css_class):
    root = ET.fromstring(str(svg))  # noqa: S314 - our own output
    return [t.text for t in root.iter(f"{SVG}text") if t.get("class") == css_class or css_class in _groups(root, t)]


def _groups(root, text):
    return [g.get("class") for g in root.iter(f"{SVG}g") if text in list(g)]


def change(earlier, later, unit="场", earlier_q="", later_q="", **extra):
    before = Metric(label="x", value=Decimal(earlier), unit=unit, qualifier=earlier_q, **extra)
    after = Metric(label="x", value=Decimal(later), unit=unit, qualifier=later_q, **extra)
    return compare_metrics([before], [after])[0]


def test_last_written_digit():
    assert [last_place(v) for v in (300, 520, 111000, Decimal("3.5"), 0)] == [100, 10, 1000, Decimal("0.1"), 1]


def test_300_and_520_more_than_is_an_approximate_rise_not_an_exact_one():
    rise = change(300, 520, earlier_q="more", later_q="more")
    assert rise.difference_display() == "约增加220场"
    assert rise.range_display() == "按约数推算，在120场至230场之间"  # 300余 is 300–400, 520余 520–530
    assert rise.percent_display() == "不能精确计算"  # anywhere from +30 % to +77 %
    assert "+220" not in rise.difference_display() and "73.3" not in rise.percent_display()


def test_a_narrow_approximate_change_gets_a_whole_percentage():
    members = change(111000, 553000, unit="人", earlier_q="more", later_q="more")  # 11.1万余人 → 55.3万余人
    assert members.difference_display() == "约增加44.2万人"
    assert members.percent_display() == "约增长398%"


def test_approximate_figures_whose_ranges_overlap_have_no_direction():
    unsure = change(100, 100, earlier_q="about", later_q="more")  # 约100 (95–105) → 100余 (100–200)
    assert unsure.difference_display() == "增减不能确定" and unsure.percent_display() == "不能精确计算"
    nearly = change(19, 20, unit="万人", earlier_q="nearly")  # 近19 (18–19) → 20: a rise for sure
    assert nearly.difference_display() == "约增加1万人"


def test_exact_figures_keep_the_exact_change_and_rates_change_in_points():
    assert change(100, 134, unit="处").difference_display() == "+34处"
    assert change(100, 134, unit="处").percent_display() == "+34%"
    rate = change(Decimal("92.5"), Decimal("98"), unit="%")
    assert rate.difference_display() == "+5.5个百分点" and rate.percent_display() == ""


def test_different_units_or_scopes_are_not_compared():
    assert change(10, 20, unit="场").problem == ""
    before = Metric(label="x", value=10, unit="场", scope=Metric.Scope.CUMULATIVE)
    after = Metric(label="x", value=3, unit="场", scope=Metric.Scope.PER_YEAR)
    other = compare_metrics([before], [after])[0]
    assert "口径不同" in other.difference_display() and other.percent_display() == ""


@pytest.fixture
def two_periods(db):
    earlier = Period.objects.create(name="第五次代表大会以来", start_year=2013, end_year=2018)
    later = Period.objects.create(name="第六次代表大会以来", start_year=2018, end_year=2023)
    old, new = Section.objects.create(period=earlier, title="维权"), Section.objects.create(period=later, title="维权")
    Metric.objects.create(section=old, label="宣讲活动", value=300, unit="场", qualifier="more")
    Metric.objects.create(section=new, label="宣讲活动", value=520, unit="场", qualifier="more")
    Metric.objects.create(section=old, label="法律援助站点", value=100, unit="处")
    Metric.objects.create(section=new, label="法律援助站点", value=134, unit="处")
    Metric.objects.create(section=new, label="职工书屋", value=72, unit="处")
    Metric.objects.create(section=old, label="已停办的项目", value=5, unit="个")
    return earlier, later


def test_compare_page_lists_shared_figures_and_folds_the_rest(client, two_periods):
    page = client.get(reverse("achievements:compare")).content.decode()
    table = page.split("<table", 1)[1].split("</table>", 1)[0]
    assert "宣讲活动" in table and "300余场" in table and "520余场" in table and "约增加220场" in table
    assert "法律援助站点" in table and "+34处" in table
    assert "职工书屋" not in table and "—</td>" not in table  # no rows of dashes
    folded = page.split('<details class="compare-single">', 1)[1].split("</details>", 1)[0]
    assert "仅一个时期有（2 项）" in folded
    assert "职工书屋</span>：72处（仅较晚时期）" in folded and "已停办的项目</span>：5个（仅较早时期）" in folded
    assert "带“余”“多”“近”“约”的数是约数" in page


def test_money_chart_speaks_its_display_unit():
    points = [(2014 + i, Decimal(30_000_000 + 1_234_500 * i)) for i in range(10)]
    svg = trend_chart(points, title="帮扶资金", unit="元", chart_id="m")
    labels, captions = svg_texts(svg, "trend-values"), svg_texts(svg, "trend-unit")
    if captions:  # labels without a unit of their own: the caption names the unit they are written in
        assert captions == ["单位：万元"] and not any("万" in label or "元" in label for label in labels)
    else:
        assert all(label.endswith("万元") for label in labels)
    assert svg_texts(svg, "trend-zero") == ["0"]  # the bars stand on a labelled zero


def test_the_import_preview_shows_yearly_money_in_its_display_unit():
    from achievements.importers import PlannedRow

    row = PlannedRow(1, "第六次代表大会以来", "帮扶", "帮扶资金", fields={"unit": "元"}, yearly={2022: 30_000_000})
    assert row.yearly_display == "2022年：3000万元"
