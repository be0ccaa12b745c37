"""Writers for the crash test: real service calls, each reported after its commit returns.

Run as ``python -m tests.crash.writer`` from the repository. It imports APDesk once, then for
each line of JSON on stdin forks a writer that opens the database and saves one transaction
after another until the test SIGKILLs it. Forking keeps a kill point cheap: a fresh
interpreter importing SQLAlchemy and the services costs about a second, a fork a few ms.

Every line goes to stdout with one ``write`` (atomic on a pipe), starting with the writer's pid:

    <pid> ready                      the database is open
    <pid> begin <work> <index>       about to call the service
    <pid> committing <work> <index>  the COMMIT is being sent (SQLAlchemy's "commit" event)
    <pid> committed <work> <index>   the service returned: the transaction is durable
    exited <pid> <code>              (from this process) the writer is dead and reaped

So a ``committed`` line is only ever written after the commit returned; a transaction begun
but not reported may or may not have been committed when the writer died, never half.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event

from apdesk.db.database import Database
from apdesk.domain.enums import AttendanceStatus, Role
from apdesk.services.actors import Actor
from apdesk.services.attendance import RegisterLine, load_register, save_register
from apdesk.services.startup import open_database
from apdesk.services.trainee_import import import_trainees
from tests.helpers.builders import SmallProgramme
from tests.helpers.import_files import good_row, valid_uln, write_csv

Save = Callable[[Database, int], None]  # (database, index): saves transaction ``index``
WRITER = Actor(name="Crash Writer", role=Role.EDUCATION_LEAD, username="crash.writer")
IMPORT_DAY = date(2025, 1, 15)
MAX_TRANSACTIONS = 500  # a writer the test failed to kill stops by itself (and fails it)
# A correction changes every line: each status differs from the one before it in this cycle.
REGISTER_STATUSES = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.SICKNESS,
    AttendanceStatus.AUTHORISED_ABSENCE,
    AttendanceStatus.UNAUTHORISED_ABSENCE,
    AttendanceStatus.ANNUAL_LEAVE,
)
LATE_MINUTES = 95


# -- what each transaction writes, shared with the test that checks it ---------------------
def import_size(index: int) -> int:
    """Rows in import ``index``: 1 to 8, so a partial import would show in the count."""
    return 1 + (index * 5) % 8


def import_file_name(index: int) -> str:
    return f"batch-{index:05d}.csv"


def employee_number(index: int, row: int) -> str:
    return f"K{index:05d}-{row}"


def register_save(index: int) -> tuple[int, int]:
    """(session number, version): even saves take a session's register, odd ones correct
    every mark of it."""
    return index // 2, index % 2


def register_status(session_number: int, version: int, line: int) -> AttendanceStatus:
    return REGISTER_STATUSES[(session_number + line + version) % len(REGISTER_STATUSES)]


def session_module(session_number: int) -> str:
    return f"Crash module {session_number:04d}"


# -- the writer ------------------------------------------------------------------------------
@dataclass
class _Reporter:
    pid: int
    label: str | None = None  # the transaction in hand, named in "committing"

    def say(self, text: str) -> None:
        os.write(sys.stdout.fileno(), f"{self.pid} {text}\n".encode())

    def on_commit(self, _connection: Any) -> None:
        if self.label is not None:
            self.say(f"committing {self.label}")


def _run_writer(command: dict[str, Any]) -> int:
    reporter = _Reporter(os.getpid())
    database = open_database(command["database"]).database
    event.listen(database.engine, "commit", reporter.on_commit)
    work = command["workload"]
    save = _import_saver(command) if work == "import" else _register_saver(database, command)
    reporter.say("ready")
    for index in range(command["first"], command["first"] + MAX_TRANSACTIONS):
        label = f"{work} {index}"
        reporter.say(f"begin {label}")
        reporter.label = label
        save(database, index)
        reporter.label = None
        reporter.say(f"committed {label}")
    return 0


def _import_saver(command: dict[str, Any]) -> Save:
    programme = SmallProgramme(**command["programme"])
    folder = Path(command["folder"])

    def save(database: Database, index: int) -> None:
        rows = []
        for row in range(import_size(index)):
            values = good_row(programme, row)
            values.update(
                first_name=f"Crash{index}",
                last_name=f"Row{row}",
                employee_number=employee_number(index, row),
                uln=valid_uln(index * 10 + row),
            )
            rows.append(values)
        path = write_csv(folder / import_file_name(index), rows)
        report = import_trainees(database, path, WRITER, today=IMPORT_DAY)
        if not report.ok or report.imported != len(rows):
            raise AssertionError(f"import {index} refused: {[str(e) for e in report.errors]}")

    return save


def _register_saver(database: Database, command: dict[str, Any]) -> Save:
    session_ids: Sequence[int] = command["session_ids"]
    people = [
        (line.trainee_id, line.name)
        for line in load_register(database, WRITER, session_ids[0]).lines
    ]

    def save(database: Database, index: int) -> None:
        number, version = register_save(index)
        lines = []
        for position, (trainee_id, name) in enumerate(people):
            status = register_status(number, version, position)
            minutes = LATE_MINUTES if status is AttendanceStatus.LATE else None
            lines.append(RegisterLine(trainee_id, name, status, minutes))
        save_register(database, WRITER, session_ids[number], lines)

    return save


def main() -> int:
    """Fork one writer per command line; report each one's death once it is reaped."""
    while line := sys.stdin.readline():
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            try:
                code = _run_writer(command)
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stderr.flush()
            os._exit(code)  # never run the server's own clean-up in the child
        _, status = os.waitpid(pid, 0)
        os.write(
            sys.stdout.fileno(), f"exited {pid} {os.waitstatus_to_exitcode(status)}\n".encode()
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
