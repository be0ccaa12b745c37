"""What the programme dashboard shows: plain frozen values, never ORM objects.

One ``Dashboard`` answers a steering group's questions for the trainees a filter selects:
how many are where, split by service area, sector and ICS area, how each cohort filled
against its planned places, how attendance and OTJ are spread, and who needs attention.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True)
class DashboardFilter:
    """None means "all". Names, as the choices lists show them."""

    region: str | None = None
    employer: str | None = None
    cohort: str | None = None

    def describe(self) -> str:
        """E.g. "North West region · Pennine Care NHS FT · all cohorts"."""
        return " · ".join(
            (
                f"{self.region} region" if self.region else "all regions",
                self.employer or "all employers",
                self.cohort or "all cohorts",
            )
        )


@dataclass(frozen=True)
class FilterChoices:
    regions: tuple[str, ...]
    employers: tuple[str, ...]
    cohorts: tuple[str, ...]


@dataclass(frozen=True)
class Headline:
    in_training: int
    on_break: int
    at_gateway: int
    completed: int
    withdrawn: int
    planned_places: int  # summed over the cohorts the filter selects
    at_risk: int

    @property
    def started(self) -> int:
        return self.in_training + self.on_break + self.at_gateway + self.completed + self.withdrawn


@dataclass(frozen=True)
class Slice:
    """One part of a split: a label and how many trainees fall in it."""

    label: str
    count: int


@dataclass(frozen=True)
class CohortLine:
    cohort_id: int
    name: str
    start_date: date
    planned_places: int | None  # None when not set yet
    started: int  # trainees in the cohort (within the filter)
    in_training: int


@dataclass(frozen=True)
class Bucket:
    """A histogram bar: trainees whose figure is in [low, high) (high None: open-ended)."""

    label: str  # e.g. "80–90%"
    low: Decimal
    high: Decimal | None
    count: int


class ListKind(StrEnum):
    BEHIND_OTJ = "Behind OTJ plan"
    LOW_ATTENDANCE = "Low attendance"
    REVIEW_OVERDUE = "Progress review overdue"
    READY_FOR_BAND = "Ready for the next band"
    READY_FOR_GATEWAY = "Ready for gateway"
    AT_RISK = "At risk"


@dataclass(frozen=True)
class AttentionRow:
    """One trainee in a dashboard list, with the figure and reason that put them there."""

    trainee_id: int
    name: str
    uln: str | None
    cohort: str
    employer: str
    service_area: str
    mentor: str | None
    figure: Decimal | None  # the list's own measure: % of OTJ plan, attendance %, days overdue
    reason: str


@dataclass(frozen=True)
class Dashboard:
    as_of: date
    filter: DashboardFilter
    headline: Headline
    by_service_area: tuple[Slice, ...]  # largest first
    by_sector: tuple[Slice, ...]
    by_ics_area: tuple[Slice, ...]
    cohorts: tuple[CohortLine, ...]  # by start date
    attendance: tuple[Bucket, ...]  # trainees in training with a percentage
    otj: tuple[Bucket, ...]  # % of the OTJ expected to date, trainees in training
    lists: dict[ListKind, tuple[AttentionRow, ...]]
