"""Figures written as a Chinese newspaper writes them: 520余场, 11.1万余人, 近19万人, 约3.33万人, 1000余万元, 100%."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

EXACT, MORE, MORE_DUO, NEARLY, ABOUT = "", "more", "duo", "nearly", "about"
PREFIXES = {NEARLY: "近", ABOUT: "约"}
SUFFIXES = {MORE: "余", MORE_DUO: "多"}
SCALES = [(Decimal(100_000_000), "亿"), (Decimal(10_000), "万")]
PERCENT_UNITS = {"%", "％"}


@dataclass(frozen=True)
class Figure:
    """A figure split into its printed parts, so a page can style the number apart from the words."""

    prefix: str  # 近 / 约
    number: str  # 11.1
    suffix: str  # 万余, 余万, 余, 万
    unit: str  # 人, 元, %

    def __str__(self):
        return f"{self.prefix}{self.number}{self.suffix}{self.unit}"


def plain(value):
    """A Decimal without exponent or trailing zeros: 55.30 -> 55.3, 1E+3 -> 1000."""
    text = format(Decimal(value).normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scaled(value, qualifier):
    """(number, scale word) in 万/亿 when the number is large enough and nothing is lost by it."""
    for size, word in SCALES:
        if value >= size:
            scaled = value / size
            rounded = scaled.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if rounded == scaled or qualifier != EXACT:
                return rounded, word
            return None
    return None


def figure_parts(value, unit="", qualifier=EXACT):
    value = Decimal(value)
    prefix = PREFIXES.get(qualifier, "")
    after = SUFFIXES.get(qualifier, "")
    if unit in PERCENT_UNITS:
        return Figure(prefix, plain(value), after, "%")
    scaled = _scaled(value, qualifier)
    if scaled is None:
        return Figure(prefix, plain(value), after, unit)
    number, word = scaled
    # 余 follows a numeral ending in 0 directly (30余万, 1000余万) and the scale word otherwise (5万余, 11.1万余).
    text = plain(number)
    if after and "." not in text and text.endswith("0"):
        return Figure(prefix, text, after + word, unit)
    return Figure(prefix, text, word + after, unit)


def format_figure(value, unit="", qualifier=EXACT):
    return str(figure_parts(value, unit, qualifier))
