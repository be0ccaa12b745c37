"""Breaks in learning: the clock stops and the planned end moves (domain.md, "Off-the-job")."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apdesk.domain.breaks import BreakInLearning, active_days, days_in_breaks
from apdesk.domain.otj import plan_otj

START = date(2023, 9, 1)
END = date(2025, 2, 28)  # 18 months, 547 days; 417.6 h at 37.5 h under the capped regime
SPRING_BREAK = BreakInLearning(date(2024, 3, 1), date(2024, 5, 31))  # 31 + 30 + 31 = 92 days


def test_break_moves_the_effective_end() -> None:
    # 28 Feb 2025 + 92 days = 31 May 2025.
    plan = plan_otj(START, END, D("37.5"), breaks=[SPRING_BREAK])
    assert plan.required_hours == D("417.6")  # a break moves the end, not the hours
    assert plan.effective_end == date(2025, 5, 31)
    assert (
        "Break in learning 1 Mar 2024 – 31 May 2024 (92 days): the OTJ clock is paused."
        in plan.explanation
    )
    assert "Planned end 28 Feb 2025 moves to 31 May 2025 after breaks in learning." in (
        plan.explanation
    )


def test_expected_to_date_is_frozen_during_the_break() -> None:
    plan = plan_otj(START, END, D("37.5"), breaks=[SPRING_BREAK])
    # 182 active days to 29 Feb 2024: 417.6 × 182 / 547 = 138.9 h, held through the break.
    before = plan.expected_by(date(2024, 2, 29))
    assert before == D("138.9")
    assert plan.expected_by(date(2024, 4, 15)) == before
    assert plan.expected_by(date(2024, 5, 31)) == before
    # First day back: 183 days, 417.6 × 183 / 547 = 139.71… → 139.7 h.
    assert plan.expected_by(date(2024, 6, 1)) == D("139.7")
    # At the planned end only 547 − 92 = 455 days have run: 417.6 × 455 / 547 = 347.36… h.
    assert plan.expected_by(END) == D("347.4")
    # All of it is due by the effective end.
    assert plan.expected_by(date(2025, 5, 31)) == D("417.6")


def test_ongoing_break_counts_days_so_far_when_given_a_date() -> None:
    ongoing = BreakInLearning(date(2024, 3, 1), None)
    plan = plan_otj(START, END, D("37.5"), breaks=[ongoing], as_of=date(2024, 3, 10))
    assert plan.effective_end == date(2025, 3, 10)  # 10 days so far
    assert plan.warnings == (
        "Break in learning from 1 Mar 2024, ongoing: the end date moves later by each day it "
        "lasts (counted to 10 Mar 2024 so far)",
    )
    # The clock stays stopped for as long as the break goes on.
    assert plan.expected_by(date(2026, 1, 1)) == D("138.9")


def test_ongoing_break_without_a_date_moves_nothing_yet() -> None:
    plan = plan_otj(START, END, D("37.5"), breaks=[BreakInLearning(date(2024, 3, 1), None)])
    assert plan.effective_end == END
    assert "not yet counted" in plan.warnings[0]


def test_break_inside_the_extension_also_moves_the_end() -> None:
    # 12 months to 31 Aug 2024; a 31-day break in March moves the end to 1 Oct 2024, so a
    # 6-day break from 15 Sep 2024 is still inside the practical period: end 7 Oct 2024.
    plan = plan_otj(
        START,
        date(2024, 8, 31),
        D(30),
        breaks=[
            BreakInLearning(date(2024, 9, 15), date(2024, 9, 20)),
            BreakInLearning(date(2024, 3, 1), date(2024, 3, 31)),
        ],
    )
    assert plan.effective_end == date(2024, 10, 7)
    assert plan.breaks[0].start == date(2024, 3, 1)  # sorted
    assert plan.expected_by(plan.effective_end) == plan.required_hours
    assert plan.expected_by(plan.effective_end - timedelta(days=1)) < plan.required_hours


def test_break_after_the_practical_period_moves_nothing() -> None:
    plan = plan_otj(START, END, D(30), breaks=[BreakInLearning(date(2025, 4, 1), None)])
    assert plan.effective_end == END


@pytest.mark.parametrize(
    ("breaks", "message"),
    [
        ([BreakInLearning(date(2023, 8, 1), date(2023, 9, 30))], "starts before"),
        (
            [
                BreakInLearning(date(2024, 1, 1), date(2024, 2, 1)),
                BreakInLearning(date(2024, 2, 1), date(2024, 3, 1)),
            ],
            "overlaps",
        ),
        (
            [BreakInLearning(date(2024, 1, 1), None), BreakInLearning(date(2024, 6, 1), None)],
            "overlaps",
        ),
    ],
)
def test_impossible_breaks_raise(breaks: list[BreakInLearning], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan_otj(START, END, D(30), breaks=breaks)


def test_break_ending_before_it_starts_raises() -> None:
    with pytest.raises(ValueError, match="ends on 1 Jan 2024, before it starts on 2 Jan 2024"):
        BreakInLearning(date(2024, 1, 2), date(2024, 1, 1))


def test_day_counting() -> None:
    assert days_in_breaks([SPRING_BREAK], START, END) == 92
    assert days_in_breaks([SPRING_BREAK], date(2024, 5, 30), date(2024, 6, 2)) == 2
    assert active_days([SPRING_BREAK], START, END) == 455
    assert active_days([], END, START) == 0


breaks_strategy = st.lists(
    st.tuples(st.integers(0, 700), st.integers(0, 120), st.booleans()), max_size=3
).map(
    lambda raw: [
        BreakInLearning(START + timedelta(days=400 * i + offset % 300), None)
        if ongoing and i == len(raw) - 1
        else BreakInLearning(
            START + timedelta(days=400 * i + offset % 300),
            START + timedelta(days=400 * i + offset % 300 + length % 90),
        )
        for i, (offset, length, ongoing) in enumerate(raw)
    ]
)


@settings(database=None, max_examples=200)
@given(
    breaks_strategy,
    st.integers(1, 2000),
    st.dates(min_value=date(2023, 1, 1), max_value=date(2030, 1, 1)),
    st.integers(0, 400),
)
def test_expected_by_is_monotonic_and_bounded(
    breaks: list[BreakInLearning], length: int, as_of: date, step: int
) -> None:
    plan = plan_otj(START, START + timedelta(days=length), D("37.5"), breaks=breaks)
    first = plan.expected_by(as_of)
    later = plan.expected_by(as_of + timedelta(days=step))
    assert D(0) <= first <= later <= plan.required_hours


@settings(database=None, max_examples=200)
@given(breaks_strategy, st.integers(1, 2000))
def test_everything_is_due_by_the_effective_end(breaks: list[BreakInLearning], length: int) -> None:
    ended = [b for b in breaks if b.end is not None]
    plan = plan_otj(START, START + timedelta(days=length), D("37.5"), breaks=ended)
    assert plan.expected_by(plan.effective_end) == plan.required_hours
    # The clock ran for exactly the planned number of days by the effective end.
    assert plan.active_days_elapsed(plan.effective_end) == plan.planned_active_days
    assert active_days(plan.breaks, START, plan.effective_end) == plan.planned_active_days
