"""Progress reviews (apprentice, employer and provider) are due at least every 3 calendar months.

The funding rules measure the gap from the last review held, so the next due date follows
the last review actually held, not the schedule drawn up at the start; a review booked
earlier than that brings the due date forward.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from apdesk.domain.calendar import add_months, format_day

REVIEW_INTERVAL_MONTHS = 3


@dataclass(frozen=True)
class ReviewStatus:
    last_held: date | None
    next_due: date
    overdue: bool
    days_overdue: int
    reason: str


def review_status(
    start: date, held: Iterable[date], as_of: date, *, scheduled_due: Iterable[date] = ()
) -> ReviewStatus:
    """When the next progress review is due and whether it is overdue at ``as_of``.

    Reviews dated after ``as_of`` are ignored (not yet held). Next due is the earliest of
    the last held review (or the start) + 3 calendar months and any scheduled due date
    after the last held review. Overdue means ``as_of`` is past the due date.
    """
    past = [d for d in held if d <= as_of]
    last_held = max(past) if past else None
    base = last_held or start
    candidates = [add_months(base, REVIEW_INTERVAL_MONTHS)]
    candidates += [d for d in scheduled_due if last_held is None or d > last_held]
    next_due = min(candidates)
    days_overdue = max((as_of - next_due).days, 0)
    since = (
        f"last held {format_day(last_held)}"
        if last_held
        else f"none held since the start on {format_day(start)}"
    )
    if days_overdue:
        plural = "" if days_overdue == 1 else "s"
        reason = (
            f"Progress review overdue by {days_overdue} day{plural}: due "
            f"{format_day(next_due)} ({since})"
        )
    else:
        reason = f"Next progress review due {format_day(next_due)} ({since})"
    return ReviewStatus(
        last_held=last_held,
        next_due=next_due,
        overdue=days_overdue > 0,
        days_overdue=days_overdue,
        reason=reason,
    )
