"""Adding and editing a trainee: one set of rules, shared with the import, each problem named
by its field, and every save audited with what changed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry, CareCertificateVersion, Trainee
from apdesk.domain.enums import TraineeStatus
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.trainee_import import import_trainees
from apdesk.services.trainees import (
    TraineeDetails,
    TraineeDetailsRefusedError,
    add_trainee,
    check_trainee_details,
    trainee_details,
    update_trainee,
)
from tests.helpers.builders import SmallProgramme, add_small_programme
from tests.helpers.builders import add_trainee as build
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.import_files import good_row, write_csv
from tests.helpers.trainees import add_employer, add_people, valid_details

TODAY = date(2026, 11, 25)


@pytest.fixture
def programme(database: Database) -> SmallProgramme:
    return add_small_programme(database)


def audits(database: Database, action: str) -> list[AuditEntry]:
    with database.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_new_trainee_is_saved_with_every_field_and_audited(
    database: Database, programme: SmallProgramme
) -> None:
    details = valid_details(
        database,
        programme,
        uln=" 9276 308686 ",
        foundation_degree_credits=120,
        employer_confirmed_gateway_on=date(2026, 9, 1),
    )

    trainee_id = add_trainee(database, TEST_ACTOR, details, today=TODAY)

    saved = trainee_details(database, TEST_ACTOR, trainee_id)
    assert saved == replace(details, uln="9276308686", care_certificate_version="2015")
    with database.read() as session:
        trainee = session.get(Trainee, trainee_id)
        assert trainee is not None
        assert trainee.standard_id is not None and trainee.competency_framework_id is not None
        assert trainee.contracted_hours_per_week == Decimal("37.5")
    [entry] = audits(database, "add")
    assert entry.trainee_id == trainee_id and entry.actor_name == TEST_ACTOR.name
    after = json.loads(entry.after or "{}")
    assert after["uln"] == "9276308686" and after["english_status"] == "working_towards"


def test_the_care_certificate_version_follows_the_start_date_unless_chosen(
    database: Database, programme: SmallProgramme
) -> None:
    late = valid_details(database, programme, start_date=date(2025, 9, 1))
    chosen = valid_details(
        database,
        programme,
        employee_number="ESR2",
        uln=None,
        start_date=date(2025, 9, 1),
        care_certificate_version="2015",
    )
    late_id = add_trainee(database, TEST_ACTOR, late, today=TODAY)
    chosen_id = add_trainee(database, TEST_ACTOR, chosen, today=TODAY)
    with database.read() as session:
        codes = dict(
            session.execute(
                select(Trainee.id, CareCertificateVersion.code).join(
                    CareCertificateVersion,
                    CareCertificateVersion.id == Trainee.care_certificate_version_id,
                )
            ).all()
        )
    assert codes == {late_id: "2025", chosen_id: "2015"}


def test_a_bad_uln_is_an_error_and_the_temporary_uln_only_a_warning(
    database: Database, programme: SmallProgramme
) -> None:
    bad = check_trainee_details(
        database, TEST_ACTOR, valid_details(database, programme, uln="1234567890")
    )
    assert bad.errors == {"uln": "ULN 1234567890 fails its check digit"}
    assert not bad.ok

    temporary = check_trainee_details(
        database, TEST_ACTOR, valid_details(database, programme, uln="9999999999")
    )
    assert temporary.ok and temporary.errors == {}
    assert temporary.warnings == {
        "uln": "ULN 9999999999 is the temporary ULN: replace it with the learner's real ULN"
    }


def test_every_required_field_is_named(database: Database) -> None:
    check = check_trainee_details(database, TEST_ACTOR, TraineeDetails(), today=TODAY)
    assert check.errors == {
        "first_name": "first name is required",
        "last_name": "last name is required",
        "employee_number": "employee number is required",
        "employer_id": "employer is required",
        "service_area_id": "service area is required",
        "cohort_id": "cohort is required",
        "contracted_hours_per_week": "contracted hours is required",
        "start_date": "start date is required",
        "planned_end_date": "planned end date is required",
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"planned_end_date": date(2024, 9, 9)},
            "planned_end_date",
            "planned end date 9 Sep 2024 is not after the start date",
        ),
        (
            {"contracted_hours_per_week": Decimal(0)},
            "contracted_hours_per_week",
            "contracted hours 0 must be more than 0 and at most 48",
        ),
        (
            {"contracted_hours_per_week": Decimal("48.5")},
            "contracted_hours_per_week",
            "contracted hours 48.5 must be more than 0 and at most 48",
        ),
        (
            {"maths_evidence_on": date(2026, 11, 26)},
            "maths_evidence_on",
            "maths evidence date 26 Nov 2026 is in the future",
        ),
        (
            {"foundation_degree_awarded_on": date(2027, 1, 1)},
            "foundation_degree_awarded_on",
            "foundation degree award date 1 Jan 2027 is in the future",
        ),
        ({"email": "kofi at nhs"}, "email", "e-mail address 'kofi at nhs' is not a valid address"),
        (
            {"status": TraineeStatus.BREAK_IN_LEARNING},
            "status",
            "a break in learning is started with 'Start break…', not here",
        ),
    ],
)
def test_each_rule_names_its_field(
    database: Database,
    programme: SmallProgramme,
    overrides: dict[str, object],
    field: str,
    message: str,
) -> None:
    check = check_trainee_details(
        database, TEST_ACTOR, valid_details(database, programme, **overrides), today=TODAY
    )
    assert check.errors == {field: message}


def test_48_hours_and_evidence_dated_today_are_allowed(
    database: Database, programme: SmallProgramme
) -> None:
    details = valid_details(
        database, programme, contracted_hours_per_week=Decimal(48), maths_evidence_on=TODAY
    )
    assert check_trainee_details(database, TEST_ACTOR, details, today=TODAY).errors == {}


def test_duplicates_are_refused_but_a_trainee_keeps_their_own_numbers(
    database: Database, programme: SmallProgramme
) -> None:
    asha = build(database, programme, employee_number="E1001", uln="9276308686")
    other_employer = add_employer(database)

    same_staff = valid_details(database, programme, employee_number="e1001", uln=None)
    assert check_trainee_details(database, TEST_ACTOR, same_staff).errors == {
        "employee_number": "employee number e1001 at Test Trust NHS FT is already in APDesk"
    }
    elsewhere = replace(same_staff, employer_id=other_employer)
    assert check_trainee_details(database, TEST_ACTOR, elsewhere).errors == {}

    same_uln = valid_details(database, programme, uln="9276308686")
    assert check_trainee_details(database, TEST_ACTOR, same_uln).errors == {
        "uln": "ULN 9276308686 already belongs to Asha Patel"
    }
    own = trainee_details(database, TEST_ACTOR, asha)
    assert (
        check_trainee_details(database, TEST_ACTOR, own, trainee_id=asha, today=TODAY).errors == {}
    )


def test_the_temporary_uln_may_be_shared(database: Database, programme: SmallProgramme) -> None:
    build(database, programme, uln="9999999999")
    check = check_trainee_details(
        database, TEST_ACTOR, valid_details(database, programme, uln="9999999999")
    )
    assert check.errors == {} and "uln" in check.warnings


def test_a_refused_add_lists_every_problem_and_saves_nothing(
    database: Database, programme: SmallProgramme
) -> None:
    details = valid_details(database, programme, uln="1234567890", last_name=" ")

    with pytest.raises(ActionRefusedError) as refusal:
        add_trainee(database, TEST_ACTOR, details, today=TODAY)

    assert isinstance(refusal.value, TraineeDetailsRefusedError)
    assert str(refusal.value) == "Last name is required\nULN 1234567890 fails its check digit"
    assert set(refusal.value.problems) == {"last_name", "uln"}
    with database.read() as session:
        assert session.scalar(select(func.count(Trainee.id))) == 0
    assert audits(database, "add") == []


def test_an_edit_saves_and_audits_only_what_changed(
    database: Database, programme: SmallProgramme
) -> None:
    trainee_id = build(database, programme)
    details = trainee_details(database, TEST_ACTOR, trainee_id)
    changed = replace(details, uln="9999999999", contracted_hours_per_week=Decimal(30))

    update_trainee(database, TEST_ACTOR, trainee_id, changed, today=TODAY)
    update_trainee(database, TEST_ACTOR, trainee_id, changed, today=TODAY)  # no change: no entry

    assert trainee_details(database, TEST_ACTOR, trainee_id) == changed
    [entry] = audits(database, "edit")
    assert json.loads(entry.before or "{}") == {
        "contracted_hours_per_week": "37.5",
        "uln": "9276308686",
    }
    assert json.loads(entry.after or "{}") == {
        "contracted_hours_per_week": "30",
        "uln": "9999999999",
    }
    assert entry.summary == "Edited Asha Patel: uln, contracted hours per week"


def test_a_refused_edit_changes_nothing(database: Database, programme: SmallProgramme) -> None:
    trainee_id = build(database, programme)
    before = trainee_details(database, TEST_ACTOR, trainee_id)
    with pytest.raises(ActionRefusedError, match="fails its check digit"):
        update_trainee(
            database, TEST_ACTOR, trainee_id, replace(before, uln="1234567890"), today=TODAY
        )
    assert trainee_details(database, TEST_ACTOR, trainee_id) == before


def test_the_import_applies_the_same_rules_in_its_own_date_format(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    row = good_row(programme, 1) | {"maths_level2": "achieved"}
    headers = [*row, "maths_evidence_date"]
    path = write_csv(tmp_path / "t.csv", [row | {"maths_evidence_date": "26/11/2026"}], headers)

    report = import_trainees(database, path, TEST_ACTOR, today=TODAY)

    assert [str(problem) for problem in report.errors] == [
        "Row 2: maths evidence date 26/11/2026 is in the future"
    ]


# -- who may do what ----------------------------------------------------------------------
EDITORS_ONLY = "that needs an education lead or administrator account."


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", None),
        ("mentor", f"Mo Mentor cannot add or edit trainees: {EDITORS_ONLY}"),
        ("apprentice", f"Asha Account cannot add or edit trainees: {EDITORS_ONLY}"),
        ("nobody", "Sign in to add or edit trainees."),
    ],
)
def test_only_education_leads_and_administrators_add_trainees(
    database: Database, programme: SmallProgramme, who: str, refusal: str | None
) -> None:
    people = add_people(database, build(database, programme))
    details = valid_details(database, programme, uln="9999999999", employee_number="N1")

    if refusal is None:
        new_id = add_trainee(database, people[who], details, today=TODAY)
        assert trainee_details(database, TEST_ACTOR, new_id).employee_number == "N1"
        assert check_trainee_details(database, people[who], details).errors  # now a repeat
    else:
        with pytest.raises(PermissionDeniedError) as refused:
            add_trainee(database, people[who], details, today=TODAY)
        assert str(refused.value) == refusal
        with pytest.raises(PermissionDeniedError) as refused_check:
            check_trainee_details(database, people[who], details)  # it names ULN holders
        assert str(refused_check.value) == refusal
        with database.read() as session:
            assert session.scalar(select(func.count(Trainee.id))) == 1
        assert audits(database, "add") == []


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("lead", True),
        ("admin", True),
        ("mentor", False),  # the assigned mentor reads, but does not edit
        ("apprentice", False),  # nor does the apprentice edit their own record
    ],
)
def test_only_education_leads_and_administrators_edit_trainees(
    database: Database, programme: SmallProgramme, who: str, allowed: bool
) -> None:
    trainee_id = build(database, programme)
    people = add_people(database, trainee_id)
    before = trainee_details(database, TEST_ACTOR, trainee_id)
    changed = replace(before, care_pathway="Crisis team")

    if allowed:
        update_trainee(database, people[who], trainee_id, changed, today=TODAY)
        assert trainee_details(database, TEST_ACTOR, trainee_id) == changed
    else:
        with pytest.raises(PermissionDeniedError) as refused:
            update_trainee(database, people[who], trainee_id, changed, today=TODAY)
        assert (
            str(refused.value) == f"{people[who].name} cannot add or edit trainees: {EDITORS_ONLY}"
        )
        assert trainee_details(database, TEST_ACTOR, trainee_id) == before
        assert audits(database, "edit") == []


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", None),
        ("mentor", None),
        ("apprentice", None),
        ("other_mentor", "Olu Other cannot see Asha Patel's records."),
        ("other_apprentice", "Oona Other cannot see Asha Patel's records."),
        ("nobody", "Sign in to see trainees' records."),
    ],
)
def test_a_trainees_details_are_read_by_staff_their_mentor_and_themselves(
    database: Database, programme: SmallProgramme, who: str, refusal: str | None
) -> None:
    trainee_id = build(database, programme)
    people = add_people(database, trainee_id)

    if refusal is None:
        assert trainee_details(database, people[who], trainee_id).full_name == "Asha Patel"
    else:
        with pytest.raises(PermissionDeniedError) as refused:
            trainee_details(database, people[who], trainee_id)
        assert str(refused.value) == refusal
