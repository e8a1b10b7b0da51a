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
