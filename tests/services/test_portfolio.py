"""The evidence portfolio's content, its digest and the check of a printed digest: every
record of the trainee is in it, the digest changes only when a record does, and a check after
a revocation names what changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from apdesk.db.database import Database
from apdesk.db.models import (
    CompetencySignoff,
    CriterionSignoff,
    Ksb,
    PortfolioExport,
    ProgressReview,
    Trainee,
)
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.portfolio import (
    check_portfolio,
    portfolio_content,
    portfolio_filename,
    prepare_portfolio,
    record_export,
)
from apdesk.services.portfolio_digest import describe_changes, digest_of
from apdesk.services.supervised_practice import revoke_competency_signoff
from apdesk.services.trainees import find_trainee
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR
from tests.helpers.practice import (
    DEMO_PASSWORD,
    demo_apprentice_username,
    demo_mentor_username,
    demo_other_mentor_username,
    demo_sign_in,
    demo_trainee,
    standing_competency_signoff,
)


def _count(database: Database, model: type, trainee_id: int) -> int:
    with database.read() as session:
        return session.scalar(
            select(func.count()).select_from(model).where(model.trainee_id == trainee_id)
        )


def test_the_portfolio_holds_every_record_of_the_trainee(demo_database: Database) -> None:
    trainee_id = demo_trainee(demo_database)
    portfolio = portfolio_content(demo_database, TEST_ACTOR, trainee_id, as_of=DEMO_DAY)

    practice = [
        record
        for group in portfolio.supervised_practice.groups
        for competency in group.competencies
        for record in competency.records
    ]
    criteria = [
        record
        for standard in portfolio.care_certificate.standards
        for outcome in standard.outcomes
        for criterion in outcome.criteria
        for record in criterion.records
    ]
    assert len(practice) == _count(demo_database, CompetencySignoff, trainee_id) > 0
    assert len(criteria) == _count(demo_database, CriterionSignoff, trainee_id) > 0
    assert len(portfolio.reviews) == _count(demo_database, ProgressReview, trainee_id) > 0
    with demo_database.read() as session:
        trainee = session.get(Trainee, trainee_id)
        assert portfolio.apprentice.name == trainee.full_name
        ksbs = session.scalar(
            select(func.count(Ksb.id)).where(Ksb.standard_id == trainee.standard_id)
        )
    assert len(portfolio.ksb_coverage) == ksbs
    assert [s.number for s in portfolio.care_certificate.standards] == list(
        range(1, len(portfolio.care_certificate.standards) + 1)
    )
    assert portfolio.gateway, "the gateway checklist is printed with its reasons"
    assert portfolio.attendance.otj.points, "the OTJ chart has monthly points"
    assert portfolio.audit_head is not None


def test_the_digest_covers_records_not_the_day_it_is_worked_out(demo_database: Database) -> None:
    trainee_id = demo_trainee(demo_database)
    today = prepare_portfolio(demo_database, TEST_ACTOR, trainee_id, as_of=DEMO_DAY)
    next_month = prepare_portfolio(
        demo_database, TEST_ACTOR, trainee_id, as_of=DEMO_DAY + timedelta(days=30)
    )
    other = prepare_portfolio(demo_database, TEST_ACTOR, demo_trainee(demo_database, index=1))

    assert today.digest == next_month.digest == digest_of(today.facts)
    assert len(today.digest) == 64
    assert other.digest != today.digest


def test_a_check_after_a_revocation_fails_and_names_the_record(demo_database: Database) -> None:
    trainee_id = demo_trainee(demo_database)
    prepared = prepare_portfolio(demo_database, TEST_ACTOR, trainee_id)
    record_export(demo_database, TEST_ACTOR, prepared)
    assert check_portfolio(demo_database, TEST_ACTOR, trainee_id, prepared.digest).matches

    mentor = demo_sign_in(demo_database, demo_mentor_username(demo_database, trainee_id))
    original = standing_competency_signoff(demo_database, trainee_id)
    revocation = revoke_competency_signoff(
        demo_database,
        mentor,
        signoff_id=original.id,
        password=DEMO_PASSWORD,
        reason="Observed the wrong apprentice that day",
    )

    check = check_portfolio(demo_database, TEST_ACTOR, trainee_id, prepared.digest)
    assert not check.matches
    assert check.exported_by == TEST_ACTOR.name
    assert len(check.changes) == 1
    [change] = check.changes
    assert change.startswith("Supervised practice › ")
    assert f"record {revocation.signoff_id}: added (Revocation on" in change
    assert f"signed by {mentor.name}" in change


def test_a_digest_this_database_never_exported_is_reported_without_changes(
    demo_database: Database,
) -> None:
    trainee_id = demo_trainee(demo_database)
    check = check_portfolio(demo_database, TEST_ACTOR, trainee_id, "0" * 64)
    assert not check.matches
    assert check.exported_at is None and check.changes == ()


def test_kept_exports_cannot_be_edited(demo_database: Database) -> None:
    trainee_id = demo_trainee(demo_database)
    record_export(
        demo_database, TEST_ACTOR, prepare_portfolio(demo_database, TEST_ACTOR, trainee_id)
    )
    with demo_database.read() as session:
        assert session.scalar(select(func.count(PortfolioExport.id))) == 1
    with pytest.raises(DatabaseError, match="append-only"), demo_database.write() as session:
        session.execute(text("UPDATE portfolio_exports SET digest = 'forged'"))


def test_who_may_export_whose_portfolio(demo_database: Database) -> None:
    trainee_id = demo_trainee(demo_database)
    other_trainee = demo_trainee(demo_database, index=1)
    apprentice = demo_sign_in(demo_database, demo_apprentice_username(demo_database, trainee_id))
    mentor = demo_sign_in(demo_database, demo_mentor_username(demo_database, trainee_id))
    stranger = demo_sign_in(demo_database, demo_other_mentor_username(demo_database, trainee_id))

    assert portfolio_content(demo_database, apprentice, trainee_id).trainee_id == trainee_id
    assert portfolio_content(demo_database, mentor, trainee_id).exported_by == mentor.name
    with pytest.raises(PermissionDeniedError):
        portfolio_content(demo_database, apprentice, other_trainee)
    if demo_mentor_username(demo_database, trainee_id) != demo_mentor_username(
        demo_database, other_trainee
    ):
        with pytest.raises(PermissionDeniedError):
            portfolio_content(demo_database, mentor, other_trainee)
    with pytest.raises(PermissionDeniedError):
        portfolio_content(demo_database, stranger, trainee_id)
    with pytest.raises(RecordNotFoundError):
        portfolio_content(demo_database, TEST_ACTOR, 99_999)


def test_changes_are_described_per_field_and_per_keyed_item() -> None:
    before = {
        "Apprentice": {"name": "Sam Jones", "maths": "Working towards"},
        "Progress reviews": [{"key": "review 1", "label": "due 1 Jan 2026", "held_on": None}],
        "Band progression": [],
    }
    after = {
        "Apprentice": {"name": "Sam Jones", "maths": "Achieved"},
        "Progress reviews": [{"key": "review 1", "label": "due 1 Jan 2026", "held_on": "2026"}],
        "Band progression": [{"key": "record 4", "label": "Band 4 from 1 Dec 2026"}],
    }
    assert describe_changes(before, after) == [
        "Apprentice, maths: was 'Working towards', now 'Achieved'",
        "Progress reviews › review 1, held on: was blank, now '2026'",
        "Band progression › record 4: added (Band 4 from 1 Dec 2026)",
    ]
    assert describe_changes(after, before)[-1] == (
        "Band progression › record 4: removed (Band 4 from 1 Dec 2026)"
    )
    assert describe_changes(before, before) == []


def test_trainees_are_found_by_id_or_uln(demo_database: Database) -> None:
    trainee_id = demo_trainee(demo_database)
    with demo_database.read() as session:
        uln = session.get(Trainee, trainee_id).uln
    assert uln is not None
    assert find_trainee(demo_database, TEST_ACTOR, str(trainee_id)) == trainee_id
    assert find_trainee(demo_database, TEST_ACTOR, f"{uln[:5]} {uln[5:]}") == trainee_id
    with pytest.raises(RecordNotFoundError, match="No trainee with id 99999"):
        find_trainee(demo_database, TEST_ACTOR, "99999")
    with pytest.raises(ActionRefusedError, match="neither a trainee id nor a ULN"):
        find_trainee(demo_database, TEST_ACTOR, "Kieran")


@pytest.mark.parametrize(
    ("name", "uln", "expected"),
    [
        ("Kieran Singh", "1234567890", "Portfolio_Kieran_Singh_1234567890.pdf"),
        ("Zoë O'Brien-Ní Bhriain", None, "Portfolio_Zoe_O_Brien_Ni_Bhriain_id7.pdf"),
        ("../../etc", None, "Portfolio_etc_id7.pdf"),
    ],
)
def test_portfolio_file_names_are_safe(name: str, uln: str | None, expected: str) -> None:
    assert portfolio_filename(name, uln, 7) == expected
