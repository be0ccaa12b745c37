"""Required OTJ hours under each funding regime, worked by hand (domain.md, "Off-the-job").

The running example is an 18-month practical period at 37.5 h a week:
18 months × 52 / 12 = 78 weeks; statutory leave 5.6 × 18 / 12 = 8.4 weeks.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from apdesk.domain.otj import OtjRegime, plan_otj, regime_for

FULL_TIME = D("37.5")
PART_TIME = D("22.5")


@pytest.mark.parametrize(
    ("start", "regime"),
    [
        (date(2017, 5, 1), OtjRegime.TWENTY_PERCENT),
        (date(2022, 7, 31), OtjRegime.TWENTY_PERCENT),
        (date(2022, 8, 1), OtjRegime.CAPPED_30H),
        (date(2025, 7, 31), OtjRegime.CAPPED_30H),
        (date(2025, 8, 1), OtjRegime.FIXED_MINIMUM),
    ],
)
def test_regime_by_start_date(start: date, regime: OtjRegime) -> None:
    assert regime_for(start) is regime


def test_regime_values_are_stable() -> None:
    # Stored in the database: never change these strings.
    assert [r.value for r in OtjRegime] == ["20pc_2017", "capped_2022", "fixed_2025"]


def test_published_example_exactly() -> None:
    # Funding rules worked example, 12 months at 30 h: (52 − 5.6) × 30 × 0.2 = 278.4 h.
    plan = plan_otj(date(2023, 9, 1), date(2024, 8, 31), D(30))
    assert plan.regime is OtjRegime.CAPPED_30H
    assert plan.required_hours == D("278.4")
    assert plan.required_hours.as_tuple() == D("278.4").as_tuple()  # one decimal place
    assert "(52.0 weeks − 5.6 weeks statutory leave) × 30.0 h × 20% = 278.4 h" in plan.explanation
    assert plan.warnings == ()


def test_published_example_with_hours_above_the_cap() -> None:
    # Anyone on 30+ h counts as 30 h, so 37.5 h gives the same 278.4 h.
    plan = plan_otj(date(2023, 9, 1), date(2024, 8, 31), FULL_TIME)
    assert plan.required_hours == D("278.4")
    assert plan.weekly_hours_counted == D(30)


def test_capped_regime_18_months_full_time() -> None:
    # (78 − 8.4) × 30 × 0.2 = 69.6 × 6 = 417.6 h
    plan = plan_otj(date(2023, 9, 1), date(2025, 2, 28), FULL_TIME)
    assert plan.regime is OtjRegime.CAPPED_30H
    assert plan.required_hours == D("417.6")
    assert plan.weekly_hours_counted == D(30)
    assert plan.effective_end == date(2025, 2, 28)
    assert plan.explanation == (
        "Started 1 Sep 2023, between 1 Aug 2022 and 31 Jul 2025: 20% of contracted hours, "
        "counting at most 30 h a week, excluding statutory leave.",
        "Practical period 1 Sep 2023 – 28 Feb 2025: 18.0 months = 78.0 weeks (months × 52 / 12).",
        "Statutory annual leave: 5.6 weeks a year × 18.0 / 12 months = 8.4 weeks.",
        "Contracted 37.5 h a week, counted as 30.0 h (the 30 h cap).",
        "(78.0 weeks − 8.4 weeks statutory leave) × 30.0 h × 20% = 417.6 h",
        "Required OTJ: 417.6 h by 28 Feb 2025.",
    )
    assert plan.warnings == ()


def test_twenty_percent_regime_18_months_full_time() -> None:
    # No cap: (78 − 8.4) × 37.5 × 0.2 = 69.6 × 7.5 = 522.0 h
    plan = plan_otj(date(2020, 9, 1), date(2022, 2, 28), FULL_TIME)
    assert plan.regime is OtjRegime.TWENTY_PERCENT
    assert plan.required_hours == D("522.0")
    assert plan.weekly_hours_counted == FULL_TIME
    assert "(78.0 weeks − 8.4 weeks statutory leave) × 37.5 h × 20% = 522.0 h" in plan.explanation
    # The leave deduction is an interpretation of the 2017–2022 guidance, so it is stated.
    assert any("excluding statutory leave" in line for line in plan.explanation)


def test_fixed_minimum_regime_18_months_full_time() -> None:
    # From 1 Aug 2025 the standard's published figure applies whatever the hours.
    # 400 h is a stand-in: ST0215's real figure belongs in resources/, not in code.
    plan = plan_otj(date(2025, 9, 1), date(2027, 2, 28), FULL_TIME, standard_minimum_hours=D(400))
    assert plan.regime is OtjRegime.FIXED_MINIMUM
    assert plan.required_hours == D("400.0")
    assert plan.weekly_hours_counted is None
    assert "Fixed minimum for the standard: 400.0 h." in plan.explanation
    assert plan.warnings == ()


def test_fixed_minimum_missing_figure_plans_on_the_187_hour_floor_and_warns() -> None:
    plan = plan_otj(date(2025, 9, 1), date(2027, 2, 28), FULL_TIME, standard="ST0215")
    assert plan.required_hours == D("187.0")
    assert plan.warnings == (
        "ST0215 has no published minimum OTJ hours on file: "
        "planned on the 187.0 h floor until it is added",
    )


def test_fixed_minimum_missing_figure_with_rpl_stays_at_the_floor() -> None:
    plan = plan_otj(date(2025, 9, 1), date(2027, 2, 28), FULL_TIME, rpl_hours=D(20))
    assert plan.required_hours == D("187.0")
    assert any("below the 187.0 h minimum" in warning for warning in plan.warnings)


def test_fixed_minimum_short_duration_warns() -> None:
    # 1 Sep 2025 – 28 Feb 2026 is 6 months, under the 8-month minimum.
    plan = plan_otj(date(2025, 9, 1), date(2026, 2, 28), FULL_TIME, standard_minimum_hours=D(300))
    assert plan.warnings == (
        "Planned practical period of 6.0 months is shorter than the 8-month minimum duration",
    )


def test_fixed_minimum_floor_of_187_hours_after_rpl() -> None:
    # 400 − 250 RPL = 150 h, below the 187 h floor, so 187 h with a warning.
    plan = plan_otj(
        date(2025, 9, 1),
        date(2027, 2, 28),
        FULL_TIME,
        standard_minimum_hours=D(400),
        rpl_hours=D(250),
    )
    assert plan.required_hours == D("187.0")
    assert plan.warnings == ("150.0 h is below the 187.0 h minimum; the floor applies",)
    assert "Less 250.0 h recognised prior learning: 400.0 h − 250.0 h = 150.0 h" in plan.explanation


def test_fixed_minimum_rpl_above_floor() -> None:
    # 400 − 150 = 250 h, above the floor.
    plan = plan_otj(
        date(2025, 9, 1),
        date(2027, 2, 28),
        FULL_TIME,
        standard_minimum_hours=D(400),
        rpl_hours=D(150),
    )
    assert plan.required_hours == D("250.0")
    assert plan.warnings == ()


def test_part_time_capped_18_months() -> None:
    # Actual hours under 30: (78 − 8.4) × 22.5 × 0.2 = 69.6 × 4.5 = 313.2 h.
    # Minimum duration extends to 12 × 30 / 22.5 = 16 months; 18 is enough, so no warning.
    plan = plan_otj(date(2023, 9, 1), date(2025, 2, 28), PART_TIME)
    assert plan.required_hours == D("313.2")
    assert plan.weekly_hours_counted == PART_TIME
    assert "Contracted 22.5 h a week (part-time): counted at actual hours." in plan.explanation
    assert plan.warnings == ()


def test_part_time_too_short_warns() -> None:
    # 12 months at 22.5 h: (52 − 5.6) × 22.5 × 0.2 = 46.4 × 4.5 = 208.8 h, but the minimum
    # duration is 16 months at these hours.
    plan = plan_otj(date(2023, 9, 1), date(2024, 8, 31), PART_TIME)
    assert plan.required_hours == D("208.8")
    assert plan.warnings == (
        "Planned practical period of 12.0 months is shorter than the 16-month minimum for "
        "22.5 h a week (12 months × 30 / 22.5 h)",
    )


def test_full_time_under_twelve_months_warns() -> None:
    plan = plan_otj(date(2023, 9, 1), date(2024, 5, 31), FULL_TIME)
    assert plan.warnings == (
        "Planned practical period of 9.0 months is shorter than the 12-month minimum duration",
    )


def test_twenty_percent_part_time() -> None:
    # Same arithmetic as capped for hours under 30: 69.6 × 22.5 × 0.2 = 313.2 h.
    plan = plan_otj(date(2020, 9, 1), date(2022, 2, 28), PART_TIME)
    assert plan.required_hours == D("313.2")


def test_rpl_reduces_required_hours() -> None:
    # 417.6 − 40 = 377.6 h
    plan = plan_otj(date(2023, 9, 1), date(2025, 2, 28), FULL_TIME, rpl_hours=D(40))
    assert plan.required_hours == D("377.6")
    assert "Less 40.0 h recognised prior learning: 417.6 h − 40.0 h = 377.6 h" in plan.explanation


def test_rpl_never_below_zero() -> None:
    plan = plan_otj(date(2023, 9, 1), date(2024, 8, 31), D(30), rpl_hours=D(300))
    assert plan.required_hours == D(0)
    assert plan.warnings == (
        "Recognised prior learning of 300.0 h is more than the 278.4 h planned; "
        "required OTJ set to 0.0 h",
    )


@pytest.mark.parametrize(
    ("end", "hours", "rpl", "message"),
    [
        (date(2023, 9, 1), D(30), D(0), "planned end 1 Sep 2023 must be after the start"),
        (date(2023, 8, 1), D(30), D(0), "must be after the start 1 Sep 2023"),
        (date(2024, 8, 31), D(0), D(0), "Contracted hours must be more than 0"),
        (date(2024, 8, 31), D(-5), D(0), "Contracted hours must be more than 0"),
        (date(2024, 8, 31), D(30), D(-1), "cannot be negative"),
    ],
)
def test_invalid_plans_raise(end: date, hours: D, rpl: D, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan_otj(date(2023, 9, 1), end, hours, rpl_hours=rpl)


def test_expected_by_is_pro_rata_by_day() -> None:
    # 1 Sep 2023 – 28 Feb 2025 is 547 days (366 to 31 Aug 2024, leap year, + 181).
    # By 29 Feb 2024 (182 days): 417.6 × 182 / 547 = 138.94… → 138.9 h.
    plan = plan_otj(date(2023, 9, 1), date(2025, 2, 28), FULL_TIME)
    assert plan.planned_active_days == 547
    assert plan.expected_by(date(2023, 8, 31)) == D(0)
    assert plan.expected_by(date(2024, 2, 29)) == D("138.9")
    assert plan.expected_by(date(2025, 2, 28)) == D("417.6")
    assert plan.expected_by(date(2030, 1, 1)) == D("417.6")
