"""The database the benchmarks run on: a copy of a file you name, or a deterministic demo.

A generated demo is kept in a cache folder (keyed by size, seed and day) because 10,000
trainees take about a minute to build; the scenarios always run on a copy, since signing in,
saving registers and recording portfolio exports write to it.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from platformdirs import user_cache_path

DEMO_SEED = 2019
DEMO_DAY = date(2026, 11, 25)  # the demo's "today": the same data whenever it is built


@dataclass(frozen=True)
class Composition:
    trainees: int
    cohorts: int
    sessions: int
    marks: int
    signoffs: int
    otj_activities: int
    megabytes: float

    def describe(self) -> str:
        return (
            f"{self.trainees:,} trainees in {self.cohorts:,} cohorts, {self.sessions:,} "
            f"day-release sessions, {self.marks:,} register marks, {self.signoffs:,} sign-off "
            f"records, {self.otj_activities:,} OTJ log entries; {self.megabytes:,.0f} MB"
        )


def default_cache_dir() -> Path:
    return user_cache_path("APDesk", appauthor=False) / "benchmarks"


def demo_path(cache_dir: Path, trainees: int, seed: int = DEMO_SEED) -> Path:
    return cache_dir / f"demo-{trainees}-seed{seed}-{DEMO_DAY.isoformat()}.sqlite3"


def build_demo(path: Path, trainees: int, seed: int = DEMO_SEED) -> None:
    """Generate the demo programme into ``path`` (built beside it, then moved into place, so
    an interrupted build never leaves a half-filled cache entry)."""
    from apdesk.services.actors import Actor
    from apdesk.services.demo import load_demo_programme
    from apdesk.services.startup import open_database

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for leftover in _sqlite_files(partial):
        leftover.unlink(missing_ok=True)
    database = open_database(str(partial)).database
    try:
        load_demo_programme(
            database, Actor(name="APDesk benchmarks"), trainees=trainees, seed=seed, today=DEMO_DAY
        )
    finally:
        database.close()  # the last connection to close checkpoints and removes the WAL
    partial.replace(path)


def prepare(
    work_dir: Path, *, database: Path | None, trainees: int, cache_dir: Path
) -> tuple[Path, str]:
    """A working copy in ``work_dir`` and where it came from."""
    if database is not None:
        if not database.is_file():
            raise SystemExit(f"No database file at {database}")
        source, origin = database, f"copy of {database}"
    else:
        source = demo_path(cache_dir, trainees)
        if source.exists():
            origin = f"demo of {trainees:,} trainees (seed {DEMO_SEED}), cached at {source}"
        else:
            print(
                f"Building a demo of {trainees:,} trainees (seed {DEMO_SEED}) into {source}; "
                "this is done once and then reused…",
                file=sys.stderr,
                flush=True,
            )
            build_demo(source, trainees)
            origin = f"demo of {trainees:,} trainees (seed {DEMO_SEED}), built into {source}"
    copy = work_dir / "benchmark.sqlite3"
    for source_file, copy_file in zip(_sqlite_files(source), _sqlite_files(copy), strict=True):
        if source_file.exists():  # a WAL may hold committed pages not yet in the main file
            shutil.copyfile(source_file, copy_file)
    return copy, origin


def _sqlite_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal")]


def composition(path: Path) -> Composition:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:

        def count(table: str) -> int:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        return Composition(
            trainees=count("trainees"),
            cohorts=count("cohorts"),
            sessions=count("day_release_sessions"),
            marks=count("attendance_marks"),
            signoffs=count("competency_signoffs") + count("care_certificate_signoffs"),
            otj_activities=count("otj_activities"),
            megabytes=sum(f.stat().st_size for f in _sqlite_files(path) if f.exists()) / 1e6,
        )
    finally:
        connection.close()
