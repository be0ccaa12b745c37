"""How many off-the-job (OTJ) hours an apprentice must do, under the rules for their start date.

The funding rules changed twice (Aug 2022 and Aug 2025) and apply by start date, so one
cohort can hold apprentices under three regimes. The plan carries its worked calculation in
words, so an education lead can check the figure against the rules by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from apdesk.domain.breaks import (
    BreakInLearning,
    active_days,
    break_length_so_far,
    move_end_for_breaks,
    validate_breaks,
)
from apdesk.domain.calendar import format_day, months_between
from apdesk.domain.units import format_hours, format_number, format_plain, tenth

CAPPED_REGIME_FROM = date(2022, 8, 1)
FIXED_REGIME_FROM = date(2025, 8, 1)
WEEKS_PER_YEAR = Decimal(52)
STATUTORY_LEAVE_WEEKS_PER_YEAR = Decimal("5.6")  # 28 days
OTJ_SHARE = Decimal("0.2")
WEEKLY_HOURS_CAP = Decimal(30)
MINIMUM_MONTHS_FULL_TIME = Decimal(12)  # starts before 1 Aug 2025
MINIMUM_MONTHS_FIXED = Decimal(8)  # starts from 1 Aug 2025
FIXED_MINIMUM_FLOOR = Decimal(187)


class OtjRegime(StrEnum):
    """The OTJ rule set, fixed by the apprenticeship's start date. Values are stored."""

    TWENTY_PERCENT = "20pc_2017"  # starts before 1 Aug 2022
    CAPPED_30H = "capped_2022"  # starts 1 Aug 2022 – 31 Jul 2025
    FIXED_MINIMUM = "fixed_2025"  # starts from 1 Aug 2025

    @property
    def label(self) -> str:
        return {
            OtjRegime.TWENTY_PERCENT: "20% of contracted hours (starts before 1 Aug 2022)",
            OtjRegime.CAPPED_30H: (
                "20% of hours capped at 30 h a week (starts 1 Aug 2022 – 31 Jul 2025)"
            ),
            OtjRegime.FIXED_MINIMUM: "Fixed minimum per standard (starts from 1 Aug 2025)",
        }[self]


def regime_for(start: date) -> OtjRegime:
    """The rule set for an apprenticeship starting on ``start``."""
    if start < CAPPED_REGIME_FROM:
        return OtjRegime.TWENTY_PERCENT
    if start < FIXED_REGIME_FROM:
        return OtjRegime.CAPPED_30H
    return OtjRegime.FIXED_MINIMUM


@dataclass(frozen=True)
class OtjPlan:
    """Required OTJ hours for one apprenticeship, with the calculation and any warnings.

    ``effective_end`` is the planned end moved later by every day of a break in learning
    that has happened (an ended break by its whole length; an ongoing one by the days up to
    the ``as_of`` given to :func:`plan_otj`, or not at all without one). ``expected_by``
    pauses during every break, ongoing ones included, so the two agree once a break ends.
    """

    regime: OtjRegime
    start: date
    planned_end: date
    effective_end: date
    required_hours: Decimal
    weekly_hours_counted: Decimal | None
    explanation: tuple[str, ...]
    warnings: tuple[str, ...]
    breaks: tuple[BreakInLearning, ...]

    @property
    def planned_active_days(self) -> int:
        """Days in the planned practical period, start to planned end inclusive."""
        return (self.planned_end - self.start).days + 1

    def active_days_elapsed(self, as_of: date) -> int:
        """Days the OTJ clock has run from the start to ``as_of`` inclusive, breaks excluded."""
        return min(active_days(self.breaks, self.start, as_of), self.planned_active_days)

    def in_break(self, day: date) -> bool:
        return any(b.covers(day) for b in self.breaks)

    def expected_by(self, as_of: date) -> Decimal:
        """Hours due by the end of ``as_of``: required × active days elapsed / planned days.

        Clamped to 0..required and rounded to 0.1 h; frozen while a break lasts.
        """
        elapsed = self.active_days_elapsed(as_of)
        if elapsed <= 0:
            return tenth(Decimal(0))
        share = self.required_hours * Decimal(elapsed) / Decimal(self.planned_active_days)
        return min(max(tenth(share), Decimal(0)), self.required_hours)


