"""A figure read back from how the site prints it is the figure itself: parse_figure(format_figure(x)) == x."""

from decimal import Decimal

import pytest

from achievements.numbers import (
    ABOUT,
    EXACT,
    MORE,
    MORE_DUO,
    NEARLY,
    ONE_WORD_EACH,
    FigureError,
    format_figure,
    parse_figure,
)
from union_site.demo.data import METRICS

QUALIFIERS = [EXACT, MORE, MORE_DUO, NEARLY, ABOUT]
UNITS = ["人", "元", "场次", "个(名)", ""]
# Values the newspaper way prints without rounding, with any qualifier: under 万, and 万/亿 to two decimals.
VALUES = [0, 5, 300, 520, 9999, Decimal("55.3"), 10000, 53000, 111000, 190000, 195800, 300000, 818000, 1_000_000]
VALUES += [10_000_000, 33300, 120_000_000, 130_000_000, 1_000_000_000]
PERCENTS = [0, 1, Decimal("33.3"), 85, Decimal("99.5"), 100]


def round_trip(value, unit, qualifier):
    return parse_figure(format_figure(value, unit, qualifier))


@pytest.mark.parametrize("figure", METRICS, ids=[metric["label"] for metric in METRICS])
def test_every_demo_figure_reads_back_as_itself(figure):
    value, unit, qualifier = Decimal(figure["value"]), figure["unit"], figure["qualifier"]
    assert round_trip(value, unit, qualifier) == (value, unit, qualifier), format_figure(value, unit, qualifier)


@pytest.mark.parametrize("qualifier", QUALIFIERS)
@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("value", VALUES)
def test_every_value_unit_and_qualifier_reads_back(value, unit, qualifier):
    assert round_trip(value, unit, qualifier) == (value, unit, qualifier), format_figure(value, unit, qualifier)


@pytest.mark.parametrize("qualifier", QUALIFIERS)
@pytest.mark.parametrize("value", PERCENTS)
def test_percentages_read_back(value, qualifier):
    assert round_trip(value, "%", qualifier) == (value, "%", qualifier)


@pytest.mark.parametrize("value", [12345, 111234, 123_456_789, Decimal("12345.5")])
def test_exact_figures_are_never_rounded_so_they_read_back_too(value):
    assert round_trip(value, "人", EXACT) == (value, "人", EXACT)


def test_rounding_to_two_places_of_wan_is_all_a_qualified_figure_loses():
    assert format_figure(12345, "人", ABOUT) == "约1.23万人"
    assert round_trip(12345, "人", ABOUT) == (12300, "人", ABOUT)


@pytest.mark.parametrize(
    ("written", "parsed"),
    [
        ("１１.１万余 人", (111000, "人", MORE)),  # full-width digits and a space, as typed
        ("111,000人", (111000, "人", EXACT)),
        ("1000余万元", (10_000_000, "元", MORE)),
        ("10多亿元", (1_000_000_000, "元", MORE_DUO)),
        ("近19万", (190000, "", NEARLY)),
        ("８５％", (85, "％", EXACT)),
    ],
)
def test_figures_as_editors_type_them(written, parsed):
    assert parse_figure(written) == parsed


def test_what_is_not_a_figure():
    with pytest.raises(FigureError, match=ONE_WORD_EACH):
        parse_figure("近520余人")
    with pytest.raises(FigureError, match="不是数字"):
        parse_figure("五百二十场")
    with pytest.raises(FigureError, match="不是数字"):
        parse_figure("520场", unit=False)  # a 数值 cell: the unit has its own column
    assert parse_figure("85%", unit=False) == (85, "%", EXACT)
