"""Data protection: the subject access export (JSON + PDF) and anonymising withdrawn
apprentices after the retention period, on the demo programme."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, or_, select

from apdesk.db.database import Database
from apdesk.db.models import (
    AttendanceMark,
    AuditEntry,
    BandChange,
    CompetencySignoff,
    CriterionSignoff,
    LearningBreak,
    OtjActivity,
    PortfolioExport,
    ProgressReview,
    RplReduction,
    Trainee,
    User,
)
from apdesk.domain.calendar import add_months
from apdesk.domain.enums import TraineeStatus
from apdesk.portfolio.subject_access import subject_access_export
from apdesk.services.accounts import SignInRefusedError, sign_in
from apdesk.services.anonymisation import (
    ANONYMISE_ACTION,
    NEUTRAL_TEXT,
    anonymise_trainee,
    anonymise_withdrawn,
)
from apdesk.services.audit import verify_audit_chain
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.portfolio import prepare_portfolio, record_export
from apdesk.services.programme_rules import load_programme_rules
from apdesk.services.progress import list_trainee_progress
from tests.helpers.fixtures import ADMIN_ACTOR, TEST_ACTOR
from tests.helpers.practice import DEMO_PASSWORD
from tests.helpers.privacy import (
    RETAINED_TABLES,
    UNIQUE_NAME,
    count_rows,
    rename,
    sql_dump,
    tables_holding,
    withdrawn_trainee,
    write_about_them,
)

FULL_NAME = " ".join(UNIQUE_NAME)
PER_TRAINEE_TABLES = {
    "breaks_in_learning": LearningBreak,
    "rpl_reductions": RplReduction,
    "otj_activities": OtjActivity,
    "attendance_marks": AttendanceMark,
    "progress_reviews": ProgressReview,
    "competency_signoffs": CompetencySignoff,
    "care_certificate_signoffs": CriterionSignoff,
    "band_history": BandChange,
    "portfolio_exports": PortfolioExport,
}


@pytest.fixture
def subject(demo_database: Database) -> int:
    """A withdrawn demo trainee with a unique, non-ASCII name and every kind of record: the
    rename and a portfolio export put the name into the audit trail and an export record."""
    trainee_id = withdrawn_trainee(demo_database)
    rename(demo_database, trainee_id, *UNIQUE_NAME, care_pathway="Falls prevention")
    write_about_them(demo_database, trainee_id, FULL_NAME)
    # What exporting a portfolio keeps (rendering the PDF adds nothing to the database).
    record_export(
        demo_database, TEST_ACTOR, prepare_portfolio(demo_database, TEST_ACTOR, trainee_id)
    )
    return trainee_id


def _identity(database: Database, trainee_id: int) -> dict[str, str]:
    with database.read() as session:
        trainee = session.get_one(Trainee, trainee_id)
        assert trainee.uln and trainee.email
        return {
            "name": trainee.full_name,  # as the account, reviews, notes and the audit write it
            "last name": trainee.last_name,  # as the trainee's own row holds it
            "user name": trainee.account.username if trainee.account else "",
            "uln": trainee.uln,
            "email": trainee.email,
            "employee_number": trainee.employee_number,
        }


def _audit_count(database: Database, trainee_id: int, account_id: int) -> int:
    with database.read() as session:
        return session.scalar(
            select(func.count(AuditEntry.id)).where(
                or_(
                    AuditEntry.trainee_id == trainee_id,
                    AuditEntry.actor_id == account_id,
                    (AuditEntry.entity == "user") & (AuditEntry.entity_id == account_id),
                )
            )
        )


# -- subject access export ---------------------------------------------------------------


def test_the_json_holds_every_kind_of_record_as_many_as_the_database(
    demo_database: Database, subject: int, tmp_path: Path
) -> None:
    files = subject_access_export(demo_database, ADMIN_ACTOR, subject, tmp_path / "sar")

    raw = files.json_path.read_bytes()
    assert FULL_NAME.encode("utf-8") in raw  # UTF-8, not \u escapes
    held = json.loads(raw.decode("utf-8"))
    for section, model in PER_TRAINEE_TABLES.items():
        in_database = count_rows(demo_database, model, subject)
        assert in_database > 0, f"the fixture gave the trainee no {section}"
        assert len(held[section]) == in_database, section
        assert held["about"]["counts"][section] == in_database
    with demo_database.read() as session:
        trainee = session.get_one(Trainee, subject)
        account = session.get_one(User, trainee.account_id)
        password_hash = account.password_hash
        start = trainee.start_date
    assert held["trainee"]["first_name"] == UNIQUE_NAME[0]
    assert held["trainee"]["start_date"] == start.isoformat()
    assert held["trainee"]["care_pathway"] == "Falls prevention"
    assert held["account"]["username"] == account.username
    audit = _audit_count(demo_database, subject, account.id)
    assert audit >= 2  # the rename and the portfolio export, at least
    # The export's own entry is written after the file, so the file holds the ones before.
    assert len(held["audit_entries"]) == audit - 1
    assert all(isinstance(e["after"], dict | None) for e in held["audit_entries"])
    assert held["portfolio_exports"][0]["facts"]["Apprentice"]["name"] == FULL_NAME

    text = raw.decode("utf-8")
    assert password_hash and password_hash not in text
    assert "$argon2" not in text and "password_hash" not in text


def test_the_pdf_is_the_portfolio_between_a_front_page_and_the_audit_trail(
    demo_database: Database, subject: int, tmp_path: Path
) -> None:
    files = subject_access_export(demo_database, ADMIN_ACTOR, subject, tmp_path)

    reader = PdfReader(files.pdf_path)
    assert len(reader.pages) == files.pages > 10
    front = reader.pages[0].extract_text()
    assert "Subject access request" in front and FULL_NAME in front
    assert files.json_path.name in front.replace("\n", "")
    assert any("Evidence portfolio" in page.extract_text() for page in reader.pages[1:3])
    appendix = "\n".join(page.extract_text() for page in reader.pages[-2:])
    assert "Audit trail entries" in appendix and "Edited " in appendix
    assert "Care diploma".lower() in appendix.lower()  # the RPL reason
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert titles == [
        "Subject access request: what this holds",
        "Evidence portfolio",
        "Appendix: account, exports, audit trail",
    ]
    assert reader.metadata.title == f"Subject access request: {FULL_NAME}"


def test_the_export_is_audited_by_trainee_id_without_their_name(
    demo_database: Database, subject: int, tmp_path: Path
) -> None:
    files = subject_access_export(demo_database, ADMIN_ACTOR, subject, tmp_path)

    with demo_database.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "subject_access_export" and entry.trainee_id == subject
    assert entry.actor_name == ADMIN_ACTOR.name
    assert UNIQUE_NAME[1] not in entry.summary and UNIQUE_NAME[1] not in (entry.after or "")
    assert json.loads(entry.after)["files"] == [files.json_path.name, files.pdf_path.name]


def test_only_an_administrator_may_export_and_a_refusal_writes_nothing(
    demo_database: Database, subject: int, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDeniedError, match="needs an administrator account"):
        subject_access_export(demo_database, TEST_ACTOR, subject, tmp_path / "sar")
    assert not (tmp_path / "sar").exists()


# -- anonymisation --------------------------------------------------------------------------


def _withdrew_on(database: Database, trainee_id: int) -> date:
    report = anonymise_trainee(database, ADMIN_ACTOR, trainee_id, dry_run=True, today=FAR_FUTURE)
    return report.trainees[0].withdrawn_on


FAR_FUTURE = date(2040, 1, 1)


def _statistics(database: Database) -> dict[str, object]:
    """What programme reports count: people by cohort and status, hours, marks, outcomes."""
    with database.read() as session:

        def rows(query: object) -> list[tuple[object, ...]]:
            return sorted([tuple(row) for row in session.execute(query)], key=repr)

        return {
            "by cohort and status": rows(
                select(Trainee.cohort_id, Trainee.status, func.count()).group_by(
                    Trainee.cohort_id, Trainee.status
                )
            ),
            "by employer and area": rows(
                select(Trainee.employer_id, Trainee.service_area_id, func.count()).group_by(
                    Trainee.employer_id, Trainee.service_area_id
                )
            ),
            "dates": rows(select(Trainee.id, Trainee.start_date, Trainee.planned_end_date)),
            "otj hours": rows(
                select(OtjActivity.trainee_id, func.sum(OtjActivity.hours), func.count()).group_by(
                    OtjActivity.trainee_id
                )
            ),
            "marks": rows(
                select(AttendanceMark.status, func.count()).group_by(AttendanceMark.status)
            ),
            "outcomes": rows(
                select(CompetencySignoff.outcome, func.count()).group_by(CompetencySignoff.outcome)
            ),
            "criteria": rows(select(func.count(CriterionSignoff.id))),
            "reviews": rows(select(ProgressReview.trainee_id, ProgressReview.held_on)),
            "bands": rows(select(BandChange.trainee_id, BandChange.band)),
        }


def test_anonymising_leaves_their_details_only_in_the_append_only_records(
    demo_database: Database, subject: int
) -> None:
    identity = _identity(demo_database, subject)
    statistics = _statistics(demo_database)
    before_dump = sql_dump(demo_database)
    assert tables_holding(before_dump, FULL_NAME) >= {"users", "progress_reviews"}
    assert "trainees" in tables_holding(before_dump, UNIQUE_NAME[1])
    withdrew = _withdrew_on(demo_database, subject)

    report = anonymise_withdrawn(
        demo_database, ADMIN_ACTOR, today=add_months(withdrew, 12 * 6) + timedelta(days=1)
    )

    assert [t.trainee_id for t in report.trainees] == [subject]
    dump = sql_dump(demo_database)
    for field, value in identity.items():
        assert tables_holding(dump, value) <= RETAINED_TABLES, field
    # The documented retention is real: the rename's audit entry and the export record.
    assert tables_holding(dump, FULL_NAME) == {"audit_log", "portfolio_exports"}
    assert tables_holding(dump, "Falls prevention") <= RETAINED_TABLES  # the care pathway
    assert _statistics(demo_database) == statistics
    with demo_database.read() as session:
        trainee = session.get_one(Trainee, subject)
        assert trainee.full_name == f"Anonymised apprentice {subject}"
        assert trainee.uln is None and trainee.email is None and trainee.care_pathway is None
        assert trainee.status is TraineeStatus.WITHDRAWN
        review = session.scalars(
            select(ProgressReview).where(ProgressReview.trainee_id == subject)
        ).first()
        assert review.employer_comments == NEUTRAL_TEXT
    assert verify_audit_chain(demo_database).intact


def test_the_account_is_unlinked_closed_and_no_longer_signs_in(
    demo_database: Database, subject: int
) -> None:
    with demo_database.read() as session:
        account_id = session.get_one(Trainee, subject).account_id
        username = session.get_one(User, account_id).username
    sign_in(demo_database, username, DEMO_PASSWORD)  # works before

    anonymise_trainee(demo_database, ADMIN_ACTOR, subject, today=FAR_FUTURE)

    with pytest.raises(SignInRefusedError):
        sign_in(demo_database, username, DEMO_PASSWORD)
    with demo_database.read() as session:
        assert session.get_one(Trainee, subject).account_id is None
        account = session.get_one(User, account_id)
        assert not account.is_active and account.password_hash is None
        assert account.full_name == f"Anonymised apprentice {subject}"
        assert account.email is None


def test_the_audit_entry_names_the_trainee_by_id_only(
    demo_database: Database, subject: int
) -> None:
    identity = _identity(demo_database, subject)

    anonymise_trainee(demo_database, ADMIN_ACTOR, subject, today=FAR_FUTURE)

    with demo_database.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == ANONYMISE_ACTION and entry.trainee_id == subject
    written = f"{entry.summary} {entry.before} {entry.after}"
    assert not [value for value in identity.values() if value in written]
    after = json.loads(entry.after)
    assert after["free_text_replaced"]["breaks_in_learning"] == 1
    assert after["account"]["deactivated"] is True


def test_the_anonymised_trainee_still_counts_in_the_programme(
    demo_database: Database, subject: int
) -> None:
    anonymise_trainee(demo_database, ADMIN_ACTOR, subject, today=FAR_FUTURE)

    rows = {row.trainee_id: row for row in list_trainee_progress(demo_database, TEST_ACTOR)}
    assert rows[subject].name == f"Anonymised apprentice {subject}"
    assert rows[subject].uln is None


def test_a_dry_run_lists_who_and_changes_nothing(demo_database: Database, subject: int) -> None:
    before = sql_dump(demo_database)

    report = anonymise_withdrawn(demo_database, ADMIN_ACTOR, dry_run=True, today=FAR_FUTURE)

    assert report.dry_run and subject in [t.trainee_id for t in report.trainees]
    assert FULL_NAME in [t.name for t in report.trainees]
    assert report.retained.portfolio_exports == 1 and report.retained.audit_entries >= 2
    assert sql_dump(demo_database) == before


def test_a_date_inside_the_retention_period_is_refused(
    demo_database: Database, subject: int
) -> None:
    withdrew = _withdrew_on(demo_database, subject)
    today = add_months(withdrew, 12 * 6) - timedelta(days=1)  # one day short of six years
    before = sql_dump(demo_database)

    with pytest.raises(ActionRefusedError, match="kept until"):
        anonymise_trainee(demo_database, ADMIN_ACTOR, subject, today=today)
    with pytest.raises(ActionRefusedError, match="inside the 6-year retention period"):
        anonymise_withdrawn(
            demo_database, ADMIN_ACTOR, withdrawn_before=withdrew + timedelta(days=1), today=today
        )
    report = anonymise_withdrawn(demo_database, ADMIN_ACTOR, today=today)

    assert subject not in [t.trainee_id for t in report.trainees]
    assert sql_dump(demo_database) == before


def test_someone_not_withdrawn_or_already_anonymised_is_refused(
    demo_database: Database, subject: int
) -> None:
    with demo_database.read() as session:
        in_training = session.scalars(
            select(Trainee.id).where(Trainee.status == TraineeStatus.IN_TRAINING)
        ).first()
    with pytest.raises(ActionRefusedError, match="has not withdrawn"):
        anonymise_trainee(demo_database, ADMIN_ACTOR, in_training, today=FAR_FUTURE)

    anonymise_trainee(demo_database, ADMIN_ACTOR, subject, today=FAR_FUTURE)
    with pytest.raises(ActionRefusedError, match="already anonymised"):
        anonymise_trainee(demo_database, ADMIN_ACTOR, subject, today=FAR_FUTURE)
    again = anonymise_withdrawn(demo_database, ADMIN_ACTOR, today=FAR_FUTURE)
    assert subject not in [t.trainee_id for t in again.trainees]


def test_the_withdrawal_date_is_the_day_the_status_was_set(demo_database: Database) -> None:
    with demo_database.read() as session:
        trainee_id = session.scalars(
            select(Trainee.id).where(Trainee.status == TraineeStatus.IN_TRAINING)
        ).first()
    rename(demo_database, trainee_id, "Ravi", "Withdrawn-Today", status=TraineeStatus.WITHDRAWN)
    today = date.today()

    (withdrawal,) = anonymise_trainee(
        demo_database, ADMIN_ACTOR, trainee_id, dry_run=True, today=date(2099, 1, 1)
    ).trainees
    assert withdrawal.withdrawn_on == today and withdrawal.from_status_change
    with pytest.raises(ActionRefusedError, match="status set to withdrawn"):
        anonymise_trainee(
            demo_database, ADMIN_ACTOR, trainee_id, today=add_months(today, 72) - timedelta(1)
        )
    anonymise_trainee(demo_database, ADMIN_ACTOR, trainee_id, today=add_months(today, 72))


@pytest.mark.parametrize("dry_run", [True, False])
def test_only_an_administrator_may_anonymise(
    demo_database: Database, subject: int, dry_run: bool
) -> None:
    with pytest.raises(PermissionDeniedError, match="anonymise withdrawn apprentices"):
        anonymise_withdrawn(demo_database, TEST_ACTOR, dry_run=dry_run, today=FAR_FUTURE)
    with pytest.raises(PermissionDeniedError):
        anonymise_trainee(demo_database, TEST_ACTOR, subject, dry_run=dry_run, today=FAR_FUTURE)


# -- the retention rule --------------------------------------------------------------------


def test_the_retention_period_comes_from_programme_rules(tmp_path: Path) -> None:
    assert load_programme_rules().retention_years_after_withdrawal == 6
    rules = tmp_path / "rules.yaml"
    rules.write_text("retention_years_after_withdrawal: 7\n", encoding="utf-8")
    assert load_programme_rules(rules).retention_years_after_withdrawal == 7


@pytest.mark.parametrize("value", ["0", "six", "true", "2.5"])
def test_a_retention_period_that_is_not_whole_years_is_refused(tmp_path: Path, value: str) -> None:
    rules = tmp_path / f"rules-{value}.yaml"
    rules.write_text(f"retention_years_after_withdrawal: {value}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="retention_years_after_withdrawal must be a whole"):
        load_programme_rules(rules)
