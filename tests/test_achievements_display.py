"""Figures are written as a Chinese newspaper writes them."""

from decimal import Decimal

import pytest

from achievements.numbers import ABOUT, EXACT, MORE, MORE_DUO, NEARLY, format_figure


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (111000, "人", MORE, "11.1万余人"),
        (553000, "人", EXACT, "55.3万人"),
        (553000, "", EXACT, "55.3万"),
        (4642, "个", EXACT, "4642个"),
        (100, "%", EXACT, "100%"),
        (Decimal("99.5"), "%", EXACT, "99.5%"),
        (10000000, "元", MORE, "1000余万元"),
        (818000, "元", EXACT, "81.8万元"),
        (520, "场", MORE, "520余场"),
        (300000, "人", MORE, "30余万人"),
        (50000, "人", MORE, "5万余人"),
        (190000, "人", NEARLY, "近19万人"),
        (33300, "人", ABOUT, "约3.33万人"),
        (195800, "人", EXACT, "19.58万人"),
        (1000, "个", MORE_DUO, "1000多个"),
        (10000, "人", EXACT, "1万人"),
        (9999, "人", EXACT, "9999人"),
        (12345, "人", EXACT, "12345人"),  # exact and not a round 万: nothing is rounded away
        (12345, "人", ABOUT, "约1.23万人"),
        (Decimal("0"), "个", EXACT, "0个"),
        (Decimal("2.50"), "个", EXACT, "2.5个"),
        (120000000, "元", EXACT, "1.2亿元"),
    ],
)
def test_newspaper_display(value, unit, qualifier, expected):
    assert format_figure(value, unit, qualifier) == expected


# Every qualifier at each scale (under 万, 万, 亿), with a unit, money and no unit.
GRID = {
    300: ["300人", "300余人", "300多人", "近300人", "约300人"],
    53000: ["5.3万人", "5.3万余人", "5.3万多人", "近5.3万人", "约5.3万人"],
    130000000: ["1.3亿人", "1.3亿余人", "1.3亿多人", "近1.3亿人", "约1.3亿人"],
    1000000000: ["10亿人", "10余亿人", "10多亿人", "近10亿人", "约10亿人"],
}
QUALIFIERS = [EXACT, MORE, MORE_DUO, NEARLY, ABOUT]


@pytest.mark.parametrize(("value", "expected"), GRID.items())
@pytest.mark.parametrize("unit", ["人", "元", ""])
def test_every_qualifier_at_every_scale(value, expected, unit):
    shown = [format_figure(value, unit, q) for q in QUALIFIERS]
    assert shown == [e.replace("人", unit) for e in expected]


@pytest.mark.parametrize(
    ("value", "qualifier", "expected"),
    [
        (100, EXACT, "100%"),
        (Decimal("99.50"), NEARLY, "近99.5%"),
        (Decimal("33.3"), ABOUT, "约33.3%"),
        (0, EXACT, "0%"),
    ],
)
def test_percentages_are_never_scaled(value, qualifier, expected):
    assert format_figure(value, "%", qualifier) == expected
