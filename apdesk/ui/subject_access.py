"""Tools → Subject access export: everything held on one apprentice, as JSON and PDF, written
into a folder an administrator chooses. The service refuses anyone else; the menu item is only
enabled for administrators as a courtesy.

ReportLab is imported only when the files are written, so it costs nothing at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_documents_dir
from PySide6.QtWidgets import QFileDialog, QWidget

from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.progress import trainee_progress
from apdesk.ui import messages
from apdesk.ui.background import OperationCancelled, run_in_background
from apdesk.ui.tab import TabContext

if TYPE_CHECKING:
    from apdesk.portfolio.subject_access import SubjectAccessFiles

TITLE = "Subject access export"


def ask_folder(parent: QWidget | None, title: str, start: str) -> str | None:
    """The folder chosen, or None when cancelled. Tests replace this function."""
    return QFileDialog.getExistingDirectory(parent, title, start) or None


def export_subject_access(
    parent: QWidget | None, context: TabContext, trainee_id: int | None
) -> SubjectAccessFiles | None:
    """Ask for a folder, write both files off the GUI thread, then say where they are."""
    if trainee_id is None:
        messages.show_information(
            parent,
            TITLE,
            "Choose a trainee first: select them in the Trainees tab, then export.",
        )
        return None
    try:
        name = trainee_progress(context.database, context.actor, trainee_id).name
    except (ActionRefusedError, LookupError) as error:
        messages.show_refusal(parent, "The subject access export", error)
        return None
    folder = ask_folder(
        parent, f"Choose a folder for everything held on {name}", user_documents_dir()
    )
    if not folder:
        return None

    def write(_progress: object) -> SubjectAccessFiles:
        from apdesk.portfolio.subject_access import subject_access_export

        return subject_access_export(context.database, context.actor, trainee_id, Path(folder))

    try:
        files = run_in_background(parent, TITLE, f"Gathering everything held on {name}…", write)
    except OperationCancelled:
        return None
    except (ActionRefusedError, RecordNotFoundError) as error:
        messages.show_refusal(parent, "The subject access export", error)
        return None
    messages.show_information(
        parent,
        TITLE,
        f"Everything held on {name} was written to the folder\n{files.json_path.parent}\n\n"
        f"{files.json_path.name}\n{files.pdf_path.name}\n\n"
        "The export is recorded in the audit trail. The files hold personal data: send them "
        "to the person by a secure route and delete your copies when done.",
    )
    return files