def _duration_warning(months: Decimal, minimum: Decimal, weekly: Decimal | None) -> str | None:
    if months >= minimum:
        return None
    period = f"Planned practical period of {format_number(months)} months"
    if weekly is not None and weekly < WEEKLY_HOURS_CAP:
        return (
            f"{period} is shorter than the {format_plain(minimum)}-month minimum for "
            f"{format_plain(weekly)} h a week (12 months × 30 / {format_plain(weekly)} h)"
        )
    return f"{period} is shorter than the {format_plain(minimum)}-month minimum duration"


def _validate(start: date, planned_end: date, hours: Decimal, rpl: Decimal) -> None:
    if planned_end <= start:
        raise ValueError(
            f"The planned end {format_day(planned_end)} must be after the start {format_day(start)}"
        )
    if hours <= 0:
        raise ValueError(f"Contracted hours must be more than 0 a week, not {hours}")
    if rpl < 0:
        raise ValueError(f"Recognised prior learning cannot be negative ({rpl} h)")


def plan_otj(
    start: date,
    planned_end: date,
    contracted_hours_per_week: Decimal,
    *,
    standard_minimum_hours: Decimal | None = None,
    rpl_hours: Decimal = Decimal(0),
    breaks: Sequence[BreakInLearning] = (),
    as_of: date | None = None,
    standard: str | None = None,
) -> OtjPlan:
    """Work out the OTJ plan for a practical period from ``start`` to ``planned_end`` inclusive.

    ``as_of`` only matters for an ongoing break (how many of its days have passed);
    ``standard`` (e.g. "ST0215") only words the warning when no fixed minimum is on file.
    """
    hours = Decimal(contracted_hours_per_week)
    rpl = Decimal(rpl_hours)
    _validate(start, planned_end, hours, rpl)
    ordered_breaks = validate_breaks(breaks, start)
    regime = regime_for(start)
    months = months_between(start, planned_end)
    weeks = months * WEEKS_PER_YEAR / Decimal(12)  # multiply first: 18 months is exactly 78
    leave = STATUTORY_LEAVE_WEEKS_PER_YEAR * months / Decimal(12)
    explanation: list[str] = []
    warnings: list[str] = []
    explanation.append(_regime_sentence(regime, start))
    explanation.append(
        f"Practical period {format_day(start)} – {format_day(planned_end)}: "
        f"{format_number(months)} months = {format_number(weeks)} weeks (months × 52 / 12)."
    )

    weekly: Decimal | None
    if regime is OtjRegime.FIXED_MINIMUM:
        weekly = None
        base = _fixed_base(standard_minimum_hours, standard, explanation, warnings)
        warning = _duration_warning(months, MINIMUM_MONTHS_FIXED, None)
    else:
        weekly = min(hours, WEEKLY_HOURS_CAP) if regime is OtjRegime.CAPPED_30H else hours
        explanation.append(
            f"Statutory annual leave: 5.6 weeks a year × {format_number(months)} / 12 months "
            f"= {format_number(leave)} weeks."
        )
        explanation.append(_hours_sentence(regime, hours, weekly))
        base = (weeks - leave) * weekly * OTJ_SHARE
        explanation.append(
            f"({format_number(weeks)} weeks − {format_number(leave)} weeks statutory leave) × "
            f"{format_number(weekly)} h × 20% = {format_hours(base)}"
        )
        minimum = MINIMUM_MONTHS_FULL_TIME * WEEKLY_HOURS_CAP / min(hours, WEEKLY_HOURS_CAP)
        warning = _duration_warning(months, minimum, hours)
    if warning:
        warnings.append(warning)

    required = _apply_rpl(regime, base, rpl, explanation, warnings)
    effective_end = move_end_for_breaks(planned_end, ordered_breaks, as_of)
    _explain_breaks(ordered_breaks, planned_end, effective_end, as_of, explanation, warnings)
    explanation.append(f"Required OTJ: {format_hours(required)} by {format_day(effective_end)}.")
    return OtjPlan(
        regime=regime,
        start=start,
        planned_end=planned_end,
        effective_end=effective_end,
        required_hours=required,
        weekly_hours_counted=weekly,
        explanation=tuple(explanation),
        warnings=tuple(warnings),
        breaks=ordered_breaks,
    )


