"""Comparing two periods (e.g. 第五次 and 第六次代表大会以来): figures matched by their label.

A figure written with a qualifier is a range, not a number: 300余场 is 300 to 400, 520余场 520 to 530, 近19万人
18万 to 19万, 约3.33万人 3.325万 to 3.335万 (the range is one unit of the figure's last written digit, Figure.range).
Two exact figures give an exact change (+34处, +34%). When either one is approximate the change is a range too:
its direction is said only when the whole range lies on one side of zero, and then as 约增加220场 (the difference of
the written figures) with the range it stands for (在120场至230场之间); a percentage only when the range of the
percentage is narrow enough to be worth printing (APPROXIMATE_PERCENT_SPREAD), else 不能精确计算. Rates (%) change
in 百分点, not per cent of themselves. Figures of different units or scopes (累计 and 每年) are not compared."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from achievements import numbers
from union_site.common.spreadsheets import plain_number

# Where a qualified figure's true value lies, in units of its last written digit, around the written number.
QUALIFIER_RANGE = {
    numbers.EXACT: (Decimal(0), Decimal(0)),
    numbers.MORE: (Decimal(0), Decimal(1)),  # 300余: 300 to 400
    numbers.MORE_DUO: (Decimal(0), Decimal(1)),
    numbers.NEARLY: (Decimal(-1), Decimal(0)),  # 近19万: 18万 to 19万
    numbers.ABOUT: (Decimal("-0.5"), Decimal("0.5")),  # 约3.33万: 3.325万 to 3.335万
}
APPROXIMATE_PERCENT_SPREAD = Decimal(10)  # percentage points between the range's ends, at most, to print 约N%
NOT_EXACT = "不能精确计算"


def last_place(value):
    """The unit of a number's last written digit: 300 → 100, 520 → 10, 111000 → 1000, 3.5 → 0.1."""
    value = Decimal(value)
    if not value:
        return Decimal(1)
    return Decimal(1).scaleb(value.normalize().as_tuple().exponent)


def value_range(metric):
    """(lowest, highest) the figure may stand for, as its qualifier says."""
    value = Decimal(metric.value)
    low, high = QUALIFIER_RANGE.get(metric.qualifier or numbers.EXACT, QUALIFIER_RANGE[numbers.EXACT])
    step = last_place(value)
    return value + low * step, value + high * step


@dataclass(frozen=True)
class Change:
    label: str
    unit: str
    earlier: object  # Metric or None
    later: object  # Metric or None

    @property
    def in_both(self):
        return self.earlier is not None and self.later is not None

    @property
    def problem(self):
        """Why the two figures cannot be compared at all (different units or scopes), or ""."""
        if not self.in_both:
            return ""
        if self.earlier.unit != self.later.unit:
            return f"单位不同（{self.earlier.unit or '无'}、{self.later.unit or '无'}），不能比较"
        if self.earlier.scope != self.later.scope:
            return f"口径不同（{self.earlier.get_scope_display()}、{self.later.get_scope_display()}），不能比较"
        return ""

    @property
    def is_exact(self):
        return not (self.earlier.qualifier or self.later.qualifier)

    @property
    def is_rate(self):
        return self.unit in numbers.PERCENT_UNITS

    @property
    def difference(self):
        """The later written number less the earlier one; None when there is nothing to compare."""
        if not self.in_both or self.problem:
            return None
        return Decimal(self.later.value) - Decimal(self.earlier.value)

    @property
    def difference_range(self):
        """(lowest, highest) the change may be, from the two figures' ranges."""
        earlier_low, earlier_high = value_range(self.earlier)
        later_low, later_high = value_range(self.later)
        return later_low - earlier_high, later_high - earlier_low

    @property
    def direction_known(self):
        low, high = self.difference_range
        return self.is_exact or low > 0 or high < 0 or low == high == 0

    @property
    def percent(self):
        """Change in per cent, one decimal; None when there is nothing to compare, the base is 0, the figure is a
        rate, or the figures are approximate (approximate_percent)."""
        if self.difference is None or not self.earlier.value or self.is_rate or not self.is_exact:
            return None
        return (self.difference * 100 / Decimal(self.earlier.value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def approximate_percent(self):
        """约N%: whole per cent from the written figures, when the range of the percentage is narrow; else None."""
        if self.difference is None or self.is_exact or self.is_rate or not self.direction_known:
            return None
        (earlier_low, earlier_high), (later_low, later_high) = value_range(self.earlier), value_range(self.later)
        if earlier_low <= 0:
            return None
        spread = (later_high / earlier_low - later_low / earlier_high) * 100
        if spread > APPROXIMATE_PERCENT_SPREAD:
            return None
        return (self.difference * 100 / Decimal(self.earlier.value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    def _amount(self, value):
        if self.is_rate:
            return f"{plain_number(value)}个百分点"
        return numbers.format_figure(value, self.unit)

    def difference_display(self):
        if self.difference is None:
            return self.problem
        if self.is_exact:
            sign = "+" if self.difference > 0 else ("−" if self.difference < 0 else "")
            return sign + self._amount(abs(self.difference))
        if not self.direction_known:
            return "增减不能确定"
        if not self.difference:
            return "大致持平"
        return ("约增加" if self.difference > 0 else "约减少") + self._amount(abs(self.difference))

    def range_display(self):
        """What an approximate change stands for: 按约数推算，在120场至230场之间; "" for exact ones."""
        if self.difference is None or self.is_exact:
            return ""
        low, high = self.difference_range
        if self.direction_known and low < 0:  # a fall: say it as amounts fallen
            low, high = -high, -low
        return f"按约数推算，在{self._amount(low)}至{self._amount(high)}之间"

    def percent_display(self):
        if self.percent is not None:
            return ("+" if self.percent > 0 else "") + f"{plain_number(self.percent)}%"
        if self.approximate_percent is not None:
            return ("约增长" if self.approximate_percent > 0 else "约下降") + f"{abs(self.approximate_percent)}%"
        if self.difference is not None and not self.is_exact and not self.is_rate and self.earlier.value:
            return NOT_EXACT
        return ""


def compare_metrics(earlier_metrics, later_metrics):
    """One Change per label found in either period, in the later period's order, then labels only the earlier has."""
    earlier = {m.label: m for m in earlier_metrics}
    later = {m.label: m for m in later_metrics}
    labels = list(later) + [label for label in earlier if label not in later]
    return [
        Change(label, (later.get(label) or earlier.get(label)).unit, earlier.get(label), later.get(label))
        for label in labels
    ]


def split_changes(changes):
    """(the figures both periods have, those only one has): the table lists the first, a folded list the rest."""
    return [c for c in changes if c.in_both], [c for c in changes if not c.in_both]
