"""Time evidence portfolios: one apprentice's, and a batch of 100.

    python -m benchmarks.portfolio [--trainees 120] [--repeat 5]

Builds a deterministic demo programme in a temporary folder, then prints one table of
median and p95 seconds. Not part of the test suite: run it on demand.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from apdesk.domain.enums import Role
from apdesk.services.actors import Actor
from apdesk.services.demo import load_demo_programme
from apdesk.services.portfolio import prepare_portfolio
from apdesk.services.progress import list_trainee_progress
from apdesk.services.startup import open_database

LEAD = Actor(name="Benchmark Lead", role=Role.EDUCATION_LEAD, username="bench.lead")
DAY = date(2026, 11, 25)


def timed(work: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return times


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=120)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from apdesk.portfolio import render_portfolio
    from apdesk.portfolio.export import export_portfolio

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        database = open_database(str(out / "bench.sqlite3")).database
        load_demo_programme(database, LEAD, trainees=args.trainees, seed=11, today=DAY)
        rows = list_trainee_progress(database, LEAD, as_of=DAY)
        # The fullest record: most sign-offs make the longest portfolio.
        subject = max(
            rows,
            key=lambda r: (r.assessment.competencies_signed, r.assessment.care_certificate.signed),
        )
        prepared = prepare_portfolio(database, LEAD, subject.trainee_id, as_of=DAY)
        pages = render_portfolio(prepared.portfolio, prepared.digest, out / "probe.pdf")

        gather = timed(
            lambda: prepare_portfolio(database, LEAD, subject.trainee_id, as_of=DAY), args.repeat
        )
        render = timed(
            lambda: render_portfolio(prepared.portfolio, prepared.digest, out / "one.pdf"),
            args.repeat,
        )
        whole = timed(
            lambda: export_portfolio(database, LEAD, subject.trainee_id, out / "whole.pdf"),
            args.repeat,
        )
        batch_ids = [row.trainee_id for row in rows[: args.batch]]

        def batch() -> None:
            for trainee_id in batch_ids:
                export_portfolio(database, LEAD, trainee_id, out / f"batch-{trainee_id}.pdf")

        batch_times = timed(batch, 1)
        database.close()

    print(f"Portfolio of {subject.name}: {pages} pages; demo of {args.trainees} trainees")
    print(f"{'scenario':<44}{'median s':>10}{'p95 s':>10}")
    for name, times in (
        ("gather content + digest (one portfolio)", gather),
        ("render PDF (one portfolio)", render),
        ("export: gather, render, record (one)", whole),
        (f"batch of {len(batch_ids)} portfolios (sequential)", batch_times),
    ):
        print(f"{name:<44}{statistics.median(times):>10.3f}{p95(times):>10.3f}")


if __name__ == "__main__":
    main()
