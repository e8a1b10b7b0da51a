"""Small yearly trend charts drawn on the server as inline SVG: no JavaScript, no inline styles (CSP style-src 'self').

Every colour and size is a presentation attribute, set once on a group so the markup stays small; each group also has a
class (``trend-bars``, ``trend-line``, ``trend-dots``, ``trend-axis``, ``trend-years``, ``trend-values``,
``trend-unit``) so the site stylesheet can override them. Value labels are thinned out together with the year labels
when the years do not fit; the full series is in the chart's <desc> and in the data table built by
``series_table_rows``.
"""

import math
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from achievements.numbers import PERCENT_UNITS, SCALES, format_figure
from union_site.common.spreadsheets import plain_number

RED = "#a4161a"
MUTED = "#595959"
AXIS = "#d9d9d9"
FONT_FAMILY = 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif'
FONT_SIZE = 11
SIDE = 8  # room left and right of the plot, so the outer labels are not clipped
LABEL_GAP = 6  # least space between two neighbouring labels
MAX_BAR = 44
MAX_LABEL = 8
ZERO_ROOM = 10  # the "0" written at the left end of the baseline: the bars and the line stand on zero


def _decimal(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Decimal(value)


def _sorted(points):
    points = sorted(((int(year), _decimal(value)) for year, value in points), key=lambda point: point[0])
    if not points:
        raise ValueError("trend_chart needs at least one (year, value) point")
    return points


def _num(number):
    """A coordinate with at most one decimal: 12.0 -> 12, 12.345 -> 12.3."""
    text = f"{round(number, 1):.1f}"
    text = text.removesuffix(".0")
    return "0" if text == "-0" else text


def _text_width(text, size=FONT_SIZE):
    """A rough rendered width: CJK characters are one em wide, digits a little more than half."""
    width = 0.0
    for char in text:
        if ord(char) > 0x2E80:
            width += 1.0
        elif char in ".,:":
            width += 0.3
        elif char == "%":
            width += 0.9
        else:
            width += 0.62
    return width * size


def _approx(value, unit):
    """A short rounded label for a crowded chart: 123456789 -> 1.23亿, 1234.56 -> 1235 (<desc> has the exact one)."""
    if unit in PERCENT_UNITS:
        return plain_number(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    word = ""
    for size, scale_word in SCALES:
        if value >= size:
            value, word = value / size, scale_word
            break
    digits = value.adjusted() + 1  # digits before the point
    places = max(0, min(2, 3 - digits))
    return plain_number(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)) + word


def _step(widest, slot):
    """Show every step-th label so that labels `widest` wide at `slot` intervals do not touch."""
    return max(1, math.ceil((widest + LABEL_GAP) / slot)) if slot > 0 else 1


def _shown(count, step):
    """Indexes of the labels to draw: every step-th, always the first and the last, none crowding the last."""
    shown = list(range(0, count, step))
    if shown[-1] != count - 1:
        if len(shown) > 1 and count - 1 - shown[-1] < step:
            shown.pop()
        shown.append(count - 1)
    return shown


def display_scale(values, unit):
    """(divisor, scale word) every label of a chart is written in when it carries no unit of its own: the scale of
    the largest value (3000万元 and 800万元 as 3000 and 800 under 单位：万元), none for rates."""
    if unit in PERCENT_UNITS:
        return Decimal(1), ""
    largest = max(values)
    for size, word in SCALES:
        if largest >= size:
            return size, word
    return Decimal(1), ""


def unit_caption(values, unit):
    """单位：万元 — the display unit of labels written without one ("" when there is nothing to say)."""
    _, word = display_scale(values, unit)
    unit_text = "%" if unit in PERCENT_UNITS else unit
    return f"单位：{word}{unit_text}" if word or unit_text else ""


def _in_scale(value, size, rounded):
    scaled = value / size
    if not rounded:
        return plain_number(scaled)
    digits = scaled.adjusted() + 1 if scaled else 1  # digits before the point
    places = max(0, min(2, 3 - digits))
    return plain_number(scaled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def _labels(values, unit, slot, year_width):
    """(labels, unit caption or "", step): the labels that need the least thinning, in this order of preference:
    the printed figure (5.6万人), numbers in one display unit under a caption (3000, 800 under 单位：万元), rounded
    figures (1.23亿元), rounded numbers under the caption. A label never has a scale word of its own beside a caption
    (no "3000万" under 单位：元). Exact labels longer than MAX_LABEL characters are not used."""
    unit_text = "%" if unit in PERCENT_UNITS else unit
    size, _ = display_scale(values, unit)
    caption = unit_caption(values, unit)
    choices = [([format_figure(value, unit) for value in values], "", True)]  # (labels, caption, exact)
    if caption:
        choices.append(([_in_scale(value, size, rounded=False) for value in values], caption, True))
    choices.append(([_approx(value, unit) + unit_text for value in values], "", False))
    if caption:
        choices.append(([_in_scale(value, size, rounded=True) for value in values], caption, False))
    best = None
    for labels, note, exact in choices:
        if exact and max(len(label) for label in labels) > MAX_LABEL:
            continue
        step = _step(max(year_width, *(_text_width(label) for label in labels)), slot)
        if best is None or step < best[2]:
            best = (labels, note, step)
    return best


def _desc(points, unit):
    figures = [(year, format_figure(value, unit)) for year, value in points]
    if len(points) == 1:
        year, figure = figures[0]
        return f"{year}年：{figure}。"
    listed = "，".join(f"{year}年 {figure}" for year, figure in figures)
    top = max(value for _, value in points)
    if all(value == top for _, value in points):
        ending = f"各年均为 {figures[0][1]}。"
    else:
        top_years = "、".join(f"{year}年" for year, value in points if value == top)
        ending = f"最高为{top_years}的 {format_figure(top, unit)}。"
    return f"{points[0][0]}年至{points[-1][0]}年：{listed}；{ending}"


def series_table_rows(points, unit=""):
    """[(year, figure as printed)] in year order, for the data table shown next to the chart."""
    return [(year, format_figure(value, unit)) for year, value in _sorted(points)]


def trend_chart(points, *, title, unit="", chart_id, kind="bar", width=320, height=160):
    """An accessible <svg> bar (kind="bar") or line (kind="line") chart of (year, value) points, y axis from 0.

    points: (year, value) pairs in any order, at least one, values >= 0 (a negative value is drawn as 0).
    """
    if kind not in ("bar", "line"):
        raise ValueError(f"unknown chart kind: {kind!r}")
    points = _sorted(points)
    count = len(points)
    values = [value for _, value in points]
    plot_left, plot_right = SIDE + ZERO_ROOM, width - SIDE
    slot = (plot_right - plot_left) / count
    year_width = _text_width("0000")
    labels, caption, step = _labels(values, unit, slot, year_width)
    shown = _shown(count, step)

    baseline = height - 22  # year labels sit below it
    top = 18 + (16 if caption else 0)  # room above the tallest bar for its value label (and the unit caption)
    plot_height = max(baseline - top, 0)
    largest = max(values)
    scale = plot_height / float(largest) if largest > 0 else 0.0

    def centre(index):
        return plot_left + slot * (index + 0.5)

    def label_x(index, text):
        """The label's centre, moved in from the edge so that a label wider than its slot is not clipped."""
        half = _text_width(text) / 2 + 1
        return min(max(centre(index), half), width - half)

    def bar_height(value):
        return round(max(float(value), 0.0) * scale, 1)

    chart_id = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="trend-chart" font-family="{escape(FONT_FAMILY)}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_desc(points, unit))}</desc>',
        f'<path class="trend-axis" stroke="{AXIS}" d="M{plot_left} {_num(baseline + 0.5)}H{plot_right}"/>',
        f'<text class="trend-zero" x="{SIDE}" y="{_num(baseline + 4)}" font-size="{FONT_SIZE}" fill="{MUTED}">0</text>',
    ]
    if caption:
        parts.append(
            f'<text class="trend-unit" x="{plot_left}" y="12" font-size="{FONT_SIZE}" fill="{MUTED}">'
            f"{escape(caption)}</text>"
        )

    tops = []  # y of the top of each bar / each dot
    if kind == "bar":
        bar_width = min(slot * 0.6, MAX_BAR)
        parts.append(f'<g class="trend-bars" fill="{RED}">')
        for index, value in enumerate(values):
            size = bar_height(value)
            tops.append(baseline - size)
            parts.append(
                f'<rect x="{_num(centre(index) - bar_width / 2)}" y="{_num(baseline - size)}" '
                f'width="{_num(bar_width)}" height="{_num(size)}"/>'
            )
        parts.append("</g>")
        label_gap = 4
    else:
        tops = [baseline - bar_height(value) for value in values]
        coords = [(_num(centre(index)), _num(y)) for index, y in enumerate(tops)]
        if count > 1:
            polyline = " ".join(f"{x},{y}" for x, y in coords)
            parts.append(
                f'<polyline class="trend-line" fill="none" stroke="{RED}" stroke-width="2" '
                f'stroke-linejoin="round" points="{polyline}"/>'
            )
        parts.append(f'<g class="trend-dots" fill="{RED}">')
        parts.extend(f'<circle cx="{x}" cy="{y}" r="3"/>' for x, y in coords)
        parts.append("</g>")
        label_gap = 7

    text_group = f'font-size="{FONT_SIZE}" fill="{MUTED}" text-anchor="middle"'
    # Over a line, a white outline keeps a value label legible where the line runs through it.
    halo = ' stroke="#fff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"' if kind == "line" else ""
    parts.append(f'<g class="trend-values" {text_group}{halo}>')
    parts.extend(
        f'<text x="{_num(label_x(index, labels[index]))}" y="{_num(tops[index] - label_gap)}">'
        f"{escape(labels[index])}</text>"
        for index in shown
    )
    parts.append("</g>")
    parts.append(f'<g class="trend-years" {text_group}>')
    parts.extend(
        f'<text x="{_num(label_x(index, str(points[index][0])))}" y="{_num(baseline + 16)}">{points[index][0]}</text>'
        for index in shown
    )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
