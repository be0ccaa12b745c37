"""Start the desktop application: ``python main.py`` or ``apdesk-gui``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from apdesk.db.migrate import DatabaseTooNewError
from apdesk.db.reference_data import ReferenceDataError
from apdesk.paths import (
    DATABASE_URL_VARIABLE,
    ConfigFileError,
    configured_database_url,
    log_dir,
    resources_dir,
)
from apdesk.services.startup import (
    DatabaseDamagedError,
    DatabaseUnavailableError,
    OpenedDatabase,
    open_database,
)
from apdesk.services.storage_errors import StorageError
from apdesk.ui import messages
from apdesk.ui.automatic_backup import back_up_if_due
from apdesk.ui.dialogs.damaged_database import recover_damaged_database
from apdesk.ui.dialogs.network_share import warn_if_on_network_share
from apdesk.ui.main_window import LAST_DATABASE_KEY, MainWindow, who_signs_in

log = logging.getLogger(__name__)


def configure_logging() -> None:
    handler = RotatingFileHandler(
        log_dir() / "apdesk.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin set-up chatter


def report_unexpected_error(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    """A bug, not something the person did: log the traceback, tell them where it is."""
    if isinstance(error, StorageError):
        # A full disk or a read-only file, not a bug: a save without a refusal path of its
        # own still tells the person what to do, and sends nobody a log.
        log.warning("Not saved: %s", error)
        if QApplication.instance() is not None:
            messages.show_error(None, "APDesk could not save", str(error))
        return
    log.error("Unexpected error", exc_info=(kind, error, trace))
    if QApplication.instance() is not None:
        messages.show_error(
            None,
            "Something went wrong in APDesk",
            f"{kind.__name__}: {error}\n\nWhat you were doing was not completed. The details "
            f"are in {log_dir() / 'apdesk.log'}; please send that file to your APDesk support "
            "contact.",
        )


def create_application(argv: Sequence[str]) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setOrganizationName("APDesk")
    app.setApplicationName("APDesk")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "apdesk.png")))
    return app


def _last_database() -> str | None:
    """The database last switched to in the app, unless APDESK_DATABASE_URL or the
    organisation's apdesk.ini says otherwise."""
    if os.environ.get(DATABASE_URL_VARIABLE):
        return None
    try:
        if configured_database_url():
            return None
    except ConfigFileError:
        return None  # opening the configured database says what is wrong with the file
    value = QSettings().value(LAST_DATABASE_KEY)
    return str(value) if value else None


_CANNOT_OPEN = (
    DatabaseTooNewError,
    DatabaseUnavailableError,
    ReferenceDataError,
    RuntimeError,
    ConfigFileError,
)


def _open(url: str | None, *, fall_back: bool) -> OpenedDatabase:
    """Open ``url``; when it was only remembered from last time and fails, say so and open the
    person's own database instead, so a server being down never locks them out."""
    # The quick check of every page runs once the window is up (check_database_in_background).
    try:
        return open_database(url, quick_check=False)
    except DatabaseDamagedError:
        raise  # not a server being down: its backups are offered instead (main)
    except _CANNOT_OPEN as error:
        if not fall_back:
            raise
        messages.show_error(
            None,
            "APDesk cannot open the last database",
            f"{error}\n\nAPDesk will open the database in your data folder instead.",
        )
        return open_database(None, quick_check=False)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv if argv is None else argv)
    parser = argparse.ArgumentParser(prog="apdesk-gui")
    parser.add_argument("--database", metavar="URL", help="SQLAlchemy URL or SQLite file path")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation offscreen, on temporary copies only; exit 0 when sound",
    )
    parser.add_argument(
        "--self-test-report",
        metavar="FILE",
        help="also write the self-test's report to FILE (a windowed program has no console)",
    )
    options, qt_arguments = parser.parse_known_args(arguments[1:])
    if options.self_test:
        from apdesk.self_test import run_self_test

        return run_self_test([arguments[0], *qt_arguments], report_file=options.self_test_report)
    configure_logging()
    sys.excepthook = report_unexpected_error
    app = create_application([arguments[0], *qt_arguments])
    remembered = None if options.database else _last_database()
    try:
        opened = _open(options.database or remembered, fall_back=remembered is not None)
    except DatabaseDamagedError as damaged:
        recovered = recover_damaged_database(None, damaged)
        if recovered is None:  # the person chose to quit
            return 2
        opened = recovered
    except _CANNOT_OPEN as error:
        messages.show_error(None, "APDesk cannot open the database", str(error))
        return 2
    log.info("Opened %s (%s)", opened.database.display_name, opened.schema.action)
    actor = who_signs_in(None, opened.database)
    if actor is None:  # the person cancelled signing in
        opened.database.close()
        return 0
    window = MainWindow(opened.database, actor, automatic_backups=True)
    window.show()
    warn_if_on_network_share(window, window.database)
    # The tabs load their data as they are shown, off the GUI thread. The daily backup waits
    # for the quick check: a damaged file is offered its backups, never backed up over them.
    window.check_database_in_background(then=lambda: back_up_if_due(window, window.database))
    window.offer_first_steps()
    try:
        return app.exec()
    finally:
        # The one open now: File → Open may have switched (and closed the first).
        window.database.close()