def _regime_sentence(regime: OtjRegime, start: date) -> str:
    started = f"Started {format_day(start)}"
    if regime is OtjRegime.TWENTY_PERCENT:
        return (
            f"{started}, before 1 Aug 2022: at least 20% of normal contracted hours over the "
            "practical period, with no weekly cap. The 2017–2022 guidance worked on hours "
            "excluding statutory leave, so 5.6 weeks a year of leave is deducted."
        )
    if regime is OtjRegime.CAPPED_30H:
        return (
            f"{started}, between 1 Aug 2022 and 31 Jul 2025: 20% of contracted hours, "
            "counting at most 30 h a week, excluding statutory leave."
        )
    return (
        f"{started}, on or after 1 Aug 2025: the standard's fixed minimum OTJ hours apply, "
        "whatever the contracted hours."
    )


def _hours_sentence(regime: OtjRegime, hours: Decimal, weekly: Decimal) -> str:
    contracted = f"Contracted {format_number(hours)} h a week"
    if regime is OtjRegime.CAPPED_30H and hours > WEEKLY_HOURS_CAP:
        return f"{contracted}, counted as {format_number(weekly)} h (the 30 h cap)."
    if hours < WEEKLY_HOURS_CAP:
        return f"{contracted} (part-time): counted at actual hours."
    return f"{contracted}, all counted."


def _fixed_base(
    minimum: Decimal | None, standard: str | None, explanation: list[str], warnings: list[str]
) -> Decimal:
    if minimum is None:
        # The standard's own figure is at least the floor every standard shares, so planning
        # on the floor never overstates what is owed; the warning asks for the real figure.
        warnings.append(
            f"{standard or 'This standard'} has no published minimum OTJ hours on file: "
            f"planned on the {format_hours(FIXED_MINIMUM_FLOOR)} floor until it is added"
        )
        explanation.append(
            f"No fixed minimum on file for the standard: the {format_hours(FIXED_MINIMUM_FLOOR)} "
            "floor for starts from 1 Aug 2025 is used."
        )
        return FIXED_MINIMUM_FLOOR
    if minimum < 0:
        raise ValueError(f"A standard's minimum OTJ hours cannot be negative ({minimum} h)")
    explanation.append(f"Fixed minimum for the standard: {format_hours(minimum)}.")
    return Decimal(minimum)


def _apply_rpl(
    regime: OtjRegime,
    base: Decimal,
    rpl: Decimal,
    explanation: list[str],
    warnings: list[str],
) -> Decimal:
    required = base - rpl
    if rpl > 0:
        after = format_hours(max(required, Decimal(0)))
        explanation.append(
            f"Less {format_hours(rpl)} recognised prior learning: "
            f"{format_hours(base)} − {format_hours(rpl)} = {after}"
        )
    if regime is OtjRegime.FIXED_MINIMUM:
        if required < FIXED_MINIMUM_FLOOR:
            warnings.append(
                f"{format_hours(required)} is below the {format_hours(FIXED_MINIMUM_FLOOR)} "
                "minimum; the floor applies"
            )
            explanation.append(
                f"Raised to the {format_hours(FIXED_MINIMUM_FLOOR)} floor "
                "for starts from 1 Aug 2025."
            )
            required = FIXED_MINIMUM_FLOOR
    elif required < 0:
        warnings.append(
            f"Recognised prior learning of {format_hours(rpl)} is more than the "
            f"{format_hours(base)} planned; required OTJ set to 0.0 h"
        )
        required = Decimal(0)
    return tenth(required)


def _explain_breaks(
    breaks: tuple[BreakInLearning, ...],
    planned_end: date,
    effective_end: date,
    as_of: date | None,
    explanation: list[str],
    warnings: list[str],
) -> None:
    for b in breaks:
        days = break_length_so_far(b, as_of)
        sentence = b.describe()
        sentence = sentence[0].upper() + sentence[1:]
        if b.ongoing:
            counted = (
                f"counted to {format_day(as_of)} so far" if as_of and days else "not yet counted"
            )
            warnings.append(
                f"{sentence}: the end date moves later by each day it lasts ({counted})"
            )
        so_far = " so far" if b.ongoing else ""
        explanation.append(f"{sentence} ({days} days{so_far}): the OTJ clock is paused.")
    if effective_end != planned_end:
        explanation.append(
            f"Planned end {format_day(planned_end)} moves to {format_day(effective_end)} "
            "after breaks in learning."
        )
