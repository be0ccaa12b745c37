"""At start-up, when SQLite's quick check finds the database file damaged: say so in plain words
and offer the latest good backup, another file, or quitting.

Nobody can sign in to a damaged database, so the restore here needs no sign-in (the restore
service allows that only while the file fails its check); the damaged file is kept for IT.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from apdesk.services.backup import BackupFile, backups_dir, latest_good_backup
from apdesk.services.startup import (
    DatabaseDamagedError,
    DatabaseUnavailableError,
    OpenedDatabase,
    open_database,
)
from apdesk.ui import messages
from apdesk.ui.dialogs.restore_backup import run_restore, size_text, when

TITLE = "The database is damaged"
RESTORE, CHOOSE, QUIT = "Restore the latest backup", "Choose another file…", "Quit APDesk"
DATABASE_FILES = "APDesk databases (*.sqlite3 *.db);;All files (*)"


def explanation(error: DatabaseDamagedError, latest: BackupFile | None) -> str:
    text = (
        f"APDesk cannot use the database file\n{error.path}\nbecause it is damaged: using it "
        f"could lose or garble records.\n\nSQLite's check found: {error.problems[0]}.\n\n"
    )
    if latest is None:
        return text + (
            f"No good backup of it was found in {backups_dir()}. Choose another database "
            "file, or quit and ask your IT support for help (`apdesk check` describes the "
            "damage)."
        )
    return text + (
        f"The latest good backup was taken {when(latest.taken_at)} "
        f"({size_text(latest.size)}). Restoring it brings back everything saved up to then; "
        "anything saved later is not in it. The damaged file is kept in the backups folder "
        "for your IT support."
    )


def recover_damaged_database(
    parent: QWidget | None, error: DatabaseDamagedError
) -> OpenedDatabase | None:
    """Ask until a database opens or the person quits (None)."""
    while True:
        latest = latest_good_backup(error.path)
        options = [RESTORE, CHOOSE, QUIT] if latest is not None else [CHOOSE, QUIT]
        index = messages.choose(parent, TITLE, explanation(error, latest), options)
        choice = options[index] if index is not None else QUIT
        if choice == QUIT:
            return None
        if choice == RESTORE and latest is not None:
            opened = run_restore(parent, error.path, latest.path, None)
            if opened is not None:
                return opened
            continue
        path = messages.ask_open_path(parent, "Open an APDesk database", DATABASE_FILES)
        if not path:
            continue
        try:
            return open_database(str(Path(path)))
        except DatabaseDamagedError as another:
            error = another  # offer that file's backups in turn
        except (DatabaseUnavailableError, RuntimeError, ValueError) as refusal:
            messages.show_error(parent, "APDesk cannot open that database", str(refusal))
