"""The Dashboard's files: a list or the cohort table as CSV or Excel, and the one-page
programme summary PDF, each written off the GUI thread from the dashboard already shown
(so the file holds exactly what the person was looking at)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from apdesk.services.dashboard_views import Dashboard, ListKind
from apdesk.ui import messages
from apdesk.ui.background import OperationCancelled, run_in_background

SPREADSHEET_FILTERS = "Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"


def _file_stem(text: str) -> str:
    """ "Behind OTJ plan" → "behind-otj-plan"."""
    return "-".join(text.casefold().replace("/", " ").split())


def _with_suffix(path: str, allowed: tuple[str, ...]) -> Path:
    """A name typed without an extension gets the first allowed one."""
    target = Path(path)
    if target.suffix.lower() not in allowed:
        target = target.with_name(target.name + allowed[0])
    return target


def export_attention_list_file(parent: QWidget, dashboard: Dashboard, kind: ListKind) -> None:
    from apdesk.services.reports import export_attention_list  # openpyxl only when exporting

    rows = dashboard.lists.get(kind, ())
    _export_spreadsheet(
        parent,
        f"Export “{kind.value}”",
        f"apdesk-{_file_stem(kind.value)}-{dashboard.as_of}",
        lambda target: export_attention_list(kind, rows, target),
        "trainees",
    )


def export_cohort_file(parent: QWidget, dashboard: Dashboard) -> None:
    """Each cohort's planned places, starters and trainees in training."""
    from apdesk.services.reports import export_cohorts

    lines = dashboard.cohorts
    _export_spreadsheet(
        parent,
        "Export the cohort table",
        f"apdesk-cohorts-{dashboard.as_of}",
        lambda target: export_cohorts(lines, target),
        "cohorts",
    )


def _export_spreadsheet(
    parent: QWidget, title: str, stem: str, write: Callable[[Path], int], what: str
) -> None:
    suggested = str(Path.home() / f"{stem}.xlsx")
    path = messages.ask_save_path(parent, title, suggested, SPREADSHEET_FILTERS)
    if not path:
        return
    target = _with_suffix(path, (".xlsx", ".csv"))
    try:
        count = run_in_background(
            parent, "Export", "Writing the file…", lambda _progress: write(target)
        )
    except OperationCancelled:
        return
    except (OSError, ValueError) as error:
        messages.show_refusal(parent, "The export", error)
        return
    messages.show_information(parent, "Export", f"{count} {what} exported to\n{target}")


def export_programme_summary(parent: QWidget, dashboard: Dashboard) -> None:
    """Save the one-page summary, then open it in the system's PDF viewer."""
    suggested = Path.home() / f"apdesk-programme-summary-{dashboard.as_of}.pdf"
    path = messages.ask_save_path(
        parent, "Programme summary PDF", str(suggested), "PDF document (*.pdf)"
    )
    if not path:
        return
    target = _with_suffix(path, (".pdf",))
    from apdesk.reports.summary import render_summary  # ReportLab only when exporting

    try:
        run_in_background(
            parent,
            "Programme summary",
            "Drawing the one-page summary…",
            lambda _progress: render_summary(dashboard, target),
        )
    except OperationCancelled:
        return
    except (OSError, ValueError) as error:
        messages.show_refusal(parent, "The programme summary", error)
        return
    if not messages.open_in_viewer(str(target)):
        messages.show_information(
            parent, "Programme summary", f"The summary was saved to\n{target}"
        )
