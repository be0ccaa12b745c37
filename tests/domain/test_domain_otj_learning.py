"""What counts as OTJ, the hours done, and progress against plan (domain.md, "Off-the-job")."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apdesk.domain.enums import AttendanceStatus, OtjActivityKind
from apdesk.domain.otj import (
    BreakInLearning,
    LoggedLearning,
    OtjActual,
    counts_towards_otj,
    learning_from_attendance,
    otj_actual,
    otj_progress,
    plan_otj,
)

K = OtjActivityKind
START = date(2023, 9, 1)
END = date(2025, 2, 28)  # 18 months at 37.5 h, capped regime: 417.6 h
PLAN = plan_otj(START, END, D("37.5"))
PLAN_WITH_BREAK = plan_otj(
    START, END, D("37.5"), breaks=[BreakInLearning(date(2024, 3, 1), date(2024, 5, 31))]
)  # effective end 31 May 2025


@pytest.mark.parametrize(
    "kind",
    [K.THEORY, K.PRACTICAL_TRAINING, K.LEARNING_SUPPORT, K.ASSIGNMENT_WRITING, K.REVISION],
)
def test_kinds_that_count(kind: OtjActivityKind) -> None:
    assert counts_towards_otj(kind)


@pytest.mark.parametrize(
    "kind", [K.ENGLISH_MATHS, K.PROGRESS_REVIEW, K.INDUCTION, K.EXAM, K.NOT_REQUIRED_BY_STANDARD]
)
def test_kinds_that_never_count(kind: OtjActivityKind) -> None:
    assert not counts_towards_otj(kind)


DAY = date(2024, 1, 10)
A = AttendanceStatus


@pytest.mark.parametrize(
    ("status", "minutes", "hours"),
    [
        (A.PRESENT, None, D(6)),  # whole session
        (A.PRESENT, 300, D(5)),  # left early: 300 / 60
        (A.PRESENT, 420, D(6)),  # capped at the session
        (A.LATE, 50, D("0.83")),  # 50 / 60 = 0.833… → 0.83 h
        (A.LATE, 330, D("5.5")),
    ],
)
def test_learning_from_attendance(status: AttendanceStatus, minutes: int | None, hours: D) -> None:
    learning = learning_from_attendance(DAY, D(6), status, minutes)
    assert learning == LoggedLearning(DAY, K.THEORY, hours)


@pytest.mark.parametrize(
    ("status", "minutes"),
    [
        (A.LATE, None),  # late without minutes evidences nothing until they are entered
        (A.LATE, 0),
        (A.SICKNESS, None),
        (A.AUTHORISED_ABSENCE, 360),
        (A.UNAUTHORISED_ABSENCE, None),
        (A.ANNUAL_LEAVE, None),
    ],
)
def test_marks_that_evidence_no_learning(status: AttendanceStatus, minutes: int | None) -> None:
    assert learning_from_attendance(DAY, D(6), status, minutes) is None


def test_negative_values_raise() -> None:
    with pytest.raises(ValueError, match="Minutes attended cannot be negative"):
        learning_from_attendance(DAY, D(6), A.LATE, -5)
    with pytest.raises(ValueError, match="cannot be negative hours"):
        LoggedLearning(DAY, K.THEORY, D(-1))


def test_otj_actual_counts_and_explains_exclusions() -> None:
    as_of = date(2024, 6, 30)
    learning = [
        LoggedLearning(date(2023, 8, 31), K.THEORY, D(3)),  # before the start
        LoggedLearning(date(2023, 9, 5), K.THEORY, D("7.5")),  # counts
        LoggedLearning(date(2023, 9, 12), K.ENGLISH_MATHS, D(2)),  # never counts
        LoggedLearning(date(2023, 10, 1), K.PROGRESS_REVIEW, D(1)),  # never counts
        LoggedLearning(date(2024, 4, 1), K.THEORY, D(7)),  # during the break
        LoggedLearning(date(2024, 6, 4), K.PRACTICAL_TRAINING, D("5.25")),  # counts
        LoggedLearning(date(2024, 7, 2), K.THEORY, D(6)),  # after as_of
        LoggedLearning(date(2025, 6, 1), K.THEORY, D(4)),  # after the effective end
    ]
    actual = otj_actual(learning, PLAN_WITH_BREAK, as_of)
    # 7.5 + 5.25 = 12.75 → 12.8 h; the rest 3 + 2 + 1 + 7 + 6 + 4 = 23 h.
    assert actual == OtjActual(
        counted_hours=D("12.8"),
        excluded_hours=D("23.0"),
        exclusions=(
            "3.0 h not counted: logged before the start on 1 Sep 2023",
            "4.0 h not counted: logged after the practical period ended on 31 May 2025",
            "6.0 h not counted: dated after 30 Jun 2024",
            "7.0 h not counted: logged during a break in learning",
            "2.0 h not counted: English and maths is not off-the-job training",
            "1.0 h not counted: progress reviews are not off-the-job training",
        ),
    )


def test_otj_actual_of_nothing() -> None:
    assert otj_actual([], PLAN, date(2024, 1, 1)) == OtjActual(D("0.0"), D("0.0"), ())


def _actual(hours: str) -> OtjActual:
    return OtjActual(D(hours), D(0), ())


def test_progress_behind_plan() -> None:
    # Expected by 29 Feb 2024: 417.6 × 182 / 547 = 138.9 h. 112 / 138.9 = 80.6% < 90%.
    progress = otj_progress(PLAN, _actual("112.0"), date(2024, 2, 29))
    assert progress.expected_to_date == D("138.9")
    assert progress.percent_of_expected == D("80.6")
    assert progress.behind
    assert progress.reason == (
        "OTJ 112.0 h of 138.9 h expected by 29 Feb 2024 (80%): behind plan (below 90%)"
    )


def test_progress_within_tolerance() -> None:
    # 90% of 138.9 is 125.01: 125.1 h is on track, 125.0 h is behind.
    on_track = otj_progress(PLAN, _actual("125.1"), date(2024, 2, 29))
    assert not on_track.behind
    assert on_track.reason == "OTJ 125.1 h of 138.9 h expected by 29 Feb 2024 (90%)"
    assert otj_progress(PLAN, _actual("125.0"), date(2024, 2, 29)).behind


def test_progress_tolerance_is_configurable() -> None:
    assert not otj_progress(
        PLAN, _actual("112.0"), date(2024, 2, 29), tolerance_percent=D(75)
    ).behind


def test_progress_required_met() -> None:
    progress = otj_progress(PLAN, _actual("420.0"), date(2025, 1, 1))
    assert progress.required_met
    assert not progress.behind
    assert progress.reason == "OTJ 420.0 h: the 417.6 h required is met"


def test_progress_before_the_start() -> None:
    progress = otj_progress(PLAN, _actual("0.0"), date(2023, 8, 31))
    assert progress.percent_of_expected is None
    assert not progress.behind
    assert progress.reason == "OTJ 0.0 h; none expected yet by 31 Aug 2023"


entries = st.lists(
    st.builds(
        LoggedLearning,
        st.dates(min_value=date(2023, 6, 1), max_value=date(2025, 9, 1)),
        st.sampled_from(list(K)),
        st.decimals(min_value=0, max_value=12, places=2),
    ),
    max_size=40,
)


@settings(database=None)
@given(entries, st.dates(min_value=date(2023, 6, 1), max_value=date(2025, 9, 1)))
def test_every_hour_is_counted_or_excluded(learning: list[LoggedLearning], as_of: date) -> None:
    actual = otj_actual(learning, PLAN_WITH_BREAK, as_of)
    total = sum((e.hours for e in learning), D(0))
    # Each figure is rounded to 0.1 on its own, so allow one rounding step.
    assert abs(actual.counted_hours + actual.excluded_hours - total) <= D("0.1")
    counted_more_later = otj_actual(learning, PLAN_WITH_BREAK, as_of + timedelta(days=30))
    assert counted_more_later.counted_hours >= actual.counted_hours
