"""The apdesk command, run as a user would: demo, list, import, and its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from apdesk.cli import main
from tests.helpers.builders import add_small_programme
from tests.helpers.import_files import good_row, write_csv

DEMO_PASSWORD = "apdesk-demo"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords as a script would give them: no prompts."""
    monkeypatch.setenv("APDESK_PASSWORD", DEMO_PASSWORD)
    monkeypatch.setenv("APDESK_NEW_PASSWORD", DEMO_PASSWORD)


def first_administrator(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = run(
        capsys, "--database", db, "user", "add", "admin", "--name", "Ada Admin",
        "--role", "administrator",
    )  # fmt: skip
    assert code == 0 and "first administrator" in out


def test_demo_then_list_as_json(
    new_database_url: str, capsys: pytest.CaptureFixture[str], passwords: None
) -> None:
    db = new_database_url
    code, out, _ = run(capsys, "--database", db, "demo", "--trainees", "30", "--seed", "5")
    assert code == 0 and "30 trainees in 8 cohorts" in out

    code, _, err = run(capsys, "--database", db, "trainees")
    assert code == 1 and "Sign in to" in err  # the demo made accounts: now names are needed

    code, out, _ = run(
        capsys, "--database", db, "--user", "edlead1", "trainees", "--format", "json",
        "--as-of", "2026-11-25",
    )  # fmt: skip
    records = json.loads(out)
    assert code == 0 and len(records) == 30
    first = records[0]
    assert {"name", "employer", "sector", "ics_area", "cohort", "band", "attendance_percent",
            "otj_percent_of_plan", "competencies_signed", "risk_reasons"} <= set(first)  # fmt: skip
    assert {r["sector"] for r in records} == {"NHS", "3rd sector"}

    cohort = first["cohort"]
    code, out, _ = run(
        capsys, "--database", db, "--user", "edlead1", "trainees", "--cohort", cohort
    )
    lines = out.strip().splitlines()
    assert code == 0 and lines[0].startswith("Name") and cohort in lines[1]
    assert lines[-1].endswith("at risk")


def test_unknown_cohort_is_refused(
    new_database_url: str, capsys: pytest.CaptureFixture[str], passwords: None
) -> None:
    db = new_database_url
    first_administrator(capsys, db)
    code, _, err = run(capsys, "--database", db, "--user", "admin", "trainees", "--cohort", "Nope")
    assert code == 1 and "no trainees in a cohort called 'Nope'" in err


def test_csv_output_is_safe_for_excel(
    new_database_url: str, capsys: pytest.CaptureFixture[str], passwords: None
) -> None:
    from apdesk.services.startup import open_database
    from tests.helpers.builders import add_trainee

    database = open_database(new_database_url).database
    add_trainee(database, add_small_programme(database), first_name='=HYPERLINK("x")')
    database.close()
    first_administrator(capsys, new_database_url)

    code, out, _ = run(
        capsys, "--database", new_database_url, "--user", "admin", "trainees", "--format", "csv"
    )
    assert code == 0 and ",'=HYPERLINK" in out.replace('"', "")


def test_import_with_a_bad_row_exits_non_zero_naming_it(
    tmp_path: Path, new_database_url: str, capsys: pytest.CaptureFixture[str], passwords: None
) -> None:
    from apdesk.services.startup import open_database

    database = open_database(new_database_url).database
    programme = add_small_programme(database)
    database.close()
    rows = [good_row(programme, n) for n in range(51)]
    rows[30]["uln"] = "1234567890"
    path = write_csv(tmp_path / "cohort.csv", rows)
    first_administrator(capsys, new_database_url)
    as_admin = ("--database", new_database_url, "--user", "admin")

    code, _, err = run(capsys, *as_admin, "import-trainees", str(path))
    assert code == 1
    assert "Row 32: ULN 1234567890 fails its check digit" in err
    assert "nothing was imported" in err

    rows[30]["uln"] = "9999999999"
    write_csv(path, rows)
    code, out, err = run(capsys, *as_admin, "import-trainees", "--dry-run", str(path))
    assert code == 0 and "all 51 rows are valid (dry run" in out and "temporary ULN" in err
    code, out, _ = run(capsys, *as_admin, "import-trainees", str(path))
    assert code == 0 and "imported 51 trainees" in out


def test_a_database_from_a_newer_apdesk_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    db_path = tmp_path / "new.sqlite3"
    assert run(capsys, "--database", str(db_path), "info")[0] == 0
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff'")
    connection.close()
    code, _, err = run(capsys, "--database", str(db_path), "info")
    assert code == 2 and "newer version of APDesk" in err


def test_help_documents_the_import_columns(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["import-trainees", "--help"])
    out = capsys.readouterr().out
    assert "employee_number" in out and "9999999999" in out


def test_python_dash_m_apdesk_runs(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "apdesk", "--database", str(tmp_path / "x.sqlite3"), "info"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Database:" in result.stdout


def test_accounts_from_the_command_line(
    new_database_url: str, capsys: pytest.CaptureFixture[str], passwords: None
) -> None:
    db = new_database_url
    code, _, err = run(
        capsys, "--database", db, "user", "add", "sam", "--name", "Sam", "--role", "mentor"
    )
    assert code == 1 and "the first account must be one" in err
    first_administrator(capsys, db)
    as_admin = ("--database", db, "--user", "admin")

    code, _, err = run(
        capsys, *as_admin, "user", "add", "maria", "--name", "Maria Mentor", "--role", "mentor"
    )
    assert code == 1 and "professional registration" in err
    code, out, _ = run(
        capsys, *as_admin, "user", "add", "maria", "--name", "Maria Mentor", "--role", "mentor",
        "--registration", "NMC 12A3456E", "--mentor-trained-on", "2024-03-01",
    )  # fmt: skip
    assert code == 0 and "Added mentor account maria" in out
    code, _, err = run(capsys, "--database", db, "--user", "maria", "user", "list")
    assert code == 1 and "needs an administrator account" in err
    assert run(capsys, *as_admin, "user", "deactivate", "maria")[0] == 0
    code, out, _ = run(capsys, *as_admin, "user", "list")
    assert "maria" in out and "deactivated" in out
    code, _, err = run(capsys, "--database", db, "--user", "maria", "user", "list")
    assert code == 1 and "deactivated" in err


@pytest.mark.sqlite_only("edits the file with sqlite3, as someone with a SQLite browser could")
def test_a_tampered_audit_entry_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], passwords: None
) -> None:
    import sqlite3

    db = str(tmp_path / "demo.sqlite3")
    run(capsys, "--database", db, "demo", "--trainees", "5")
    code, out, _ = run(capsys, "--database", db, "verify-audit")  # no account needed to check
    assert code == 0 and "intact" in out
    # More entries after the one that will be altered, so the break is found mid-chain.
    run(capsys, "--database", db, "--user", "admin", "user", "deactivate", "mentor1")

    with sqlite3.connect(db) as connection:  # someone with the file and a SQLite browser
        connection.execute("DROP TRIGGER audit_log_no_update")
        connection.execute("UPDATE audit_log SET summary = 'nothing to see' WHERE id = 1")
    connection.close()

    code, _, err = run(capsys, "--database", db, "verify-audit")
    assert code == 1
    assert "Audit entry 1 (" in err and "was changed after it was written" in err
