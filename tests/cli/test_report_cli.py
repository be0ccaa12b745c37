"""`apdesk report`, run as an education lead would from a script, and the refusals."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from apdesk.cli import main
from apdesk.db.database import Database
from apdesk.services.dashboard import programme_dashboard
from apdesk.services.dashboard_views import DashboardFilter, ListKind
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR
from tests.helpers.practice import DEMO_PASSWORD

AS_OF = ("--as-of", DEMO_DAY.isoformat())


@pytest.fixture
def lead(monkeypatch: pytest.MonkeyPatch, demo_database: Database) -> list[str]:
    monkeypatch.setenv("APDESK_PASSWORD", DEMO_PASSWORD)
    return ["--database", demo_database.url, "--user", "edlead1"]


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """Where reports go: apart from the test's database files, so "nothing written" is checkable."""
    folder = tmp_path / "reports"
    folder.mkdir()
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_summary_pdf_with_a_filter(
    lead: list[str], demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "summary.pdf"
    code, out, err = run(
        capsys, *lead, "report", "summary", "--out", str(pdf), "--region", "North West", *AS_OF
    )
    assert code == 0, err
    assert out.strip() == (
        f"{pdf}: programme summary, 1 page "
        "(North West region · all employers · all cohorts, as of 25 Nov 2026)"
    )
    reader = PdfReader(pdf)
    text = " ".join(reader.pages[0].extract_text().split())
    started = programme_dashboard(
        demo_database, TEST_ACTOR, DashboardFilter(region="North West"), as_of=DEMO_DAY
    ).headline.started
    assert len(reader.pages) == 1
    assert "Selection: North West region" in text and f"{started} Started" in text


def test_at_risk_as_xlsx_holds_the_dashboards_list(
    lead: list[str], demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "at-risk.xlsx"
    code, out, err = run(
        capsys, *lead, "report", "at-risk", "--format", "xlsx", "--out", str(out_file), *AS_OF
    )
    expected = programme_dashboard(demo_database, TEST_ACTOR, as_of=DEMO_DAY).lists[
        ListKind.AT_RISK
    ]
    assert code == 0, err
    assert f"At risk: {len(expected)} apprentices" in out
    rows = list(load_workbook(out_file).active.iter_rows(values_only=True))
    assert rows[0][0] == "Trainee ID"
    assert [row[0] for row in rows[1:]] == [row.trainee_id for row in expected]


def test_each_list_by_name_as_csv_and_a_missing_suffix_added(
    lead: list[str], demo_database: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lists = programme_dashboard(demo_database, TEST_ACTOR, as_of=DEMO_DAY).lists
    for name, kind in (
        ("behind-otj", ListKind.BEHIND_OTJ),
        ("low-attendance", ListKind.LOW_ATTENDANCE),
        ("review-overdue", ListKind.REVIEW_OVERDUE),
        ("ready-for-band", ListKind.READY_FOR_BAND),
        ("ready-for-gateway", ListKind.READY_FOR_GATEWAY),
        ("at-risk", ListKind.AT_RISK),
    ):
        stem = tmp_path / name
        code, out, err = run(
            capsys, *lead, "report", "list", name, "--format", "csv", "--out", str(stem), *AS_OF
        )
        assert code == 0, err
        written = stem.with_name(f"{name}.csv")
        assert out.startswith(f"{written}: {kind}: ")
        with written.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert [int(row[0]) for row in rows[1:]] == [row.trainee_id for row in lists[kind]]


def test_cohort_table_for_one_cohort_format_from_the_suffix(
    lead: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "cohorts.xlsx"
    code, out, _ = run(
        capsys, *lead, "report", "cohorts", "--out", str(out_file), "--cohort", "NW Mar 2026"
    )
    assert code == 0 and "1 cohort " in out
    rows = list(load_workbook(out_file).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][0] == "NW Mar 2026"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("cohorts", "--format", "csv", "--out", "{tmp}/c.xlsx"), "c.xlsx does not end in .csv"),
        (("cohorts", "--out", "{tmp}/c.txt"), "give --format csv or xlsx"),
        (("cohorts", "--out", "{tmp}/missing/c.csv"), "there is no folder"),
        (("summary", "--out", "{tmp}/s.csv"), "s.csv does not end in .pdf: name it s.pdf"),
    ],
)
def test_a_wrong_file_name_is_a_usage_error_and_writes_nothing(
    lead: list[str],
    out_dir: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: tuple[str, ...],
    message: str,
) -> None:
    argv = [argument.replace("{tmp}", str(out_dir)) for argument in arguments]
    code, _, err = run(capsys, *lead, "report", *argv)
    assert code == 2 and message in err
    assert list(out_dir.iterdir()) == []


def test_an_unknown_filter_name_is_refused_with_the_choices(
    lead: list[str], out_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, *lead, "report", "summary", "--out", str(out_dir / "s.pdf"), "--employer", "Acme"
    )
    assert code == 1
    assert "There is no employer 'Acme' to filter by. Choose from:" in err
    assert "Open Door Recovery (demo)" in err
    assert list(out_dir.iterdir()) == []


def test_a_mentor_or_nobody_is_refused(
    demo_database: Database,
    monkeypatch: pytest.MonkeyPatch,
    out_dir: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("APDESK_PASSWORD", DEMO_PASSWORD)
    out_file = str(out_dir / "r.csv")
    base = ["--database", demo_database.url]
    code, _, err = run(capsys, *base, "--user", "mentor1", "report", "at-risk", "--out", out_file)
    assert code == 1 and "needs an education lead or administrator account" in err
    code, _, err = run(capsys, *base, "report", "at-risk", "--out", out_file)
    assert code == 1 and "Sign in to see the programme dashboard" in err
    assert list(out_dir.iterdir()) == []


def test_an_unknown_list_is_a_usage_error(
    lead: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([*lead, "report", "list", "late-people", "--out", str(tmp_path / "x.csv")])
    assert stopped.value.code == 2
    assert "invalid choice: 'late-people'" in capsys.readouterr().err
