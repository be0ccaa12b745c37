"""SIGKILL a writer again and again, mid-import and mid-register, and prove after each death
that what it reported committed is all there, what it did not finish is all absent, and the
file and the audit chain are sound.

The writers are real service calls in child processes (tests/crash/writer.py). Half the kills
come at a random moment; the other half a random fraction of a commit's measured length after
a writer announces it is sending COMMIT, so they land inside the commit itself (while SQLite
appends the transaction to the WAL file and syncs it). A transaction begun but never reported
committed may be present (it committed; the writer died before saying so) or absent, never
half. Between kills nothing holds the file open, so each death is followed by the recovery
from the WAL file that the app makes when it starts after a crash.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from select import select as wait_for_output
from typing import IO, Any

import pytest
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import AttendanceMark, AuditEntry, BandChange, DayReleaseSession, Trainee
from apdesk.services.audit import verify_audit_chain
from tests.crash.writer import (
    import_file_name,
    import_size,
    register_status,
    session_module,
)
from tests.helpers.attendance import FIRST_WEDNESDAY, add_register_programme
from tests.helpers.builders import add_small_programme

pytestmark = pytest.mark.sqlite_only("kills SQLite writers and reads the file after each death")

REPOSITORY = Path(__file__).resolve().parents[2]
KILLS_PER_WORKLOAD = 30  # 60 kill points in all
SEED = 20_240_911
RANDOM_KILL_WITHIN = 0.25  # s after the writer is ready
WAIT_LIMIT = 30.0  # s for any one line: a writer stuck this long is a failure in itself
REGISTER_PEOPLE = (
    ("Asha", "Adams"), ("Ben", "Brown"), ("Cara", "Clarke"), ("Dev", "Dunn"),
    ("Ewa", "Evans"), ("Finn", "Ford"), ("Gita", "Gill"), ("Hal", "Hughes"),
)  # fmt: skip
REGISTER_SESSIONS = 1_000  # more than the writers can save in the time they are given
MODULE_NAMED = re.compile(r"Crash module (\d{4})")


class WriterServer:
    """The forking writer process (tests/crash/writer.py) and its output, line by line."""

    def __init__(self, log: Path) -> None:
        self._log = log
        with log.open("wb") as errors:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "tests.crash.writer"],
                cwd=REPOSITORY,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=errors,
                bufsize=0,
            )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._commands: IO[bytes] = self._process.stdin
        self._output = os.dup(self._process.stdout.fileno())  # read unbuffered, closed by us
        self._process.stdout.close()
        self._unread = b""
        self._lines: deque[str] = deque()

    def start_writer(self, command: dict[str, Any]) -> None:
        self._commands.write(json.dumps(command).encode() + b"\n")

    def next_line(self, deadline: float) -> str | None:
        """The next line, or None if none comes by ``deadline`` (time.monotonic())."""
        while not self._lines:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            readable, _, _ = wait_for_output([self._output], [], [], remaining)
            if not readable:
                return None
            chunk = os.read(self._output, 65_536)
            if not chunk:
                raise AssertionError(f"the writer server died:\n{self.log_tail()}")
            *complete, self._unread = (self._unread + chunk).split(b"\n")
            self._lines.extend(line.decode() for line in complete)
        return self._lines.popleft()

    def log_tail(self) -> str:
        return self._log.read_text(errors="replace")[-3_000:]

    def close(self) -> None:
        self._commands.close()  # end of commands: the server returns
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._output)


@dataclass
class KillPlan:
    """When to kill one writer: ``delay`` s after it is ready; or, with ``commits``, after its
    ``commits``-th "committing" line, ``delay`` (0 to 1) of the way through a typical commit."""

    commits: int | None
    delay: float

    @property
    def kind(self) -> str:
        return "anytime" if self.commits is None else "in commit"

    def wait(self, commit_seconds: list[float]) -> float:
        if self.commits is None:
            return self.delay
        # Measured as the run goes: a commit is an fsync, ms on one disk, µs on another.
        return self.delay * (statistics.median(commit_seconds) if commit_seconds else 0.002)


@dataclass
class Ledger:
    """What the writers said, across every kill of one workload."""

    begun: set[int] = field(default_factory=set)
    committed: set[int] = field(default_factory=set)
    # Begun, not reported committed, and whether COMMIT had been sent when the writer died.
    unfinished: dict[int, bool] = field(default_factory=dict)
    kills: Counter[str] = field(default_factory=Counter)
    commit_seconds: list[float] = field(default_factory=list)  # "committing" → "committed"
    next_index: int = 0


@dataclass(frozen=True)
class Said:
    at: float  # time.monotonic() when the line was read
    pid: int
    word: str
    index: int | None  # the transaction, for begin / committing / committed


def kill_writers(
    server: WriterServer,
    database: Database,
    command: dict[str, Any],
    ledger: Ledger,
    rng: random.Random,
) -> None:
    """Start, kill and reap writers KILLS_PER_WORKLOAD times, checking the file after each."""
    # Nothing of this process holds the file open while the writers run, so the first
    # connection after each death (the integrity check) recovers the database from the WAL
    # file itself, as the app does when it starts after a crash.
    database.engine.dispose()
    for number in range(KILLS_PER_WORKLOAD):
        if number % 2:
            plan = KillPlan(commits=rng.randint(1, 3), delay=rng.random())
        else:
            plan = KillPlan(commits=None, delay=rng.uniform(0, RANDOM_KILL_WITHIN))
        server.start_writer({**command, "first": ledger.next_index})
        record(run_and_kill(server, plan, plan.wait(ledger.commit_seconds)), ledger)
        ledger.kills[plan.kind] += 1
        assert integrity(database_file(database)) == "ok", f"after kill {number + 1} ({plan})"


def run_and_kill(server: WriterServer, plan: KillPlan, delay: float) -> list[Said]:
    """Let one writer run as planned, SIGKILL it and reap it; return what it said."""
    said: list[Said] = []

    def read_until(deadline: float, word: str | None = None) -> bool:
        """Collect lines until the writer says ``word`` (True) or ``deadline`` passes."""
        while (line := server.next_line(deadline)) is not None:
            parts = line.split()
            if parts[0] == "exited":
                raise AssertionError(f"writer {parts[1]} exited {parts[2]}:\n{server.log_tail()}")
            index = int(parts[3]) if len(parts) > 3 else None
            said.append(Said(time.monotonic(), int(parts[0]), parts[1], index))
            if parts[1] == word:
                return True
        return False

    def wait_for(word: str) -> None:
        if not read_until(time.monotonic() + WAIT_LIMIT, word):
            raise AssertionError(f"no '{word}' from the writer in {WAIT_LIMIT} s")

    wait_for("ready")
    pid = said[0].pid
    try:
        if plan.commits is None:
            read_until(time.monotonic() + delay)
        else:
            for _ in range(plan.commits):
                wait_for("committing")
            time.sleep(delay)
    finally:  # also when the test has already failed: no writer outlives it
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + WAIT_LIMIT
    while (line := server.next_line(deadline)) is not None:
        parts = line.split()
        if parts[0] == "exited":
            assert int(parts[2]) == -signal.SIGKILL, f"writer exited {parts[2]}, not killed"
            return said
        index = int(parts[3]) if len(parts) > 3 else None
        said.append(Said(time.monotonic(), int(parts[0]), parts[1], index))
    raise AssertionError(f"writer {pid} was not reaped within {WAIT_LIMIT} s")


def record(said: list[Said], ledger: Ledger) -> None:
    begun = [line.index for line in said if line.word == "begin" and line.index is not None]
    sent = {line.index: line.at for line in said if line.word == "committing"}
    for line in said:
        if line.word == "committed" and line.index is not None:
            ledger.committed.add(line.index)
            if line.index in sent:
                ledger.commit_seconds.append(line.at - sent[line.index])
    ledger.begun.update(begun)
    for index in begun:
        if index not in ledger.committed:
            ledger.unfinished[index] = index in sent
    if begun:
        # Never reuse an index: the unfinished one may have committed.
        ledger.next_index = max(begun) + 1


def database_file(database: Database) -> Path:
    return Path(database.engine.url.database or "")


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(path)) as connection:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    return "; ".join(str(row[0]) for row in rows)


def foreign_key_problems(path: Path) -> list[Any]:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("PRAGMA foreign_key_check").fetchall()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WriterServer]:
    running = WriterServer(tmp_path_factory.mktemp("writers") / "writers.log")
    yield running
    running.close()


def audit_entries(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def check_the_end(
    database: Database,
    path: Path,
    ledger: Ledger,
    present: Callable[[int], bool],
) -> tuple[int, int]:
    """What both workloads must show after the last kill; returns the unfinished transactions
    (begun, not reported) found present and absent."""
    assert len(ledger.committed) >= KILLS_PER_WORKLOAD // 3, "the writers barely committed"
    assert sum(ledger.kills.values()) == KILLS_PER_WORKLOAD
    assert ledger.committed <= ledger.begun
    assert integrity(path) == "ok"
    assert foreign_key_problems(path) == []
    chain = verify_audit_chain(database)
    assert chain.intact, chain.problem
    survived = sum(1 for index in ledger.unfinished if present(index))
    return survived, len(ledger.unfinished) - survived


def summary(workload: str, ledger: Ledger, found: tuple[int, int], seconds: float) -> str:
    sent = sum(ledger.unfinished.values())
    commit_ms = statistics.median(ledger.commit_seconds) * 1000
    return (
        f"\n{workload}: {sum(ledger.kills.values())} kills ({dict(ledger.kills)}) in "
        f"{seconds:.1f} s; {len(ledger.committed)} transactions reported committed, "
        f"{len(ledger.unfinished)} cut short ({sent} after COMMIT was sent): "
        f"{found[0]} of those found committed, {found[1]} absent; COMMIT sent to reported "
        f"committed: median {commit_ms:.1f} ms"
    )


def saved_version(number: int, held: dict[int, Any], trainee_order: list[int]) -> int | None:
    """Which save of session ``number`` its marks are: 0 (taken), 1 (corrected) or None
    (unmarked). Marks from neither, such as half of each, fail the test."""
    if not held:
        return None
    for version in (0, 1):
        if held == {
            trainee_id: register_status(number, version, line)
            for line, trainee_id in enumerate(trainee_order)
        }:
            return version
    raise AssertionError(f"session {number}: marks from no single save: {held}")


def test_killed_imports_are_all_or_nothing(
    server: WriterServer, database: Database, tmp_path: Path
) -> None:
    path = database_file(database)
    programme = add_small_programme(database)
    audit_before = audit_entries(database)
    ledger = Ledger()
    command = {
        "database": str(database.url),
        "workload": "import",
        "programme": asdict(programme),
        "folder": str(tmp_path),
    }
    started = time.monotonic()

    kill_writers(server, database, command, ledger, random.Random(SEED))

    with database.read() as session:
        rows = session.execute(
            select(Trainee.employee_number, func.count(BandChange.id))
            .outerjoin(BandChange, BandChange.trainee_id == Trainee.id)
            .group_by(Trainee.id)
        ).all()
        import_audits = Counter(
            summary_text.rsplit(" from ", 1)[1]
            for summary_text in session.scalars(
                select(AuditEntry.summary).where(AuditEntry.action == "import")
            )
        )
    imported: Counter[int] = Counter()
    for employee_number, band_changes in rows:
        imported[int(employee_number[1:6])] += 1
        assert band_changes == 1, f"{employee_number} has {band_changes} band changes"
    assert set(imported) <= ledger.begun, "trainees from an import never begun"
    for index in sorted(ledger.begun):
        size, found = import_size(index), imported[index]
        assert found in (0, size), f"import {index}: {found} of its {size} trainees saved"
        if index in ledger.committed:
            assert found == size, f"import {index} was reported committed but is missing"
        assert import_audits[import_file_name(index)] == found, f"import {index}'s audit entries"
    assert audit_entries(database) == audit_before + sum(imported.values())
    found = check_the_end(database, path, ledger, lambda index: imported[index] > 0)
    print(summary("imports", ledger, found, time.monotonic() - started))


def test_killed_register_saves_are_all_or_nothing(server: WriterServer, database: Database) -> None:
    path = database_file(database)
    programme = add_register_programme(database, REGISTER_PEOPLE)
    with database.write() as session:
        sessions = [
            DayReleaseSession(
                cohort_id=programme.cohort_id,
                session_date=FIRST_WEDNESDAY + timedelta(weeks=number % 90),
                module=session_module(number),
                hours=Decimal(7),
            )
            for number in range(REGISTER_SESSIONS)
        ]
        session.add_all(sessions)
        session.flush()
        session_ids = [held.id for held in sessions]
    audit_before = audit_entries(database)
    ledger = Ledger()
    command = {"database": str(database.url), "workload": "register", "session_ids": session_ids}
    started = time.monotonic()

    kill_writers(server, database, command, ledger, random.Random(SEED + 1))

    people = len(REGISTER_PEOPLE)
    trainee_order = sorted(programme.trainee_ids)  # the register's order (by surname) too
    with database.read() as session:
        marks: dict[int, dict[int, Any]] = {}
        for session_id, trainee_id, status in session.execute(
            select(AttendanceMark.session_id, AttendanceMark.trainee_id, AttendanceMark.status)
        ):
            marks.setdefault(session_id, {})[trainee_id] = status
        audited = Counter(
            int(found.group(1))
            for summary_text in session.scalars(
                select(AuditEntry.summary).where(AuditEntry.entity == "attendance_mark")
            )
            if (found := MODULE_NAMED.search(summary_text))
        )
    in_effect: set[int] = set()  # the saves whose marks the database holds
    for number, session_id in enumerate(session_ids):
        held = marks.pop(session_id, {})
        first, correction = 2 * number, 2 * number + 1
        version = saved_version(number, held, trainee_order)
        saves = audited[number] // people  # each save that took effect audited every person
        assert audited[number] == saves * people, f"session {number}: a save half-audited"
        if version is None:
            assert saves == 0, f"session {number}: audited but has no marks"
            continue
        if version == 0:
            assert saves == 1 and first in ledger.begun and correction not in ledger.committed
            in_effect.add(first)
            continue
        assert correction in ledger.begun, f"session {number}: corrected by a save never begun"
        in_effect.add(correction)
        if saves == 2:
            assert first in ledger.begun
            in_effect.add(first)
        else:
            assert saves == 1 and first not in ledger.committed
    assert marks == {}, "marks on sessions the writers never had"
    assert ledger.committed <= in_effect, "saves reported committed are missing"
    assert in_effect <= ledger.begun
    assert audit_entries(database) == audit_before + sum(audited.values())

    def present(index: int) -> bool:
        return index in in_effect

    found = check_the_end(database, path, ledger, present)
    print(summary("register saves", ledger, found, time.monotonic() - started))
