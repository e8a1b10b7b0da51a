import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils.safestring import SafeString

from achievements.charts import series_table_rows, trend_chart

NS = "{http://www.w3.org/2000/svg}"
FIVE = [
    (2021, Decimal("38500")),
    (2019, Decimal("32000")),
    (2020, Decimal("41000")),
    (2023, Decimal("56000")),
    (2022, Decimal("50000")),
]


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 - our own output


def bars(root):
    return root.findall(f".//{NS}rect")


def texts(root, group):
    (element,) = [g for g in root.iter(f"{NS}g") if g.get("class") == group]
    return [(float(text.get("x")), text.text) for text in element.findall(f"{NS}text")]


def test_chart_is_an_accessible_svg():
    svg = trend_chart(FIVE, title="服务职工人数", unit="人", chart_id="metric-7")
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("viewBox") == "0 0 320 160"
    assert root.get("width") == "100%"
    assert root.get("role") == "img"
    assert "trend-chart" in root.get("class").split()
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title.text == "服务职工人数"
    assert desc.text == (
        "2019年至2023年：2019年 3.2万人，2020年 4.1万人，2021年 3.85万人，2022年 5万人，2023年 5.6万人；"
        "最高为2023年的 5.6万人。"
    )
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert title.get("id") == "metric-7-title"
    assert desc.get("id") == "metric-7-desc"
    assert "Noto Sans CJK SC" in root.get("font-family")


def test_one_bar_per_point_in_year_order_with_labels():
    root = parse(trend_chart(FIVE, title="t", unit="人", chart_id="c"))
    rects = bars(root)
    assert len(rects) == 5
    xs = [float(rect.get("x")) for rect in rects]
    assert xs == sorted(xs)
    heights = [float(rect.get("height")) for rect in rects]
    assert heights.index(max(heights)) == 4  # 2023 is the largest
    assert [label for _, label in texts(root, "trend-years")] == ["2019", "2020", "2021", "2022", "2023"]
    assert [label for _, label in texts(root, "trend-values")] == ["3.2万人", "4.1万人", "3.85万人", "5万人", "5.6万人"]
    for rect in rects:
        assert rect.get("y") is not None
        assert float(rect.get("y")) + float(rect.get("height")) == pytest.approx(138, abs=0.1)  # all on the baseline


def test_bar_heights_are_proportional_from_zero():
    root = parse(trend_chart([(2020, 10), (2021, 20), (2022, 5)], title="t", chart_id="c"))
    small, large, smallest = (float(rect.get("height")) for rect in bars(root))
    assert large == pytest.approx(2 * small, abs=0.2)
    assert large == pytest.approx(4 * smallest, abs=0.2)


def test_coordinates_are_rounded_and_chart_is_small():
    svg = str(trend_chart(FIVE, title="服务职工人数", unit="人", chart_id="metric-7"))
    assert len(svg.encode()) < 3000
    root = parse(svg)
    for element in root.iter():
        for name in ("x", "y", "width", "height", "cx", "cy"):
            value = element.get(name)
            if value is not None and element.tag != f"{NS}svg":
                assert len(value.partition(".")[2]) <= 1, (element.tag, name, value)


def test_all_zero_series():
    root = parse(trend_chart([(2021, 0), (2022, Decimal("0.00")), (2023, 0)], title="t", unit="个", chart_id="z"))
    assert [float(rect.get("height")) for rect in bars(root)] == [0, 0, 0]
    assert root.find(f"{NS}desc").text.endswith("各年均为 0个。")
    line = parse(trend_chart([(2021, 0), (2022, 0)], title="t", chart_id="z", kind="line"))
    assert len(line.findall(f".//{NS}circle")) == 2


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_single_point(kind):
    root = parse(trend_chart([(2023, Decimal("55.3"))], title="t", unit="%", chart_id="one", kind=kind))
    assert root.find(f"{NS}desc").text == "2023年：55.3%。"
    assert [label for _, label in texts(root, "trend-years")] == ["2023"]
    assert [label for _, label in texts(root, "trend-values")] == ["55.3%"]
    if kind == "bar":
        assert len(bars(root)) == 1
    else:
        assert len(root.findall(f".//{NS}circle")) == 1
        assert root.find(f".//{NS}polyline") is None


