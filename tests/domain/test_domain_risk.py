"""Who is at risk and why: only apprentices in training are assessed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from apdesk.domain.attendance import summarise_attendance
from apdesk.domain.enums import AttendanceStatus as A
from apdesk.domain.enums import TraineeStatus as S
from apdesk.domain.otj import OtjActual, otj_progress, plan_otj
from apdesk.domain.reviews import review_status
from apdesk.domain.risk import risk_reasons

AS_OF = date(2024, 2, 29)
PLAN = plan_otj(date(2023, 9, 1), date(2025, 2, 28), D("37.5"))  # 138.9 h due by AS_OF
BEHIND = otj_progress(PLAN, OtjActual(D("112.0"), D(0), ()), AS_OF)
ON_TRACK = otj_progress(PLAN, OtjActual(D("140.0"), D(0), ()), AS_OF)
POOR = summarise_attendance([A.PRESENT] * 7 + [A.SICKNESS] * 2 + [A.UNAUTHORISED_ABSENCE])  # 70%
GOOD = summarise_attendance([A.PRESENT] * 9 + [A.SICKNESS])  # 90%
OVERDUE = review_status(date(2023, 9, 1), [date(2023, 11, 1)], AS_OF)  # due 1 Feb 2024
UP_TO_DATE = review_status(date(2023, 9, 1), [date(2024, 2, 1)], AS_OF)


def _at_risk(**changes: Any) -> tuple[str, ...]:
    facts: dict[str, Any] = {
        "status": S.IN_TRAINING,
        "otj": BEHIND,
        "attendance": POOR,
        "review": OVERDUE,
        "last_learning_on": date(2024, 1, 10),
        "as_of": AS_OF,
        "maths_english_met": False,
        "months_to_planned_end": D("4.5"),
    }
    facts.update(changes)
    return risk_reasons(**facts)


def test_every_reason() -> None:
    assert _at_risk() == (
        "OTJ 112.0 h of 138.9 h expected by 29 Feb 2024 (80%): behind plan (below 90%)",
        "Attendance 70.0% is below 85%",
        "Progress review overdue by 28 days: due 1 Feb 2024 (last held 1 Nov 2023)",
        # 10 Jan → 29 Feb 2024 is 50 days: 7 whole weeks, more than 4.
        "No learning logged for 7 weeks (last on 10 Jan 2024); "
        "active learning must be evidenced every 4 weeks",
        "Maths and English Level 2 not met with 4.5 months to the planned end",
    )


def test_no_reasons_when_all_is_well() -> None:
    assert (
        _at_risk(
            otj=ON_TRACK,
            attendance=GOOD,
            review=UP_TO_DATE,
            last_learning_on=date(2024, 2, 1),  # exactly 28 days: still within 4 weeks
            months_to_planned_end=D(12),
        )
        == ()
    )


@pytest.mark.parametrize("status", [S.BREAK_IN_LEARNING, S.WITHDRAWN, S.COMPLETED, S.AT_GATEWAY])
def test_only_apprentices_in_training_are_assessed(status: S) -> None:
    assert _at_risk(status=status) == ()


def test_maths_english_only_matters_close_to_the_end() -> None:
    reasons = _at_risk(months_to_planned_end=D("6.5"))
    assert not any("Maths and English" in r for r in reasons)
    reasons = _at_risk(months_to_planned_end=D(6))
    assert "Maths and English Level 2 not met with 6.0 months to the planned end" in reasons
    assert not any("Maths" in r for r in _at_risk(months_to_planned_end=None))
    assert not any("Maths" in r for r in _at_risk(maths_english_met=True))


def test_threshold_is_configurable() -> None:
    assert "Attendance 70.0% is below 65%" not in _at_risk(min_attendance_percent=D(65))
    assert not any("Attendance" in r for r in _at_risk(min_attendance_percent=D(65)))


def test_no_learning_logged_at_all() -> None:
    # Without any learning, the gap is measured from the start when it is known.
    reasons = _at_risk(last_learning_on=None, started_on=date(2024, 1, 1))
    assert (
        "No learning logged since the start on 1 Jan 2024; "
        "active learning must be evidenced every 4 weeks"
    ) in reasons
    assert not any("No learning" in r for r in _at_risk(last_learning_on=None))


def test_missing_otj_and_review_are_skipped() -> None:
    reasons = _at_risk(otj=None, review=None)
    assert not any(r.startswith(("OTJ", "Progress review")) for r in reasons)
