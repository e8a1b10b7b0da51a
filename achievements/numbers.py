"""Figures written as a Chinese newspaper writes them: 520余场, 11.1万余人, 近19万人, 约3.33万人, 1000余万元, 100%.

    format_figure(value, unit, qualifier) -> "11.1万余人"          (figure_parts() for the printed parts)
    parse_figure("11.1万余人") -> (Decimal(111000), "人", MORE)     (the inverse; FigureError when it is not one)

Both directions read the one set of words below: the qualifiers 余/多 (after the number) and 近/约 (before it), the
scale words 万/亿 and the percent units.
"""

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from union_site.common.spreadsheets import plain_number

EXACT, MORE, MORE_DUO, NEARLY, ABOUT = "", "more", "duo", "nearly", "about"
PREFIXES = {NEARLY: "近", ABOUT: "约"}
SUFFIXES = {MORE: "余", MORE_DUO: "多"}
QUALIFIER_WORDS = {EXACT: "", **SUFFIXES, **PREFIXES}  # each qualifier as written in a figure
SCALES = [(Decimal(100_000_000), "亿"), (Decimal(10_000), "万")]
PERCENT_UNITS = {"%", "％"}

QUALIFIER_OF_WORD = {word: code for code, word in QUALIFIER_WORDS.items() if word}  # 余 多 近 约
SCALE_OF_WORD = {word: size for size, word in reversed(SCALES)}  # 万 亿


@dataclass(frozen=True)
class Figure:
    """A figure split into its printed parts, so a page can style the number apart from the words."""

    prefix: str  # 近 / 约
    number: str  # 11.1
    suffix: str  # 万余, 余万, 余, 万
    unit: str  # 人, 元, %

    def __str__(self):
        return f"{self.prefix}{self.number}{self.suffix}{self.unit}"


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
        return Figure(prefix, plain_number(value), after, "%")
    scaled = _scaled(value, qualifier)
    if scaled is None:
        return Figure(prefix, plain_number(value), after, unit)
    number, word = scaled
    # 余 follows a numeral ending in 0 directly (30余万, 1000余万) and the scale word otherwise (5万余, 11.1万余).
    text = plain_number(number)
    if after and "." not in text and text.endswith("0"):
        return Figure(prefix, text, after + word, unit)
    return Figure(prefix, text, word + after, unit)


def format_figure(value, unit="", qualifier=EXACT):
    return str(figure_parts(value, unit, qualifier))


# Reading a figure back --------------------------------------------------------------------------------------------

_FIGURE = re.compile(
    rf"^(?P<prefix>[{''.join(PREFIXES.values())}])?(?P<sign>[+-])?(?P<number>\d{{1,3}}(?:,\d{{3}})+|\d+)"
    rf"(?P<fraction>\.\d+)?(?P<words>[{''.join(SCALE_OF_WORD)}{''.join(SUFFIXES.values())}]{{0,2}})(?P<unit>.*)$"
)
NOT_A_NUMBER = "不是数字"
ONE_WORD_EACH = f"写法有误：{'/'.join(SCALE_OF_WORD)} 和 {'/'.join(QUALIFIER_OF_WORD)} 各最多用一个"


class FigureError(ValueError):
    """Text that is not a figure; the message (NOT_A_NUMBER or ONE_WORD_EACH) says why."""


def parse_figure(text, *, unit=True):
    """(value, unit, qualifier) from a figure as written: 11.1万余人, 1000余万元, 近19万, 85%, 111,000, 1.2亿元.

    The inverse of format_figure(): 万/亿 multiply, 余/多/近/约 give the qualifier (EXACT when none is written) and
    what follows is the unit, as written. Full-width digits and signs and spaces in the number do not matter. With
    unit=False only a number is expected (and an optional %), as in a spreadsheet's 数值 cell. Raises FigureError."""
    normalized, origin = _normalized(text)
    match = _FIGURE.match(normalized)
    if not match or not (unit or not match["unit"] or match["unit"] in PERCENT_UNITS):
        raise FigureError(NOT_A_NUMBER)
    words = match["words"]
    scales = [word for word in words if word in SCALE_OF_WORD]
    qualifiers = [word for word in words if word in QUALIFIER_OF_WORD]
    if match["prefix"]:
        qualifiers.insert(0, match["prefix"])
    if len(scales) > 1 or len(qualifiers) > 1:
        raise FigureError(ONE_WORD_EACH)
    number = Decimal(match["number"].replace(",", "") + (match["fraction"] or ""))
    if match["sign"] == "-":
        number = -number
    if scales:
        number *= SCALE_OF_WORD[scales[0]]
    written_unit = text[origin[match.start("unit")] :].strip() if match["unit"] else ""
    return number, written_unit, QUALIFIER_OF_WORD[qualifiers[0]] if qualifiers else EXACT


def _normalized(text):
    """The text in NFKC without spaces, for matching, and for each of its characters the index it came from."""
    characters, origin = [], []
    for index, character in enumerate(text):
        for normal in re.sub(r"\s", "", unicodedata.normalize("NFKC", character)):
            characters.append(normal)
            origin.append(index)
    return "".join(characters), origin
