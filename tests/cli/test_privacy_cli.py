"""`apdesk subject-access` and `apdesk anonymise`, run as the demo's administrator (and
refused for its education lead)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from apdesk.cli import main
from apdesk.db.database import Database
from apdesk.db.models import Trainee
from apdesk.domain.enums import TraineeStatus
from apdesk.services import anonymisation
from apdesk.services.programme_rules import ProgrammeRules
from tests.helpers.practice import DEMO_PASSWORD
from tests.helpers.privacy import sql_dump, withdrawn_trainee


@pytest.fixture
def database_args(monkeypatch: pytest.MonkeyPatch, demo_database: Database) -> list[str]:
    monkeypatch.setenv("APDESK_PASSWORD", DEMO_PASSWORD)
    return ["--database", demo_database.url]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _trainee(database: Database, trainee_id: int) -> Trainee:
    with database.read() as session:
        return session.get_one(Trainee, trainee_id)


@pytest.fixture
def one_year_retention(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo's withdrawals are 2023 and 2025: a trust keeping records one year."""
    monkeypatch.setattr(
        anonymisation,
        "load_programme_rules",
        lambda: ProgrammeRules(retention_years_after_withdrawal=1),
    )


def test_subject_access_by_uln_writes_the_json_and_the_pdf(
    demo_database: Database,
    database_args: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    trainee = _trainee(demo_database, withdrawn_trainee(demo_database))
    out_dir = tmp_path / "request 42"

    code, out, err = run(
        capsys,
        *database_args,
        "--user",
        "admin",
        "subject-access",
        "--trainee",
        trainee.uln,
        "--out-dir",
        str(out_dir),
    )

    assert code == 0, err
    json_file, pdf_file = sorted(out_dir.iterdir())
    assert json_file.suffix == ".json" and pdf_file.suffix == ".pdf"
    assert f"Everything held on {trainee.full_name}" in out
    assert str(json_file) in out and str(pdf_file) in out
    held = json.loads(json_file.read_text(encoding="utf-8"))
    assert held["trainee"]["uln"] == trainee.uln
    assert held["about"]["counts"]["attendance_marks"] > 0
    assert trainee.full_name in PdfReader(pdf_file).pages[0].extract_text()


def test_subject_access_is_refused_to_an_education_lead(
    database_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys,
        *database_args,
        "--user",
        "edlead1",
        "subject-access",
        "--trainee",
        "1",
        "--out-dir",
        str(tmp_path / "sar"),
    )

    assert code == 1
    assert "needs an administrator account" in err
    assert not (tmp_path / "sar").exists()


def test_a_dry_run_lists_who_would_be_anonymised_and_changes_nothing(
    demo_database: Database,
    database_args: list[str],
    one_year_retention: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = sql_dump(demo_database)
    subject = _trainee(demo_database, withdrawn_trainee(demo_database))

    code, out, err = run(capsys, *database_args, "--user", "admin", "anonymise", "--dry-run")

    assert code == 0, err
    assert "Retention: 1 year after withdrawal" in out
    assert "Would anonymise 2 withdrawn apprentices (dry run: nothing was changed)." in out
    assert subject.full_name in out and "(last learning recorded)" in out
    assert "Kept as written" in out
    assert sql_dump(demo_database) == before


def test_anonymise_replaces_the_names_of_everyone_past_the_period(
    demo_database: Database,
    database_args: list[str],
    one_year_retention: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, *database_args, "--user", "admin", "anonymise")

    assert code == 0, err
    assert "Anonymised 2 withdrawn apprentices." in out
    with demo_database.read() as session:
        names = session.scalars(
            select(Trainee.first_name).where(Trainee.status == TraineeStatus.WITHDRAWN)
        ).all()
    assert names == ["Anonymised", "Anonymised"]


def test_a_date_inside_the_six_years_is_refused(
    demo_database: Database, database_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = sql_dump(demo_database)

    code, _, err = run(
        capsys,
        *database_args,
        "--user",
        "admin",
        "anonymise",
        "--withdrawn-before",
        "2024-01-01",
    )

    assert code == 1
    assert "inside the 6-year retention period" in err and "Nothing was changed" in err
    assert sql_dump(demo_database) == before


def test_one_trainee_still_in_training_is_refused(
    demo_database: Database,
    database_args: list[str],
    one_year_retention: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with demo_database.read() as session:
        uln = session.scalars(
            select(Trainee.uln).where(Trainee.status == TraineeStatus.IN_TRAINING)
        ).first()

    code, _, err = run(capsys, *database_args, "--user", "admin", "anonymise", "--trainee", uln)

    assert code == 1 and "has not withdrawn" in err


def test_anonymise_is_refused_to_an_education_lead(
    database_args: list[str], one_year_retention: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *database_args, "--user", "edlead1", "anonymise", "--dry-run")

    assert code == 1
    assert "cannot anonymise withdrawn apprentices" in err
