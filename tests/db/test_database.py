"""SQLite is opened the way that never loses a committed sign-off, and sign-offs and the audit
log cannot be changed or removed, even by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from apdesk.db.database import Database
from apdesk.db.models import Competency, CompetencyGroup, CompetencySignoff, User
from apdesk.domain.enums import CompetencyOutcome, Role
from apdesk.paths import resolve_database_url
from tests.helpers.builders import add_small_programme, add_trainee


@pytest.mark.sqlite_only("reads SQLite's PRAGMAs")
def test_sqlite_pragmas(database: Database) -> None:
    with database.read() as session:
        pragma = lambda name: session.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("foreign_keys") == 1
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") >= 5000


@pytest.mark.sqlite_only("BEGIN IMMEDIATE is SQLite's; PostgreSQL locks rows as it writes")
def test_writers_take_the_write_lock_at_begin(database: Database) -> None:
    statements: list[str] = []
    event.listen(database.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with database.read() as session:
        session.execute(text("SELECT 1"))
    with database.write() as session:
        session.execute(text("SELECT 1"))
    assert [s for s in statements if s.startswith("BEGIN")] == ["BEGIN", "BEGIN IMMEDIATE"]


def test_foreign_keys_are_enforced(database: Database) -> None:
    with pytest.raises(IntegrityError), database.write() as session:
        session.add(CompetencyGroup(framework_id=999_999, code="X", title="Orphan", position=1))
        session.flush()


def _sign_off(database: Database) -> int:
    trainee_id = add_trainee(database, add_small_programme(database))
    with database.write() as session:
        mentor = session.scalars(select(User).where(User.role == Role.MENTOR)).one()
        competency = session.scalars(select(Competency)).first()
        assert competency is not None
        signoff = CompetencySignoff(
            trainee_id=trainee_id,
            competency_id=competency.id,
            outcome=CompetencyOutcome.COMPETENT,
            observed_on=date(2026, 1, 5),
            signer_id=mentor.id,
            signer_name=mentor.full_name,
            signer_role="Mentor",
            meaning="Observed in practice and competent",
        )
        session.add(signoff)
        session.flush()
        return signoff.id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE competency_signoffs SET outcome = 'not_yet_competent' WHERE id = :id",
        "DELETE FROM competency_signoffs WHERE id = :id",
    ],
)
def test_signoffs_are_append_only(database: Database, statement: str) -> None:
    signoff_id = _sign_off(database)
    with pytest.raises(IntegrityError, match="append-only"), database.write() as session:
        session.execute(text(statement), {"id": signoff_id})
    with database.read() as session:
        assert session.get(CompetencySignoff, signoff_id).outcome is CompetencyOutcome.COMPETENT


def test_timestamps_are_stored_in_utc_and_come_back_aware(database: Database) -> None:
    signed = datetime(2026, 6, 1, 10, 30, tzinfo=timezone(timedelta(hours=1)))  # BST
    with database.write() as session:
        user = User(username="u", full_name="U", role=Role.MENTOR, locked_until=signed)
        session.add(user)
    with database.read() as session:
        stored = session.execute(
            text("SELECT locked_until FROM users WHERE username = 'u'")
        ).scalar()
        loaded = session.scalars(select(User).where(User.username == "u")).one().locked_until
    assert str(stored).startswith("2026-06-01 09:30:00")  # text in SQLite, a datetime in PostgreSQL
    assert loaded == signed and loaded.tzinfo is UTC


def test_naive_timestamps_are_refused(database: Database) -> None:
    with pytest.raises(StatementError, match="timezone-aware"), database.write() as session:
        session.add(
            User(username="n", full_name="N", role=Role.MENTOR, locked_until=datetime(2026, 1, 1))
        )
        session.flush()


def test_database_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APDESK_DATA_DIR", str(tmp_path))
    assert resolve_database_url() == f"sqlite:///{tmp_path / 'apdesk.sqlite3'}"
    monkeypatch.setenv("APDESK_DATABASE_URL", "postgresql+psycopg://apdesk@db.trust.nhs.uk/apdesk")
    assert resolve_database_url().startswith("postgresql+psycopg://")
    assert resolve_database_url(str(tmp_path / "other.sqlite3")) == (
        f"sqlite:///{tmp_path / 'other.sqlite3'}"
    )


def test_display_name_hides_passwords() -> None:
    database = Database("sqlite://")
    database.url = "postgresql+psycopg://apdesk:secret@db/apdesk"
    assert "secret" not in database.display_name
    database.close()


def test_a_missing_driver_or_bad_address_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    from apdesk.services.startup import DatabaseUnavailableError, open_database

    with pytest.raises(DatabaseUnavailableError, match="driver is not installed"):
        open_database("mysql+nosuchdriver://someone@server/apdesk")
    with pytest.raises(DatabaseUnavailableError, match="not a database address"):
        open_database("postgresql+psycopg://user@server:notaport/x")
