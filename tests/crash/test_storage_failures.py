"""A full disk or a read-only database: the save is refused in words the person can act on,
nothing of it is kept, and the file is sound afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from apdesk.app import report_unexpected_error
from apdesk.db.database import Database
from apdesk.db.models import AttendanceMark, AuditEntry, BandChange, Trainee
from apdesk.domain.enums import AttendanceStatus
from apdesk.services.attendance import RegisterLine, create_session, load_register, save_register
from apdesk.services.audit import verify_audit_chain
from apdesk.services.errors import ActionRefusedError
from apdesk.services.storage_errors import (
    DatabaseFullError,
    DatabaseReadOnlyError,
    StorageError,
    storage_error,
)
from apdesk.services.trainee_import import import_trainees
from apdesk.ui import messages
from tests.crash.storage import disk_full, integrity, open_read_only, refusing_changes
from tests.helpers.attendance import FIRST_WEDNESDAY, RegisterProgramme, add_register_programme
from tests.helpers.builders import add_small_programme
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.import_files import good_row, write_csv

IMPORT_DAY = FIRST_WEDNESDAY + timedelta(days=100)
# A register big enough that saving it must add pages to the file, not only fill gaps.
CLASS_OF_30 = tuple((f"Person{n:02d}", f"Surname{n:02d}") for n in range(30))


def counts(database: Database) -> dict[str, int]:
    with database.read() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Trainee, BandChange, AttendanceMark, AuditEntry)
        }


@pytest.fixture
def statements(database: Database) -> Iterator[list[str]]:
    """The INSERT and UPDATE statements sent, to show a refused save had begun writing."""
    sent: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.startswith(("INSERT", "UPDATE")):
            sent.append(statement.split("(")[0])

    event.listen(database.engine, "before_cursor_execute", note)
    yield sent
    event.remove(database.engine, "before_cursor_execute", note)


@pytest.fixture
def register(database: Database) -> tuple[RegisterProgramme, int]:
    programme = add_register_programme(database, CLASS_OF_30)
    held = create_session(
        database, TEST_ACTOR, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7
    )
    return programme, held.session_id


def everyone(database: Database, session_id: int, status: AttendanceStatus) -> list[RegisterLine]:
    lines = load_register(database, TEST_ACTOR, session_id).lines
    assert len(lines) == len(CLASS_OF_30)
    return [RegisterLine(line.trainee_id, line.name, status) for line in lines]


@pytest.mark.sqlite_only("fills the file's page budget")
def test_an_import_that_fills_the_disk_saves_no_one_and_says_free_space(
    database: Database, tmp_path: Path, statements: list[str]
) -> None:
    programme = add_small_programme(database)
    cohort = write_csv(tmp_path / "cohort.csv", [good_row(programme, n) for n in range(40)])
    before = counts(database)
    file = Path(database.engine.url.database or "").resolve()

    with disk_full(database), pytest.raises(DatabaseFullError) as refused:
        import_trainees(database, cohort, TEST_ACTOR, today=IMPORT_DAY)

    assert str(refused.value) == (
        f"The database is full: free disk space on the drive that holds {file} (or ask IT "
        "to), then try again. Nothing was saved."
    )
    assert isinstance(refused.value, ActionRefusedError)  # every refusal path shows it
    assert statements.count("INSERT INTO trainees ") > 1  # the disk filled part-way through
    assert counts(database) == before
    assert integrity(database) == "ok"
    assert verify_audit_chain(database).intact

    # Space freed: the same file goes in whole.
    report = import_trainees(database, cohort, TEST_ACTOR, today=IMPORT_DAY)
    assert report.imported == 40
    assert counts(database)["Trainee"] == before["Trainee"] + 40
    assert integrity(database) == "ok"


@pytest.mark.sqlite_only("fills the file's page budget")
def test_a_register_save_that_fills_the_disk_keeps_no_marks(
    database: Database, register: tuple[RegisterProgramme, int], statements: list[str]
) -> None:
    _programme, session_id = register
    lines = everyone(database, session_id, AttendanceStatus.PRESENT)
    before = counts(database)

    with disk_full(database), pytest.raises(DatabaseFullError, match=r"^The database is full"):
        save_register(database, TEST_ACTOR, session_id, lines)

    assert statements.count("INSERT INTO attendance_marks ") > 1
    assert counts(database) == before
    assert all(
        line.status is None for line in load_register(database, TEST_ACTOR, session_id).lines
    )
    assert integrity(database) == "ok"
    assert verify_audit_chain(database).intact
    assert save_register(database, TEST_ACTOR, session_id, lines).added == 30


@pytest.mark.sqlite_only("opens the SQLite file read-only")
def test_a_file_opened_read_only_still_shows_records_but_refuses_saves(
    database: Database, register: tuple[RegisterProgramme, int], tmp_path: Path
) -> None:
    programme, session_id = register
    lines = everyone(database, session_id, AttendanceStatus.PRESENT)
    cohort = write_csv(
        tmp_path / "cohort.csv", [good_row(programme.programme, n) for n in range(3)]
    )
    before = counts(database)
    read_only = open_read_only(database)
    file = Path(database.engine.url.database or "").resolve()
    try:
        assert len(load_register(read_only, TEST_ACTOR, session_id).lines) == 30
        with pytest.raises(DatabaseReadOnlyError) as refused:
            save_register(read_only, TEST_ACTOR, session_id, lines)
        with pytest.raises(DatabaseReadOnlyError):
            import_trainees(read_only, cohort, TEST_ACTOR, today=IMPORT_DAY)
    finally:
        read_only.close()

    assert str(refused.value) == (
        f"The database is read-only: APDesk cannot save to {file}. Check that the file and "
        "its folder are not read-only and that your account may change them (ask IT if "
        "not), then try again. Nothing was saved."
    )
    assert counts(database) == before
    assert integrity(database) == "ok"


def test_a_database_taking_no_changes_refuses_a_save_and_keeps_nothing(
    database: Database, register: tuple[RegisterProgramme, int]
) -> None:
    """On SQLite (query_only) and, in CI's second run, on PostgreSQL (read-only sessions)."""
    _programme, session_id = register
    lines = everyone(database, session_id, AttendanceStatus.LATE)
    lines = [RegisterLine(line.trainee_id, line.name, line.status, 60) for line in lines]
    before = counts(database)

    with refusing_changes(database), pytest.raises(DatabaseReadOnlyError) as refused:
        save_register(database, TEST_ACTOR, session_id, lines)

    assert str(refused.value).startswith("The database is read-only: ")
    assert str(refused.value).endswith("Nothing was saved.")
    assert counts(database) == before
    assert verify_audit_chain(database).intact
    assert save_register(database, TEST_ACTOR, session_id, lines).added == 30


