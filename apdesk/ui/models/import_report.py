"""An import's report as a table: the spreadsheet row and what is wrong with it, problems
first, then warnings (which do not stop the import)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from apdesk.services.trainee_import import ImportReport, RowProblem

ROW_COLUMN, PROBLEM_COLUMN = 0, 1
HEADERS = ("Row", "Problem")
WARNING_FOREGROUND = QBrush(QColor("#8a5300"))

AnyIndex = QModelIndex | QPersistentModelIndex


class ImportReportModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._lines: list[tuple[RowProblem, bool]] = []  # (problem, is a warning)

    def set_report(self, report: ImportReport | None) -> None:
        self.beginResetModel()
        self._lines = []
        if report is not None:
            self._lines = [(p, False) for p in report.errors]
            self._lines += [(p, True) for p in report.warnings]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        problem, warning = self._lines[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == ROW_COLUMN:
                return "File" if problem.row is None else str(problem.row)
            return f"Warning: {problem.message}" if warning else problem.message
        if role == Qt.ItemDataRole.ForegroundRole and warning:
            return WARNING_FOREGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == ROW_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
