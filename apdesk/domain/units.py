"""Rounding and wording for hours and percentages.

Hours are Decimal throughout so that published worked examples (e.g. 278.4 h) come out
exactly; only reported figures are rounded, to 0.1 h, half up as people round by hand.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")
WHOLE = Decimal(1)
HUNDRED = Decimal(100)


def tenth(value: Decimal) -> Decimal:
    """Round to 0.1 (half up), the precision hours are reported to."""
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


def whole(value: Decimal) -> Decimal:
    """Round to a whole number (half up), the precision percentages are worded in."""
    return value.quantize(WHOLE, rounding=ROUND_HALF_UP)


def format_hours(value: Decimal) -> str:
    """``Decimal("112")`` → ``"112.0 h"``."""
    return f"{tenth(value)} h"


def format_number(value: Decimal) -> str:
    """A figure in a worked calculation, to one decimal place: ``78`` → ``"78.0"``."""
    return str(tenth(value))


def format_percent(value: Decimal) -> str:
    """``Decimal("61.9")`` → ``"62%"``."""
    return f"{whole(value)}%"


def percent_of(part: Decimal, whole_: Decimal) -> Decimal:
    """``part`` as a percentage of ``whole_``, to 0.1, rounded down.

    Rounded down so a figure just under a threshold never reads as the threshold
    (89.96% is worded "89%", not "90%", when 90% is the line).
    """
    return (part * HUNDRED / whole_).quantize(TENTH, rounding=ROUND_DOWN)


def format_percent_down(value: Decimal) -> str:
    """``Decimal("61.9")`` → ``"61%"``: whole percent, rounded down (see :func:`percent_of`)."""
    return f"{value.quantize(WHOLE, rounding=ROUND_DOWN)}%"


def format_plain(value: Decimal) -> str:
    """A rule's own figure without a needless ".0": ``16`` → ``"16"``, ``14.4`` → ``"14.4"``."""
    rounded = format_number(value)
    return rounded[:-2] if rounded.endswith(".0") else rounded