class _ServerError(Exception):
    """What psycopg raises, as far as the translation looks: an SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_a_server_out_of_space_or_read_only_is_told_in_the_same_words() -> None:
    server = make_url("postgresql+psycopg://apdesk@db.example.nhs.uk/apdesk")

    full = storage_error(_ServerError("53100"), server)
    read_only = storage_error(_ServerError("25006"), server)

    assert isinstance(full, DatabaseFullError)
    assert str(full).startswith("The database is full: the database server has run out")
    assert isinstance(read_only, DatabaseReadOnlyError)
    assert str(read_only).startswith("The database is read-only: the database server is")
    assert storage_error(_ServerError("23505"), server) is None  # a unique violation: not ours


def test_other_database_errors_are_left_alone(database: Database) -> None:
    with pytest.raises(DBAPIError) as raised, database.read() as session:
        session.connection().exec_driver_sql("SELECT * FROM no_such_table")
    assert not isinstance(raised.value, StorageError)


def test_a_storage_error_no_window_catches_is_told_plainly_not_as_a_bug(
    monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, title, text: shown.append((title, text)))
    error = DatabaseFullError("The database is full: free disk space … Nothing was saved.")

    report_unexpected_error(DatabaseFullError, error, None)

    assert shown == [("APDesk could not save", str(error))]
