"""Calendar months, as the funding rules count them."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from apdesk.domain.calendar import add_months, format_day, months_between


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)  # leap year
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
    assert add_months(date(2023, 9, 1), 18) == date(2025, 3, 1)
    assert add_months(date(2023, 12, 15), 1) == date(2024, 1, 15)


def test_months_between_whole_years() -> None:
    # 1 Sep 2023 – 31 Aug 2024 inclusive: exactly 12 (the published 12-month example).
    assert months_between(date(2023, 9, 1), date(2024, 8, 31)) == D(12)
    # 1 Sep 2023 – 28 Feb 2025 inclusive: exactly 18.
    assert months_between(date(2023, 9, 1), date(2025, 2, 28)) == D(18)


def test_months_between_part_month() -> None:
    # 1 Sep – 15 Oct: one whole month (Sep), then 15 of October's 31 days.
    assert months_between(date(2023, 9, 1), date(2023, 10, 15)) == 1 + D(15) / D(31)
    # A single day of a 30-day month.
    assert months_between(date(2023, 9, 1), date(2023, 9, 1)) == D(1) / D(30)


def test_months_between_end_before_start_is_zero() -> None:
    assert months_between(date(2024, 1, 2), date(2023, 12, 1)) == 0


def test_month_end_start_does_not_drift() -> None:
    # From 31 Jan, months end on the day before 28/29 Feb, 31 Mar, 30 Apr…
    assert months_between(date(2024, 1, 31), date(2024, 4, 29)) == D(3)


def test_format_day() -> None:
    assert format_day(date(2026, 11, 25)) == "25 Nov 2026"
    assert format_day(date(2024, 3, 5)) == "5 Mar 2024"


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@settings(database=None)
@given(days, st.integers(0, 240))
def test_months_between_round_trips_add_months(start: date, months: int) -> None:
    # A period ending the day before the same date n months on is exactly n months.
    end = add_months(start, months) - timedelta(days=1)
    assert months_between(start, end) == D(months)


@settings(database=None)
@given(days.filter(lambda d: d.day <= 28), st.integers(-240, 240))
def test_add_months_inverts_when_no_clamping(start: date, months: int) -> None:
    assert add_months(add_months(start, months), -months) == start


@settings(database=None)
@given(days, st.integers(0, 2000), st.integers(0, 60))
def test_months_between_is_monotonic(start: date, length: int, more: int) -> None:
    end = start + timedelta(days=length)
    assert months_between(start, end) <= months_between(start, end + timedelta(days=more))
