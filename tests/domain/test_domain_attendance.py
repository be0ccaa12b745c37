"""Attendance %: attended = present + late; annual leave leaves the denominator."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from apdesk.domain.attendance import summarise_attendance
from apdesk.domain.enums import AttendanceStatus as A


def test_annual_leave_is_excluded() -> None:
    # 22 marks: 16 present, 2 late, 1 sick, 1 unauthorised, 2 annual leave.
    # Possible 22 − 2 = 20; attended 16 + 2 = 18; 18 / 20 = 90.0%.
    marks = [A.PRESENT] * 16 + [A.LATE] * 2 + [A.SICKNESS, A.UNAUTHORISED_ABSENCE]
    marks += [A.ANNUAL_LEAVE] * 2
    summary = summarise_attendance(marks)
    assert summary.marked == 22
    assert summary.possible == 20
    assert summary.attended == 18
    assert summary.late == 2
    assert summary.by_status[A.ANNUAL_LEAVE] == 2
    assert summary.by_status[A.AUTHORISED_ABSENCE] == 0
    assert summary.percentage == D("90.0")
    assert summary.describe() == (
        "Attended 18 of 20 sessions (90.0%); 2 late, 1 sickness, 1 unauthorised absence, "
        "2 annual leave not counted"
    )


def test_percentage_rounds_down() -> None:
    # 2 of 3 = 66.66…% → 66.6% (never rounded up over a threshold).
    assert summarise_attendance([A.PRESENT, A.LATE, A.AUTHORISED_ABSENCE]).percentage == D("66.6")


def test_nothing_possible() -> None:
    only_leave = summarise_attendance([A.ANNUAL_LEAVE] * 3)
    assert only_leave.percentage is None
    assert only_leave.describe() == "No sessions to count: all 3 marked as annual leave"
    empty = summarise_attendance([])
    assert empty.percentage is None
    assert empty.describe() == "No sessions marked yet"


def test_accepts_stored_strings() -> None:
    assert summarise_attendance(["present", "sickness"]).percentage == D("50.0")  # type: ignore[list-item]


def test_full_attendance_sentence() -> None:
    assert summarise_attendance([A.PRESENT] * 4).describe() == "Attended 4 of 4 sessions (100.0%)"


@settings(database=None)
@given(st.lists(st.sampled_from(list(A)), max_size=200))
def test_percentage_is_between_0_and_100(marks: list[A]) -> None:
    summary = summarise_attendance(marks)
    assert summary.marked == len(marks)
    assert summary.attended <= summary.possible <= summary.marked
    if summary.percentage is not None:
        assert D(0) <= summary.percentage <= D(100)
    else:
        assert summary.possible == 0
