"""Breaks in learning: the OTJ clock stops while one lasts and the planned end moves later.

Kept apart from the OTJ arithmetic because the same day-counting answers three questions:
how far the planned end moves, how much of the plan is due by a date, and whether a piece
of logged learning fell inside a break (and so cannot count).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from apdesk.domain.calendar import format_day


@dataclass(frozen=True)
class BreakInLearning:
    """A pause agreed with the employer; ``end`` None means it is still going on."""

    start: date
    end: date | None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(
                f"Break in learning ends on {format_day(self.end)}, "
                f"before it starts on {format_day(self.start)}"
            )

    @property
    def ongoing(self) -> bool:
        return self.end is None

    def covers(self, day: date) -> bool:
        """Whether ``day`` falls inside the break (an ongoing break covers every later day)."""
        return self.start <= day and (self.end is None or day <= self.end)

    def describe(self) -> str:
        if self.end is None:
            return f"break in learning from {format_day(self.start)}, ongoing"
        return f"break in learning {format_day(self.start)} – {format_day(self.end)}"


def validate_breaks(breaks: Sequence[BreakInLearning], start: date) -> tuple[BreakInLearning, ...]:
    """Sort the breaks and refuse ones that cannot be right, in the user's words."""
    ordered = tuple(sorted(breaks, key=lambda b: b.start))
    for b in ordered:
        if b.start < start:
            raise ValueError(
                f"The {b.describe()} starts before the apprenticeship starts on {format_day(start)}"
            )
    for earlier, later in pairwise(ordered):
        if earlier.end is None or later.start <= earlier.end:
            raise ValueError(f"The {earlier.describe()} overlaps the {later.describe()}")
    return ordered


def days_in_breaks(breaks: Sequence[BreakInLearning], first: date, last: date) -> int:
    """Days from ``first`` to ``last`` inclusive that fall inside a break (breaks disjoint)."""
    if last < first:
        return 0
    total = 0
    for b in breaks:
        lo = max(b.start, first)
        hi = last if b.end is None else min(b.end, last)
        if hi >= lo:
            total += (hi - lo).days + 1
    return total


def active_days(breaks: Sequence[BreakInLearning], first: date, last: date) -> int:
    """Days from ``first`` to ``last`` inclusive on which the OTJ clock was running."""
    if last < first:
        return 0
    return (last - first).days + 1 - days_in_breaks(breaks, first, last)


def break_length_so_far(b: BreakInLearning, as_of: date | None) -> int:
    """Days of a break that have happened: all of an ended one, up to ``as_of`` if ongoing."""
    if b.end is not None:
        return (b.end - b.start).days + 1
    if as_of is None or as_of < b.start:
        return 0
    return (as_of - b.start).days + 1


def move_end_for_breaks(
    planned_end: date, breaks: Sequence[BreakInLearning], as_of: date | None
) -> date:
    """The planned end pushed later by every break day that falls before it.

    Walk the (sorted, disjoint) breaks: a break that starts on or before the end reached so
    far pushes it later by the break's length, so a break taken in time already added by an
    earlier break also counts. A break starting after that end is after the practical period
    and moves nothing.
    """
    end = planned_end
    for b in breaks:
        if b.start <= end:
            end += timedelta(days=break_length_so_far(b, as_of))
    return end
