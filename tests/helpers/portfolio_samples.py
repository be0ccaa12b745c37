"""Sample ``Portfolio`` values for the PDF renderer's tests, without a database.

Standards, criteria, competencies and KSBs come from the shipped reference files, so the
samples carry real titles and real lengths:

- :func:`sample_portfolio`: an apprentice 18 months in, most things signed, one revocation.
- :func:`long_portfolio`: the stress case: very long names, notes and evidence, a
  300-character unbroken word, characters the font lacks, XML specials, 200 Care
  Certificate criteria and 40 competencies with several records each, revocations included.
- :func:`empty_portfolio`: a new starter: nothing signed, no OTJ plan, no reviews.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from apdesk.domain.calendar import add_months, format_day
from apdesk.domain.checks import Check
from apdesk.services.portfolio_views import (
    ApprenticeDetails,
    AttendanceSection,
    BandLine,
    BandSection,
    BreakLine,
    CareCertificateSection,
    CompetencyEntry,
    CompetencyGroupEntry,
    CriterionEntry,
    KsbLine,
    ModuleLine,
    OtjPoint,
    OtjSummary,
    OutcomeEntry,
    Portfolio,
    ReviewLine,
    Signature,
    SignoffLine,
    StandardEntry,
    SupervisedPracticeSection,
)

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
SAMPLE_DIGEST = hashlib.sha256(b"APDesk sample portfolio").hexdigest()
LONG_DIGEST = hashlib.sha256(b"APDesk long portfolio").hexdigest()
EMPTY_DIGEST = hashlib.sha256(b"APDesk empty portfolio").hexdigest()

COMPETENT_MEANING = "Observed in practice and competent"
NOT_YET_COMPETENT_MEANING = "Observed in practice; not yet competent"
CRITERION_MEANING = "Assessed against the Care Certificate criterion and met"
REVOCATION_MEANING = "Revocation of an earlier sign-off"

UNBROKEN_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 6 + "X" * 30  # 300 characters
assert len(UNBROKEN_WORD) == 300

MENTOR = ("Maria Mentor", "Mentor, Mental health nurse", "NMC 12A3456E")
SECOND_MENTOR = ("Dev Okafor", "Mentor, Occupational therapist", "HCPC OT12345")
NO_REGISTRATION_MENTOR = ("Sam Whitfield", "Mentor, Clinical team leader", None)


@cache
def _reference(name: str) -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (RESOURCES / name).open(encoding="utf-8") as file:
        return yaml.load(file, Loader=loader)


def _signature(signer: tuple[str, str, str | None], at: datetime, meaning: str) -> Signature:
    name, role, registration = signer
    return Signature(name=name, role=role, registration=registration, signed_at=at, meaning=meaning)


class _RecordIds:
    def __init__(self) -> None:
        self.next_id = 100

    def take(self) -> int:
        self.next_id += 1
        return self.next_id


def _signoff(
    ids: _RecordIds,
    on: date,
    outcome: str,
    kind: str,
    evidence: str,
    signer: tuple[str, str, str | None],
    meaning: str,
) -> SignoffLine:
    return SignoffLine(
        record_id=ids.take(),
        assessed_on=on,
        outcome=outcome,
        evidence_kind=kind,
        evidence=evidence,
        signature=_signature(
            signer, datetime(on.year, on.month, on.day, 14, 5, tzinfo=UTC), meaning
        ),
        revokes_id=None,
        revocation_reason=None,
        revoked_by_id=None,
    )


def _revoked_and_resigned(
    ids: _RecordIds, first: SignoffLine, reason: str, again_on: date, again_evidence: str
) -> tuple[SignoffLine, ...]:
    """The history after ``first`` was withdrawn and then signed again."""
    revocation_on = first.assessed_on + timedelta(days=9)
    revocation = SignoffLine(
        record_id=ids.take(),
        assessed_on=revocation_on,
        outcome="Revocation",
        evidence_kind="",
        evidence="",
        signature=_signature(
            SECOND_MENTOR,
            datetime(revocation_on.year, revocation_on.month, revocation_on.day, 9, 40, tzinfo=UTC),
            REVOCATION_MEANING,
        ),
        revokes_id=first.record_id,
        revocation_reason=reason,
        revoked_by_id=None,
    )
    again = _signoff(
        ids,
        again_on,
        first.outcome,
        first.evidence_kind,
        again_evidence,
        MENTOR,
        first.signature.meaning,
    )
    return (replace(first, revoked_by_id=revocation.record_id), revocation, again)


# ---- Care Certificate ---------------------------------------------------------------------


def _care_certificate(
    ids: _RecordIds,
    *,
    start: date,
    signed_standards: int,
    criteria_limit: int | None,
    evidence: str,
    extra_records: bool,
) -> CareCertificateSection:
    data = _reference("care_certificate_2025.yaml")
    standards_data = data["standards"]
    trimmed = _trim_criteria(standards_data, criteria_limit)
    standards = []
    day = start + timedelta(days=14)
    for standard in standards_data:
        signs = standard["number"] <= signed_standards
        outcomes = []
        signed = total = 0
        last_signed: date | None = None
        for outcome in standard["outcomes"]:
            criteria = []
            for criterion in outcome["criteria"]:
                if criterion["code"] in trimmed:
                    continue
                total += 1
                records: tuple[SignoffLine, ...] = ()
                if signs:
                    day += timedelta(days=1)
                    kind = "Observed in practice" if criterion["observed"] else "Knowledge"
                    first = _signoff(
                        ids, day, "Signed off", kind, evidence, MENTOR, CRITERION_MEANING
                    )
                    records = (first,)
                    if criterion["code"] == "2.1a" or (extra_records and total % 9 == 0):
                        records = _revoked_and_resigned(
                            ids,
                            first,
                            "Signed against the wrong apprentice's observation notes; "
                            "re-observed on the ward.",
                            day + timedelta(days=16),
                            evidence,
                        )
                    signed += 1
                    last_signed = records[-1].assessed_on
                criteria.append(
                    CriterionEntry(
                        code=criterion["code"],
                        text=criterion["text"],
                        requires_observation=bool(criterion["observed"]),
                        status="Signed off" if records else "Not signed off",
                        records=records,
                    )
                )
            if criteria:
                outcomes.append(OutcomeEntry(outcome["code"], outcome["title"], tuple(criteria)))
        standards.append(
            StandardEntry(
                number=standard["number"],
                title=standard["title"],
                signed=signed,
                total=total,
                completed_on=last_signed if signed == total and total else None,
                outcomes=tuple(outcomes),
            )
        )
    completed = sum(s.signed for s in standards)
    whole = sum(s.total for s in standards)
    return CareCertificateSection(
        version="The Care Certificate (standards updated 2025)",
        summary=f"{completed} of {whole} criteria signed off across {len(standards)} standards.",
        complete=completed == whole,
        standards=tuple(standards),
    )


def _trim_criteria(standards: list[dict[str, Any]], limit: int | None) -> set[str]:
    """Codes to leave out so ``limit`` criteria remain: the last of the largest outcomes."""
    if limit is None:
        return set()
    outcomes = [o for s in standards for o in s["outcomes"]]
    excess = sum(len(o["criteria"]) for o in outcomes) - limit
    largest = sorted(outcomes, key=lambda o: -len(o["criteria"]))[:excess]
    return {o["criteria"][-1]["code"] for o in largest}


# ---- supervised practice and KSBs -------------------------------------------------------


def _framework_groups(extra_competencies: int, long_text: bool) -> list[dict[str, Any]]:
    groups = [dict(group) for group in _reference("competency_framework_mh_ap.yaml")["groups"]]
    if extra_competencies:
        extra_title = (
            "Additional trust competencies agreed with the employer for the community "
            "mental-health pathway, including " + UNBROKEN_WORD
            if long_text
            else "Additional trust competencies"
        )
        groups.append(
            {
                "code": "R6",
                "title": extra_title,
                "competencies": [
                    {
                        "code": f"R6.{n}",
                        "title": (
                            f"Trust competency {n}: safely supporting people with complex "
                            "co-occurring needs across inpatient, community and crisis "
                            "settings, with clear escalation to the registered professional"
                        ),
                        "ksbs": ["S1", "K2", "B1"],
                    }
                    for n in range(1, extra_competencies + 1)
                ],
            }
        )
    return groups


def _supervised_practice(
    ids: _RecordIds,
    *,
    start: date,
    groups_data: list[dict[str, Any]],
    signed_fraction: float,
    evidence: str,
    many_records: bool,
) -> SupervisedPracticeSection:
    setting = "Community mental health team (adult)"
    competencies_total = sum(len(g["competencies"]) for g in groups_data)
    to_sign = round(competencies_total * signed_fraction)
    day = start + timedelta(days=60)
    groups = []
    counted = 0
    for group in groups_data:
        entries = []
        for competency in group["competencies"]:
            counted += 1
            records: tuple[SignoffLine, ...] = ()
            status = "Not yet assessed"
            if counted <= to_sign:
                day += timedelta(days=5)
                first_try = _signoff(
                    ids,
                    day,
                    "Not yet competent",
                    setting,
                    evidence,
                    MENTOR,
                    NOT_YET_COMPETENT_MEANING,
                )
                competent = _signoff(
                    ids,
                    day + timedelta(days=21),
                    "Competent",
                    setting,
                    evidence,
                    NO_REGISTRATION_MENTOR if counted % 4 == 0 else MENTOR,
                    COMPETENT_MEANING,
                )
                records = (first_try, competent)
                if counted == 3 or (many_records and counted % 3 == 0):
                    records = (
                        first_try,
                        *_revoked_and_resigned(
                            ids,
                            competent,
                            "The observation was of a task delegated outside the agreed protocol.",
                            competent.assessed_on + timedelta(days=30),
                            evidence,
                        ),
                    )
                status = "Competent"
            elif counted == to_sign + 1:
                day += timedelta(days=5)
                records = (
                    _signoff(
                        ids,
                        day,
                        "Not yet competent",
                        setting,
                        evidence,
                        MENTOR,
                        NOT_YET_COMPETENT_MEANING,
                    ),
                )
                status = "Not yet competent"
            entries.append(
                CompetencyEntry(
                    code=competency["code"],
                    title=competency["title"],
                    ksb_codes=tuple(competency["ksbs"]),
                    status=status,
                    records=records,
                )
            )
        groups.append(CompetencyGroupEntry(group["code"], group["title"], tuple(entries)))
    signed = sum(g.signed for g in groups)
    return SupervisedPracticeSection(
        framework="Mental health Assistant Practitioner: key responsibilities (MH-AP 1.0)",
        summary=f"{signed} of {competencies_total} competencies signed off competent.",
        groups=tuple(groups),
    )


def _ksb_coverage(groups: tuple[CompetencyGroupEntry, ...], long_text: bool) -> tuple[KsbLine, ...]:
    lines = []
    for ksb in _reference("st0215_v1_1.yaml")["ksbs"]:
        mapped = [c for g in groups for c in g.competencies if ksb["code"] in c.ksb_codes]
        text = ksb["text"] + (f" ({UNBROKEN_WORD})" if long_text and ksb["code"] == "K1" else "")
        lines.append(
            KsbLine(
                code=ksb["code"],
                kind=str(ksb["kind"]).capitalize(),
                text=text,
                competencies=tuple(c.code for c in mapped),
                signed=tuple(c.code for c in mapped if c.status == "Competent"),
            )
        )
    return tuple(lines)


# ---- attendance, OTJ, reviews, bands --------------------------------------------------


def _otj_points(start: date, as_of: date, required: Decimal, months: int) -> tuple[OtjPoint, ...]:
    points = []
    month = 1
    while add_months(start, month) - timedelta(days=1) <= as_of:
        on = add_months(start, month) - timedelta(days=1)
        expected = (required * month / months).quantize(Decimal("0.1"))
        behind = Decimal("0.86") if month > 6 else Decimal("0.95")
        points.append(OtjPoint(on, expected, (expected * behind).quantize(Decimal("0.1"))))
        month += 1
    return tuple(points)


def _modules(long_text: bool) -> tuple[ModuleLine, ...]:
    names = [
        "Foundations of mental health practice",
        "Anatomy, physiology and pharmacology",
        "Evidence-based practice and research",
        "Leadership, supervision and teaching",
    ]
    if long_text:
        names.append(f"Optional module: {UNBROKEN_WORD}")
    return tuple(
        ModuleLine(
            module=name,
            sessions_marked=10 + index,
            attended=9 + index,
            late=index % 2,
            absent=1,
            annual_leave=index % 3,
            percentage=(Decimal(9 + index) * 100 / Decimal(10 + index)).quantize(Decimal("0.1")),
        )
        for index, name in enumerate(names)
    )


def _reviews(start: date, as_of: date, comment: str, count: int) -> tuple[ReviewLine, ...]:
    reviews = []
    for number in range(1, count + 1):
        due = add_months(start, 3 * number)
        if due > as_of:
            break
        held = due + timedelta(days=3)
        at = datetime(held.year, held.month, held.day, 11, 30, tzinfo=UTC)
        reviews.append(
            ReviewLine(
                review_id=number,
                due_date=due,
                held_on=held,
                state=f"Due {format_day(due)}, held {format_day(held)}",
                otj_hours_at_review=Decimal(40 * number),
                apprentice_comments=f"Review {number}: {comment}",
                employer_comments=(
                    "Progressing well on the ward; needs more practice presenting at MDT."
                ),
                provider_comments="On track for the academic modules.\nNo concerns raised.",
                apprentice_signed_at=at,
                employer_signatory="Priya Shah, Ward manager",
                employer_signed_at=at + timedelta(hours=2),
                provider_signatory=None if number == count else "Dr Tom Reed, Programme lead",
                provider_signed_at=None if number == count else at + timedelta(days=1),
            )
        )
    return tuple(reviews)


def _gateway(ready: bool) -> tuple[Check, ...]:
    return (
        Check("Status", True, "Status: on programme"),
        Check("Maths Level 2", True, "Maths Level 2 achieved"),
        Check("English Level 2", ready, "English Level 2 not met (working towards)"),
        Check("Foundation degree", False, "Foundation degree not yet awarded (180 credits)"),
        Check("OTJ hours", False, "312.0 h of 451.2 h required (139.2 h short)"),
        Check("Care Certificate", ready, "Care Certificate complete"),
        Check("Competencies", False, "24 of 29 competencies signed off"),
        Check("Employer confirmation", False, "The employer has not confirmed gateway readiness"),
    )


def _bands(start: date, long_text: bool) -> BandSection:
    reason = "Completed the trust's Band 3 induction and preceptorship."
    if long_text:
        reason = " ".join([reason] * 8) + " " + UNBROKEN_WORD
    history = (
        BandLine(
            1,
            "Band 3",
            None,
            start,
            "Priya Shah",
            reason,
            datetime(start.year, start.month, start.day, 8, 0, tzinfo=UTC),
            (),
        ),
        BandLine(
            2,
            "Band 4",
            "Band 3",
            add_months(start, 14),
            "Priya Shah",
            "Year 1 complete; acting as Band 4 under supervision.",
            datetime(2025, 11, 25, 14, 5, tzinfo=UTC),
            ("Attendance 84.0% (85% needed)",),
        ),
    )
    return BandSection(
        current_band="Band 4",
        next_band_checks=(
            Check("Time in training", True, "18 of 12 months in training"),
            Check("Care Certificate", True, "Care Certificate complete"),
            Check("Foundation degree", False, "Foundation degree not yet awarded"),
            Check("Attendance", False, "Attendance 84.0% (90% needed)"),
        ),
        next_band_summary="2 of 4 checks met for the next band.",
        history=history,
    )


def _apprentice(start: date, **overrides: Any) -> ApprenticeDetails:
    values: dict[str, Any] = {
        "name": "Aisha Thompson",
        "uln": "9876543210",
        "employee_number": "E104522",
        "email": "aisha.thompson@nhs.net",
        "employer": "Greater Manchester Mental Health NHS Foundation Trust",
        "sector": "NHS",
        "ics_area": "Greater Manchester",
        "region": "North West",
        "service_area": "Community mental health (adult)",
        "care_pathway": "Psychosis and early intervention",
        "cohort": "GM Sep 2024",
        "mentor": "Maria Mentor",
        "status": "On programme",
        "start_date": start,
        "planned_end_date": add_months(start, 24) - timedelta(days=1),
        "contracted_hours_per_week": Decimal("37.5"),
        "programme": "ST0215 v1.1 Assistant practitioner (health) (Level 5)",
        "competency_framework": "Mental health Assistant Practitioner: key responsibilities",
        "care_certificate_version": "The Care Certificate (standards updated 2025)",
        "maths": "Achieved",
        "maths_evidence_on": date(2024, 9, 3),
        "english": "Working towards",
        "english_evidence_on": None,
        "foundation_degree_credits": 180,
        "foundation_degree_awarded_on": None,
        "employer_confirmed_gateway_on": None,
    }
    values.update(overrides)
    return ApprenticeDetails(**values)


def _otj(start: date, as_of: date, *, long_text: bool) -> OtjSummary:
    required = Decimal("451.2")
    points = _otj_points(start, as_of, required, 24)
    expected, actual = points[-1].expected, points[-1].actual
    explanation = (
        "Required: 20% of 37.5 contracted hours a week over the practical period, less "
        "statutory leave: 451.2 h.",
        "Expected to date: the plan spreads the hours evenly over the months of the "
        "practical period.",
        "Actual: attended day-release sessions at 7.5 h each plus OTJ log entries.",
    )
    warnings = ("Actual hours are more than 10% behind the plan.",)
    exclusions = ("Mandatory trust training is not off-the-job training.",)
    if long_text:
        explanation += (f"A very long note: {UNBROKEN_WORD}",)
        warnings += tuple(f"Warning {n}: <b>not bold</b> & a detail" for n in range(1, 6))
    return OtjSummary(
        required=required,
        expected_to_date=expected,
        actual=actual,
        sentence=f"{actual} h of {expected} h expected by now; behind the plan.",
        explanation=explanation,
        warnings=warnings,
        exclusions=exclusions,
        points=points,
        logged_entries=23,
        logged_hours=Decimal("96.5"),
    )


def _attendance(start: date, as_of: date, *, long_text: bool) -> AttendanceSection:
    return AttendanceSection(
        summary="Attended 50 of 56 sessions (89.3%), 2 late",
        percentage=Decimal("89.3"),
        modules=_modules(long_text),
        otj=_otj(start, as_of, long_text=long_text),
    )


SAMPLE_EVIDENCE = (
    "Observed during a home visit with the care coordinator: explained the plan, "
    "checked understanding and recorded the visit on RiO the same day."
)

LONG_EVIDENCE = (
    "Observed over three shifts on the acute admissions ward <Ward 7 & Ward 9> and in the "
    "community team's clinic. The apprentice prepared the room, checked the equipment & "
    "consumables, explained the procedure to the person in plain language, obtained and "
    "recorded consent, carried out the task to the trust's protocol and recorded the "
    "outcome the same day; escalated one abnormal reading to the nurse in charge using "
    "SBAR.\nReflective account attached (3 pages). Characters the font lacks: 中文 ✓ 😀; "
    "and a reference code: " + UNBROKEN_WORD + " — then the note goes on for a while longer "
    "so that the record runs to many lines on the printed page and has to wrap."
)

SURGERY = "planned surgery and recovery; "

LONG_COMMENT = (
    "I have settled into the team and feel more confident with the care coordination "
    "tasks delegated to me. " * 12 + "\n\nSecond paragraph: " + UNBROKEN_WORD + " & <tags>."
)


def sample_portfolio() -> Portfolio:
    """An apprentice 18 months into a 24-month programme."""
    start, as_of = date(2024, 9, 9), date(2026, 3, 16)
    ids = _RecordIds()
    groups_data = _framework_groups(0, long_text=False)
    practice = _supervised_practice(
        ids,
        start=start,
        groups_data=groups_data,
        signed_fraction=0.8,
        evidence=SAMPLE_EVIDENCE,
        many_records=False,
    )
    return Portfolio(
        trainee_id=42,
        as_of=as_of,
        exported_at=datetime(2026, 3, 16, 15, 20, tzinfo=UTC),
        exported_by="Priya Shah",
        apprentice=_apprentice(start),
        breaks=(BreakLine(1, date(2025, 2, 3), date(2025, 3, 3), "Sickness absence"),),
        attendance=_attendance(start, as_of, long_text=False),
        care_certificate=_care_certificate(
            ids,
            start=start,
            signed_standards=12,
            criteria_limit=None,
            evidence=SAMPLE_EVIDENCE,
            extra_records=False,
        ),
        reviews=_reviews(start, as_of, "Settling in well; wants more time with the team.", 6),
        supervised_practice=practice,
        ksb_coverage=_ksb_coverage(practice.groups, long_text=False),
        bands=_bands(start, long_text=False),
        gateway=_gateway(ready=False),
        risks=("OTJ hours more than 10% behind the plan",),
        audit_head=hashlib.sha256(b"audit head").hexdigest(),
    )


def long_portfolio() -> Portfolio:
    """Everything as long as it plausibly gets, and then some."""
    start, as_of = date(2024, 9, 9), date(2026, 8, 28)
    ids = _RecordIds()
    groups_data = _framework_groups(11, long_text=True)  # 29 + 11 = 40 competencies
    practice = _supervised_practice(
        ids,
        start=start,
        groups_data=groups_data,
        signed_fraction=0.9,
        evidence=LONG_EVIDENCE,
        many_records=True,
    )
    name = (
        "Anna-Maria Konstantinopoulou-Wolfeschlegelsteinhausenbergerdorff "
        "Fitzgerald-Montgomery-Smythe de la Cruz O'Brien-Ngozi Adebayo-Thompson"
    )
    return Portfolio(
        trainee_id=9001,
        as_of=as_of,
        exported_at=datetime(2026, 8, 28, 23, 30, tzinfo=UTC),
        exported_by="Bartholomew Featherstonehaugh-Cholmondeley, Practice Education Facilitator",
        apprentice=_apprentice(
            start,
            name=name,
            employer=f"Northern Care Alliance NHS Foundation Trust & Partners ({UNBROKEN_WORD})",
            email=f"{UNBROKEN_WORD.lower()}@nhs.net",
            service_area="Community mental health <adult> & older adults' services",
            mentor="Maria Mentor (NMC 12A3456E), with Dev Okafor covering Tuesdays",
        ),
        breaks=(
            *(
                BreakLine(n, date(2025, n, 1), date(2025, n, 20), f"Break {n}: " + SURGERY * 6)
                for n in range(1, 5)
            ),
            BreakLine(5, date(2026, 6, 1), None, UNBROKEN_WORD),
        ),
        attendance=_attendance(start, as_of, long_text=True),
        care_certificate=_care_certificate(
            ids,
            start=start,
            signed_standards=16,
            criteria_limit=200,
            evidence=LONG_EVIDENCE,
            extra_records=True,
        ),
        reviews=_reviews(start, as_of, LONG_COMMENT, 8),
        supervised_practice=practice,
        ksb_coverage=_ksb_coverage(practice.groups, long_text=True),
        bands=_bands(start, long_text=True),
        gateway=_gateway(ready=True),
        risks=("OTJ hours more than 10% behind the plan", f"Unusual note: {UNBROKEN_WORD}"),
        audit_head=hashlib.sha256(b"long audit head").hexdigest(),
    )


def empty_portfolio() -> Portfolio:
    """A new starter ten days in: nothing signed, no OTJ plan, no reviews, no band decision."""
    start, as_of = date(2026, 9, 7), date(2026, 9, 17)
    ids = _RecordIds()
    practice = _supervised_practice(
        ids,
        start=start,
        groups_data=_framework_groups(0, long_text=False),
        signed_fraction=0.0,
        evidence="",
        many_records=False,
    )

    practice = replace(
        practice,
        groups=tuple(
            replace(
                g,
                competencies=tuple(
                    replace(c, status="Not yet assessed", records=()) for c in g.competencies
                ),
            )
            for g in practice.groups
        ),
    )
    return Portfolio(
        trainee_id=7,
        as_of=as_of,
        exported_at=datetime(2026, 9, 17, 9, 0, tzinfo=UTC),
        exported_by="Priya Shah",
        apprentice=_apprentice(
            start,
            name="Jordan Lee",
            uln=None,
            email=None,
            care_pathway=None,
            mentor=None,
            status="On programme",
            cohort="GM Sep 2026",
            maths="Not started",
            maths_evidence_on=None,
            english="Not started",
            foundation_degree_credits=0,
        ),
        breaks=(),
        attendance=AttendanceSection(
            summary="No sessions marked yet",
            percentage=None,
            modules=(),
            otj=OtjSummary(
                required=None,
                expected_to_date=None,
                actual=None,
                sentence="No OTJ plan yet: set the contracted hours and planned end date.",
                explanation=(),
                warnings=(),
                exclusions=(),
                points=(),
                logged_entries=0,
                logged_hours=Decimal(0),
            ),
        ),
        care_certificate=_care_certificate(
            ids,
            start=start,
            signed_standards=0,
            criteria_limit=None,
            evidence="",
            extra_records=False,
        ),
        reviews=(),
        supervised_practice=practice,
        ksb_coverage=_ksb_coverage(practice.groups, long_text=False),
        bands=BandSection(
            current_band=None,
            next_band_checks=(),
            next_band_summary="No current band is recorded, so no next band.",
            history=(),
        ),
        gateway=_gateway(ready=False),
        risks=(),
        audit_head=None,
    )
