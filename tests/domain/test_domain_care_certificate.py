"""Care Certificate: a standard completes when all its criteria are signed off (domain.md)."""

from __future__ import annotations

from datetime import date

from apdesk.domain.care_certificate import care_certificate_progress

# A cut-down 2015 certificate: three standards with a few criteria each.
STANDARDS = [
    (1, "Understand your role", [101, 102, 103]),
    (2, "Your personal development", [201, 202]),
    (3, "Duty of care", [301]),
]


def test_completion_date_is_the_last_criterion_signed() -> None:
    signed = {
        101: date(2023, 10, 2),
        102: date(2023, 11, 20),  # standard 1 completes here
        103: date(2023, 10, 9),
        201: date(2023, 10, 16),
        202: date(2023, 12, 4),  # and the certificate here
        301: date(2023, 9, 25),
        999: date(2024, 1, 1),  # another version's criterion: ignored
    }
    progress = care_certificate_progress(STANDARDS, signed)
    assert [s.completed_on for s in progress.standards] == [
        date(2023, 11, 20),
        date(2023, 12, 4),
        date(2023, 9, 25),
    ]
    assert progress.complete
    assert progress.completed_on == date(2023, 12, 4)
    assert progress.signed == progress.total == 6
    assert progress.describe() == "Care Certificate complete on 4 Dec 2023 (all 3 standards)"
    assert progress.standards[0].describe() == (
        "Standard 1 Understand your role: complete on 20 Nov 2023"
    )


def test_partly_done() -> None:
    signed = {101: date(2023, 10, 2), 102: date(2023, 11, 20), 301: date(2023, 9, 25)}
    progress = care_certificate_progress(STANDARDS, signed)
    first, second, third = progress.standards
    assert (first.signed, first.total, first.complete, first.completed_on) == (2, 3, False, None)
    assert not second.complete
    assert third.complete
    assert not progress.complete
    assert progress.completed_on is None
    assert (progress.standards_complete, progress.standards_total) == (1, 3)
    assert progress.describe() == (
        "Care Certificate: 1 of 3 standards complete, 3 of 6 criteria signed off"
    )
    assert first.describe() == "Standard 1 Understand your role: 2 of 3 criteria signed off"


def test_a_standard_without_criteria_is_never_complete() -> None:
    progress = care_certificate_progress(
        [(16, "Awareness of learning disability and autism", [])], {}
    )
    assert not progress.standards[0].complete
    assert not progress.complete


def test_no_standards_is_not_a_certificate() -> None:
    assert not care_certificate_progress([], {}).complete
