"""Rounding of reported figures: hours to 0.1 half up; percentages rounded down."""

from __future__ import annotations

from decimal import Decimal as D

from apdesk.domain.units import (
    format_hours,
    format_percent_down,
    format_plain,
    percent_of,
    tenth,
)


def test_tenth_rounds_half_up() -> None:
    assert tenth(D("12.75")) == D("12.8")
    assert tenth(D("12.74")) == D("12.7")
    assert tenth(D(78)) == D("78.0")


def test_format_hours() -> None:
    assert format_hours(D(112)) == "112.0 h"
    assert format_hours(D("417.6")) == "417.6 h"


def test_percent_rounds_down_so_a_near_miss_never_reads_as_the_line() -> None:
    # 89.96% must not be worded "90%" when 90% is the threshold.
    assert percent_of(D("89.96"), D(100)) == D("89.9")
    assert format_percent_down(D("89.9")) == "89%"
    assert percent_of(D(2), D(3)) == D("66.6")


def test_format_plain() -> None:
    assert format_plain(D(16)) == "16"
    assert format_plain(D("14.4")) == "14.4"
    assert format_plain(D("85.0")) == "85"