def test_large_numbers_and_decimals():
    root = parse(
        trend_chart(
            [(2021, Decimal(100_000_000)), (2022, Decimal(123_456_789)), (2023, 250_000_000)],
            title="t",
            unit="元",
            chart_id="big",
        )
    )
    assert [label for _, label in texts(root, "trend-values")] == ["1亿元", "1.23亿元", "2.5亿元"]
    assert "2022年 123456789元" in root.find(f"{NS}desc").text  # the description keeps the exact figure
    root = parse(trend_chart([(2020, 1.5), (2021, 0.1 + 0.2), (2022, Decimal("2.25"))], title="t", chart_id="d"))
    assert [label for _, label in texts(root, "trend-values")] == ["1.5", "0.3", "2.25"]


def test_title_is_escaped():
    svg = str(trend_chart(FIVE, title='<script>&"', unit="<b>", chart_id='x"y'))
    assert "<script>" not in svg
    assert "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{NS}title").text == '<script>&"'
    assert "<b>" in root.find(f"{NS}desc").text


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_no_inline_styles(kind):
    svg = str(trend_chart(FIVE, title="t", unit="人", chart_id="c", kind=kind))
    root = parse(svg)
    assert all("style" not in element.attrib for element in root.iter())
    assert root.find(f".//{NS}style") is None
    assert "style" not in svg


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_many_years_are_thinned_out(kind):
    points = [(2012 + i, Decimal(12345 * (i + 1))) for i in range(12)]
    root = parse(trend_chart(points, title="t", unit="元", chart_id="c", kind=kind))
    years = texts(root, "trend-years")
    values = texts(root, "trend-values")
    assert 2 <= len(years) <= 7
    assert years[0][1] == "2012"
    assert years[-1][1] == "2023"
    assert len(values) == len(years)

    # labels at 11px (digits about 7px wide, CJK characters 11px) must not overlap
    def width(text):
        return sum(11 if ord(char) > 0x2E80 else 7 for char in text)

    for labels in (years, values):
        for (x1, text1), (x2, text2) in zip(labels, labels[1:], strict=False):
            assert x2 - x1 > (width(text1) + width(text2)) / 2, (text1, text2)
    if kind == "bar":
        assert len(bars(root)) == 12
    else:
        assert len(root.find(f".//{NS}polyline").get("points").split()) == 12


def test_line_chart():
    root = parse(trend_chart(FIVE, title="t", unit="人", chart_id="c", kind="line"))
    assert bars(root) == []
    polyline = root.find(f".//{NS}polyline")
    assert polyline.get("fill") == "none"
    assert polyline.get("stroke") == "#a4161a"
    coords = [tuple(map(float, pair.split(","))) for pair in polyline.get("points").split()]
    assert len(coords) == 5
    assert [x for x, _ in coords] == sorted(x for x, _ in coords)
    # y grows downwards from the baseline at 138, and the height above it is proportional to the value
    heights = [138 - y for _, y in coords]
    assert heights[4] == pytest.approx(heights[1] * 56000 / 41000, abs=0.2)
    circles = root.findall(f".//{NS}circle")
    assert [(float(c.get("cx")), float(c.get("cy"))) for c in circles] == coords
    assert [label for _, label in texts(root, "trend-values")] == ["3.2万人", "4.1万人", "3.85万人", "5万人", "5.6万人"]


def test_rejects_unknown_kind_and_empty_series():
    with pytest.raises(ValueError):
        trend_chart(FIVE, title="t", chart_id="c", kind="pie")
    with pytest.raises(ValueError):
        trend_chart([], title="t", chart_id="c")


def test_series_table_rows():
    assert series_table_rows(FIVE, unit="人") == [
        (2019, "3.2万人"),
        (2020, "4.1万人"),
        (2021, "3.85万人"),
        (2022, "5万人"),
        (2023, "5.6万人"),
    ]
    assert series_table_rows([(2023, Decimal("1000000"))], unit="元") == [(2023, "100万元")]
