"""The competency tree: key responsibilities (groups) with their competencies beneath.

Two levels only, so an index's internal id says where it sits: 0 for a group row, and
group row + 1 for a competency row. No Python objects travel in internal pointers.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from apdesk.domain.calendar import format_day
from apdesk.services.supervised_practice import (
    CompetencyStatus,
    CompetencyView,
    FrameworkView,
    GroupView,
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # framework order: (group position, competency position)
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the GroupView or CompetencyView behind the row
COMPETENCY_ID_ROLE = Qt.ItemDataRole.UserRole + 3  # a competency's id; None on a group row

TITLE_COLUMN, STATUS_COLUMN, KSB_COLUMN, LAST_SIGNOFF_COLUMN = range(4)
HEADERS = ("Competency", "Status", "KSBs", "Last sign-off")
WIDTHS = (350, 140, 140, 190)  # starting widths; people resize columns themselves

# Colour supports the status word, never replaces it; the symbol also tells them apart in
# greyscale print-outs and for people who cannot tell green from amber.
STATUS_BACKGROUND = {
    CompetencyStatus.COMPETENT: QColor("#dff3e4"),
    CompetencyStatus.NOT_YET_COMPETENT: QColor("#fff1d6"),
    CompetencyStatus.NOT_YET_ASSESSED: QColor("#f1f1f1"),
}
STATUS_FOREGROUND = {
    CompetencyStatus.COMPETENT: QColor("#1e6b34"),
    CompetencyStatus.NOT_YET_COMPETENT: QColor("#8a4b00"),
    CompetencyStatus.NOT_YET_ASSESSED: QColor("#505050"),
}
STATUS_SYMBOL = {
    CompetencyStatus.COMPETENT: "✔",
    CompetencyStatus.NOT_YET_COMPETENT: "◐",
    CompetencyStatus.NOT_YET_ASSESSED: "○",
}

AnyIndex = QModelIndex | QPersistentModelIndex


def last_signoff_text(competency: CompetencyView) -> str:
    signoff = competency.last_signoff
    if signoff is None:
        return "–"
    return f"{format_day(signoff.observed_on)}, {signoff.signer_name}"


class CompetencyTreeModel(QAbstractItemModel):
    def __init__(self, framework: FrameworkView | None = None) -> None:
        super().__init__()
        self._groups: tuple[GroupView, ...] = framework.groups if framework else ()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_framework(self, framework: FrameworkView | None) -> None:
        self.beginResetModel()
        self._groups = framework.groups if framework else ()
        self.endResetModel()

    def competency_index(self, competency_id: int, column: int = 0) -> QModelIndex:
        for group_row, group in enumerate(self._groups):
            for row, competency in enumerate(group.competencies):
                if competency.competency_id == competency_id:
                    return self.createIndex(row, column, group_row + 1)
        return QModelIndex()

    # -- structure ---------------------------------------------------------------------------
    def index(
        self,
        row: int,
        column: int,
        parent: AnyIndex = QModelIndex(),  # noqa: B008 - Qt API
    ) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: AnyIndex | None = None) -> QModelIndex:  # type: ignore[override]
        if child is None or not child.isValid() or child.internalId() == 0:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].competencies)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return len(HEADERS)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    # -- content -----------------------------------------------------------------------------
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._group_data(index.row(), index.column(), role)
        group_row = index.internalId() - 1
        competency = self._groups[group_row].competencies[index.row()]
        return self._competency_data(competency, (group_row, index.row()), index.column(), role)

    def _group_data(self, row: int, column: int, role: int) -> Any:
        group = self._groups[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TITLE_COLUMN:
                return f"{group.code}  {group.title}"
            if column == STATUS_COLUMN:
                return f"{group.signed}/{group.total} signed off"
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == TITLE_COLUMN:
            return f"{group.code} {group.title}"
        if role == Qt.ItemDataRole.FontRole:
            return self._bold
        if role == SORT_ROLE:
            return (row, -1)
        if role == ROW_ROLE:
            return group
        return None

    def _competency_data(
        self, competency: CompetencyView, position: tuple[int, int], column: int, role: int
    ) -> Any:
        status = competency.status
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TITLE_COLUMN:
                return f"{competency.code}  {competency.title}"
            if column == STATUS_COLUMN:
                return f"{STATUS_SYMBOL[status]} {status.value}"
            if column == KSB_COLUMN:
                return competency.ksb_codes
            return last_signoff_text(competency)
        if role == Qt.ItemDataRole.AccessibleTextRole and column == STATUS_COLUMN:
            return status.value
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == KSB_COLUMN:
                return "\n".join(f"{ksb.code}: {ksb.text}" for ksb in competency.ksbs)
            if column == LAST_SIGNOFF_COLUMN and competency.last_signoff is not None:
                registration = competency.last_signoff.signer_registration
                return registration or "No professional registration recorded"
            return competency.title
        if column == STATUS_COLUMN:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(STATUS_BACKGROUND[status])
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(STATUS_FOREGROUND[status])
        if role == SORT_ROLE:
            return position
        if role == ROW_ROLE:
            return competency
        if role == COMPETENCY_ID_ROLE:
            return competency.competency_id
        return None
