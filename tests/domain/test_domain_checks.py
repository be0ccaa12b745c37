"""Checklist: met only when every check is met; unmet reasons keep their order."""

from __future__ import annotations

from apdesk.domain.checks import Check, Checklist


def test_all_met() -> None:
    checklist = Checklist((Check("A", True, "A done"), Check("B", True, "B done")))
    assert checklist.met
    assert checklist.unmet_reasons == ()
    assert checklist.met_count == 2


def test_unmet_reasons_in_order() -> None:
    checklist = Checklist(
        (Check("A", False, "A missing"), Check("B", True, "B done"), Check("C", False, "C missing"))
    )
    assert not checklist.met
    assert checklist.unmet_reasons == ("A missing", "C missing")
    assert checklist.met_count == 1


def test_empty_checklist_is_met() -> None:
    # Vacuously true; callers that need "something to check" say so themselves
    # (BandReadiness.ready also needs a next band).
    assert Checklist(()).met
