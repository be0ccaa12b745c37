"""Band progression 2 → 3 → 4 (domain.md, "The programme"), thresholds from band rules."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from typing import Any

import pytest

from apdesk.domain.bands import (
    DEFAULT_BAND_RULES,
    BandFacts,
    BandRule,
    band_readiness,
    band_rules_from_dict,
)
from apdesk.domain.enums import TraineeStatus as S

YEAR_ONE_DONE = BandFacts(
    current_band="2",
    status=S.IN_TRAINING,
    months_in_training=D(13),
    care_certificate_complete=True,
    attendance_percent=D("88.0"),
    competencies_signed=10,
    competencies_total=40,
    foundation_degree_awarded=False,
    maths_english_met=False,
)


def test_band_2_to_3_ready() -> None:
    readiness = band_readiness(YEAR_ONE_DONE, DEFAULT_BAND_RULES)
    assert readiness.current_band == "2"
    assert readiness.next_band == "3"
    assert readiness.ready
    assert [c.reason for c in readiness.checklist.checks] == [
        "Status: in training",
        "13.0 months in training (12 needed)",
        "Care Certificate complete",
        "Attendance 88.0% (85% needed)",
    ]


def test_band_2_to_3_reasons_when_not_ready() -> None:
    facts = replace(
        YEAR_ONE_DONE,
        months_in_training=D("9.5"),
        care_certificate_complete=False,
        attendance_percent=D("80.0"),
    )
    readiness = band_readiness(facts, DEFAULT_BAND_RULES)
    assert not readiness.ready
    assert readiness.checklist.unmet_reasons == (
        "Only 9.5 months in training; Band 3 needs 12",
        "Care Certificate not complete",
        "Attendance 80.0% is below the 85% needed",
    )


def test_no_attendance_recorded_fails_the_attendance_rule() -> None:
    readiness = band_readiness(replace(YEAR_ONE_DONE, attendance_percent=None), DEFAULT_BAND_RULES)
    assert readiness.checklist.unmet_reasons == ("No attendance recorded yet; Band 3 needs 85%",)


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (S.BREAK_IN_LEARNING, "On a break in learning"),
        (S.WITHDRAWN, "Withdrawn from the programme"),
    ],
)
def test_break_or_withdrawn_is_a_failing_check(status: S, reason: str) -> None:
    readiness = band_readiness(replace(YEAR_ONE_DONE, status=status), DEFAULT_BAND_RULES)
    assert not readiness.ready
    assert readiness.checklist.unmet_reasons == (reason,)


def test_band_3_to_4_on_completion() -> None:
    facts = BandFacts(
        current_band="3",
        status=S.COMPLETED,
        months_in_training=D(24),
        care_certificate_complete=True,
        attendance_percent=D("70.0"),  # no attendance rule for Band 4
        competencies_signed=40,
        competencies_total=40,
        foundation_degree_awarded=True,
        maths_english_met=True,
    )
    readiness = band_readiness(facts, DEFAULT_BAND_RULES)
    assert readiness.next_band == "4"
    assert readiness.ready
    not_yet = band_readiness(
        replace(
            facts,
            status=S.IN_TRAINING,
            competencies_signed=31,
            foundation_degree_awarded=False,
            maths_english_met=False,
        ),
        DEFAULT_BAND_RULES,
    )
    assert not_yet.checklist.unmet_reasons == (
        "31 of 40 competencies signed off",
        "Foundation degree not yet awarded",
        "Maths and English Level 2 not yet met",
    )


def test_top_band_and_unknown_band() -> None:
    top = band_readiness(replace(YEAR_ONE_DONE, current_band="4"), DEFAULT_BAND_RULES)
    assert top.next_band is None
    assert not top.ready
    assert top.checklist.unmet_reasons == ("No band progression from Band 4 is set up",)
    unknown = band_readiness(replace(YEAR_ONE_DONE, current_band=None), DEFAULT_BAND_RULES)
    assert unknown.checklist.unmet_reasons == ("Current band not recorded",)


def test_rules_from_dict_like_the_yaml_file() -> None:
    # As yaml.safe_load gives it: integer keys, booleans, a plain number for the percentage.
    rules = band_rules_from_dict(
        {
            2: {
                "to_band": 3,
                "min_months_in_training": 12,
                "care_certificate_complete": True,
                "min_attendance_percent": 85,
            },
            "3": {
                "to_band": "4",
                "min_months_in_training": 18,
                "competencies_complete": True,
                "foundation_degree_awarded": True,
                "maths_english_met": True,
            },
        }
    )
    assert rules["2"] == BandRule("3", 12, True, D(85), False, False, False)
    assert rules["3"] == BandRule("4", 18, False, None, True, True, True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"2": {"to_band": "3", "min_months_in_training": 12, "min_month": 3}}, "'min_month'"),
        ({"2": {"min_months_in_training": 12}}, "missing 'to_band'"),
        ({"2": {"to_band": "3"}}, "missing 'min_months_in_training'"),
        (
            {"2": {"to_band": "3", "min_months_in_training": "twelve"}},
            "'min_months_in_training' must be a whole number",
        ),
        (
            {"2": {"to_band": "3", "min_months_in_training": 12, "maths_english_met": "yes"}},
            "'maths_english_met' must be true or false",
        ),
        (
            {"2": {"to_band": "3", "min_months_in_training": 12, "min_attendance_percent": 120}},
            "'min_attendance_percent' must be a percentage",
        ),
        (
            {"2": {"to_band": "3", "min_months_in_training": 12, "min_attendance_percent": "x"}},
            "'min_attendance_percent' must be a percentage",
        ),
        ({"2": {"to_band": "2", "min_months_in_training": 12}}, "different band"),
        ({"2": ["not", "a", "mapping"]}, "Band rule '2' must be a set of settings"),
        ({2: {"to_band": "3", "min_months_in_training": 1}, "2": {}}, "duplicated"),
        (["2"], "must be a set of bands"),
    ],
)
def test_bad_rules_name_the_bad_setting(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        band_rules_from_dict(data)


def test_default_rules_are_read_only() -> None:
    with pytest.raises(TypeError):
        DEFAULT_BAND_RULES["4"] = DEFAULT_BAND_RULES["3"]  # type: ignore[index]
