"""The floors for the service scenarios: the same rows and figures straight from the stdlib
sqlite3 module, with no ORM, no domain objects and no permission checks."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

# Kinds of logged learning that never count as off-the-job training (apdesk.domain.otj_learning).
_NEVER_COUNTS = (
    "english_maths",
    "progress_review",
    "induction",
    "exam",
    "not_required_by_standard",
)

# Per trainee: register marks by status, and the OTJ hours the register and the learning log
# evidence inside [start, planned end] and up to the as-of day. Present counts the session's
# hours unless minutes were recorded; present or late with minutes counts those minutes, capped
# at the session. (The service also extends the window for breaks in learning and applies RPL;
# this is the floor of the aggregate, not a second implementation of every rule.)
ALL_TRAINEE_FIGURES = f"""
WITH register AS (
    SELECT m.trainee_id AS trainee_id,
           count(*) AS marked,
           sum(m.status = 'present') AS present,
           sum(m.status = 'late') AS late,
           sum(m.status = 'authorised_absence') AS authorised_absence,
           sum(m.status = 'sickness') AS sickness,
           sum(m.status = 'unauthorised_absence') AS unauthorised_absence,
           sum(m.status = 'annual_leave') AS annual_leave,
           sum(CASE
               WHEN s.session_date < t.start_date OR s.session_date > t.planned_end_date
                    OR s.session_date > :as_of THEN 0
               WHEN m.status = 'present' AND m.minutes_attended IS NULL THEN s.hours
               WHEN m.status IN ('present', 'late') AND m.minutes_attended IS NOT NULL
                    THEN min(round(m.minutes_attended / 60.0, 2), s.hours)
               ELSE 0
           END) AS register_hours
    FROM attendance_marks AS m
    JOIN day_release_sessions AS s ON s.id = m.session_id
    JOIN trainees AS t ON t.id = m.trainee_id
    GROUP BY m.trainee_id
),
logged AS (
    SELECT a.trainee_id AS trainee_id, sum(a.hours) AS logged_hours
    FROM otj_activities AS a
    JOIN trainees AS t ON t.id = a.trainee_id
    WHERE a.activity_date BETWEEN t.start_date AND t.planned_end_date
      AND a.activity_date <= :as_of
      AND a.kind NOT IN ({", ".join(f"'{kind}'" for kind in _NEVER_COUNTS)})
    GROUP BY a.trainee_id
)
SELECT t.id,
       coalesce(r.marked, 0), coalesce(r.present, 0), coalesce(r.late, 0),
       coalesce(r.authorised_absence, 0), coalesce(r.sickness, 0),
       coalesce(r.unauthorised_absence, 0), coalesce(r.annual_leave, 0),
       coalesce(r.register_hours, 0) + coalesce(l.logged_hours, 0) AS otj_hours
FROM trainees AS t
LEFT JOIN register AS r ON r.trainee_id = t.id
LEFT JOIN logged AS l ON l.trainee_id = t.id
"""

# The cohort's trainees with their marks, and anyone else marked on the register.
REGISTER = """
SELECT t.id, t.first_name, t.last_name, t.status, t.start_date, t.planned_end_date,
       m.status, m.minutes_attended, m.note
FROM trainees AS t
LEFT JOIN attendance_marks AS m ON m.trainee_id = t.id AND m.session_id = :session
WHERE t.cohort_id = (SELECT cohort_id FROM day_release_sessions WHERE id = :session)
UNION ALL
SELECT t.id, t.first_name, t.last_name, t.status, t.start_date, t.planned_end_date,
       m.status, m.minutes_attended, m.note
FROM attendance_marks AS m
JOIN trainees AS t ON t.id = m.trainee_id
WHERE m.session_id = :session
  AND t.cohort_id != (SELECT cohort_id FROM day_release_sessions WHERE id = :session)
ORDER BY 3, 2
"""
REGISTER_SESSION = """
SELECT s.id, s.session_date, s.module, s.hours, s.version, c.name
FROM day_release_sessions AS s JOIN cohorts AS c ON c.id = s.cohort_id
WHERE s.id = :session
"""
SAVE_MARK = """
UPDATE attendance_marks SET status = ?, minutes_attended = ?, recorded_at = ?
WHERE session_id = ? AND trainee_id = ?
"""

TREE_TRAINEE = """
SELECT t.id, t.first_name, t.last_name, t.status, t.start_date, t.mentor_id,
       f.id, f.code, f.version, f.title
FROM trainees AS t JOIN competency_frameworks AS f ON f.id = t.competency_framework_id
WHERE t.id = :trainee
"""
TREE_COMPETENCIES = """
SELECT g.id, g.code, g.title, c.id, c.code, c.title, c.description, k.code, k.kind, k.text
FROM trainees AS t
JOIN competency_groups AS g ON g.framework_id = t.competency_framework_id
JOIN competencies AS c ON c.group_id = g.id
LEFT JOIN competency_ksbs AS ck ON ck.competency_id = c.id
LEFT JOIN ksbs AS k ON k.id = ck.ksb_id
WHERE t.id = :trainee
ORDER BY g.position, c.position, k.code
"""
TREE_SIGNOFFS = "SELECT * FROM competency_signoffs WHERE trainee_id = :trainee ORDER BY signed_at"


def connect(path: Path) -> sqlite3.Connection:
    """Autocommit (BEGIN/COMMIT written out) with the app's durability: WAL, synchronous FULL."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("PRAGMA busy_timeout = 5000")
    return connection


def all_trainee_figures(connection: sqlite3.Connection, as_of: date) -> list[tuple]:
    return connection.execute(ALL_TRAINEE_FIGURES, {"as_of": as_of.isoformat()}).fetchall()


def register(connection: sqlite3.Connection, session_id: int) -> list[tuple]:
    found = connection.execute(REGISTER_SESSION, {"session": session_id}).fetchall()
    return found + connection.execute(REGISTER, {"session": session_id}).fetchall()


def save_marks(
    connection: sqlite3.Connection,
    session_id: int,
    marks: Sequence[tuple[int, str, int | None]],  # trainee id, status, minutes
) -> None:
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany(
        SAVE_MARK,
        [(status, minutes, now, session_id, trainee) for trainee, status, minutes in marks],
    )
    connection.execute("COMMIT")


def competency_tree(connection: sqlite3.Connection, trainee_id: int) -> list[tuple]:
    rows = []
    for query in (TREE_TRAINEE, TREE_COMPETENCIES, TREE_SIGNOFFS):
        rows += connection.execute(query, {"trainee": trainee_id}).fetchall()
    return rows
