"""Supervised practice: the assigned mentor, signed in, signs off competencies with their
password re-entered; a mistake is corrected by a revocation with a reason, signed the same
way, never an edit; every change is in the audit log; and who may read and sign is checked
by the services, role by role."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from apdesk.db.database import Database
from apdesk.domain.enums import CompetencyOutcome, Role, TraineeStatus
from apdesk.services.accounts import SignInRefusedError
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.supervised_practice import (
    CompetencyStatus,
    CompetencyView,
    FrameworkView,
    competency_history,
    competency_tree,
    revoke_competency_signoff,
    sign_off_competency,
)
from tests.helpers.builders import add_small_programme, add_trainee
from tests.helpers.fixtures import ADMIN_ACTOR, TEST_ACTOR
from tests.helpers.practice import (
    PASSWORD,
    WRONG_PASSWORD,
    add_other_framework_competency,
    add_user,
    audit_entries,
    count_signoff_records,
    failed_sign_ins,
    latest_signoff,
    set_trainee,
    signed_in,
)

TODAY = date(2025, 3, 3)
OBSERVED = date(2025, 2, 20)
START = date(2024, 9, 9)  # the small programme's cohort start


@dataclass(frozen=True)
class Setup:
    trainee_id: int
    mentor_id: int
    mentor: Actor  # Maria Mentor, signed in: Asha Patel's assigned mentor
    framework: FrameworkView

    def competency(self, code: str) -> CompetencyView:
        return next(c for g in self.framework.groups for c in g.competencies if c.code == code)


@pytest.fixture
def setup(database: Database) -> Setup:
    programme = add_small_programme(database)
    trainee_id = add_trainee(database, programme)
    mentor = signed_in(database, programme.mentor_id)
    return Setup(
        trainee_id,
        programme.mentor_id,
        mentor,
        competency_tree(database, TEST_ACTOR, trainee_id),
    )


def sign(
    database: Database,
    setup: Setup,
    code: str = "R1.1",
    *,
    actor: Actor | None = None,
    **overrides: Any,
):
    values: dict[str, Any] = {
        "trainee_id": setup.trainee_id,
        "competency_id": setup.competency(code).competency_id,
        "password": PASSWORD,
        "outcome": CompetencyOutcome.COMPETENT,
        "observed_on": OBSERVED,
        "setting": "Community team base",
        "evidence": "Made and followed up a social prescribing referral with the link worker.",
        "today": TODAY,
    }
    values.update(overrides)
    return sign_off_competency(database, actor or setup.mentor, **values)


def revoke(database: Database, setup: Setup, signoff_id: int, reason: str, **overrides: Any):
    values: dict[str, Any] = {"signoff_id": signoff_id, "password": PASSWORD, "reason": reason}
    values.update(overrides)
    return revoke_competency_signoff(database, values.pop("actor", setup.mentor), **values)


def status_of(database: Database, setup: Setup, code: str) -> CompetencyView:
    framework = competency_tree(database, setup.mentor, setup.trainee_id)
    return next(c for g in framework.groups for c in g.competencies if c.code == code)


def test_the_tree_is_the_trainees_framework_with_nothing_assessed(setup: Setup) -> None:
    framework = setup.framework
    assert [g.code for g in framework.groups] == ["R1", "R2", "R3", "R4", "R5"]
    assert (framework.signed, framework.total) == (0, 29)
    assert framework.summary == "0 of 29 competencies signed off"
    first = framework.groups[0].competencies[0]
    assert (first.code, first.title) == ("R1.1", "Social prescribing referral")
    assert first.ksb_codes == "K12, S7, S10"  # in the standard's order
    assert first.ksbs[1].text.startswith("Coordinate care")
    assert first.status is CompetencyStatus.NOT_YET_ASSESSED
    assert first.last_signoff is None
    assert framework.signing_closed is None


def test_a_competent_sign_off_carries_the_mentors_signature(
    database: Database, setup: Setup
) -> None:
    before = datetime.now(UTC)
    entry = sign(database, setup)

    assert entry.meaning == "Observed in practice and competent"
    assert (entry.signer_name, entry.signer_registration) == ("Maria Mentor", "NMC 12A3456E")
    assert entry.signer_role == "Mentor"
    assert before <= entry.signed_at <= datetime.now(UTC)
    assert entry.signed_at.tzinfo is not None

    competency = status_of(database, setup, "R1.1")
    assert competency.status is CompetencyStatus.COMPETENT
    assert competency.last_signoff is not None
    assert competency.last_signoff.observed_on == OBSERVED
    assert competency.last_signoff.signer_name == "Maria Mentor"
    assert competency.last_signoff.signer_registration == "NMC 12A3456E"
    framework = competency_tree(database, setup.mentor, setup.trainee_id)
    assert (framework.groups[0].signed, framework.groups[0].total) == (1, 6)
    assert framework.summary == "1 of 29 competencies signed off"

    [stored] = competency_history(
        database, setup.mentor, setup.trainee_id, competency.competency_id
    )
    assert stored == entry
    assert stored.setting == "Community team base"
    assert stored.evidence.startswith("Made and followed up")


def test_not_yet_competent_then_competent(database: Database, setup: Setup) -> None:
    first = sign(
        database,
        setup,
        outcome=CompetencyOutcome.NOT_YET_COMPETENT,
        evidence="Needed prompting to obtain consent.",
        observed_on=date(2025, 1, 10),
    )
    assert first.meaning == "Observed in practice; not yet competent"
    not_yet = status_of(database, setup, "R1.1")
    assert not_yet.status is CompetencyStatus.NOT_YET_COMPETENT
    assert not_yet.last_signoff is not None
    assert not_yet.last_signoff.outcome is CompetencyOutcome.NOT_YET_COMPETENT
    assert competency_tree(database, setup.mentor, setup.trainee_id).signed == 0

    sign(database, setup)

    assert status_of(database, setup, "R1.1").status is CompetencyStatus.COMPETENT
    history = competency_history(database, setup.mentor, setup.trainee_id, not_yet.competency_id)
    assert [e.outcome for e in history] == [
        CompetencyOutcome.NOT_YET_COMPETENT,
        CompetencyOutcome.COMPETENT,
    ]


def test_not_yet_competent_needs_no_evidence(database: Database, setup: Setup) -> None:
    entry = sign(database, setup, outcome=CompetencyOutcome.NOT_YET_COMPETENT, evidence="  ")
    assert entry.evidence == ""


def test_revoke_then_re_sign(database: Database, setup: Setup) -> None:
    original = sign(database, setup)
    competency_id = original.competency_id
    history_before = competency_history(database, setup.mentor, setup.trainee_id, competency_id)
    # An education lead hands Asha to a new mentor, who finds the mistake and revokes it.
    second_mentor = add_user(database, "mentor.two", full_name="Sam Second")
    set_trainee(database, setup.trainee_id, mentor_id=second_mentor)
    sam = signed_in(database, second_mentor)

    revocation = revoke(
        database, setup, original.signoff_id, "  Signed against the wrong apprentice.  ", actor=sam
    )

    assert revocation.revokes_id == original.signoff_id
    assert (revocation.trainee_id, revocation.competency_id) == (setup.trainee_id, competency_id)
    assert revocation.outcome is None
    assert revocation.revocation_reason == "Signed against the wrong apprentice."
    assert revocation.meaning == "Revocation of an earlier sign-off"
    assert (revocation.signer_name, revocation.signer_registration) == (
        "Sam Second",
        "HCPC OT12345",
    )
    assert revocation.signer_role == "Mentor, Occupational Therapist"
    framework = competency_tree(database, sam, setup.trainee_id)
    competency = next(c for g in framework.groups for c in g.competencies if c.code == "R1.1")
    assert competency.status is CompetencyStatus.NOT_YET_ASSESSED
    assert competency.last_signoff is None

    # Append-only: the original record is exactly as it was; only the link back is new.
    stored_original, stored_revocation = competency_history(
        database, sam, setup.trainee_id, competency_id
    )
    assert stored_original == replace(history_before[0], revoked_by_id=revocation.signoff_id)
    assert stored_revocation == revocation

    with pytest.raises(PermissionDeniedError, match="Maria Mentor cannot see Asha Patel's"):
        status_of(database, setup, "R1.1")  # Maria no longer sees Asha's record
    sign(database, setup, observed_on=date(2025, 2, 27), actor=sam)

    history = competency_history(database, sam, setup.trainee_id, competency_id)
    assert [entry.signer_name for entry in history] == ["Maria Mentor", "Sam Second", "Sam Second"]
    now = competency_tree(database, TEST_ACTOR, setup.trainee_id)
    r11 = next(c for g in now.groups for c in g.competencies if c.code == "R1.1")
    assert r11.status is CompetencyStatus.COMPETENT
    assert r11.last_signoff is not None
    assert r11.last_signoff.observed_on == date(2025, 2, 27)


def test_revoking_the_latest_record_falls_back_to_the_one_before(
    database: Database, setup: Setup
) -> None:
    sign(database, setup)
    later = sign(database, setup, outcome=CompetencyOutcome.NOT_YET_COMPETENT, evidence="")
    assert status_of(database, setup, "R1.1").status is CompetencyStatus.NOT_YET_COMPETENT

    revoke(database, setup, later.signoff_id, "Recorded on the wrong competency.")

    assert status_of(database, setup, "R1.1").status is CompetencyStatus.COMPETENT


def test_sign_off_and_revocation_are_audited(database: Database, setup: Setup) -> None:
    entry = sign(database, setup)
    revocation = revoke(database, setup, entry.signoff_id, "Evidence was for another observation.")

    [signed] = audit_entries(database, "sign_off_competency")
    assert (signed.entity, signed.entity_id) == ("competency_signoff", entry.signoff_id)
    assert signed.trainee_id == setup.trainee_id
    assert signed.actor_name == "Maria Mentor"  # the signer acted: nobody signs for another
    assert signed.summary == (
        "Maria Mentor signed off R1.1 Social prescribing referral for Asha Patel: "
        "competent (observed 20 Feb 2025)"
    )
    assert '"outcome": "competent"' in (signed.after or "")
    [revoked] = audit_entries(database, "revoke_competency_signoff")
    assert revoked.entity_id == revocation.signoff_id
    assert revoked.trainee_id == setup.trainee_id
    assert "Evidence was for another observation." in revoked.summary
    assert f'"revokes_id": {entry.signoff_id}' in (revoked.after or "")
    assert f'"id": {entry.signoff_id}' in (revoked.before or "")


def _set_status(database: Database, trainee_id: int, status: TraineeStatus) -> None:
    from apdesk.db.models import Trainee

    with database.write() as session:
        trainee = session.get(Trainee, trainee_id)
        assert trainee is not None
        trainee.status = status


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"observed_on": TODAY + timedelta(days=1)},
            "The date observed, 4 Mar 2025, is in the future",
        ),
        (
            {"observed_on": START - timedelta(days=1)},
            "The date observed, 8 Sep 2024, is before Asha Patel started on 9 Sep 2024",
        ),
        ({"evidence": "   "}, "a competent sign-off must say what was observed"),
        ({"setting": "x" * 161}, "The setting is 161 characters long"),
    ],
)
def test_sign_off_refusals(
    database: Database, setup: Setup, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ActionRefusedError, match=message):
        sign(database, setup, **overrides)
    assert count_signoff_records(database) == 0
    assert audit_entries(database, "sign_off_competency") == []


@pytest.mark.parametrize("status", [TraineeStatus.WITHDRAWN, TraineeStatus.COMPLETED])
def test_no_sign_off_for_a_trainee_who_has_left(
    database: Database, setup: Setup, status: TraineeStatus
) -> None:
    _set_status(database, setup.trainee_id, status)
    assert competency_tree(database, setup.mentor, setup.trainee_id).signing_closed == (
        f"Asha Patel is {status.value}: no new sign-offs can be recorded"
    )
    with pytest.raises(ActionRefusedError, match=f"Asha Patel is {status.value}: no new"):
        sign(database, setup)
    assert count_signoff_records(database) == 0


def test_a_break_in_learning_does_not_stop_signing(database: Database, setup: Setup) -> None:
    _set_status(database, setup.trainee_id, TraineeStatus.BREAK_IN_LEARNING)
    sign(database, setup)
    assert count_signoff_records(database) == 1


def test_no_sign_off_outside_the_trainees_framework(database: Database, setup: Setup) -> None:
    elsewhere = add_other_framework_competency(database)
    with pytest.raises(ActionRefusedError, match="not in Asha Patel's competency framework"):
        sign(database, setup, competency_id=elsewhere)
    assert count_signoff_records(database) == 0


def test_a_deactivated_mentor_cannot_sign(database: Database, setup: Setup) -> None:
    from apdesk.services.accounts import set_active

    set_active(database, ADMIN_ACTOR, setup.mentor_id, False)
    with pytest.raises(SignInRefusedError, match="Maria Mentor's account is deactivated"):
        sign(database, setup)
    assert count_signoff_records(database) == 0


def test_revocation_refusals(database: Database, setup: Setup) -> None:
    entry = sign(database, setup)
    lead = signed_in(
        database, add_user(database, "lead", full_name="Lee Lead", role=Role.EDUCATION_LEAD)
    )

    with pytest.raises(ActionRefusedError, match="at least 10 characters"):
        revoke(database, setup, entry.signoff_id, "  mistake   ")
    with pytest.raises(
        PermissionDeniedError,
        match=r"^Lee Lead cannot revoke supervised practice sign-offs: that needs a mentor account",
    ):
        revoke(database, setup, entry.signoff_id, "Wrong apprentice chosen.", actor=lead)
    assert count_signoff_records(database) == 1

    revocation = revoke(database, setup, entry.signoff_id, "Wrong apprentice chosen.")

    with pytest.raises(
        ActionRefusedError,
        match=r"already revoked by Maria Mentor on \d+ \w{3} \d{4}: Wrong apprentice chosen\.$",
    ):
        revoke(database, setup, entry.signoff_id, "Wrong apprentice chosen.")
    with pytest.raises(ActionRefusedError, match="itself a revocation"):
        revoke(database, setup, revocation.signoff_id, "Wrong apprentice chosen.")
    assert count_signoff_records(database) == 2
    assert len(audit_entries(database, "revoke_competency_signoff")) == 1


# -- who may sign, and with which password ---------------------------------------------------


def test_the_stored_record_is_the_signed_in_mentors_signature(
    database: Database, setup: Setup
) -> None:
    """Printed name, role, registration, the UTC time and the meaning: from the account."""
    before = datetime.now(UTC)
    sign(database, setup, code="R2.1")
    after = datetime.now(UTC)

    stored = latest_signoff(database)
    assert stored.signer_id == setup.mentor_id
    assert stored.signer_name == "Maria Mentor"
    assert stored.signer_role == "Mentor"  # her account has no job title
    assert stored.signer_registration == "NMC 12A3456E"
    assert stored.meaning == "Observed in practice and competent"
    assert stored.signed_at.utcoffset() == timedelta(0)  # UTC, shown in local time
    assert before - timedelta(seconds=1) <= stored.signed_at <= after + timedelta(seconds=1)


def test_a_mentor_not_assigned_to_the_apprentice_is_refused(
    database: Database, setup: Setup
) -> None:
    entry = sign(database, setup)
    other = signed_in(database, add_user(database, "sam.second", full_name="Sam Second"))
    message = (
        "Sam Second is not Asha Patel's assigned mentor, so cannot sign off their practice. "
        "An education lead can change the assigned mentor."
    )

    with pytest.raises(PermissionDeniedError) as refused:
        sign(database, setup, code="R1.2", actor=other)
    assert str(refused.value) == message
    with pytest.raises(PermissionDeniedError) as refused:
        revoke(database, setup, entry.signoff_id, "Not the right record at all.", actor=other)
    assert str(refused.value) == message
    with pytest.raises(PermissionDeniedError, match="Sam Second cannot see Asha Patel's records"):
        competency_tree(database, other, setup.trainee_id)
    assert count_signoff_records(database) == 1
    assert len(audit_entries(database, "sign_off_competency")) == 1


@pytest.mark.parametrize(
    ("role", "name"),
    [
        (Role.EDUCATION_LEAD, "Lee Lead"),
        (Role.APPRENTICE, "Asha Patel"),
        (Role.ADMINISTRATOR, "Ada Admin"),
    ],
)
def test_only_mentors_sign(database: Database, setup: Setup, role: Role, name: str) -> None:
    user_id = add_user(database, "someone", full_name=name, role=role, registration=None)
    if role is Role.APPRENTICE:  # Asha herself, signed in to her own record
        set_trainee(database, setup.trainee_id, account_id=user_id)
    actor = signed_in(database, user_id)

    with pytest.raises(PermissionDeniedError) as refused:
        sign(database, setup, actor=actor)

    assert str(refused.value) == (
        f"{name} cannot sign off supervised practice: that needs a mentor account."
    )
    assert count_signoff_records(database) == 0
    assert failed_sign_ins(database, user_id) == 0  # refused before any password was tried


def test_someone_not_signed_in_cannot_sign(database: Database, setup: Setup) -> None:
    with pytest.raises(PermissionDeniedError, match=r"^Sign in to sign off supervised practice"):
        sign(database, setup, actor=Actor("Someone at the PC"))
    with pytest.raises(PermissionDeniedError, match="Sign in to see trainees' records"):
        competency_tree(database, Actor("Someone at the PC"), setup.trainee_id)
    assert count_signoff_records(database) == 0


def test_nobody_signs_off_their_own_work(database: Database, setup: Setup) -> None:
    """A mentor whose own apprentice record this is (assigned to themselves) is refused."""
    set_trainee(database, setup.trainee_id, account_id=setup.mentor_id)
    with pytest.raises(PermissionDeniedError, match=r"^Nobody signs off their own work\.$"):
        sign(database, setup)
    assert count_signoff_records(database) == 0


def test_a_wrong_password_signs_nothing_and_counts_towards_the_lock_out(
    database: Database, setup: Setup
) -> None:
    with pytest.raises(SignInRefusedError) as refused:
        sign(database, setup, password=WRONG_PASSWORD)
    assert str(refused.value) == (
        "The password is not right (4 more tries before the account locks). Nothing was signed."
    )
    assert count_signoff_records(database) == 0
    assert audit_entries(database, "sign_off_competency") == []
    assert failed_sign_ins(database, setup.mentor_id) == 1

    entry = sign(database, setup)  # the right one signs, and the count starts again
    assert failed_sign_ins(database, setup.mentor_id) == 0
    with pytest.raises(SignInRefusedError, match="Nothing was signed"):
        revoke(database, setup, entry.signoff_id, "Wrong competency chosen.", password="")
    assert count_signoff_records(database) == 1

    for _ in range(4):
        with pytest.raises(SignInRefusedError):
            sign(database, setup, code="R1.2", password=WRONG_PASSWORD)
    [locked] = audit_entries(database, "lock_account")
    assert locked.summary == "mentor.test locked for 15 minutes after 5 wrong passwords"
    with pytest.raises(
        SignInRefusedError, match=r"Too many wrong passwords: mentor\.test is locked"
    ):
        sign(database, setup, code="R1.2")  # now even the right password waits
    assert count_signoff_records(database) == 1


def test_who_reads_a_trainees_framework(database: Database, setup: Setup) -> None:
    apprentice_id = add_user(
        database, "asha", full_name="Asha Patel", role=Role.APPRENTICE, registration=None
    )
    set_trainee(database, setup.trainee_id, account_id=apprentice_id)
    asha = signed_in(database, apprentice_id)
    entry = sign(database, setup)

    for reader in (asha, setup.mentor, TEST_ACTOR, ADMIN_ACTOR):
        assert competency_tree(database, reader, setup.trainee_id).signed == 1
        history = competency_history(database, reader, setup.trainee_id, entry.competency_id)
        assert [e.signoff_id for e in history] == [entry.signoff_id]

    ben = signed_in(
        database, add_user(database, "ben", full_name="Ben Jones", role=Role.APPRENTICE)
    )
    with pytest.raises(PermissionDeniedError, match=r"^Ben Jones cannot see Asha Patel's records"):
        competency_tree(database, ben, setup.trainee_id)
    with pytest.raises(PermissionDeniedError, match="Ben Jones cannot see Asha Patel's records"):
        competency_history(database, ben, setup.trainee_id, entry.competency_id)


def test_the_demo_trainees_counts_match_the_programme_table(demo_database: Database) -> None:
    from apdesk.services.progress import list_trainee_progress
    from tests.helpers.fixtures import DEMO_DAY

    for progress in list_trainee_progress(demo_database, TEST_ACTOR, as_of=DEMO_DAY)[:15]:
        framework = competency_tree(demo_database, TEST_ACTOR, progress.trainee_id)
        assert framework.signed == progress.assessment.competencies_signed
        assert framework.total == progress.assessment.competencies_total
