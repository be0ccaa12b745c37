"""Band progression (AfC Band 2 → 3 → 4): what each step needs, and who is ready for it.

The thresholds are a trust's policy, not national rules, so they are data
(resources/band_rules.yaml) with these defaults. Readiness is a checklist so the decision
screen shows exactly what is still missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from apdesk.domain.checks import Check, Checklist
from apdesk.domain.enums import TraineeStatus
from apdesk.domain.units import format_number, format_plain


@dataclass(frozen=True)
class BandRule:
    """What moving up to ``to_band`` requires."""

    to_band: str
    min_months_in_training: int
    care_certificate_complete: bool
    min_attendance_percent: Decimal | None
    competencies_complete: bool
    foundation_degree_awarded: bool
    maths_english_met: bool


BandRules = Mapping[str, BandRule]
"""Rules keyed by the band the trainee is on now."""

DEFAULT_BAND_RULES: BandRules = MappingProxyType(
    {
        # Year two at Band 3: a year in training, Care Certificate done, attending day release.
        "2": BandRule(
            to_band="3",
            min_months_in_training=12,
            care_certificate_complete=True,
            min_attendance_percent=Decimal(85),
            competencies_complete=False,
            foundation_degree_awarded=False,
            maths_english_met=False,
        ),
        # Band 4 on successful completion: everything signed off and the degree awarded.
        "3": BandRule(
            to_band="4",
            min_months_in_training=18,
            care_certificate_complete=True,
            min_attendance_percent=None,
            competencies_complete=True,
            foundation_degree_awarded=True,
            maths_english_met=True,
        ),
    }
)

_FLAGS = (
    "care_certificate_complete",
    "competencies_complete",
    "foundation_degree_awarded",
    "maths_english_met",
)
_KEYS = {"to_band", "min_months_in_training", "min_attendance_percent", *_FLAGS}


def _rule_from_dict(band: str, raw: Any) -> BandRule:
    where = f"Band rule '{band}'"
    if not isinstance(raw, Mapping):
        raise ValueError(f"{where} must be a set of settings, not {raw!r}")
    for key in raw:
        if key not in _KEYS:
            raise ValueError(f"{where}: unknown setting '{key}'")
    for key in ("to_band", "min_months_in_training"):
        if key not in raw:
            raise ValueError(f"{where}: missing '{key}'")
    to_band = raw["to_band"]
    if isinstance(to_band, bool) or not isinstance(to_band, str | int) or str(to_band) == "":
        raise ValueError(f"{where}: 'to_band' must be a band such as \"3\", not {to_band!r}")
    months = raw["min_months_in_training"]
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        raise ValueError(
            f"{where}: 'min_months_in_training' must be a whole number of months, not {months!r}"
        )
    flags: dict[str, bool] = {}
    for key in _FLAGS:
        value = raw.get(key, False)
        if not isinstance(value, bool):
            raise ValueError(f"{where}: '{key}' must be true or false, not {value!r}")
        flags[key] = value
    return BandRule(
        to_band=str(to_band),
        min_months_in_training=months,
        min_attendance_percent=_percent(where, raw.get("min_attendance_percent")),
        **flags,
    )


def _percent(where: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    problem = f"{where}: 'min_attendance_percent' must be a percentage 0–100, not {value!r}"
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(problem)
    try:
        percent = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(problem) from None
    if not percent.is_finite() or not Decimal(0) <= percent <= Decimal(100):
        raise ValueError(problem)
    return percent


def band_rules_from_dict(data: Mapping[Any, Any]) -> dict[str, BandRule]:
    """Band rules from parsed YAML/JSON, keyed by the band a trainee moves up from::

        "2": {to_band: "3", min_months_in_training: 12, care_certificate_complete: true,
              min_attendance_percent: 85}

    Flags left out are false; ``min_attendance_percent`` left out means no attendance rule.
    Raises ValueError naming the band and the setting that is wrong.
    """
    if not isinstance(data, Mapping):
        raise ValueError(f"Band rules must be a set of bands, not {data!r}")
    rules: dict[str, BandRule] = {}
    for band, raw in data.items():
        key = str(band)
        if isinstance(band, bool) or key in rules or key == "":
            raise ValueError(f"Band rule '{band}' is blank, duplicated or not a band")
        rule = _rule_from_dict(key, raw)
        if rule.to_band == key:
            raise ValueError(f"Band rule '{key}': 'to_band' must be a different band")
        rules[key] = rule
    return rules


@dataclass(frozen=True)
class BandFacts:
    """What is known about a trainee, gathered by the service from the records."""

    current_band: str | None
    status: TraineeStatus
    months_in_training: Decimal
    care_certificate_complete: bool
    attendance_percent: Decimal | None
    competencies_signed: int
    competencies_total: int
    foundation_degree_awarded: bool
    maths_english_met: bool


@dataclass(frozen=True)
class BandReadiness:
    current_band: str | None
    next_band: str | None
    checklist: Checklist

    @property
    def ready(self) -> bool:
        return self.next_band is not None and self.checklist.met


def _status_check(status: TraineeStatus) -> Check:
    if status is TraineeStatus.WITHDRAWN:
        return Check("Status", False, "Withdrawn from the programme")
    if status is TraineeStatus.BREAK_IN_LEARNING:
        return Check("Status", False, "On a break in learning")
    return Check("Status", True, f"Status: {status.label.lower()}")


def _rule_checks(facts: BandFacts, rule: BandRule) -> list[Check]:
    band = f"Band {rule.to_band}"
    months = facts.months_in_training
    checks = [_status_check(facts.status)]
    if months >= rule.min_months_in_training:
        why = f"{format_number(months)} months in training ({rule.min_months_in_training} needed)"
        checks.append(Check("Time in training", True, why))
    else:
        why = (
            f"Only {format_number(months)} months in training; {band} needs "
            f"{rule.min_months_in_training}"
        )
        checks.append(Check("Time in training", False, why))
    if rule.care_certificate_complete:
        done = facts.care_certificate_complete
        why = "Care Certificate complete" if done else "Care Certificate not complete"
        checks.append(Check("Care Certificate", done, why))
    if rule.min_attendance_percent is not None:
        checks.append(
            _attendance_check(facts.attendance_percent, rule.min_attendance_percent, band)
        )
    if rule.competencies_complete:
        checks.append(competencies_check(facts.competencies_signed, facts.competencies_total))
    if rule.foundation_degree_awarded:
        done = facts.foundation_degree_awarded
        why = "Foundation degree awarded" if done else "Foundation degree not yet awarded"
        checks.append(Check("Foundation degree", done, why))
    if rule.maths_english_met:
        done = facts.maths_english_met
        why = f"Maths and English Level 2 {'met' if done else 'not yet met'}"
        checks.append(Check("Maths and English", done, why))
    return checks


def _attendance_check(percent: Decimal | None, minimum: Decimal, band: str) -> Check:
    needed = f"{format_plain(minimum)}%"
    if percent is None:
        return Check("Attendance", False, f"No attendance recorded yet; {band} needs {needed}")
    if percent >= minimum:
        return Check("Attendance", True, f"Attendance {format_number(percent)}% ({needed} needed)")
    return Check(
        "Attendance", False, f"Attendance {format_number(percent)}% is below the {needed} needed"
    )


def competencies_check(signed: int, total: int) -> Check:
    """All competencies signed off (a framework with none on file cannot be complete)."""
    if total <= 0:
        return Check("Competencies", False, "No competencies on file to sign off")
    if signed >= total:
        return Check("Competencies", True, f"All {total} competencies signed off")
    return Check("Competencies", False, f"{signed} of {total} competencies signed off")


def band_readiness(facts: BandFacts, rules: BandRules) -> BandReadiness:
    """Whether a trainee meets every requirement for the band above their current one."""
    current = facts.current_band
    if current is None:
        check = Check("Current band", False, "Current band not recorded")
        return BandReadiness(None, None, Checklist((check,)))
    rule = rules.get(current)
    if rule is None:
        check = Check("Next band", False, f"No band progression from Band {current} is set up")
        return BandReadiness(current, None, Checklist((check,)))
    return BandReadiness(current, rule.to_band, Checklist(tuple(_rule_checks(facts, rule))))
