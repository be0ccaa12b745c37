"""Why an apprentice in training is at risk of not completing, in sentences a lead can act on.

Only apprentices in training are assessed: a break, withdrawal, gateway or completion has
its own status, and flagging those as "at risk" would bury the people who need help.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from apdesk.domain.attendance import AttendanceSummary
from apdesk.domain.calendar import format_day
from apdesk.domain.enums import TraineeStatus
from apdesk.domain.otj_learning import OtjProgress
from apdesk.domain.reviews import ReviewStatus
from apdesk.domain.units import format_number, format_plain

ACTIVE_LEARNING_GAP_DAYS = 28  # active learning must be evidenced at least every 4 weeks
MATHS_ENGLISH_WARNING_MONTHS = Decimal(6)


def risk_reasons(
    *,
    status: TraineeStatus,
    otj: OtjProgress | None,
    attendance: AttendanceSummary,
    review: ReviewStatus | None,
    last_learning_on: date | None,
    as_of: date,
    maths_english_met: bool,
    months_to_planned_end: Decimal | None,
    min_attendance_percent: Decimal = Decimal(85),
    started_on: date | None = None,
) -> tuple[str, ...]:
    """Every reason the apprentice is at risk at ``as_of``; empty when none (or not in training).

    With no learning logged at all, the 4-week gap is measured from ``started_on`` when
    given; without either date the gap cannot be judged and is not reported.
    """
    if status is not TraineeStatus.IN_TRAINING:
        return ()
    reasons: list[str] = []
    if otj is not None and otj.behind:
        reasons.append(otj.reason)
    percent = attendance.percentage
    if percent is not None and percent < min_attendance_percent:
        reasons.append(
            f"Attendance {format_number(percent)}% is below "
            f"{format_plain(Decimal(min_attendance_percent))}%"
        )
    if review is not None and review.overdue:
        reasons.append(review.reason)
    gap = _learning_gap(last_learning_on, started_on, as_of)
    if gap:
        reasons.append(gap)
    if (
        not maths_english_met
        and months_to_planned_end is not None
        and months_to_planned_end <= MATHS_ENGLISH_WARNING_MONTHS
    ):
        reasons.append(
            "Maths and English Level 2 not met with "
            f"{format_number(max(months_to_planned_end, Decimal(0)))} months to the planned end"
        )
    return tuple(reasons)


def _learning_gap(
    last_learning_on: date | None, started_on: date | None, as_of: date
) -> str | None:
    reference = last_learning_on or started_on
    if reference is None:
        return None
    days = (as_of - reference).days
    if days <= ACTIVE_LEARNING_GAP_DAYS:
        return None
    weeks = days // 7
    if last_learning_on is None:
        since = f"since the start on {format_day(reference)}"
    else:
        since = f"for {weeks} weeks (last on {format_day(reference)})"
    return f"No learning logged {since}; active learning must be evidenced every 4 weeks"
