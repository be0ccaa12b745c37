"""Batch export of portfolios: on worker processes, one bad record reported, cancellable,
every written file whole and recorded."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

import apdesk.portfolio.export as export
from apdesk.db.database import Database
from apdesk.db.models import PortfolioExport
from apdesk.portfolio.export import (
    MAX_WORKERS,
    BatchResult,
    available_workers,
    export_batch,
    export_cohort,
)
from apdesk.services.portfolio import portfolio_filename
from apdesk.services.progress import TraineeProgress, list_trainee_progress
from tests.helpers.fixtures import TEST_ACTOR
from tests.portfolio.batch_faults import (
    BROKEN_WORKERS,
    CRASH_TRAINEES,
    FAIL_TRAINEES,
    render_or_die,
    render_or_fail,
)


@pytest.fixture
def trainees(demo_database: Database) -> list[TraineeProgress]:
    return list_trainee_progress(demo_database, TEST_ACTOR)


class Progress:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int, str]] = []

    def __call__(self, done: int, total: int, name: str) -> None:
        self.calls.append((done, total, name))


def recorded_digests(database: Database) -> dict[int, list[str]]:
    with database.read() as session:
        rows = session.execute(select(PortfolioExport.trainee_id, PortfolioExport.digest)).all()
    digests: dict[int, list[str]] = {}
    for trainee_id, digest in rows:
        digests.setdefault(trainee_id, []).append(digest)
    return digests


def assert_every_file_whole_and_recorded(
    database: Database, result: BatchResult, out_dir: Path
) -> None:
    """Exactly the written portfolios are in the folder, each a complete PDF of its
    apprentice, each with one export record of the digest it carries."""
    assert sorted(out_dir.iterdir()) == sorted(w.path for w in result.written)
    by_name = {t.name: t for t in list_trainee_progress(database, TEST_ACTOR)}
    recorded = recorded_digests(database)
    for written in result.written:
        trainee = by_name[written.trainee_name]
        assert written.path.name == portfolio_filename(
            trainee.name, trainee.uln, trainee.trainee_id
        )
        reader = PdfReader(written.path)
        assert len(reader.pages) == written.pages
        assert trainee.name in reader.pages[0].extract_text()
        assert f"apdesk-digest:{written.digest}" in str(reader.metadata["/Keywords"])
        assert recorded[trainee.trainee_id] == [written.digest]
    assert len(recorded) == len(result.written)


def test_a_batch_on_two_processes_writes_every_portfolio_named_and_recorded(
    demo_database: Database, trainees: list[TraineeProgress], tmp_path: Path
) -> None:
    chosen = trainees[:5]
    progress = Progress()

    result = export_batch(
        demo_database,
        TEST_ACTOR,
        [t.trainee_id for t in chosen],
        tmp_path / "out",
        progress,
        workers=2,
    )

    assert result.failed == [] and not result.cancelled
    assert sorted(w.trainee_name for w in result.written) == sorted(t.name for t in chosen)
    assert_every_file_whole_and_recorded(demo_database, result, tmp_path / "out")
    # One call per finished portfolio, in the order they finished.
    assert [(done, total) for done, total, _ in progress.calls] == [(n, 5) for n in range(1, 6)]
    assert sorted(name for _, _, name in progress.calls) == sorted(t.name for t in chosen)


def test_a_failing_portfolio_is_reported_and_the_rest_are_written(
    demo_database: Database,
    trainees: list[TraineeProgress],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = trainees[:4]
    damaged = chosen[1]
    monkeypatch.setattr(export, "render_portfolio", render_or_fail)
    monkeypatch.setenv(FAIL_TRAINEES, str(damaged.trainee_id))
    progress = Progress()

    result = export_batch(
        demo_database,
        TEST_ACTOR,
        [t.trainee_id for t in chosen],
        tmp_path / "out",
        progress,
        workers=2,
    )

    assert result.failed == [(damaged.name, "RuntimeError: simulated damaged record")]
    assert sorted(w.trainee_name for w in result.written) == sorted(
        t.name for t in chosen if t is not damaged
    )
    assert_every_file_whole_and_recorded(demo_database, result, tmp_path / "out")
    assert damaged.trainee_id not in recorded_digests(demo_database)
    assert len(progress.calls) == 4 and progress.calls[-1][0] == 4


def test_unknown_trainees_are_reported_by_id_on_one_process(
    demo_database: Database, trainees: list[TraineeProgress], tmp_path: Path
) -> None:
    result = export_batch(
        demo_database, TEST_ACTOR, [99999, trainees[0].trainee_id], tmp_path / "out", workers=1
    )

    assert result.failed == [("trainee id 99999", "No trainee with id 99999")]
    assert [w.trainee_name for w in result.written] == [trainees[0].name]
    assert_every_file_whole_and_recorded(demo_database, result, tmp_path / "out")


def test_a_worker_that_dies_fails_its_portfolios_and_fresh_workers_finish_the_batch(
    demo_database: Database,
    trainees: list[TraineeProgress],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = trainees[:8]
    monkeypatch.setattr(export, "render_portfolio", render_or_die)
    monkeypatch.setenv(CRASH_TRAINEES, str(chosen[2].trainee_id))

    result = export_batch(
        demo_database, TEST_ACTOR, [t.trainee_id for t in chosen], tmp_path / "out", workers=2
    )

    failed = dict(result.failed)
    assert "stopped unexpectedly" in failed[chosen[2].name]
    assert len(result.written) + len(result.failed) == len(chosen)
    # Only the portfolios handed out when the worker died (two per worker) are lost.
    assert len(result.written) >= len(chosen) - 4
    assert_every_file_whole_and_recorded(demo_database, result, tmp_path / "out")


def test_workers_that_cannot_start_leave_the_rest_of_the_batch_to_this_process(
    demo_database: Database,
    trainees: list[TraineeProgress],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    chosen = trainees[:7]
    monkeypatch.setattr(export, "render_portfolio", render_or_fail)
    monkeypatch.setenv(BROKEN_WORKERS, str(os.getpid()))

    result = export_batch(
        demo_database, TEST_ACTOR, [t.trainee_id for t in chosen], tmp_path / "out", workers=2
    )

    # Those handed to the workers before they were seen to fail are reported; no more.
    assert "drawing in this process" in caplog.text
    assert 1 <= len(result.failed) <= 4
    assert all("stopped unexpectedly" in why for _, why in result.failed)
    assert len(result.written) + len(result.failed) == len(chosen)
    assert_every_file_whole_and_recorded(demo_database, result, tmp_path / "out")


def test_cancelling_on_one_process_stops_after_the_portfolio_being_drawn(
    demo_database: Database, trainees: list[TraineeProgress], tmp_path: Path
) -> None:
    progress = Progress()

    result = export_batch(
        demo_database,
        TEST_ACTOR,
        [t.trainee_id for t in trainees[:5]],
        tmp_path / "out",
        progress,
        lambda: len(progress.calls) >= 2,
        workers=1,
    )

    assert result.cancelled
    assert [w.trainee_name for w in result.written] == [t.name for t in trainees[:2]]
    assert_every_file_whole_and_recorded(demo_database, result, tmp_path / "out")


def test_cancelling_on_two_processes_hands_out_nothing_more_and_leaves_whole_files(
    demo_database: Database, trainees: list[TraineeProgress], tmp_path: Path
) -> None:
    progress = Progress()
    asked: list[int] = []

    def cancelled() -> bool:
        asked.append(len(progress.calls))
        return len(progress.calls) >= 1

    result = export_batch(
        demo_database,
        TEST_ACTOR,
        [t.trainee_id for t in trainees[:10]],
        tmp_path / "out",
        progress,
        cancelled,
        workers=2,
    )

    assert result.cancelled and result.failed == []
    # Four were handed out before the first finished; those not started are dropped.
    assert 1 <= len(result.written) <= 4
    assert asked[-1] >= 1 and len(asked) == 5  # asked before each hand-out, then it stopped
    assert_every_file_whole_and_recorded(demo_database, result, tmp_path / "out")


def test_a_cohort_is_exported_whole(demo_database: Database, tmp_path: Path) -> None:
    cohort = list_trainee_progress(demo_database, TEST_ACTOR)[0].cohort
    members = list_trainee_progress(demo_database, TEST_ACTOR, cohort=cohort)

    result = export_cohort(demo_database, TEST_ACTOR, cohort, tmp_path / "out", workers=2)

    assert sorted(w.trainee_name for w in result.written) == sorted(m.name for m in members)
    assert_every_file_whole_and_recorded(demo_database, result, tmp_path / "out")


def test_a_folder_that_takes_no_files_stops_the_batch_with_one_message(
    demo_database: Database, trainees: list[TraineeProgress], tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "taken"
    not_a_folder.write_text("a file where the folder should be")
    with pytest.raises(export.PortfolioWriteError, match="Cannot create"):
        export_batch(demo_database, TEST_ACTOR, [trainees[0].trainee_id], not_a_folder)
    assert recorded_digests(demo_database) == {}


def test_worker_count_follows_the_cores_and_the_work() -> None:
    assert available_workers(1) == 1  # one portfolio is drawn here, no process started
    assert available_workers(100, 2) == 2
    assert available_workers(3, 8) == 3
    assert 1 <= available_workers(100) <= MAX_WORKERS
