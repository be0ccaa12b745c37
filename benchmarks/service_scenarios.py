"""Scenarios 4 and 5: a register loaded and saved, a competency tree opened, and every
trainee's OTJ and attendance figures, each against the same work in raw sqlite3."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks import raw_sql
from benchmarks.measure import Row, Target, timed

if TYPE_CHECKING:
    from apdesk.db.database import Database
    from apdesk.services.actors import Actor
    from apdesk.services.attendance import RegisterLine

REGISTER_SIZE = 30  # the register; the demo's cohorts hold 25
_LATEST_MARKED_SESSION = """
SELECT s.id, s.cohort_id, s.session_date FROM day_release_sessions AS s
WHERE s.session_date <= ?
  AND EXISTS (SELECT 1 FROM attendance_marks AS m WHERE m.session_id = s.id)
ORDER BY s.session_date DESC, s.id LIMIT 1
"""
_JOINERS = """
SELECT t.id FROM trainees AS t
WHERE t.cohort_id != :cohort AND t.status = 'in_training' AND t.start_date <= :day
  AND NOT EXISTS (
      SELECT 1 FROM breaks_in_learning AS b WHERE b.trainee_id = t.id
      AND b.start_date <= :day AND (b.end_date IS NULL OR b.end_date >= :day))
ORDER BY t.id LIMIT :count
"""
_MOST_SIGNED = """
SELECT trainee_id FROM competency_signoffs GROUP BY trainee_id ORDER BY count(*) DESC, trainee_id
LIMIT 1
"""


def register_session(database: Database, actor: Actor, path: Path, as_of: date) -> int:
    """The latest register taken, made up to 30 people by moving in-training apprentices from
    other cohorts into its cohort (on the benchmark's copy only)."""
    from apdesk.services.attendance import load_register

    connection = raw_sql.connect(path)
    try:
        found = connection.execute(_LATEST_MARKED_SESSION, (as_of.isoformat(),)).fetchone()
        if found is None:
            raise SystemExit("The dataset has no register taken on or before today")
        session_id, cohort_id, day = found
        missing = REGISTER_SIZE - len(load_register(database, actor, session_id).lines)
        if missing > 0:
            joiners = [
                trainee_id
                for (trainee_id,) in connection.execute(
                    _JOINERS, {"cohort": cohort_id, "day": day, "count": missing}
                )
            ]
            connection.execute("BEGIN IMMEDIATE")
            connection.executemany(
                "UPDATE trainees SET cohort_id = ? WHERE id = ?",
                [(cohort_id, trainee_id) for trainee_id in joiners],
            )
            connection.execute("COMMIT")
        return int(session_id)
    finally:
        connection.close()


def _toggled(lines: tuple[RegisterLine, ...]) -> tuple[list[int], tuple[RegisterLine, ...]]:
    """Every third marked line changed to sickness: the positions changed, and the lines."""
    from apdesk.domain.enums import AttendanceStatus

    marked = [n for n, line in enumerate(lines) if line.status is not None]
    changing = marked[::3]
    changed = list(lines)
    for n in changing:
        changed[n] = replace(lines[n], status=AttendanceStatus.SICKNESS, minutes_attended=None)
    return changing, tuple(changed)


def register_rows(
    database: Database, actor: Actor, path: Path, as_of: date, repeats: int
) -> tuple[list[Row], list[str]]:
    from apdesk.services.attendance import load_register, save_register

    session_id = register_session(database, actor, path, as_of)
    original = load_register(database, actor, session_id)
    size = len(original.lines)
    changing, changed = _toggled(original.lines)
    repeats += repeats % 2  # an even number of saves leaves the register as it was

    loads = timed(lambda: load_register(database, actor, session_id), repeats)
    saves = []
    for save in range(repeats):
        lines = changed if save % 2 == 0 else original.lines
        version = load_register(database, actor, session_id).version
        saves += timed(
            lambda lines=lines, version=version: save_register(
                database, actor, session_id, lines, version=version
            ),
            1,
        )

    connection = raw_sql.connect(path)
    try:
        load_floor = timed(lambda: raw_sql.register(connection, session_id), repeats)
        sick = [(changed[n].trainee_id, "sickness", None) for n in changing]
        back = [
            (
                original.lines[n].trainee_id,
                original.lines[n].status.value,  # type: ignore[union-attr]  # marked lines
                original.lines[n].minutes_attended,
            )
            for n in changing
        ]
        save_floor = []
        for save in range(repeats):
            marks = sick if save % 2 == 0 else back
            save_floor += timed(
                lambda marks=marks: raw_sql.save_marks(connection, session_id, marks), 1
            )
    finally:
        connection.close()
    rows = [
        Row(
            f"load a register of {size}",
            loads,
            load_floor,
            "raw SELECT",
            Target(below=0.100),
        ),
        Row(
            f"save a register of {size} ({len(changing)} mark"
            f"{'' if len(changing) == 1 else 's'} changed)",
            saves,
            save_floor,
            "raw UPDATE + COMMIT",
            Target(below=0.100),
        ),
    ]
    return rows, [f"Register: session {session_id}, {size} lines."]


def competency_tree_row(database: Database, actor: Actor, path: Path, repeats: int) -> Row:
    from apdesk.services.supervised_practice import competency_tree

    connection = sqlite3.connect(path)
    try:
        (trainee_id,) = connection.execute(_MOST_SIGNED).fetchone()
        floor = timed(lambda: raw_sql.competency_tree(connection, trainee_id), repeats)
    finally:
        connection.close()
    tree = competency_tree(database, actor, trainee_id)
    times = timed(lambda: competency_tree(database, actor, trainee_id), repeats)
    return Row(
        f"open a competency tree ({tree.total} competencies, the most signed-off trainee)",
        times,
        floor,
        "raw SELECT",
    )


def figures_rows(
    database: Database, actor: Actor, path: Path, as_of: date, repeats: int
) -> tuple[list[Row], list[str]]:
    from apdesk.services.progress import list_trainee_progress

    connection = sqlite3.connect(path)
    try:
        raw = raw_sql.all_trainee_figures(connection, as_of)
        floor = timed(lambda: raw_sql.all_trainee_figures(connection, as_of), repeats)
    finally:
        connection.close()
    progress = list_trainee_progress(database, actor, as_of=as_of)
    times = timed(lambda: list_trainee_progress(database, actor, as_of=as_of), repeats)

    # The floor must compute the same thing: its register counts match the service's exactly,
    # its hours differ only where breaks in learning move the end or the service applies a rule
    # the floor leaves out.
    marked = {row[0]: row[1] for row in raw}
    mismatched = sum(
        1 for p in progress if p.assessment.attendance.marked != marked.get(p.trainee_id)
    )
    raw_hours = {row[0]: float(row[8]) for row in raw}
    hours_differ = sum(
        1
        for p in progress
        if p.assessment.otj is not None
        and abs(float(p.assessment.otj.actual) - raw_hours.get(p.trainee_id, 0)) > 0.1
    )
    row = Row(
        f"OTJ and attendance figures for all {len(progress):,} trainees",
        times,
        floor,
        "one raw SQL query",
        Target(ratio_at_most=3),
    )
    note = (
        f"Figures: the raw query's register counts differ from the service's for {mismatched} "
        f"trainees; its OTJ hours differ by more than 0.1 h for {hours_differ} (breaks in "
        "learning extend the service's window; the floor does not model them)."
    )
    return [row], [note]
