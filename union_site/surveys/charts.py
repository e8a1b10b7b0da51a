"""A choice question's result as inline SVG horizontal bars, drawn on the server as 数说五年's charts are
(achievements/charts.py, whose colours, font and text measure are used here): no JavaScript, no inline styles.

Per option: its text on a line of its own (cut with "…" when too long; the whole text is in <desc> and in the data
table beside the chart), below it a bar on a grey track. The bar's length is the option's share of the people who
answered the question, on a fixed 0–100% scale, so a bar half as long means half as many people, on any question. The
count and share follow the bar. Each group has a class (``sv-track``, ``sv-bars``, ``sv-labels``, ``sv-values``) for
the stylesheet.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from achievements.charts import AXIS, FONT_FAMILY, FONT_SIZE, MUTED, RED, _num, _text_width

WIDTH = 320
SIDE = 2
LABEL_HEIGHT = 17  # the option's text above its bar
BAR = 14
GAP = 10  # between one option's bar and the next option's text
INK = "#1f1f1f"
TEXT_SIZE = FONT_SIZE + 2  # a little larger than the trend charts': these labels are sentences


def value_label(choice):
    return f"{choice.count}票 {choice.shown_percent}"


def _fitted(text, room):
    """`text`, cut with … so that it fits `room` wide."""
    if _text_width(text, TEXT_SIZE) <= room:
        return text
    while text and _text_width(text + "…", TEXT_SIZE) > room:
        text = text[:-1]
    return text + "…"


def _desc(result):
    listed = "；".join(f"{choice.text} {choice.count}票（{choice.shown_percent}）" for choice in result.choices)
    return f"共 {result.respondents} 人作答。{listed}。"


def choice_chart(result, *, chart_id):
    """The <svg> of a QuestionResult (union_site/surveys/results.py) with options."""
    values = [value_label(choice) for choice in result.choices]
    value_room = max(_text_width(value, TEXT_SIZE) for value in values) + 6
    track = WIDTH - 2 * SIDE - value_room
    row = LABEL_HEIGHT + BAR + GAP
    height = row * len(result.choices)
    chart_id = escape(chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" class="sv-chart" font-family="{escape(FONT_FAMILY)}" '
        f'font-size="{TEXT_SIZE}">',
        f'<title id="{chart_id}-title">{escape(result.question.text)}</title>',
        f'<desc id="{chart_id}-desc">{escape(_desc(result))}</desc>',
        f'<g class="sv-track" fill="{AXIS}">',
    ]
    tops = [index * row + LABEL_HEIGHT for index in range(len(result.choices))]
    parts += [f'<rect x="{SIDE}" y="{top}" width="{_num(track)}" height="{BAR}"/>' for top in tops]
    parts.append(f'</g><g class="sv-bars" fill="{RED}">')
    for top, choice in zip(tops, result.choices, strict=True):
        length = track * float(choice.percent) / 100
        if length > 0:
            parts.append(f'<rect x="{SIDE}" y="{top}" width="{_num(max(length, 1))}" height="{BAR}"/>')
    parts.append(f'</g><g class="sv-labels" fill="{INK}">')
    parts += [
        f'<text x="{SIDE}" y="{top - 5}">{escape(_fitted(choice.text, WIDTH - 2 * SIDE))}</text>'
        for top, choice in zip(tops, result.choices, strict=True)
    ]
    parts.append(f'</g><g class="sv-values" fill="{MUTED}">')
    parts += [
        f'<text x="{_num(SIDE + track + 6)}" y="{top + BAR - 2}">{escape(value)}</text>'
        for top, value in zip(tops, values, strict=True)
    ]
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped
