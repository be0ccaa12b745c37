"""Which logged learning counts as OTJ, how much has been done, and whether that is enough.

The rules exclude whole kinds of learning (English and maths, reviews, exams…) and any
learning outside the practical period or during a break. Excluded hours are summarised
with their reason rather than silently dropped, so an apprentice can see why a log
entry did not count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from apdesk.domain.calendar import format_day
from apdesk.domain.enums import AttendanceStatus, OtjActivityKind
from apdesk.domain.otj_plan import OtjPlan
from apdesk.domain.units import (
    HUNDRED,
    format_hours,
    format_percent_down,
    percent_of,
    tenth,
)

_NEVER_COUNTS: dict[OtjActivityKind, str] = {
    OtjActivityKind.ENGLISH_MATHS: "English and maths is",
    OtjActivityKind.PROGRESS_REVIEW: "progress reviews are",
    OtjActivityKind.INDUCTION: "induction and initial assessment are",
    OtjActivityKind.EXAM: "exams are",
    OtjActivityKind.NOT_REQUIRED_BY_STANDARD: "training not required by the standard is",
}


def counts_towards_otj(kind: OtjActivityKind) -> bool:
    """Whether this kind of learning can count as off-the-job training at all."""
    return kind not in _NEVER_COUNTS


@dataclass(frozen=True)
class LoggedLearning:
    """Hours of learning on one day, of one kind, from a log entry or the register."""

    on: date
    kind: OtjActivityKind
    hours: Decimal

    def __post_init__(self) -> None:
        if self.hours < 0:
            raise ValueError(f"Learning on {format_day(self.on)} cannot be negative hours")


def learning_from_attendance(
    on: date, session_hours: Decimal, status: AttendanceStatus, minutes_attended: int | None
) -> LoggedLearning | None:
    """The theory hours a day-release register mark evidences, or None when it evidences none.

    Present counts the whole session unless minutes attended are recorded; late counts only
    the minutes attended (capped at the session), so a late mark without minutes evidences
    nothing until the minutes are entered. Absences and annual leave evidence nothing.
    """
    if minutes_attended is not None and minutes_attended < 0:
        raise ValueError(f"Minutes attended cannot be negative ({minutes_attended})")
    session = Decimal(session_hours)
    if session <= 0:
        return None
    if status is AttendanceStatus.PRESENT and minutes_attended is None:
        hours = session
    elif (
        status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE) and minutes_attended is not None
    ):
        hours = min((Decimal(minutes_attended) / 60).quantize(Decimal("0.01")), session)
    else:
        return None
    if hours == 0:
        return None
    return LoggedLearning(on=on, kind=OtjActivityKind.THEORY, hours=hours)


@dataclass(frozen=True)
class OtjActual:
    """OTJ hours that count so far, and what was left out and why."""

    counted_hours: Decimal
    excluded_hours: Decimal
    exclusions: tuple[str, ...]


def _exclusion(entry: LoggedLearning, plan: OtjPlan, as_of: date) -> tuple[int, str] | None:
    """Why an entry does not count (with a sort key for the summary), or None if it counts."""
    if entry.on < plan.start:
        return 0, f"logged before the start on {format_day(plan.start)}"
    if entry.on > plan.effective_end:
        return 1, f"logged after the practical period ended on {format_day(plan.effective_end)}"
    if entry.on > as_of:
        return 2, f"dated after {format_day(as_of)}"
    if plan.in_break(entry.on):
        return 3, "logged during a break in learning"
    if not counts_towards_otj(entry.kind):
        order = 4 + list(_NEVER_COUNTS).index(entry.kind)
        return order, f"{_NEVER_COUNTS[entry.kind]} not off-the-job training"
    return None


def otj_actual(learning: Iterable[LoggedLearning], plan: OtjPlan, as_of: date) -> OtjActual:
    """Total the learning that counts by ``as_of``; summarise the rest per reason."""
    counted = Decimal(0)
    excluded: dict[tuple[int, str], Decimal] = {}
    for entry in learning:
        why = _exclusion(entry, plan, as_of)
        if why is None:
            counted += entry.hours
        else:
            excluded[why] = excluded.get(why, Decimal(0)) + entry.hours
    exclusions = tuple(
        f"{format_hours(hours)} not counted: {reason}"
        for (_, reason), hours in sorted(excluded.items())
    )
    return OtjActual(
        counted_hours=tenth(counted),
        excluded_hours=tenth(sum(excluded.values(), Decimal(0))),
        exclusions=exclusions,
    )


@dataclass(frozen=True)
class OtjProgress:
    """Planned against actual OTJ at a date, with the sentence an education lead reads."""

    required: Decimal
    expected_to_date: Decimal
    actual: Decimal
    percent_of_expected: Decimal | None
    behind: bool
    reason: str

    @property
    def required_met(self) -> bool:
        return self.required > 0 and self.actual >= self.required


def otj_progress(
    plan: OtjPlan, actual: OtjActual, as_of: date, *, tolerance_percent: Decimal = Decimal(90)
) -> OtjProgress:
    """Compare counted hours with the hours due by ``as_of``.

    Behind plan when the actual is below ``tolerance_percent`` of the expected figure
    (90% by default, so a week's slippage does not raise an alarm).
    """
    expected = plan.expected_by(as_of)
    done = actual.counted_hours
    required = plan.required_hours
    percent = percent_of(done, expected) if expected > 0 else None
    behind = expected > 0 and done * HUNDRED < expected * Decimal(tolerance_percent)
    if required > 0 and done >= required:
        reason = f"OTJ {format_hours(done)}: the {format_hours(required)} required is met"
    elif percent is None:
        reason = f"OTJ {format_hours(done)}; none expected yet by {format_day(as_of)}"
    else:
        reason = (
            f"OTJ {format_hours(done)} of {format_hours(expected)} expected by "
            f"{format_day(as_of)} ({format_percent_down(percent)})"
        )
        if behind:
            reason += f": behind plan (below {tolerance_percent}%)"
    return OtjProgress(
        required=required,
        expected_to_date=expected,
        actual=done,
        percent_of_expected=percent,
        behind=behind,
        reason=reason,
    )
