"""Scenario 6: one full evidence portfolio and a batch, each against raw ReportLab drawing the
same flowables (benchmarks.raw_reportlab)."""

from __future__ import annotations

import inspect
import multiprocessing
import os
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.measure import Row, Target, timed
from benchmarks.raw_reportlab import render_raw, render_raw_job

if TYPE_CHECKING:
    from apdesk.db.database import Database
    from apdesk.services.actors import Actor

_FULLEST = """
SELECT trainee_id FROM (
    SELECT trainee_id FROM competency_signoffs
    UNION ALL SELECT trainee_id FROM care_certificate_signoffs
) GROUP BY trainee_id ORDER BY count(*) DESC, trainee_id LIMIT 1
"""


def one_portfolio_row(
    database: Database, actor: Actor, path: Path, out_dir: Path, repeats: int
) -> Row:
    from apdesk.portfolio.export import export_portfolio
    from apdesk.services.portfolio import prepare_portfolio

    connection = sqlite3.connect(path)
    try:
        (trainee_id,) = connection.execute(_FULLEST).fetchone()
    finally:
        connection.close()
    pages = export_portfolio(database, actor, trainee_id, out_dir / "warm-up.pdf").pages
    times = timed(
        lambda: export_portfolio(database, actor, trainee_id, out_dir / "one.pdf"), repeats
    )
    prepared = prepare_portfolio(database, actor, trainee_id)
    floor = timed(
        lambda: render_raw(prepared.portfolio, prepared.digest, out_dir / "raw.pdf"), repeats
    )
    return Row(
        f"one full portfolio, {pages} pages (gather, render, record)",
        times,
        floor,
        "raw ReportLab",
        Target(below=1.5, ratio_at_most=2),
    )


def batch_row(
    database: Database, actor: Actor, path: Path, out_dir: Path, size: int
) -> tuple[Row, list[str]]:
    from apdesk.portfolio import export
    from apdesk.services.portfolio import prepare_portfolio

    connection = sqlite3.connect(path)
    try:
        ids = [
            i for (i,) in connection.execute("SELECT id FROM trainees ORDER BY id LIMIT ?", (size,))
        ]
    finally:
        connection.close()
    batch_dir = out_dir / "batch"
    batch_dir.mkdir()
    began = time.perf_counter()
    how, pages = _export_batch(export, database, actor, ids, batch_dir)
    seconds = time.perf_counter() - began

    prepared = [prepare_portfolio(database, actor, trainee_id) for trainee_id in ids]
    raw_dir = out_dir / "raw-batch"
    raw_dir.mkdir()
    jobs = [(p.portfolio, p.digest, str(raw_dir / f"{n}.pdf")) for n, p in enumerate(prepared)]
    workers = os.cpu_count() or 1
    began = time.perf_counter()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(render_raw_job, jobs))
    floor = time.perf_counter() - began
    row = Row(
        f"batch of {len(ids)} portfolios, {pages:,} pages ({how})",
        [seconds],
        [floor],
        f"raw ReportLab, {workers} processes",
        Target(below=60),
    )
    return row, [f"Batch: {how}; the floor renders the same portfolios on {workers} processes."]


def _export_batch(
    export: Any, database: Database, actor: Actor, ids: list[int], out_dir: Path
) -> tuple[str, int]:
    """The app's batch export if it has one (apdesk.portfolio.export.export_batch), else one
    portfolio after another as export_cohort does; how it ran, and the pages written."""
    batch = getattr(export, "export_batch", None)
    if batch is None:
        pages = 0
        for trainee_id in ids:
            pages += export.export_portfolio(
                database, actor, trainee_id, out_dir / f"{trainee_id}.pdf"
            ).pages
        return "sequential export_portfolio", pages
    first = next(iter(inspect.signature(batch).parameters))
    source = database.url if "url" in first else database
    result = batch(source, actor, ids, out_dir)
    if result.failed:
        raise RuntimeError(f"export_batch failed for {result.failed[:3]}")
    workers = getattr(export, "available_workers", lambda _jobs: None)(len(ids))
    how = "export_batch" if workers is None else f"export_batch, {workers} processes"
    return how, sum(written.pages for written in result.written)
