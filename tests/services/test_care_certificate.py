"""Care Certificate sign-offs: what the database holds after signing, revoking and signing
again; the rules that refuse a sign-off; both versions; the cohort matrix; and who may read
and sign (the assigned mentor, signed in, password re-entered), role by role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry, CriterionSignoff
from apdesk.domain.enums import EvidenceType, Role, TraineeStatus
from apdesk.services import signoff_records
from apdesk.services.accounts import SignInRefusedError, set_active
from apdesk.services.actors import Actor
from apdesk.services.care_certificate import (
    care_certificate_overview,
    cohort_matrix,
    criterion_history,
    revoke_criterion_signoff,
    sign_off_criterion,
    standard_detail,
)
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.signatures import CRITERION_MEANING, REVOCATION_MEANING
from tests.helpers.builders import SmallProgramme, add_small_programme, add_trainee
from tests.helpers.care_certificate import (
    CriterionRef,
    add_user,
    counting_statements,
    criteria_of,
    sign,
    version_id,
)
from tests.helpers.fixtures import ADMIN_ACTOR, TEST_ACTOR
from tests.helpers.practice import (
    PASSWORD,
    WRONG_PASSWORD,
    failed_sign_ins,
    set_trainee,
    signed_in,
)

START = date(2024, 9, 9)  # the small programme's cohort start: a 2015-version trainee
TODAY = date(2024, 11, 20)


@dataclass(frozen=True)
class Setting:
    programme: SmallProgramme
    trainee_id: int
    mentor_id: int
    mentor: Actor  # Maria Mentor, signed in: Asha Patel's assigned mentor


@pytest.fixture
def setting(database: Database) -> Setting:
    programme = add_small_programme(database, cohort_start=START)
    trainee_id = add_trainee(database, programme)
    mentor = signed_in(database, programme.mentor_id)
    return Setting(programme, trainee_id, programme.mentor_id, mentor)


def _sign_off(
    database: Database,
    s: Setting,
    criterion: CriterionRef,
    *,
    actor: Actor | None = None,
    **changes: object,
) -> int:
    values: dict[str, object] = {
        "trainee_id": s.trainee_id,
        "criterion_id": criterion.id,
        "password": PASSWORD,
        "evidence_type": EvidenceType.OBSERVED_IN_PRACTICE,
        "assessed_on": date(2024, 10, 1),
        "evidence": "Watched Asha explain her duties to a new starter",
        "today": TODAY,
    }
    values.update(changes)
    return sign_off_criterion(database, actor or s.mentor, **values).record_id  # type: ignore[arg-type]


def _revoke(database: Database, s: Setting, signoff_id: int, reason: str, **changes: object):
    values: dict[str, object] = {"signoff_id": signoff_id, "password": PASSWORD, "reason": reason}
    values.update(changes)
    actor = values.pop("actor", s.mentor)
    return revoke_criterion_signoff(database, actor, **values)  # type: ignore[arg-type]


def _signoff_count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(CriterionSignoff.id))) or 0


def _audit(database: Database) -> list[AuditEntry]:
    with database.read() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def test_a_2015_trainee_has_15_standards_and_nothing_signed(
    database: Database, setting: Setting
) -> None:
    view = care_certificate_overview(database, TEST_ACTOR, setting.trainee_id)

    assert view.version_label == "2015 version, 15 standards"
    assert [s.number for s in view.standards] == list(range(1, 16))
    assert view.standards[3].title == "Equality and diversity"
    assert view.standards[0].total == 16
    assert (view.signed, view.complete, view.completed_on) == (0, False, None)
    assert view.mentor_id == setting.mentor_id


def test_a_2025_trainee_has_16_standards(database: Database, setting: Setting) -> None:
    trainee = add_trainee(
        database,
        setting.programme,
        employee_number="E2025",
        care_certificate_version_id=version_id(database, "2025"),
    )
    view = care_certificate_overview(database, TEST_ACTOR, trainee)

    assert view.version_label == "2025 version, 16 standards"
    assert view.standards[3].title == "Equality, diversity, inclusion and human rights"
    assert view.standards[15].title == "Awareness of learning disability and autism"
    assert view.standards[15].total == 7


def test_signing_off_stores_the_signature_and_an_audit_entry(
    database: Database, setting: Setting
) -> None:
    criterion = criteria_of(database, "2015", 1)[0]  # 1.1a, knowledge

    result = sign_off_criterion(
        database,
        setting.mentor,
        trainee_id=setting.trainee_id,
        criterion_id=criterion.id,
        password=PASSWORD,
        evidence_type="knowledge",
        assessed_on=date(2024, 10, 1),
        evidence="  Workbook section 1 answers checked  ",
        today=TODAY,
    )

    with database.read() as session:
        stored = session.get(CriterionSignoff, result.record_id)
        assert stored is not None
        assert stored.trainee_id == setting.trainee_id
        assert stored.evidence_type is EvidenceType.KNOWLEDGE
        assert stored.evidence == "Workbook section 1 answers checked"
        assert (stored.signer_name, stored.signer_registration) == ("Maria Mentor", "NMC 12A3456E")
        assert (stored.signer_id, stored.signer_role) == (setting.mentor_id, "Mentor")
        assert stored.signed_at.utcoffset() == timedelta(0)  # stored in UTC
        assert stored.meaning == CRITERION_MEANING
        assert stored.revokes_id is None
    [entry] = _audit(database)
    assert (entry.action, entry.entity, entry.entity_id) == (
        "sign_off",
        "criterion_signoff",
        result.record_id,
    )
    assert entry.trainee_id == setting.trainee_id
    assert entry.actor_name == "Maria Mentor"
    assert '"criterion": "1.1a"' in (entry.after or "")

    detail = standard_detail(database, setting.mentor, setting.trainee_id, 1)
    first = detail.criteria[0]
    assert first.code == "1.1a" and first.current is not None
    assert first.current.assessed_on == date(2024, 10, 1)
    assert first.current.signer == "Maria Mentor (NMC 12A3456E)"
    assert first.current.evidence_label == "Knowledge evidence"
    assert (detail.signed, detail.total) == (1, 16)
    assert (
        care_certificate_overview(database, TEST_ACTOR, setting.trainee_id).standards[0].signed == 1
    )
    assert result.standard.signed == 1


def test_sign_revoke_and_sign_again(database: Database, setting: Setting) -> None:
    criterion = criteria_of(database, "2015", 1)[2]  # 1.1c, must be observed
    first = _sign_off(database, setting, criterion)

    with pytest.raises(ActionRefusedError, match="already signed off by Maria Mentor"):
        _sign_off(database, setting, criterion)

    for short in ("", "   wrong   "):
        with pytest.raises(ActionRefusedError, match="at least 10 characters"):
            _revoke(database, setting, first, short)
    revoked = _revoke(database, setting, first, "Signed against the wrong apprentice", today=TODAY)
    with pytest.raises(ActionRefusedError, match="already revoked"):
        _revoke(database, setting, first, "Second attempt at the same thing")
    with pytest.raises(ActionRefusedError, match="cannot itself be revoked"):
        _revoke(database, setting, revoked.record_id, "Undo the revocation please")

    after_revoke = standard_detail(database, setting.mentor, setting.trainee_id, 1).criteria[2]
    assert after_revoke.current is None and after_revoke.has_revoked
    second = _sign_off(database, setting, criterion, assessed_on=date(2024, 11, 1))

    with database.read() as session:
        revocation = session.get(CriterionSignoff, revoked.record_id)
        assert revocation is not None
        assert revocation.revokes_id == first
        assert revocation.revocation_reason == "Signed against the wrong apprentice"
        assert revocation.meaning == REVOCATION_MEANING
        assert revocation.evidence_type is None
    history = criterion_history(database, setting.mentor, setting.trainee_id, criterion.id)
    assert [h.record.signoff_id for h in history] == [first, revoked.record_id, second]
    assert [h.state for h in history] == ["Revoked", f"Revokes #{first}", "Current"]
    assert history[0].revoked_by_id == revoked.record_id
    current = standard_detail(database, setting.mentor, setting.trainee_id, 1).criteria[2]
    assert current.current is not None and current.current.signoff_id == second
    assert current.has_revoked
    assert [e.action for e in _audit(database)] == ["sign_off", "revoke", "sign_off"]
    assert "Signed against the wrong apprentice" in _audit(database)[1].summary


def test_a_criterion_needing_observation_refuses_knowledge_evidence(
    database: Database, setting: Setting
) -> None:
    observed = criteria_of(database, "2015", 1)[2]
    knowledge = criteria_of(database, "2015", 1)[0]
    assert observed.requires_observation and not knowledge.requires_observation

    with pytest.raises(ActionRefusedError, match=r"^1\.1c must be observed in practice"):
        _sign_off(database, setting, observed, evidence_type=EvidenceType.KNOWLEDGE)
    assert _signoff_count(database) == 0
    assert _audit(database) == []

    _sign_off(database, setting, knowledge, evidence_type=EvidenceType.OBSERVED_IN_PRACTICE)
    assert _signoff_count(database) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"assessed_on": TODAY + timedelta(days=1)}, "21 Nov 2024 is in the future"),
        ({"assessed_on": START - timedelta(days=1)}, "before Asha Patel started on 9 Sep 2024"),
        ({"evidence": "   "}, "Describe the evidence"),
        ({"evidence_type": "hearsay"}, "'hearsay' is not a kind of evidence"),
    ],
)
def test_bad_dates_and_empty_evidence_are_refused(
    database: Database, setting: Setting, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ActionRefusedError, match=message):
        _sign_off(database, setting, criteria_of(database, "2015", 1)[2], **changes)
    assert _signoff_count(database) == 0


def test_only_an_active_mentor_can_sign(database: Database, setting: Setting) -> None:
    criterion = criteria_of(database, "2015", 1)[2]
    lead = signed_in(
        database, add_user(database, "lead.person", role=Role.EDUCATION_LEAD, full_name="Lee Lead")
    )

    with pytest.raises(
        PermissionDeniedError,
        match=r"^Lee Lead cannot sign off Care Certificate criteria: that needs a mentor account",
    ):
        _sign_off(database, setting, criterion, actor=lead)
    set_active(database, ADMIN_ACTOR, setting.mentor_id, False)
    with pytest.raises(SignInRefusedError, match="Maria Mentor's account is deactivated"):
        _sign_off(database, setting, criterion)
    assert _signoff_count(database) == 0


def test_a_mentor_not_assigned_to_the_apprentice_is_refused(
    database: Database, setting: Setting
) -> None:
    criterion = criteria_of(database, "2015", 1)[2]
    first = _sign_off(database, setting, criterion)
    other = signed_in(database, add_user(database, "sam.second", full_name="Sam Second"))
    message = (
        "Sam Second is not Asha Patel's assigned mentor, so cannot sign off their practice. "
        "An education lead can change the assigned mentor."
    )

    with pytest.raises(PermissionDeniedError) as refused:
        _sign_off(database, setting, criteria_of(database, "2015", 1)[0], actor=other)
    assert str(refused.value) == message
    with pytest.raises(PermissionDeniedError) as refused:
        _revoke(database, setting, first, "Signed on the wrong day", actor=other)
    assert str(refused.value) == message
    assert _signoff_count(database) == 1


@pytest.mark.parametrize(
    ("role", "name"),
    [
        (Role.APPRENTICE, "Asha Patel"),
        (Role.EDUCATION_LEAD, "Eve Lead"),
        (Role.ADMINISTRATOR, "Ada Admin"),
    ],
)
def test_only_mentors_sign_criteria(
    database: Database, setting: Setting, role: Role, name: str
) -> None:
    user_id = add_user(database, "someone", role=role, full_name=name)
    if role is Role.APPRENTICE:  # Asha herself
        set_trainee(database, setting.trainee_id, account_id=user_id)
    with pytest.raises(PermissionDeniedError) as refused:
        _sign_off(
            database,
            setting,
            criteria_of(database, "2015", 1)[0],
            actor=signed_in(database, user_id),
        )
    assert str(refused.value) == (
        f"{name} cannot sign off Care Certificate criteria: that needs a mentor account."
    )
    assert _signoff_count(database) == 0


def test_nobody_signs_off_their_own_criteria(database: Database, setting: Setting) -> None:
    set_trainee(database, setting.trainee_id, account_id=setting.mentor_id)
    with pytest.raises(PermissionDeniedError, match=r"^Nobody signs off their own work\.$"):
        _sign_off(database, setting, criteria_of(database, "2015", 1)[0])
    assert _signoff_count(database) == 0


def test_a_wrong_password_signs_no_criterion(database: Database, setting: Setting) -> None:
    criterion = criteria_of(database, "2015", 1)[0]
    with pytest.raises(SignInRefusedError) as refused:
        _sign_off(database, setting, criterion, password=WRONG_PASSWORD)
    assert str(refused.value) == (
        "The password is not right (4 more tries before the account locks). Nothing was signed."
    )
    assert _signoff_count(database) == 0
    assert [e.action for e in _audit(database)] == []
    assert failed_sign_ins(database, setting.mentor_id) == 1

    first = _sign_off(database, setting, criterion)  # the right one: the count starts again
    with pytest.raises(SignInRefusedError, match="4 more tries"):
        _revoke(database, setting, first, "Signed on the wrong day", password=WRONG_PASSWORD)
    with pytest.raises(SignInRefusedError, match="3 more tries"):
        _revoke(database, setting, first, "Signed on the wrong day", password=WRONG_PASSWORD)
    assert _signoff_count(database) == 1
    assert failed_sign_ins(database, setting.mentor_id) == 2


def test_who_reads_a_trainees_certificate(database: Database, setting: Setting) -> None:
    criterion = criteria_of(database, "2015", 1)[0]
    _sign_off(database, setting, criterion, evidence_type=EvidenceType.KNOWLEDGE)
    asha_id = add_user(database, "asha", role=Role.APPRENTICE, full_name="Asha Patel")
    set_trainee(database, setting.trainee_id, account_id=asha_id)
    asha = signed_in(database, asha_id)

    for reader in (asha, setting.mentor, TEST_ACTOR, ADMIN_ACTOR):
        assert care_certificate_overview(database, reader, setting.trainee_id).signed == 1
        assert standard_detail(database, reader, setting.trainee_id, 1).signed == 1
        assert len(criterion_history(database, reader, setting.trainee_id, criterion.id)) == 1

    ben = signed_in(
        database, add_user(database, "ben", role=Role.APPRENTICE, full_name="Ben Jones")
    )
    other = signed_in(database, add_user(database, "sam.second", full_name="Sam Second"))
    for outsider in (ben, other):
        refusal = rf"^{outsider.name} cannot see Asha Patel's records\.$"
        with pytest.raises(PermissionDeniedError, match=refusal):
            care_certificate_overview(database, outsider, setting.trainee_id)
        with pytest.raises(PermissionDeniedError, match=refusal):
            standard_detail(database, outsider, setting.trainee_id, 1)
        with pytest.raises(PermissionDeniedError, match=refusal):
            criterion_history(database, outsider, setting.trainee_id, criterion.id)


def test_the_matrix_is_for_staff_and_a_mentors_own_apprentices(
    database: Database, setting: Setting
) -> None:
    sam_id = add_user(database, "sam.second", full_name="Sam Second")
    ben = add_trainee(
        database,
        setting.programme,
        first_name="Ben",
        last_name="Adams",
        employee_number="E2",
        mentor_id=sam_id,
    )
    cohort_id = setting.programme.cohort_id

    for staff in (TEST_ACTOR, ADMIN_ACTOR):
        rows = cohort_matrix(database, staff, cohort_id).rows
        assert [row.trainee_id for row in rows] == [ben, setting.trainee_id]
    # Mentors see their own apprentices' rows: filtered, not refused.
    assert [r.name for r in cohort_matrix(database, setting.mentor, cohort_id).rows] == [
        "Asha Patel"
    ]
    sam = signed_in(database, sam_id)
    assert [r.name for r in cohort_matrix(database, sam, cohort_id).rows] == ["Ben Adams"]

    asha_id = add_user(database, "asha", role=Role.APPRENTICE, full_name="Asha Patel")
    set_trainee(database, setting.trainee_id, account_id=asha_id)
    with pytest.raises(
        PermissionDeniedError,
        match=r"^Asha Patel cannot see the cohort matrix: it lists other apprentices' records\.$",
    ):
        cohort_matrix(database, signed_in(database, asha_id), cohort_id)
    with pytest.raises(PermissionDeniedError, match=r"^Sign in to see the cohort matrix\.$"):
        cohort_matrix(database, Actor("Someone at the PC"), cohort_id)


def test_a_withdrawn_trainee_cannot_be_signed_off(database: Database, setting: Setting) -> None:
    withdrawn = add_trainee(
        database, setting.programme, employee_number="E9", status=TraineeStatus.WITHDRAWN
    )
    with pytest.raises(ActionRefusedError, match="has withdrawn"):
        _sign_off(
            database,
            Setting(setting.programme, withdrawn, setting.mentor_id, setting.mentor),
            criteria_of(database, "2015", 1)[2],
        )
    assert _signoff_count(database) == 0


def test_a_criterion_of_the_other_version_is_refused(database: Database, setting: Setting) -> None:
    new_standard = criteria_of(database, "2025", 16)[0]
    with pytest.raises(
        ActionRefusedError,
        match=r"16\.1a belongs to the 2025 Care Certificate; Asha Patel is on the 2015 version",
    ):
        _sign_off(database, setting, new_standard, evidence_type=EvidenceType.KNOWLEDGE)
    assert _signoff_count(database) == 0


def test_a_standard_completes_on_the_date_of_its_last_criterion(
    database: Database, setting: Setting
) -> None:
    criteria = criteria_of(database, "2015", 11)  # 11.1a and 11.1b
    sign(database, setting.trainee_id, criteria[0], setting.mentor, date(2024, 10, 20))
    assert care_certificate_overview(database, TEST_ACTOR, setting.trainee_id).standards[
        10
    ].completed_on is (None)

    # The last one signed carries an earlier assessment date: the later date completes it.
    result = sign_off_criterion(
        database,
        setting.mentor,
        trainee_id=setting.trainee_id,
        criterion_id=criteria[1].id,
        password=PASSWORD,
        evidence_type=EvidenceType.KNOWLEDGE,
        assessed_on=date(2024, 10, 3),
        evidence="Safeguarding children workbook",
        today=TODAY,
    )

    assert result.standard.complete and result.standard.completed_on == date(2024, 10, 20)
    assert "Standard 11 is complete on 20 Oct 2024" in result.message
    view = care_certificate_overview(database, TEST_ACTOR, setting.trainee_id)
    assert view.standards[10].completed_on == date(2024, 10, 20)
    assert view.standards_complete == 1 and not view.complete
    assert standard_detail(database, setting.mentor, setting.trainee_id, 11).completed_on == date(
        2024, 10, 20
    )

    revoked = _revoke(database, setting, result.record_id, "Workbook belonged to a colleague")
    assert not revoked.standard.complete and revoked.standard.completed_on is None
    assert (
        care_certificate_overview(database, TEST_ACTOR, setting.trainee_id).standards[10].signed
        == 1
    )


def test_the_whole_certificate_completes_with_its_last_standard(
    database: Database, setting: Setting, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 230 signatures: the password is proved by the tests above; checking it 230 times
    # (argon2, deliberately slow) would take half a minute and prove nothing more.
    monkeypatch.setattr(signoff_records, "confirm_password", lambda *_args: None)
    days = iter(START + timedelta(days=n) for n in range(1, 400))
    last = START
    for number in range(1, 16):
        for criterion in criteria_of(database, "2015", number):
            last = next(days)
            sign(database, setting.trainee_id, criterion, setting.mentor, last)

    view = care_certificate_overview(database, TEST_ACTOR, setting.trainee_id)
    assert view.complete and view.completed_on == last
    assert view.describe() == f"Care Certificate complete on {last.day} {last:%b %Y}"


def test_the_matrix_shows_a_mixed_cohort(database: Database, setting: Setting) -> None:
    newer = add_trainee(
        database,
        setting.programme,
        first_name="Ben",
        last_name="Adams",
        employee_number="E2",
        care_certificate_version_id=version_id(database, "2025"),
    )
    for criterion in criteria_of(database, "2015", 12):
        sign(database, setting.trainee_id, criterion, setting.mentor, date(2024, 10, 2))
    sign(database, newer, criteria_of(database, "2025", 16)[0], setting.mentor, date(2024, 10, 2))

    matrix = cohort_matrix(database, TEST_ACTOR, setting.programme.cohort_id)

    assert matrix.cohort_name == "GM Sep 2024"
    assert matrix.standard_numbers == tuple(range(1, 17))
    assert matrix.standard_titles[3] == (
        "Equality and diversity / Equality, diversity, inclusion and human rights"
    )
    ben, asha = matrix.rows  # by last name
    assert (ben.name, ben.version_code, asha.version_code) == ("Ben Adams", "2025", "2015")
    assert asha.cells[15].text == "n/a" and not asha.cells[15].complete
    assert (asha.standards_total, ben.standards_total) == (15, 16)
    assert asha.cells[11].complete and asha.cells[11].text == "1/1"
    assert asha.cells[11].completed_on == date(2024, 10, 2)
    assert ben.cells[15].text == "1/7" and not ben.cells[15].complete
    assert (asha.standards_complete, ben.standards_complete) == (1, 0)
    assert matrix.certificates_complete == 0


def test_the_matrix_and_overview_are_built_in_bulk(demo_database: Database) -> None:
    """The statement count does not grow with trainees, criteria or sign-offs."""
    from apdesk.services.choices import cohort_choices, trainee_choices

    costs = set()
    for cohort in cohort_choices(demo_database):
        with counting_statements(demo_database) as statements:
            matrix = cohort_matrix(demo_database, TEST_ACTOR, cohort.id)
        assert matrix.rows
        costs.add(len(statements))
    assert max(costs) <= 8

    for trainee in trainee_choices(demo_database, TEST_ACTOR)[:10]:
        with counting_statements(demo_database) as statements:
            care_certificate_overview(demo_database, TEST_ACTOR, trainee.id)
        assert len(statements) <= 6
