"""Attendance percentage for day-release sessions, the figure education leads report.

Annual leave is marked on the register (so the session is accounted for) but is not a
session the apprentice could have attended, so it leaves the denominator. Late counts as
attended; how much of a late session counts as OTJ is a separate rule (otj_learning).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from apdesk.domain.enums import AttendanceStatus
from apdesk.domain.units import percent_of

_ABSENCE_WORDS: dict[AttendanceStatus, str] = {
    AttendanceStatus.AUTHORISED_ABSENCE: "authorised absence",
    AttendanceStatus.SICKNESS: "sickness",
    AttendanceStatus.UNAUTHORISED_ABSENCE: "unauthorised absence",
}


@dataclass(frozen=True)
class AttendanceSummary:
    """Counts from a register and the percentage attended (None when nothing could count)."""

    marked: int
    possible: int
    attended: int
    late: int
    by_status: Mapping[AttendanceStatus, int] = field(hash=False)
    percentage: Decimal | None

    def describe(self) -> str:
        """One sentence, e.g. "Attended 18 of 20 sessions (90.0%), 2 late; 1 annual leave"."""
        if self.possible == 0:
            if self.marked:
                return f"No sessions to count: all {self.marked} marked as annual leave"
            return "No sessions marked yet"
        sentence = f"Attended {self.attended} of {self.possible} sessions ({self.percentage}%)"
        parts = [f"{self.late} late"] if self.late else []
        parts += [
            f"{self.by_status[status]} {words}"
            for status, words in _ABSENCE_WORDS.items()
            if self.by_status[status]
        ]
        leave = self.by_status[AttendanceStatus.ANNUAL_LEAVE]
        if leave:
            parts.append(f"{leave} annual leave not counted")
        return f"{sentence}; {', '.join(parts)}" if parts else sentence


def summarise_attendance(statuses: Iterable[AttendanceStatus]) -> AttendanceSummary:
    """Summarise register marks: attended = present + late; possible excludes annual leave."""
    counts = Counter(AttendanceStatus(s) for s in statuses)
    by_status = {status: counts.get(status, 0) for status in AttendanceStatus}
    marked = sum(by_status.values())
    possible = marked - by_status[AttendanceStatus.ANNUAL_LEAVE]
    attended = by_status[AttendanceStatus.PRESENT] + by_status[AttendanceStatus.LATE]
    percentage = percent_of(Decimal(attended), Decimal(possible)) if possible else None
    return AttendanceSummary(
        marked=marked,
        possible=possible,
        attended=attended,
        late=by_status[AttendanceStatus.LATE],
        by_status=by_status,
        percentage=percentage,
    )
