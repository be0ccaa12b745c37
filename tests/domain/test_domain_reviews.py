"""Progress reviews at least every 3 calendar months (domain.md, "Off-the-job")."""

from __future__ import annotations

from datetime import date

from apdesk.domain.reviews import REVIEW_INTERVAL_MONTHS, review_status


def test_interval() -> None:
    assert REVIEW_INTERVAL_MONTHS == 3


def test_overdue_from_the_last_review_held() -> None:
    # Last held 10 Apr 2024 → due 10 Jul 2024; on 20 Jul it is 10 days overdue.
    status = review_status(
        date(2024, 1, 15), [date(2024, 1, 20), date(2024, 4, 10)], date(2024, 7, 20)
    )
    assert status.last_held == date(2024, 4, 10)
    assert status.next_due == date(2024, 7, 10)
    assert status.overdue
    assert status.days_overdue == 10
    assert status.reason == (
        "Progress review overdue by 10 days: due 10 Jul 2024 (last held 10 Apr 2024)"
    )


def test_first_review_due_three_months_after_start_clamped() -> None:
    # Start 30 Nov 2023 + 3 months = 29 Feb 2024 (leap year, clamped).
    on_the_day = review_status(date(2023, 11, 30), [], date(2024, 2, 29))
    assert on_the_day.next_due == date(2024, 2, 29)
    assert not on_the_day.overdue
    assert on_the_day.days_overdue == 0
    assert on_the_day.reason == (
        "Next progress review due 29 Feb 2024 (none held since the start on 30 Nov 2023)"
    )
    day_after = review_status(date(2023, 11, 30), [], date(2024, 3, 1))
    assert day_after.reason == (
        "Progress review overdue by 1 day: due 29 Feb 2024 "
        "(none held since the start on 30 Nov 2023)"
    )


def test_scheduled_date_brings_the_due_date_forward() -> None:
    # Held 10 Apr 2024: the 3-month rule says 10 Jul, but one is booked for 1 Jun.
    # A scheduled date before the last held review was met by it and is ignored.
    status = review_status(
        date(2024, 1, 15),
        [date(2024, 4, 10)],
        date(2024, 5, 1),
        scheduled_due=[date(2024, 3, 1), date(2024, 6, 1), date(2024, 9, 1)],
    )
    assert status.next_due == date(2024, 6, 1)
    assert not status.overdue


def test_reviews_dated_after_as_of_are_not_yet_held() -> None:
    status = review_status(date(2024, 1, 15), [date(2024, 5, 1)], date(2024, 4, 20))
    assert status.last_held is None
    assert status.next_due == date(2024, 4, 15)
    assert status.days_overdue == 5
