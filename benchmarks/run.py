"""APDesk's performance benchmarks: every scenario of issue 8 against its floor, in one table.

    python -m benchmarks.run [--database FILE] [--trainees N] [--quick]

Each scenario is compared with a floor measured in the same run: the least any program could
take for the same work on this machine (a bare PySide6 window, a list comprehension, raw
sqlite3, raw ReportLab). The table is printed and written as Markdown to benchmarks/latest.md.
Not part of the test suite (tests/test_benchmarks_smoke.py only checks it still runs).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks import dataset
from benchmarks.measure import Row, markdown_table, text_table

USERNAME = "edlead1"  # the demo's education lead: sees every trainee and every tab
PASSWORD = "apdesk-demo"
DEFAULT_MARKDOWN = Path(__file__).with_name("latest.md")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--database",
        type=Path,
        metavar="FILE",
        help="an existing APDesk SQLite file (copied first; never changed)",
    )
    parser.add_argument(
        "--trainees",
        type=int,
        default=10_000,
        metavar="N",
        help="without --database: a deterministic demo of N trainees, built once and cached "
        "(default 10,000)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="one repeat of each, a batch of 3: a smoke run"
    )
    parser.add_argument("--repeats", type=int, help="repeats per scenario (default 5; quick 1)")
    parser.add_argument("--batch", type=int, help="portfolios in the batch (default 100; quick 3)")
    parser.add_argument("--cache-dir", type=Path, default=dataset.default_cache_dir())
    parser.add_argument(
        "--markdown", type=Path, default=DEFAULT_MARKDOWN, help="where to write the table"
    )
    arguments = parser.parse_args(argv)
    arguments.repeats = arguments.repeats or (1 if arguments.quick else 5)
    arguments.batch = arguments.batch or (3 if arguments.quick else 100)
    if arguments.repeats < 1 or arguments.batch < 1 or arguments.trainees < 1:
        parser.error("--repeats, --batch and --trainees must be at least 1")
    return arguments


def _step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(arguments: argparse.Namespace, work_dir: Path) -> tuple[list[Row], list[str]]:
    from benchmarks import gui_scenarios, portfolio_scenarios, service_scenarios

    copy, origin = dataset.prepare(
        work_dir,
        database=arguments.database,
        trainees=arguments.trainees,
        cache_dir=arguments.cache_dir,
    )
    made_of = dataset.composition(copy)
    dataset_line = f"Dataset: {made_of.describe()} ({origin})."
    print(dataset_line, flush=True)
    repeats = arguments.repeats
    # Quick operations are cheap to repeat, and their medians are steadier for it.
    many = repeats * 4

    _step("GUI: cold starts, tab switches, filter keystrokes, memory (fresh processes)")
    rows, notes = gui_scenarios.gui_rows(work_dir, copy, repeats)

    from apdesk.services.accounts import sign_in
    from apdesk.services.startup import open_database

    database = open_database(str(copy)).database
    try:
        actor = sign_in(database, USERNAME, PASSWORD)
        as_of = date.today()
        _step("Registers and a competency tree")
        register_rows, register_notes = service_scenarios.register_rows(
            database, actor, copy, as_of, many
        )
        rows += register_rows
        rows.append(service_scenarios.competency_tree_row(database, actor, copy, many))
        _step("Every trainee's OTJ and attendance figures")
        figure_rows, figure_notes = service_scenarios.figures_rows(
            database, actor, copy, as_of, repeats
        )
        rows += figure_rows
        _step("Portfolios")
        out_dir = work_dir / "portfolios"
        out_dir.mkdir()
        rows.append(portfolio_scenarios.one_portfolio_row(database, actor, copy, out_dir, repeats))
        batch, batch_notes = portfolio_scenarios.batch_row(
            database, actor, copy, out_dir, arguments.batch
        )
        rows.append(batch)
    finally:
        database.close()
    # The memory row belongs at the end, where the issue lists it.
    rows.sort(key=lambda row: row.unit == "MB")
    return rows, [dataset_line, *notes, *register_notes, *figure_notes, *batch_notes]


def machine_line() -> str:
    from PySide6 import __version__ as pyside_version  # noqa: TID251
    from reportlab import Version as reportlab_version
    from sqlalchemy import __version__ as sqlalchemy_version

    return (
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, PySide6 {pyside_version}, SQLAlchemy "
        f"{sqlalchemy_version}, ReportLab {reportlab_version}, SQLite "
        f"{__import__('sqlite3').sqlite_version}."
    )


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="apdesk-benchmarks-") as folder:
        rows, notes = run(arguments, Path(folder))
    table = text_table(rows)
    machine = machine_line()
    print()
    print(table)
    print()
    for line in [*notes[1:], machine]:
        print(line)
    took = time.perf_counter() - began
    print(f"Ran in {took:.0f} s.")
    arguments.markdown.write_text(
        "\n".join(
            [
                f"Measured {date.today():%d %b %Y} with `python -m benchmarks.run"
                f"{' ' + ' '.join(sys.argv[1:]) if argv is None and sys.argv[1:] else ''}`.",
                "",
                notes[0],
                "",
                markdown_table(rows),
                "",
                *(f"- {note}" for note in [*notes[1:], machine]),
                "",
            ]
        ),
        encoding="utf-8",
    )
    print(f"Markdown table written to {arguments.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
