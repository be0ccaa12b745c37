"""``main.py --self-test``: every step runs for real in a child process, reports OK, and leaves
the person's own database exactly as it was."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from apdesk.paths import CONFIG_FILE_VARIABLE, default_database_path
from apdesk.self_test import FAIL, OK, SKIP, Report, SelfTestFailure, Step
from apdesk.services.startup import open_database

ROOT = Path(__file__).resolve().parent.parent
STEPS = (
    "APDesk version",
    "Reference data and icons",
    "New database",
    "Migrations, every revision",
    "Your database, on a temporary copy",
    "PostgreSQL driver",
    "Demo programme",
    "Evidence portfolio PDF",
    "Main window, every tab",
)


def run_self_test(*arguments: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", "--self-test", *arguments],
        cwd=ROOT,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def step_lines(output: str) -> dict[str, str]:
    """Step name → its status, from lines like ``OK    New database: … (0.4 s)``."""
    statuses = {}
    for line in output.splitlines():
        status, _, rest = line.partition("  ")
        name = rest.strip().partition(": ")[0]
        if status.strip() in (OK, SKIP, FAIL) and name:
            statuses[name] = status.strip()
    return statuses


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_step_passes_and_the_persons_database_is_untouched(tmp_path: Path) -> None:
    opened = open_database(None)  # the person's own database, in the test's data folder
    opened.database.close()
    theirs = default_database_path()
    before = (file_digest(theirs), theirs.stat().st_mtime_ns)
    report = tmp_path / "report.txt"

    result = run_self_test("--self-test-report", str(report))

    assert result.returncode == 0, result.stdout + result.stderr
    expected = dict.fromkeys(STEPS, OK)
    if importlib.util.find_spec("psycopg") is None:  # the postgresql extra is optional
        expected["PostgreSQL driver"] = SKIP
    assert step_lines(result.stdout) == expected, result.stdout
    passed = sum(1 for outcome in expected.values() if outcome == OK)
    assert f"Self-test passed: {passed} steps OK" in result.stdout
    assert f"{theirs} opens (current), 0 trainees" in result.stdout
    assert "tabs shown (Dashboard, Trainees, Attendance" in result.stdout
    # The report file says the same as the console (a windowed program has no console).
    assert report.read_text(encoding="utf-8") == result.stdout
    assert (file_digest(theirs), theirs.stat().st_mtime_ns) == before
    # Nothing of the self-test's own is left in the person's data folder.
    assert sorted(path.name for path in theirs.parent.iterdir()) == ["apdesk.sqlite3"]


def test_a_missing_resource_fails_the_self_test_with_the_reason(tmp_path: Path) -> None:
    empty = tmp_path / "resources"
    empty.mkdir()
    first_time_users_folder = tmp_path / "no data folder yet"

    result = run_self_test(
        APDESK_RESOURCES=str(empty), APDESK_DATA_DIR=str(first_time_users_folder)
    )

    assert result.returncode == 1
    assert not first_time_users_folder.exists()
    assert "there is no database at" in result.stdout
    statuses = step_lines(result.stdout)
    assert statuses["Reference data and icons"] == FAIL
    assert f"no reference data (*.yaml) in {empty}" in result.stdout
    assert statuses["Evidence portfolio PDF"] == SKIP  # it needs the demo, which failed too
    assert "Self-test FAILED (Reference data and icons, Demo programme)" in result.stdout


def test_a_broken_settings_file_is_reported_and_the_rest_still_checked(tmp_path: Path) -> None:
    settings = tmp_path / "apdesk.ini"
    settings.write_text("url = postgresql+psycopg://db/apdesk\n", encoding="utf-8")

    result = run_self_test(**{CONFIG_FILE_VARIABLE: str(settings)})

    assert result.returncode == 1
    statuses = step_lines(result.stdout)
    assert statuses["Settings file"] == FAIL
    assert statuses["Your database, on a temporary copy"] == SKIP
    assert statuses["Main window, every tab"] == OK
    assert str(settings) in result.stdout


def test_a_step_that_fails_stops_only_the_steps_that_need_it() -> None:
    lines: list[str] = []
    report = Report(lines.append)

    def broken() -> str:
        raise SelfTestFailure("the window icon did not load")

    report.run(Step("Database", lambda: "created"))
    report.run(Step("Icons", broken))
    report.run(Step("Window", lambda: "shown", needs=("Icons",)))
    report.run(Step("PDF", lambda: "rendered", needs=("Database",)))

    assert report.outcomes == {"Database": OK, "Icons": FAIL, "Window": SKIP, "PDF": OK}
    assert report.failed == ["Icons"]
    assert lines[1].startswith("FAIL  Icons: SelfTestFailure: the window icon did not load")
    assert "not run: needs Icons" in lines[2]


def test_an_unexpected_exception_is_reported_with_its_traceback() -> None:
    lines: list[str] = []
    report = Report(lines.append)

    def missing_module() -> str:
        raise ModuleNotFoundError("No module named 'reportlab.graphics.barcode.code128'")

    report.run(Step("Evidence portfolio PDF", missing_module))

    assert lines[0].startswith("FAIL  Evidence portfolio PDF: ModuleNotFoundError")
    assert any("Traceback (most recent call last)" in line for line in lines[1:])


def test_the_gui_entry_point_offers_the_flag(capsys: pytest.CaptureFixture[str]) -> None:
    from apdesk.app import main

    with pytest.raises(SystemExit) as help_exit:
        main(["apdesk-gui", "--help"])

    assert help_exit.value.code == 0
    usage = capsys.readouterr().out
    assert "--self-test " in usage and "--self-test-report FILE" in usage
