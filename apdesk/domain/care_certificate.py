"""Care Certificate progress: a standard is complete when all its criteria are signed off.

The standards are passed in as data (number, title, criterion ids) because two versions
are in use (2015: 15 standards; March 2025: 16) and the criteria live in resources/.
A standard's completion date is the day its last criterion was signed off, which is the
date the certificate itself is awarded from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from apdesk.domain.calendar import format_day


@dataclass(frozen=True)
class StandardProgress:
    number: int
    title: str
    total: int
    signed: int
    completed_on: date | None

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.signed == self.total

    def describe(self) -> str:
        name = f"Standard {self.number} {self.title}"
        if self.complete and self.completed_on:
            return f"{name}: complete on {format_day(self.completed_on)}"
        return f"{name}: {self.signed} of {self.total} criteria signed off"


@dataclass(frozen=True)
class CareCertificateProgress:
    standards: tuple[StandardProgress, ...]

    @property
    def complete(self) -> bool:
        return bool(self.standards) and all(s.complete for s in self.standards)

    @property
    def completed_on(self) -> date | None:
        """The date the last standard completed, when all have."""
        if not self.complete:
            return None
        return max(s.completed_on for s in self.standards if s.completed_on)

    @property
    def standards_complete(self) -> int:
        return sum(1 for s in self.standards if s.complete)

    @property
    def standards_total(self) -> int:
        return len(self.standards)

    @property
    def signed(self) -> int:
        return sum(s.signed for s in self.standards)

    @property
    def total(self) -> int:
        return sum(s.total for s in self.standards)

    def describe(self) -> str:
        if self.complete and self.completed_on:
            return (
                f"Care Certificate complete on {format_day(self.completed_on)} "
                f"(all {self.standards_total} standards)"
            )
        return (
            f"Care Certificate: {self.standards_complete} of {self.standards_total} standards "
            f"complete, {self.signed} of {self.total} criteria signed off"
        )


def care_certificate_progress(
    standards: Sequence[tuple[int, str, Sequence[int]]], signed_on: Mapping[int, date]
) -> CareCertificateProgress:
    """Progress per standard from the criteria signed off (criterion id → sign-off date).

    Sign-offs for criteria not in ``standards`` (another version's) are ignored; a
    standard with no criteria on file is never complete.
    """
    progress = []
    for number, title, criteria in standards:
        dates = [signed_on[c] for c in set(criteria) if c in signed_on]
        total = len(set(criteria))
        complete = total > 0 and len(dates) == total
        progress.append(
            StandardProgress(
                number=number,
                title=title,
                total=total,
                signed=len(dates),
                completed_on=max(dates) if complete else None,
            )
        )
    return CareCertificateProgress(standards=tuple(progress))
