"""The ST0215 EPA gateway (domain.md, "The national standard")."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

from apdesk.domain.enums import Level2Status as L
from apdesk.domain.gateway import GatewayFacts, gateway_checklist
from apdesk.domain.otj import OtjProgress


def _otj(actual: str, required: str = "417.6") -> OtjProgress:
    return OtjProgress(
        required=D(required),
        expected_to_date=D(required),
        actual=D(actual),
        percent_of_expected=None,
        behind=False,
        reason="",
    )


READY = GatewayFacts(
    maths=L.ACHIEVED,
    english=L.EXEMPT,
    care_certificate_complete=True,
    competencies_signed=40,
    competencies_total=40,
    foundation_degree_awarded=False,
    foundation_degree_credits=200,
    required_credits=200,
    otj=_otj("420.5"),
    employer_confirmed=True,
)


def test_ready_for_gateway() -> None:
    checklist = gateway_checklist(READY)
    assert checklist.met
    assert [c.reason for c in checklist.checks] == [
        "Maths Level 2 achieved",
        "English Level 2 exempt",
        "Care Certificate complete",
        "All 40 competencies signed off",
        "Foundation degree credits achieved (200 of 200 credits)",
        "OTJ 420.5 h of 417.6 h required",
        "Employer confirms the apprentice works at the standard",
    ]


def test_every_gateway_reason() -> None:
    facts = replace(
        READY,
        maths=L.WORKING_TOWARDS,
        english=L.NOT_STARTED,
        care_certificate_complete=False,
        competencies_signed=18,
        competencies_total=20,
        foundation_degree_credits=180,
        otj=_otj("400.0"),
        employer_confirmed=False,
    )
    assert gateway_checklist(facts).unmet_reasons == (
        "Maths Level 2 not met (working towards)",
        "English Level 2 not met (not started)",
        "Care Certificate not complete",
        "18 of 20 competencies signed off",
        "Foundation degree not yet awarded (180 of 200 credits)",
        "OTJ 400.0 h of 417.6 h required (17.6 h short)",
        "Employer has not yet confirmed the apprentice works at the standard",
    )


def test_awarded_degree_meets_the_level_5_rule_whatever_the_credits() -> None:
    facts = replace(READY, foundation_degree_awarded=True, foundation_degree_credits=0)
    assert gateway_checklist(facts).met


def test_an_otj_plan_with_no_required_hours_is_not_met() -> None:
    # A missing fixed minimum (post-Aug-2025 starts) leaves required at 0: flag it.
    assert gateway_checklist(replace(READY, otj=_otj("300.0", "0.0"))).unmet_reasons == (
        "No required OTJ hours are set; check the OTJ plan",
    )


def test_no_competencies_on_file_is_not_met() -> None:
    facts = replace(READY, competencies_signed=0, competencies_total=0)
    assert gateway_checklist(facts).unmet_reasons == ("No competencies on file to sign off",)
