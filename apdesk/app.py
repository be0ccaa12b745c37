"""Start the desktop application: ``python main.py`` or ``apdesk-gui``."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from apdesk.db.migrate import DatabaseTooNewError
from apdesk.db.reference_data import ReferenceDataError
from apdesk.paths import log_dir
from apdesk.services.actors import Actor
from apdesk.services.demo import load_demo_programme
from apdesk.services.programme import count_trainees
from apdesk.services.startup import DatabaseUnavailableError, open_database
from apdesk.ui import messages
from apdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def configure_logging() -> None:
    handler = RotatingFileHandler(
        log_dir() / "apdesk.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin set-up chatter


def create_application(argv: Sequence[str]) -> QApplication:
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setOrganizationName("APDesk")
    app.setApplicationName("APDesk")
    return app


def offer_demo_data(window: MainWindow) -> None:
    """An empty database is offered demo data, so a first look shows a working programme."""
    if count_trainees(window.database):
        return
    if not messages.ask(
        window,
        "An empty database",
        "This database holds no trainees yet.\n\nLoad a demo programme (60 fictional "
        "apprentices across the northern ICS areas) to explore APDesk?",
    ):
        return
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        load_demo_programme(window.database, window.actor)
    finally:
        QGuiApplication.restoreOverrideCursor()


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv if argv is None else argv)
    parser = argparse.ArgumentParser(prog="apdesk-gui")
    parser.add_argument("--database", metavar="URL", help="SQLAlchemy URL or SQLite file path")
    options, qt_arguments = parser.parse_known_args(arguments[1:])
    configure_logging()
    app = create_application([arguments[0], *qt_arguments])
    try:
        opened = open_database(options.database)
    except (
        DatabaseTooNewError,
        DatabaseUnavailableError,
        ReferenceDataError,
        RuntimeError,
    ) as error:
        messages.show_error(None, "APDesk cannot open the database", str(error))
        return 2
    log.info("Opened %s (%s)", opened.database.display_name, opened.schema.action)
    window = MainWindow(opened.database, Actor.from_environment())
    window.show()
    offer_demo_data(window)
    window.refresh()
    try:
        return app.exec()
    finally:
        opened.database.close()
