"""Comparing two periods (e.g. 第五次 and 第六次代表大会以来): figures matched by their label."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from achievements import numbers
from union_site.common.spreadsheets import plain_number


@dataclass(frozen=True)
class Change:
    label: str
    unit: str
    earlier: object  # Metric or None
    later: object  # Metric or None

    @property
    def difference(self):
        if self.earlier is None or self.later is None:
            return None
        return Decimal(self.later.value) - Decimal(self.earlier.value)

    @property
    def percent(self):
        """Change in per cent, one decimal; None when there is nothing to compare or the base is 0."""
        if self.difference is None or not self.earlier.value:
            return None
        return (self.difference * 100 / Decimal(self.earlier.value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def difference_display(self):
        if self.difference is None:
            return ""
        sign = "+" if self.difference > 0 else ("−" if self.difference < 0 else "")
        return sign + numbers.format_figure(abs(self.difference), self.unit)

    def percent_display(self):
        if self.percent is None:
            return ""
        return ("+" if self.percent > 0 else "") + f"{plain_number(self.percent)}%"


def compare_metrics(earlier_metrics, later_metrics):
    """One Change per label found in either period, in the later period's order, then labels only the earlier has."""
    earlier = {m.label: m for m in earlier_metrics}
    later = {m.label: m for m in later_metrics}
    labels = list(later) + [label for label in earlier if label not in later]
    return [
        Change(label, (later.get(label) or earlier.get(label)).unit, earlier.get(label), later.get(label))
        for label in labels
    ]
