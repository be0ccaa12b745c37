"""A warning, once per start, when the SQLite database file is on a network share.

Non-blocking (the person can carry on) but visible: SQLite's own documentation says its file
locking is unreliable on network file systems, so two PCs using one file can damage it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from apdesk.services.integrity import sqlite_path
from apdesk.services.network_share import database_network_location

if TYPE_CHECKING:
    from apdesk.db.database import Database

TITLE = "The database is on a network share"


def warn_if_on_network_share(parent: QWidget | None, database: Database) -> QMessageBox | None:
    """Show the warning without waiting for it; the box shown, or None when all is well."""
    path = sqlite_path(database)
    where = database_network_location(path) if path is not None else None
    if where is None:
        return None
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        TITLE,
        f"APDesk's database file\n{path}\nis on a network share ({where}).\n\n"
        "A SQLite database file is not safe on a network share: the share cannot lock the "
        "file reliably, so when two PCs use it at once records can be lost or the file "
        "damaged.\n\n"
        "Keep the file on this PC (APDesk's own data folder), or, for several PCs, ask IT for "
        "APDesk's central PostgreSQL mode (File → Connect to a database server…).",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    return box
