"""Supervised practice: mentors sign off competencies; a mistake is corrected by a revocation
with a reason, never an edit, and every change is in the audit log."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from apdesk.db.database import Database
from apdesk.domain.enums import CompetencyOutcome, Role, TraineeStatus
from apdesk.services.errors import ActionRefusedError
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
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.practice import (
    add_other_framework_competency,
    add_user,
    audit_entries,
    count_signoff_records,
)

TODAY = date(2025, 3, 3)
OBSERVED = date(2025, 2, 20)
START = date(2024, 9, 9)  # the small programme's cohort start


@dataclass(frozen=True)
class Setup:
    trainee_id: int
    mentor_id: int
    framework: FrameworkView

    def competency(self, code: str) -> CompetencyView:
        return next(c for g in self.framework.groups for c in g.competencies if c.code == code)


@pytest.fixture
def setup(database: Database) -> Setup:
    programme = add_small_programme(database)
    trainee_id = add_trainee(database, programme)
    return Setup(trainee_id, programme.mentor_id, competency_tree(database, trainee_id))


def sign(database: Database, setup: Setup, code: str = "R1.1", **overrides: Any):
    values: dict[str, Any] = {
        "trainee_id": setup.trainee_id,
        "competency_id": setup.competency(code).competency_id,
        "signer_id": setup.mentor_id,
        "outcome": CompetencyOutcome.COMPETENT,
        "observed_on": OBSERVED,
        "setting": "Community team base",
        "evidence": "Made and followed up a social prescribing referral with the link worker.",
        "today": TODAY,
    }
    values.update(overrides)
    return sign_off_competency(database, TEST_ACTOR, **values)


def status_of(database: Database, setup: Setup, code: str) -> CompetencyView:
    framework = competency_tree(database, setup.trainee_id)
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
    framework = competency_tree(database, setup.trainee_id)
    assert (framework.groups[0].signed, framework.groups[0].total) == (1, 6)
    assert framework.summary == "1 of 29 competencies signed off"

    [stored] = competency_history(database, setup.trainee_id, competency.competency_id)
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
    assert competency_tree(database, setup.trainee_id).signed == 0

    sign(database, setup)

    assert status_of(database, setup, "R1.1").status is CompetencyStatus.COMPETENT
    history = competency_history(database, setup.trainee_id, not_yet.competency_id)
    assert [e.outcome for e in history] == [
        CompetencyOutcome.NOT_YET_COMPETENT,
        CompetencyOutcome.COMPETENT,
    ]


def test_not_yet_competent_needs_no_evidence(database: Database, setup: Setup) -> None:
    entry = sign(database, setup, outcome=CompetencyOutcome.NOT_YET_COMPETENT, evidence="  ")
    assert entry.evidence == ""


def test_revoke_then_re_sign(database: Database, setup: Setup) -> None:
    second_mentor = add_user(database, "mentor.two", full_name="Sam Second")
    original = sign(database, setup)
    competency_id = original.competency_id
    history_before = competency_history(database, setup.trainee_id, competency_id)

    revocation = revoke_competency_signoff(
        database,
        TEST_ACTOR,
        signoff_id=original.signoff_id,
        signer_id=second_mentor,
        reason="  Signed against the wrong apprentice.  ",
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
    competency = status_of(database, setup, "R1.1")
    assert competency.status is CompetencyStatus.NOT_YET_ASSESSED
    assert competency.last_signoff is None

    # Append-only: the original record is exactly as it was; only the link back is new.
    stored_original, stored_revocation = competency_history(
        database, setup.trainee_id, competency_id
    )
    assert stored_original == replace(history_before[0], revoked_by_id=revocation.signoff_id)
    assert stored_revocation == revocation

    sign(database, setup, observed_on=date(2025, 2, 27))

    history = competency_history(database, setup.trainee_id, competency_id)
    assert len(history) == 3
    assert status_of(database, setup, "R1.1").status is CompetencyStatus.COMPETENT
    assert status_of(database, setup, "R1.1").last_signoff.observed_on == date(2025, 2, 27)


def test_revoking_the_latest_record_falls_back_to_the_one_before(
    database: Database, setup: Setup
) -> None:
    sign(database, setup)
    later = sign(database, setup, outcome=CompetencyOutcome.NOT_YET_COMPETENT, evidence="")
    assert status_of(database, setup, "R1.1").status is CompetencyStatus.NOT_YET_COMPETENT

    revoke_competency_signoff(
        database,
        TEST_ACTOR,
        signoff_id=later.signoff_id,
        signer_id=setup.mentor_id,
        reason="Recorded on the wrong competency.",
    )

    assert status_of(database, setup, "R1.1").status is CompetencyStatus.COMPETENT


def test_sign_off_and_revocation_are_audited(database: Database, setup: Setup) -> None:
    entry = sign(database, setup)
    revocation = revoke_competency_signoff(
        database,
        TEST_ACTOR,
        signoff_id=entry.signoff_id,
        signer_id=setup.mentor_id,
        reason="Evidence was for another observation.",
    )

    [signed] = audit_entries(database, "sign_off_competency")
    assert (signed.entity, signed.entity_id) == ("competency_signoff", entry.signoff_id)
    assert signed.trainee_id == setup.trainee_id
    assert signed.actor_name == TEST_ACTOR.name
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
    assert competency_tree(database, setup.trainee_id).signing_closed == (
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


@pytest.mark.parametrize(
    ("account", "message"),
    [
        ({"active": False}, "Pat Former's account is deactivated and cannot sign"),
        ({"role": Role.EDUCATION_LEAD}, "Pat Former is not a mentor"),
    ],
)
def test_only_an_active_mentor_signs(
    database: Database, setup: Setup, account: dict[str, Any], message: str
) -> None:
    signer = add_user(database, "pat.former", full_name="Pat Former", **account)
    with pytest.raises(ActionRefusedError, match=message):
        sign(database, setup, signer_id=signer)
    assert count_signoff_records(database) == 0


def test_a_missing_signer_is_refused(database: Database, setup: Setup) -> None:
    with pytest.raises(ActionRefusedError, match="no longer exists"):
        sign(database, setup, signer_id=9999)


def test_revocation_refusals(database: Database, setup: Setup) -> None:
    entry = sign(database, setup)
    lead = add_user(database, "lead", full_name="Lee Lead", role=Role.EDUCATION_LEAD)

    def revoke(signoff_id: int, reason: str = "Wrong apprentice chosen.", signer: int = 0):
        return revoke_competency_signoff(
            database,
            TEST_ACTOR,
            signoff_id=signoff_id,
            signer_id=signer or setup.mentor_id,
            reason=reason,
        )

    with pytest.raises(ActionRefusedError, match="at least 10 characters"):
        revoke(entry.signoff_id, reason="  mistake   ")
    with pytest.raises(ActionRefusedError, match="Lee Lead is not a mentor"):
        revoke(entry.signoff_id, signer=lead)
    assert count_signoff_records(database) == 1

    revocation = revoke(entry.signoff_id)

    with pytest.raises(
        ActionRefusedError,
        match=r"already revoked by Maria Mentor on \d+ \w{3} \d{4}: Wrong apprentice chosen\.$",
    ):
        revoke(entry.signoff_id)
    with pytest.raises(ActionRefusedError, match="itself a revocation"):
        revoke(revocation.signoff_id)
    assert count_signoff_records(database) == 2
    assert len(audit_entries(database, "revoke_competency_signoff")) == 1


def test_the_demo_trainees_counts_match_the_programme_table(demo_database: Database) -> None:
    from apdesk.services.progress import list_trainee_progress
    from tests.helpers.fixtures import DEMO_DAY

    for progress in list_trainee_progress(demo_database, as_of=DEMO_DAY)[:15]:
        framework = competency_tree(demo_database, progress.trainee_id)
        assert framework.signed == progress.assessment.competencies_signed
        assert framework.total == progress.assessment.competencies_total
