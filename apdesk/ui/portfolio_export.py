"""Export a trainee's evidence portfolio from the window: where to save it, then open it.

ReportLab is imported only when a portfolio is written, so it costs nothing at start-up.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_documents_dir
from PySide6.QtWidgets import QWidget

from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.portfolio import portfolio_filename
from apdesk.ui import messages
from apdesk.ui.background import OperationCancelled, run_in_background
from apdesk.ui.tab import TabContext

TITLE = "Evidence portfolio"


def export_portfolio(
    parent: QWidget | None, context: TabContext, trainee_id: int, name: str, uln: str | None
) -> Path | None:
    """Ask where to save, write the PDF off the GUI thread, then open it; the saved path, or
    None when the person cancelled or the export was refused (they were told why)."""
    suggested = Path(user_documents_dir()) / portfolio_filename(name, uln, trainee_id)
    chosen = messages.ask_save_path(
        parent, f"Export {name}'s evidence portfolio", str(suggested), "PDF document (*.pdf)"
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(f"{path.name}.pdf")

    def write(_progress: object) -> Path:
        from apdesk.portfolio.export import export_portfolio as write_pdf

        return write_pdf(context.database, context.actor, trainee_id, path).path

    try:
        saved = run_in_background(parent, TITLE, f"Writing {name}'s portfolio…", write)
    except OperationCancelled:
        return None
    except (ActionRefusedError, RecordNotFoundError) as error:
        messages.show_refusal(parent, "The portfolio export", error)
        return None
    if not messages.open_in_viewer(str(saved)):
        messages.show_information(
            parent, TITLE, f"The portfolio was saved to\n{saved}\n\nNo PDF viewer could be opened."
        )
    return saved
