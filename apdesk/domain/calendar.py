"""Calendar arithmetic the funding rules are written in: calendar months, not 30-day blocks.

Durations in the rules are quoted in months ("12-month minimum", "reviews every 3 calendar
months"), so the practical period is measured in calendar months, with the part-month at
the end as a fraction of that month. That keeps 1 Sep 2023 – 31 Aug 2024 at exactly 12.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta
from decimal import Decimal

_MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (or earlier), clamped to month end.

    31 Jan + 1 month is 28 (or 29) Feb, as a person counting on a calendar would say.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def months_between(start: date, end_inclusive: date) -> Decimal:
    """Calendar months from ``start`` to ``end_inclusive`` (both days counted).

    Whole months are counted from ``start`` (each from the original start, so month-end
    clamping never drifts), then the days left over as a fraction of the next month.
    1 Sep 2023 – 31 Aug 2024 is exactly 12; 1 Sep 2023 – 28 Feb 2025 is exactly 18.
    An end before the start gives 0.
    """
    end_exclusive = end_inclusive + timedelta(days=1)
    if end_exclusive <= start:
        return Decimal(0)
    whole = (end_exclusive.year - start.year) * 12 + (end_exclusive.month - start.month)
    while add_months(start, whole) > end_exclusive:
        whole -= 1
    while add_months(start, whole + 1) <= end_exclusive:
        whole += 1
    month_start = add_months(start, whole)
    left_over = (end_exclusive - month_start).days
    if left_over == 0:
        return Decimal(whole)
    month_length = (add_months(start, whole + 1) - month_start).days
    return Decimal(whole) + Decimal(left_over) / Decimal(month_length)


def format_day(d: date) -> str:
    """A date the way users write it: ``25 Nov 2026`` (no locale, no leading zero)."""
    return f"{d.day} {_MONTH_ABBREVIATIONS[d.month - 1]} {d.year}"
