"""Which logged learning counts as OTJ, how much has been done, and whether that is enough.

The rules exclude whole kinds of learning (English and maths, reviews, exams…) and any
learning outside the practical period or during a break. Excluded hours are summarised
with their reason rather than silently dropped, so an apprentice can see why a log
entry did not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import IntEnum

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


class Exclusion(IntEnum):
    """Why learning does not count, in the order the summary lists them. A kind of learning
    that never counts adds its position in the kinds to NEVER_COUNTS."""

    BEFORE_START = 0
    AFTER_END = 1
    AFTER_AS_OF = 2
    IN_BREAK = 3
    NEVER_COUNTS = 4


ExclusionKey = tuple[Exclusion, OtjActivityKind | None]  # the kind only for NEVER_COUNTS


def exclusion_by_date(on: date, plan: OtjPlan, as_of: date) -> Exclusion | None:
    """The reason a day's learning cannot count, whatever its kind; None if the day counts."""
    if on < plan.start:
        return Exclusion.BEFORE_START
    if on > plan.effective_end:
        return Exclusion.AFTER_END
    if on > as_of:
        return Exclusion.AFTER_AS_OF
    if plan.in_break(on):
        return Exclusion.IN_BREAK
    return None


def _exclusion(entry: LoggedLearning, plan: OtjPlan, as_of: date) -> ExclusionKey | None:
    by_date = exclusion_by_date(entry.on, plan, as_of)
    if by_date is not None:
        return by_date, None
    if not counts_towards_otj(entry.kind):
        return Exclusion.NEVER_COUNTS, entry.kind
    return None


def _reason(key: ExclusionKey, plan: OtjPlan, as_of: date) -> tuple[int, str]:
    """The summary's sort order and sentence for one reason."""
    why, kind = key
    if why is Exclusion.BEFORE_START:
        return why, f"logged before the start on {format_day(plan.start)}"
    if why is Exclusion.AFTER_END:
        return why, f"logged after the practical period ended on {format_day(plan.effective_end)}"
    if why is Exclusion.AFTER_AS_OF:
        return why, f"dated after {format_day(as_of)}"
    if why is Exclusion.IN_BREAK:
        return why, "logged during a break in learning"
    assert kind is not None
    return why + list(_NEVER_COUNTS).index(kind), f"{_NEVER_COUNTS[kind]} not off-the-job training"


def otj_actual(learning: Iterable[LoggedLearning], plan: OtjPlan, as_of: date) -> OtjActual:
    """Total the learning that counts by ``as_of``; summarise the rest per reason."""
    counted = Decimal(0)
    excluded: dict[ExclusionKey, Decimal] = {}
    for entry in learning:
        why = _exclusion(entry, plan, as_of)
        if why is None:
            counted += entry.hours
        else:
            excluded[why] = excluded.get(why, Decimal(0)) + entry.hours
    return otj_actual_from_totals(counted, excluded, plan, as_of)


def otj_actual_from_totals(
    counted: Decimal, excluded: Mapping[ExclusionKey, Decimal], plan: OtjPlan, as_of: date
) -> OtjActual:
    """The same result from hours already totalled per reason (e.g. by a database query)."""
    reasons = sorted((_reason(key, plan, as_of), hours) for key, hours in excluded.items())
    exclusions = tuple(
        f"{format_hours(hours)} not counted: {reason}" for (_, reason), hours in reasons
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
