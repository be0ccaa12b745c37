"""The end-point assessment gateway for ST0215: everything that must be in place before EPA.

Each gateway requirement is one check with a sentence, so the gateway screen and the
portfolio show what is outstanding, in the order an education lead works through them.
"""

from __future__ import annotations

from dataclasses import dataclass

from apdesk.domain.bands import competencies_check
from apdesk.domain.checks import Check, Checklist
from apdesk.domain.enums import Level2Status
from apdesk.domain.otj_learning import OtjProgress
from apdesk.domain.units import format_hours


@dataclass(frozen=True)
class GatewayFacts:
    maths: Level2Status
    english: Level2Status
    care_certificate_complete: bool
    competencies_signed: int
    competencies_total: int
    foundation_degree_awarded: bool
    foundation_degree_credits: int
    required_credits: int
    otj: OtjProgress
    employer_confirmed: bool


def _level2_check(subject: str, status: Level2Status) -> Check:
    if status.is_met:
        return Check(f"{subject} Level 2", True, f"{subject} Level 2 {status.value}")
    words = status.value.replace("_", " ")
    return Check(f"{subject} Level 2", False, f"{subject} Level 2 not met ({words})")


def _level5_check(facts: GatewayFacts) -> Check:
    name = "Level 5 qualification"
    credits = f"{facts.foundation_degree_credits} of {facts.required_credits} credits"
    if facts.foundation_degree_awarded:
        return Check(name, True, "Foundation degree awarded")
    if facts.foundation_degree_credits >= facts.required_credits:
        return Check(name, True, f"Foundation degree credits achieved ({credits})")
    return Check(name, False, f"Foundation degree not yet awarded ({credits})")


def _otj_check(otj: OtjProgress) -> Check:
    name = "OTJ hours"
    if otj.required <= 0:
        return Check(name, False, "No required OTJ hours are set; check the OTJ plan")
    done = f"OTJ {format_hours(otj.actual)} of {format_hours(otj.required)} required"
    if otj.actual >= otj.required:
        return Check(name, True, done)
    short = f"{format_hours(otj.required - otj.actual)} short"
    return Check(name, False, f"{done} ({short})")


def gateway_checklist(facts: GatewayFacts) -> Checklist:
    """Every gateway requirement, met or not, each with its reason."""
    care = facts.care_certificate_complete
    employer = facts.employer_confirmed
    return Checklist(
        (
            _level2_check("Maths", facts.maths),
            _level2_check("English", facts.english),
            Check(
                "Care Certificate",
                care,
                "Care Certificate complete" if care else "Care Certificate not complete",
            ),
            competencies_check(facts.competencies_signed, facts.competencies_total),
            _level5_check(facts),
            _otj_check(facts.otj),
            Check(
                "Employer confirmation",
                employer,
                "Employer confirms the apprentice works at the standard"
                if employer
                else "Employer has not yet confirmed the apprentice works at the standard",
            ),
        )
    )
