"""APDesk's own backups from the desktop: when the main window closes, and at start-up when the
newest backup is a day old. Whoever is signed in, since they only copy the database into this
PC user's data folder; a failure is shown, because a backup someone relies on did not happen.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QWidget

from apdesk.services.backup import automatic_backup, daily_backup_due
from apdesk.services.errors import ActionRefusedError
from apdesk.ui import messages
from apdesk.ui.background import OperationCancelled, run_in_background

if TYPE_CHECKING:
    from apdesk.db.database import Database

log = logging.getLogger(__name__)
STATUS_MESSAGE_MS = 10_000


def back_up_automatically(parent: QWidget | None, database: Database, occasion: str) -> Path | None:
    """Add a backup to the rotating set; its path, or None (a server, cancelled, failed)."""
    try:
        result = run_in_background(
            parent,
            "Backup",
            f"{occasion}: backing up the database…",
            lambda progress: automatic_backup(database, progress),
        )
    except OperationCancelled:
        return None
    except ActionRefusedError as error:
        log.warning("Automatic backup (%s) failed: %s", occasion, error)
        messages.show_error(
            parent,
            "The automatic backup failed",
            f"{error}\n\nThe database itself was not changed. Run File → Back up database… "
            "to try again, or tell your IT support.",
        )
        return None
    if result is None:
        return None
    log.info("Automatic backup (%s): %s", occasion, result.backup.path)
    return result.backup.path


def back_up_if_due(window: QMainWindow, database: Database) -> Path | None:
    """Once a day: at start-up when the newest backup is older than a day (or there is none)."""
    if not daily_backup_due(database):
        return None
    path = back_up_automatically(window, database, "Daily backup")
    if path is not None:
        window.statusBar().showMessage(f"Daily backup saved: {path}", STATUS_MESSAGE_MS)
    return path
