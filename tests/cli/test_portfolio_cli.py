"""`apdesk portfolio` and `apdesk verify-portfolio`, run as an education lead would."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from apdesk.cli import main
from apdesk.db.database import Database
from apdesk.db.models import Trainee
from apdesk.services.progress import list_trainee_progress
from apdesk.services.supervised_practice import revoke_competency_signoff
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.practice import (
    DEMO_PASSWORD,
    demo_mentor_username,
    demo_sign_in,
    demo_trainee,
    standing_competency_signoff,
)
from tests.portfolio.batch_faults import FAIL_TRAINEES, render_or_fail


@pytest.fixture
def lead(monkeypatch: pytest.MonkeyPatch, demo_database: Database) -> list[str]:
    """The start of every command: the demo database, as the demo's education lead."""
    monkeypatch.setenv("APDESK_PASSWORD", DEMO_PASSWORD)
    return ["--database", demo_database.url, "--user", "edlead1"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_by_uln_verify_then_a_revocation_fails_the_check(
    demo_database: Database, lead: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trainee_id = demo_trainee(demo_database)
    with demo_database.read() as session:
        trainee = session.get(Trainee, trainee_id)
        uln, name = trainee.uln, trainee.full_name
    pdf = tmp_path / "portfolio.pdf"

    code, out, _ = run(capsys, *lead, "portfolio", "--trainee", uln, "--out", str(pdf))
    assert code == 0, out
    assert f"{name}, " in out and "pages" in out
    reader = PdfReader(pdf)
    assert name in reader.pages[0].extract_text()

    code, out, _ = run(capsys, *lead, "verify-portfolio", str(pdf))
    assert code == 0 and "MATCHES" in out and "edlead1" not in out

    mentor = demo_sign_in(demo_database, demo_mentor_username(demo_database, trainee_id))
    revoke_competency_signoff(
        demo_database,
        mentor,
        signoff_id=standing_competency_signoff(demo_database, trainee_id).id,
        password=DEMO_PASSWORD,
        reason="Signed against the wrong competency",
    )
    code, out, _ = run(capsys, *lead, "verify-portfolio", str(pdf))
    assert code == 1
    assert "DOES NOT MATCH" in out
    assert "Supervised practice › " in out and f"signed by {mentor.name}" in out


def test_a_cohort_batch_reports_a_failing_portfolio_and_writes_the_rest(
    demo_database: Database,
    lead: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cohort = list_trainee_progress(demo_database, TEST_ACTOR)[0].cohort
    members = list_trainee_progress(demo_database, TEST_ACTOR, cohort=cohort)
    assert len(members) >= 2
    import apdesk.portfolio.export as export

    # The portfolios are drawn in worker processes: the failing renderer reaches them by
    # reference, and which trainee fails by the environment they inherit.
    monkeypatch.setattr(export, "render_portfolio", render_or_fail)
    monkeypatch.setenv(FAIL_TRAINEES, str(members[0].trainee_id))
    out_dir = tmp_path / "batch"

    code, out, err = run(
        capsys, *lead, "portfolio", "--cohort", cohort, "--out-dir", str(out_dir), "--workers", "2"
    )

    assert code == 1
    assert f"FAILED: {members[0].name}: RuntimeError: simulated damaged record" in err
    progress = [line for line in err.splitlines() if line.startswith("[")]
    assert len(progress) == len(members)  # one line per finished portfolio, failed included
    assert f"[{len(members)}/{len(members)}]" in err
    assert f"{len(members) - 1} portfolios written" in out and "1 failed" in out
    written = sorted(out_dir.iterdir())
    assert len(written) == len(members) - 1 and all(p.suffix == ".pdf" for p in written)
    assert not list(out_dir.glob(".*")), "a failed portfolio leaves no half-written file"


def test_usage_mistakes_and_unknown_trainees_are_explained(
    lead: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, *lead, "portfolio", "--trainee", "1")
    assert code == 2 and "--trainee needs --out" in err
    code, _, err = run(capsys, *lead, "portfolio", "--trainee", "99999", "--out", "x.pdf")
    assert code == 1 and "No trainee with id 99999" in err
    code, _, err = run(capsys, *lead, "portfolio", "--cohort", "Nope", "--out-dir", "d")
    assert code == 1 and "no cohort named 'Nope'" in err
    code, _, err = run(
        capsys, *lead, "portfolio", "--cohort", "Nope", "--out-dir", "d", "--workers", "0"
    )
    assert code == 2 and "--workers needs a number of processes" in err
    missing = tmp_path / "no" / "such" / "folder" / "p.pdf"
    code, _, err = run(capsys, *lead, "portfolio", "--trainee", "1", "--out", str(missing))
    assert code == 1 and "Cannot write in" in err


def test_verify_refuses_files_that_are_not_portfolios_or_were_altered(
    lead: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text_file = tmp_path / "notes.pdf"
    text_file.write_text("not a pdf at all")
    code, _, err = run(capsys, *lead, "verify-portfolio", str(text_file))
    assert code == 2 and "is not a readable PDF" in err

    pdf = tmp_path / "portfolio.pdf"
    assert run(capsys, *lead, "portfolio", "--trainee", "1", "--out", str(pdf))[0] == 0
    plain = PdfWriter(clone_from=PdfReader(pdf))
    plain.add_metadata({"/Keywords": "nothing here"})
    unstamped = tmp_path / "unstamped.pdf"
    plain.write(unstamped)
    code, _, err = run(capsys, *lead, "verify-portfolio", str(unstamped))
    assert code == 2 and "not an APDesk evidence portfolio" in err

    forged = PdfWriter(clone_from=PdfReader(pdf))
    keywords = str(PdfReader(pdf).metadata["/Keywords"])
    digest = keywords.split("apdesk-digest:")[1][:64]
    forged.add_metadata({"/Keywords": keywords.replace(digest, "f" * 64)})
    forged_path = tmp_path / "forged.pdf"
    forged.write(forged_path)
    code, _, err = run(capsys, *lead, "verify-portfolio", str(forged_path))
    assert code == 1 and "has been altered" in err
