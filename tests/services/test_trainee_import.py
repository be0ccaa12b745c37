"""Importing trainees: every row is checked, every problem is named by its row, and a file
with any bad row imports nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry, BandChange, Trainee
from apdesk.domain.enums import Level2Status
from apdesk.services.permissions import PermissionDeniedError
from apdesk.services.spreadsheets import UnreadableFileError
from apdesk.services.trainee_import import import_trainees
from tests.helpers.builders import SmallProgramme, add_small_programme, add_trainee
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.import_files import HEADERS, good_row, valid_uln, write_csv
from tests.helpers.trainees import add_people


def trainee_count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(Trainee.id))) or 0


@pytest.fixture
def programme(database: Database) -> SmallProgramme:
    return add_small_programme(database)


def test_fifty_good_rows_import_with_band_history_and_audit(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "cohort.csv", [good_row(programme, n) for n in range(50)])

    report = import_trainees(database, path, TEST_ACTOR)

    assert report.ok and report.imported == 50
    with database.read() as session:
        trainee = session.scalars(
            select(Trainee).where(Trainee.employee_number == "ESR00007")
        ).one()
        bands = session.scalar(select(func.count(BandChange.id)))
        audits = session.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()
    assert trainee.english_status is Level2Status.WORKING_TOWARDS
    assert trainee.mentor_id == programme.mentor_id
    assert str(trainee.start_date) == "2024-09-09"
    assert bands == 50
    assert len(audits) == 50 and audits[0].actor_name == TEST_ACTOR.name


def test_one_bad_uln_among_fifty_good_rows_imports_nothing_and_names_the_row(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    rows = [good_row(programme, n) for n in range(51)]
    rows[12]["uln"] = "1234567890"
    path = write_csv(tmp_path / "cohort.csv", rows)

    report = import_trainees(database, path, TEST_ACTOR)

    assert not report.ok and report.imported == 0
    assert [str(problem) for problem in report.errors] == [
        "Row 14: ULN 1234567890 fails its check digit"  # header is row 1, rows[12] is row 14
    ]
    assert trainee_count(database) == 0


def test_every_kind_of_bad_row_is_reported(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    add_trainee(database, programme, employee_number="ESR00001", uln=valid_uln(1))
    rows = [good_row(programme, n) for n in range(2, 9)]
    rows[0]["employer"] = "Nowhere Trust"
    rows[1]["start_date"] = "31/02/2025"
    rows[2]["planned_end_date"] = "01/09/2024"
    rows[3]["employee_number"] = "ESR00001"  # already in the database
    rows[3]["uln"] = valid_uln(1)
    rows[4]["employee_number"] = rows[5]["employee_number"]  # repeated in the file
    rows[5]["contracted_hours"] = "about 30"
    rows[6]["cohort"] = ""
    path = write_csv(tmp_path / "bad.csv", rows)

    messages = [str(p) for p in import_trainees(database, path, TEST_ACTOR).errors]

    assert messages == [
        "Row 2: unknown employer 'Nowhere Trust'",
        "Row 3: start date '31/02/2025' is not a date (use DD/MM/YYYY)",
        "Row 4: planned end date 01/09/2024 is not after the start date",
        "Row 5: employee number ESR00001 at Test Trust NHS FT is already in APDesk",
        f"Row 5: ULN {valid_uln(1)} already belongs to Asha Patel",
        "Row 7: contracted hours 'about 30' is not a number",
        "Row 8: cohort is required",
    ]
    assert trainee_count(database) == 1


def test_duplicates_within_the_file(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    rows = [good_row(programme, n) for n in range(3)]
    rows[2]["employee_number"] = rows[0]["employee_number"]
    rows[1]["uln"] = rows[0]["uln"]
    path = write_csv(tmp_path / "dupes.csv", rows)

    messages = [str(p) for p in import_trainees(database, path, TEST_ACTOR).errors]

    assert messages == [
        f"Row 3: ULN {rows[0]['uln']} repeats row 2",
        f"Row 4: employee number {rows[0]['employee_number']} repeats row 2",
    ]


def test_temporary_uln_is_accepted_with_a_warning(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    rows = [good_row(programme, n) for n in range(2)]
    rows[0]["uln"] = rows[1]["uln"] = "9999999999"
    report = import_trainees(database, write_csv(tmp_path / "t.csv", rows), TEST_ACTOR)
    assert report.ok and report.imported == 2
    assert [str(w) for w in report.warnings] == [
        "Row 2: ULN 9999999999 is the temporary ULN: replace it with the learner's real ULN",
        "Row 3: ULN 9999999999 is the temporary ULN: replace it with the learner's real ULN",
    ]


def test_dry_run_checks_but_saves_nothing(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "c.csv", [good_row(programme, n) for n in range(5)])
    report = import_trainees(database, path, TEST_ACTOR, dry_run=True)
    assert report.ok and report.dry_run and report.imported == 5
    assert trainee_count(database) == 0


def test_missing_and_unknown_columns_are_named(database: Database, tmp_path: Path) -> None:
    headers = [h for h in HEADERS if h != "cohort"] + ["emploee_no"]
    path = write_csv(tmp_path / "cols.csv", [], headers)
    messages = [str(p) for p in import_trainees(database, path, TEST_ACTOR).errors]
    assert messages == ["Missing column 'cohort'", "Unknown column 'emploee_no'"]


def test_xlsx_with_real_dates_and_numbers(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    from datetime import datetime

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["First name", "Last name", "Employee number", "Employer", "ULN", "Service area",
                  "Cohort", "Contracted hours", "Start date", "Planned end date"])  # fmt: skip
    sheet.append(["Kofi", "Mensah", 20451, programme.employer, 9276308686, programme.service_area,
                  programme.cohort, 22.5, datetime(2024, 9, 9), datetime(2027, 3, 8)])  # fmt: skip
    path = tmp_path / "cohort.xlsx"
    workbook.save(path)

    report = import_trainees(database, path, TEST_ACTOR)

    assert report.ok, report.errors
    with database.read() as session:
        trainee = session.scalars(select(Trainee)).one()
    assert (trainee.employee_number, trainee.uln) == ("20451", "9276308686")
    assert str(trainee.contracted_hours_per_week) == "22.5"
    assert str(trainee.planned_end_date) == "2027-03-08"


def test_a_file_that_is_not_a_table_gets_a_clear_message(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "notes.xlsx"
    path.write_text("not a workbook")
    with pytest.raises(UnreadableFileError, match="cannot be read as an Excel workbook"):
        import_trainees(database, path, TEST_ACTOR)
    with pytest.raises(UnreadableFileError, match=r"choose a \.csv or \.xlsx"):
        import_trainees(database, tmp_path / "cohort.txt", TEST_ACTOR)


def test_progress_is_reported_per_row_and_stopping_it_saves_nothing(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "c.csv", [good_row(programme, n) for n in range(4)])
    reported: list[tuple[int, int]] = []
    import_trainees(
        database, path, TEST_ACTOR, dry_run=True, progress=lambda *p: reported.append(p)
    )
    assert reported == [(1, 4), (2, 4), (3, 4), (4, 4)]

    class Cancelled(Exception):
        pass

    def cancel_at_row_3(done: int, _total: int) -> None:
        if done == 3:
            raise Cancelled

    with pytest.raises(Cancelled):
        import_trainees(database, path, TEST_ACTOR, progress=cancel_at_row_3)
    assert trainee_count(database) == 0


# -- who may import -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", None),  # administrators set databases up
        (
            "mentor",
            "Mo Mentor cannot import trainees: that needs an education lead or administrator "
            "account.",
        ),
        (
            "apprentice",
            "Asha Account cannot import trainees: that needs an education lead or "
            "administrator account.",
        ),
        ("nobody", "Sign in to import trainees."),
    ],
)
def test_only_education_leads_and_administrators_import(
    database: Database, programme: SmallProgramme, tmp_path: Path, who: str, refusal: str | None
) -> None:
    people = add_people(database, add_trainee(database, programme, uln="9999999999"))
    path = write_csv(tmp_path / "cohort.csv", [good_row(programme, n) for n in range(3)])

    if refusal is None:
        report = import_trainees(database, path, people[who])
        assert report.ok and report.imported == 3 and trainee_count(database) == 4
        with database.read() as session:
            actors = session.scalars(
                select(AuditEntry.actor_name).where(AuditEntry.action == "import")
            ).all()
        assert actors == [people[who].name] * 3
    else:
        with pytest.raises(PermissionDeniedError) as refused:
            import_trainees(database, path, people[who])
        assert str(refused.value) == refusal
        assert trainee_count(database) == 1


def test_the_refusal_comes_before_the_file_is_read(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    people = add_people(database, add_trainee(database, programme))
    missing = tmp_path / "not-there.csv"

    with pytest.raises(PermissionDeniedError, match="cannot import trainees"):
        import_trainees(database, missing, people.mentor)
    with pytest.raises(UnreadableFileError):  # a lead gets as far as reading it
        import_trainees(database, missing, people.lead)
