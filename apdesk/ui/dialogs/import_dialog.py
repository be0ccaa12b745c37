"""Import trainees from a spreadsheet: check it, see every problem by its row, then import.

The work runs off the GUI thread behind a progress dialog that can be cancelled; the
service saves all rows or none, so a cancelled or refused import leaves nothing behind.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from apdesk.services.errors import ActionRefusedError
from apdesk.services.spreadsheets import UnreadableFileError
from apdesk.services.trainee_import import IMPORT_COLUMNS, ImportReport, import_trainees
from apdesk.ui import messages
from apdesk.ui.background import OperationCancelled, Progress, run_in_background
from apdesk.ui.models.import_report import ImportReportModel
from apdesk.ui.tab import TabContext
from apdesk.ui.widgets.validated_fields import ERROR_COLOUR

FILE_FILTER = "Spreadsheets (*.csv *.xlsx);;All files (*)"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def headline(report: ImportReport) -> str:
    """The one sentence that says what happened, e.g. "3 problems in 51 rows — nothing was
    imported" or "Imported 51 trainees"."""
    if not report.ok:
        where = (
            f"in {_plural(report.rows_read, 'row')}"
            if any(p.row is not None for p in report.errors)
            else f"in {report.file_name}"
        )
        text = f"{_plural(len(report.errors), 'problem')} {where} — nothing was imported"
    elif report.dry_run:
        text = f"All {_plural(report.rows_read, 'row')} can be imported — nothing saved yet"
    else:
        text = f"Imported {_plural(report.imported, 'trainee')}"
    if report.warnings:
        text += f" ({_plural(len(report.warnings), 'warning')})"
    return text


def report_text(report: ImportReport) -> str:
    """The report as plain text, to paste into an e-mail to whoever sent the file."""
    lines = [f"{report.file_name}: {headline(report)}"]
    lines += [str(problem) for problem in report.errors]
    lines += [f"Warning: {warning}" for warning in report.warnings]
    return "\n".join(lines)


class ImportDialog(QDialog):
    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.path: Path | None = None
        self.report: ImportReport | None = None
        self.imported = 0
        self.model = ImportReportModel()
        self.setWindowTitle("Import trainees")
        self.setup_ui()
        self.show_report(None)
        self._update_buttons()

    @classmethod
    def ask(cls, parent: QWidget | None, context: TabContext) -> int:
        """How many trainees were imported (0 when none were)."""
        dialog = cls(context, parent)
        dialog.exec()
        return dialog.imported

    def setup_ui(self) -> None:
        self.resize(760, 520)
        required = ", ".join(c.name for c in IMPORT_COLUMNS if c.required)
        intro = QLabel(
            "One trainee per row, column names in the first row; an Excel workbook or a CSV "
            f"file in any of Excel's CSV formats. Required columns: {required}. Every row is "
            "checked; if any row has a "
            "problem, nothing is imported."
        )
        intro.setWordWrap(True)
        self.file_edit = QLineEdit(readOnly=True, placeholderText="No file chosen")
        self.file_edit.setAccessibleName("File to import")
        self.choose_button = QPushButton("C&hoose file…")
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)

        self.check_button = QPushButton("&Check only")
        self.check_button.setToolTip("Check every row without saving anything")
        self.check_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button = QPushButton("&Import")
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        self.copy_button = QPushButton("Co&py report")
        self.copy_button.clicked.connect(self.copy_report)
        actions = QHBoxLayout()
        for button in (self.check_button, self.import_button, self.copy_button):
            actions.addWidget(button)
        actions.addStretch(1)

        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setAccessibleName("Import result")
        self.table = QTableView()
        self.table.setAccessibleName("Problems by row")
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(0, 60)
        header.setStretchLastSection(True)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addLayout(actions)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)

    def _update_buttons(self) -> None:
        chosen = self.path is not None
        self.check_button.setEnabled(chosen)
        self.import_button.setEnabled(chosen)
        self.copy_button.setEnabled(self.report is not None)

    def choose_file(self) -> None:
        chosen = messages.ask_open_path(self, "Import trainees", FILE_FILTER)
        if not chosen:
            return
        self.path = Path(chosen)
        self.file_edit.setText(str(self.path))
        self.show_report(None)
        self._update_buttons()
        self.check_button.setFocus()

    def run(self, *, dry_run: bool) -> None:
        if self.path is None:
            return
        path, database, actor = self.path, self.context.database, self.context.actor

        def work(progress: Progress) -> ImportReport:
            return import_trainees(database, path, actor, dry_run=dry_run, progress=progress)

        verb = "Checking" if dry_run else "Importing"
        try:
            report = run_in_background(self, "Import trainees", f"{verb} {path.name}…", work)
        except OperationCancelled:
            self.show_report(None, "Cancelled — nothing was imported")
            return
        except (UnreadableFileError, ActionRefusedError) as error:  # unreadable, or not allowed
            self.show_report(None, str(error))
            return
        self.show_report(report)
        if report.ok and not report.dry_run:
            self.imported += report.imported
            self.import_button.setEnabled(False)  # the same rows again would all be repeats
            self.check_button.setEnabled(False)

    def show_report(self, report: ImportReport | None, message: str = "") -> None:
        self.report = report
        self.model.set_report(report)
        failed = bool(message) or (report is not None and not report.ok)
        self.headline.setStyleSheet(
            f"font-weight: bold; color: {ERROR_COLOUR};" if failed else "font-weight: bold;"
        )
        self.headline.setText(headline(report) if report is not None else message)
        self.table.setVisible(report is not None and bool(report.errors or report.warnings))
        self.copy_button.setEnabled(report is not None)

    def copy_report(self) -> None:
        if self.report is not None:
            QGuiApplication.clipboard().setText(report_text(self.report))
