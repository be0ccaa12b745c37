"""File → Restore from backup…: choose one of this database's rotating backups (newest first,
with when it was taken and its size) or browse for a file; confirm; restore; sign in again.

The restore service refuses a damaged, foreign or newer file and saves the database as it is
first, so a restore can itself be undone from the same list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from apdesk.services.actors import Actor
from apdesk.services.backup import (
    BackupFile,
    RestoreResult,
    backups_dir,
    list_backups,
    restore_database,
)
from apdesk.services.errors import ActionRefusedError
from apdesk.services.integrity import sqlite_path
from apdesk.services.startup import DatabaseUnavailableError, OpenedDatabase
from apdesk.ui import messages
from apdesk.ui.background import OperationCancelled, join_background_loads, run_in_background

if TYPE_CHECKING:
    from apdesk.db.database import Database

TITLE = "Restore from backup"
DATABASE_FILES = "APDesk databases and backups (*.sqlite3 *.db);;All files (*)"
HINT_STYLE = "color: #57606a;"


def when(taken_at: datetime) -> str:
    """A backup's time as the person reads it: local, with the weekday."""
    return taken_at.astimezone().strftime("%a %d %b %Y, %H:%M")


def age(taken_at: datetime, now: datetime | None = None) -> str:
    seconds = max(0, int(((now or datetime.now(UTC)) - taken_at).total_seconds()))
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count > 1 else ''} ago"
    return "just now"


def size_text(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, size // 1024)} KB"


class RestoreBackupDialog(QDialog):
    """Pick a backup: one of the rotating set, or any file found with Browse."""

    def __init__(
        self, backups: list[BackupFile], database_path: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.backups = backups
        self.database_path = database_path
        self.chosen: Path | None = None
        self.setWindowTitle(TITLE)
        self.setup_ui()

    @classmethod
    def choose(
        cls, parent: QWidget | None, backups: list[BackupFile], database_path: Path
    ) -> Path | None:
        """The backup file chosen; None when the person cancelled."""
        dialog = cls(backups, database_path, parent)
        try:
            return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def setup_ui(self) -> None:
        intro = QLabel(
            f"Choose the backup to put in place of <b>{self.database_path.name}</b>. The "
            "database as it is now is backed up first, so a restore can be undone from this "
            "same list."
        )
        intro.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(["Taken", "Age", "Size", "File"])
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        for backup in self.backups:
            taken = backup.taken_at
            item = QTreeWidgetItem(
                [when(taken), age(taken), size_text(backup.size), backup.path.name]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, str(backup.path))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(3, str(backup.path))
            self.table.addTopLevelItem(item)
        header = self.table.header()
        header.setStretchLastSection(True)
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemDoubleClicked.connect(lambda *_: self.accept())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        where = QLabel(
            f"Backups are kept in {backups_dir()}."
            if self.backups
            else f"There are no backups of {self.database_path.name} in {backups_dir()} yet. "
            "Browse for a backup file instead."
        )
        where.setWordWrap(True)
        where.setStyleSheet(HINT_STYLE)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(
            "&Restore…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.browse_button = QPushButton("&Browse for a file…")
        self.buttons.addButton(self.browse_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.browse_button.clicked.connect(self.browse)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(where)
        layout.addWidget(self.buttons)
        self.resize(720, 380)
        if self.backups:
            self.table.setCurrentItem(self.table.topLevelItem(0))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(bool(self.table.selectedItems()))

    def browse(self) -> None:
        path = messages.ask_open_path(self, "Choose a backup to restore", DATABASE_FILES)
        if path:
            self.chosen = Path(path)
            super().accept()

    def accept(self) -> None:
        selected = self.table.selectedItems()
        if not selected:
            return
        self.chosen = Path(selected[0].data(0, Qt.ItemDataRole.UserRole))
        super().accept()


def describe(result: RestoreResult) -> str:
    lines = [f"The database was restored from\n{result.restored_from}"]
    if result.current_saved_to is not None:
        before = "damaged database" if result.current_was_damaged else "database as it was"
        lines.append(f"The {before} is kept at\n{result.current_saved_to}")
    if result.upgraded_from is not None:
        lines.append(
            f"The backup was from an older APDesk (schema {result.upgraded_from}) and has "
            "been brought up to date."
        )
    return "\n\n".join(lines)


def run_restore(
    parent: QWidget | None, database_path: Path, backup: Path, actor: Actor | None
) -> OpenedDatabase | None:
    """Restore with a progress dialog; explain a refusal. The restored database, or None."""
    try:
        result = run_in_background(
            parent,
            TITLE,
            f"Restoring {backup.name}…",
            lambda progress: restore_database(database_path, backup, actor, progress),
        )
    except OperationCancelled:
        return None
    except (ActionRefusedError, DatabaseUnavailableError) as refusal:
        messages.show_refusal(parent, "The restore", refusal)
        return None
    messages.show_information(parent, TITLE, describe(result))
    return result.opened


def restore_from_backup(
    parent: QWidget | None, database: Database, actor: Actor
) -> OpenedDatabase | None:
    """The whole menu action, up to the restored database being open (not yet signed in to)."""
    path = sqlite_path(database)
    if path is None:
        messages.show_information(
            parent,
            TITLE,
            "This is a central database server: it is restored on the server by your "
            "database administrator, not from one PC.",
        )
        return None
    backup = RestoreBackupDialog.choose(parent, list_backups(path), path)
    if backup is None:
        return None
    question = (
        f"Replace the database\n{path}\nwith the backup {backup.name}?\n\n"
        "Anything saved since that backup was taken will no longer be in the database. The "
        "database as it is now is saved in the backups folder first.\n\n"
        "You will sign in again afterwards, with the accounts and passwords in the backup."
    )
    if not messages.ask(parent, TITLE, question):
        return None
    join_background_loads()  # a tab still loading holds the file open (Windows cannot swap it)
    database.close()  # none of this window's pooled connections holds the old pages
    return run_restore(parent, path, backup, actor)
