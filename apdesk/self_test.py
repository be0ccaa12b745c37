"""``APDesk --self-test``: does this installation have everything it needs to run?

Run after building the bundle, after installing on a PC, or by IT support when something is
wrong. Every step works in a temporary folder and is thrown away: the person's own database is
only ever read, into a temporary copy, and their settings, logs and backups are not touched.
A missing module, resource file, Qt plugin or database driver shows as a FAIL with the error.

Each step prints ``OK``, ``SKIP`` (it does not apply here, with the reason) or ``FAIL``; the
exit code is 0 when nothing failed, 1 otherwise.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from apdesk import UNKNOWN_VERSION, __version__
from apdesk.domain.enums import Role
from apdesk.paths import DATA_DIR_VARIABLE, resolve_database_url, resources_dir
from apdesk.services.actors import Actor

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from apdesk.db.database import Database

OK, SKIP, FAIL = "OK", "SKIP", "FAIL"
DEMO_TRAINEES = 3  # one cohort is enough to fill every tab and a portfolio
# Sets up the empty demo database, as `apdesk demo` does before any account exists.
SETUP_ACTOR = Actor(name="APDesk self-test", role=Role.ADMINISTRATOR, username="self-test")


class Skipped(Exception):
    """The step does not apply on this PC (no database yet, no driver installed)."""


class SelfTestFailure(Exception):
    """A check found something wrong (as opposed to an exception from APDesk itself)."""


@dataclass
class Step:
    name: str
    run: Callable[[], str]  # returns the detail printed after OK
    needs: tuple[str, ...] = ()


@dataclass
class Report:
    write: Callable[[str], None]
    outcomes: dict[str, str] = field(default_factory=dict)

    def run(self, step: Step) -> None:
        missing = [need for need in step.needs if self.outcomes.get(need) != OK]
        started = time.perf_counter()
        if missing:
            self._line(SKIP, step, f"not run: needs {', '.join(missing)}", started)
            self.outcomes[step.name] = SKIP
            return
        try:
            detail = step.run()
        except Skipped as why:
            self._line(SKIP, step, str(why), started)
            self.outcomes[step.name] = SKIP
        except Exception as error:
            self._line(FAIL, step, f"{type(error).__name__}: {error}", started)
            if not isinstance(error, SelfTestFailure):
                for line in traceback.format_exc().rstrip().splitlines():
                    self.write(f"       {line}")
            self.outcomes[step.name] = FAIL
        else:
            self._line(OK, step, detail, started)
            self.outcomes[step.name] = OK

    def _line(self, status: str, step: Step, detail: str, started: float) -> None:
        seconds = time.perf_counter() - started
        self.write(f"{status:<4}  {step.name}: {detail} ({seconds:.1f} s)")

    @property
    def failed(self) -> list[str]:
        return [name for name, outcome in self.outcomes.items() if outcome == FAIL]


class SelfTest:
    """The checks, in order, sharing one temporary folder."""

    def __init__(self, folder: Path, qt_arguments: Sequence[str]) -> None:
        self.folder = folder
        self.qt_arguments = list(qt_arguments)
        self.user_database_url: str | None = None
        self.database: Database | None = None
        self.actor: Actor | None = None

    def steps(self) -> list[Step]:
        return [
            Step("APDesk version", self.check_version),
            Step("Reference data and icons", self.check_resources),
            Step("New database", self.create_database),
            Step("Migrations, every revision", self.run_migrations),
            Step("Your database, on a temporary copy", self.open_copy_of_user_database),
            Step("PostgreSQL driver", self.check_postgresql_driver),
            Step("Demo programme", self.load_demo, needs=("New database",)),
            Step("Evidence portfolio PDF", self.render_portfolio, needs=("Demo programme",)),
            Step("Main window, every tab", self.show_main_window, needs=("Demo programme",)),
        ]

    # -- the steps ----------------------------------------------------------------------------
    def check_version(self) -> str:
        if __version__ == UNKNOWN_VERSION:
            raise SelfTestFailure("the package metadata is missing, so the version is unknown")
        where = "frozen bundle" if getattr(sys, "frozen", False) else "Python installation"
        return f"APDesk {__version__}, Python {platform.python_version()}, {where}"

    def check_resources(self) -> str:
        folder = resources_dir()
        reference_files = sorted(path.name for path in folder.glob("*.yaml"))
        if not reference_files:
            raise SelfTestFailure(f"no reference data (*.yaml) in {folder}")
        missing = [
            name for name in ("apdesk.png", "apdesk.ico") if not (folder / "icons" / name).is_file()
        ]
        if missing:
            raise SelfTestFailure(f"{', '.join(missing)} missing from {folder / 'icons'}")
        return f"{len(reference_files)} reference files and the icons in {folder}"

    def create_database(self) -> str:
        from apdesk.services.startup import open_database

        opened = open_database(f"sqlite:///{self.folder / 'self-test.sqlite3'}")
        self.database = opened.database
        return (
            f"schema {opened.schema.action}, {len(opened.reference_files_loaded)} reference "
            "files loaded"
        )

    def run_migrations(self) -> str:
        """Replay every Alembic revision on an empty file: proves the bundle carries the
        migration scripts and everything they import, which a created-and-stamped database
        never touches."""
        from alembic import command

        from apdesk.db.database import create_database_engine
        from apdesk.db.migrate import alembic_config, current_revision, known_revisions
        from apdesk.db.migrations import HEAD_REVISION
        from apdesk.db.models import Base

        path = self.folder / "migrated.sqlite3"
        # As apdesk.db.migrate upgrades: batch mode cannot rebuild tables with foreign keys on.
        engine = create_database_engine(f"sqlite:///{path}", foreign_keys=False, pooled=False)
        try:
            with engine.begin() as connection:
                command.upgrade(alembic_config(connection), "head")
            with engine.connect() as connection:
                revision = current_revision(connection)
                tables = set(inspect(connection).get_table_names())
        finally:
            engine.dispose()
        if revision != HEAD_REVISION:
            raise SelfTestFailure(f"upgraded to {revision}, expected {HEAD_REVISION}")
        missing = sorted(set(Base.metadata.tables) - tables)
        if missing:
            raise SelfTestFailure(f"tables missing after the upgrade: {', '.join(missing)}")
        return f"{len(known_revisions())} revisions applied, schema at {revision}"

    def open_copy_of_user_database(self) -> str:
        """Open (and migrate, if this version is newer) a copy of the person's database, so
        they learn now, not on Monday morning, whether this installation can read it."""
        from apdesk.services.programme import count_trainees
        from apdesk.services.startup import open_database

        if self.user_database_url is None:
            raise Skipped("the settings file naming it could not be read (see above)")
        url = make_url(self.user_database_url)
        if url.get_backend_name() != "sqlite":
            raise Skipped(
                f"{url.render_as_string(hide_password=True)} is a database server; the "
                "self-test does not connect to it"
            )
        source = Path(url.database or "")
        if not source.is_file():
            raise Skipped(f"there is no database at {source} yet")
        copy = self.folder / "copy-of-your-database.sqlite3"
        # SQLite's online backup reads a consistent snapshot even while APDesk is writing;
        # the source's records are never written.
        with sqlite3.connect(source) as original, sqlite3.connect(copy) as duplicate:
            original.backup(duplicate)
        original.close()
        duplicate.close()
        opened = open_database(f"sqlite:///{copy}")
        try:
            trainees = count_trainees(opened.database)
        finally:
            opened.database.close()
        return f"{source} opens ({opened.schema.action}), {trainees} trainees"

    def check_postgresql_driver(self) -> str:
        try:
            import psycopg
        except ImportError:
            raise Skipped(
                "psycopg is not installed: SQLite only (install the postgresql extra for a "
                "central database)"
            ) from None
        from sqlalchemy import create_engine

        # Loads SQLAlchemy's dialect and the driver's C library without connecting anywhere.
        engine = create_engine("postgresql+psycopg://self-test@127.0.0.1/self-test")
        engine.dispose()
        libpq = psycopg.pq.version()
        return (
            f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__} implementation, libpq "
            f"{libpq // 10000}.{libpq % 10000})"
        )

    def load_demo(self) -> str:
        from apdesk.services.accounts import sign_in
        from apdesk.services.demo import DEMO_PASSWORD, load_demo_programme

        assert self.database is not None
        summary = load_demo_programme(self.database, SETUP_ACTOR, trainees=DEMO_TRAINEES)
        # A real sign-in: checks the password hashing library is there too.
        self.actor = sign_in(self.database, "admin", DEMO_PASSWORD)
        return (
            f"{summary.trainees} trainees, {summary.attendance_marks} register marks, "
            f"{summary.competency_signoffs} sign-offs; signed in as {self.actor.label}"
        )

    def render_portfolio(self) -> str:
        from apdesk.portfolio.export import export_portfolio
        from apdesk.portfolio.verify import verify_portfolio
        from apdesk.services.progress import list_trainee_progress

        assert self.database is not None and self.actor is not None
        trainee = list_trainee_progress(self.database, self.actor)[0]
        path = self.folder / "portfolio.pdf"
        exported = export_portfolio(self.database, self.actor, trainee.trainee_id, path)
        check = verify_portfolio(self.database, self.actor, path)
        if not check.matches:
            raise SelfTestFailure(f"the PDF read back does not match the records: {check}")
        return (
            f"{exported.pages} pages, {path.stat().st_size // 1024} KB, read back and verified "
            f"(digest {exported.digest[:12]}…)"
        )

    def show_main_window(self) -> str:
        from PySide6.QtCore import QSettings

        from apdesk.app import create_application
        from apdesk.ui.main_window import MainWindow

        assert self.database is not None and self.actor is not None
        # The person's own window geometry and last database stay as they are.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(self.folder / "settings")
        )
        app = create_application([sys.argv[0] if sys.argv else "APDesk", *self.qt_arguments])
        if app.windowIcon().isNull():
            raise SelfTestFailure("the window icon did not load")
        with _reported_problems() as problems, _quiet_offscreen_notes():
            window = MainWindow(self.database, self.actor)
            try:
                titles = _show_every_tab(app, window)
                if window.grab().isNull():
                    problems.append("the window could not be drawn")
            finally:
                window.close()
                app.processEvents()
        if problems:
            raise SelfTestFailure("; ".join(problems))
        return f"{len(titles)} tabs shown ({', '.join(titles)}) on Qt's {app.platformName()}"

    def close(self) -> None:
        if self.database is not None:
            self.database.close()


def _show_every_tab(app: QApplication, window: Any) -> list[str]:
    window.show()
    app.processEvents()
    titles = []
    for index in range(window.tabs.count()):
        title = window.tabs.tabText(index).replace("&", "")
        window.tabs.setCurrentIndex(index)
        app.processEvents()
        if not window.tabs.widget(index).isVisible():
            raise SelfTestFailure(f"the {title} tab could not be shown")
        titles.append(title)
    return titles


@contextmanager
def _reported_problems() -> Iterator[list[str]]:
    """Collect what the window would have shown in a message box or logged as a bug: a modal
    box would wait forever offscreen, and either means the window is not sound."""
    from apdesk.ui import messages

    problems: list[str] = []

    def record(title: str) -> Callable[..., Any]:
        def show(_parent: object, *arguments: object) -> None:
            problems.append(f"{title}: {' '.join(str(a) for a in arguments)}")

        return show

    replaced = {
        name: getattr(messages, name)
        for name in ("show_error", "show_refusal", "show_information", "ask", "choose")
    }
    for name in replaced:
        setattr(messages, name, record(name))
    previous_hook = sys.excepthook
    sys.excepthook = lambda kind, error, trace: problems.append(
        "".join(traceback.format_exception(kind, error, trace)).strip()
    )
    try:
        yield problems
    finally:
        sys.excepthook = previous_hook
        for name, function in replaced.items():
            setattr(messages, name, function)


@contextmanager
def _quiet_offscreen_notes() -> Iterator[None]:
    """The offscreen platform says it cannot raise or resize windows like a desktop; that is
    about having no screen, not about APDesk, so it is left out of the report."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if not message.startswith("This plugin does not support"):
            sys.stderr.write(f"Qt: {message}\n")

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_self_test(qt_arguments: Sequence[str] = (), *, report_file: str | None = None) -> int:
    """Run every step, print (and optionally write) the report; 0 when nothing failed."""
    report_path = Path(report_file) if report_file else None
    if report_path is not None:
        report_path.write_text("", encoding="utf-8")

    def write(line: str) -> None:
        # A windowed program started from Explorer has no console: sys.stdout is None.
        if sys.stdout is not None:
            print(line, flush=True)
        if report_path is not None:
            with report_path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")

    # No screen needed (a build server, a remote session); a platform given explicitly stays.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    write(f"APDesk self-test ({sys.executable})")
    report = Report(write)
    # On Windows a file Qt or SQLite still holds cannot be deleted; leftovers are temporary.
    with tempfile.TemporaryDirectory(
        prefix="apdesk-self-test-", ignore_cleanup_errors=True
    ) as temporary:
        folder = Path(temporary)
        test = SelfTest(folder, qt_arguments)
        try:
            # Where the person's database is, read before the data folder is redirected;
            # a first-time user's data folder is not created just to look.
            test.user_database_url = resolve_database_url(None, create_folder=False)
        except ValueError as error:  # a broken apdesk.ini
            write(f"{FAIL:<4}  Settings file: {error}")
            report.outcomes["Settings file"] = FAIL
        # Logs, backups and anything else APDesk writes go to the temporary folder.
        with _environment(**{DATA_DIR_VARIABLE: str(folder / "data")}):
            try:
                for step in test.steps():
                    report.run(step)
            finally:
                test.close()
    seconds = time.perf_counter() - started
    if report.failed:
        write(f"Self-test FAILED ({', '.join(report.failed)}) in {seconds:.1f} s")
        return 1
    passed = sum(outcome == OK for outcome in report.outcomes.values())
    write(f"Self-test passed: {passed} steps OK in {seconds:.1f} s")
    return 0
