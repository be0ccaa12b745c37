"""The audit trail table: when (local time), who, what they did, to which record, in a sentence.

Each row's words are worked out once when the rows arrive, not on every call to ``data()``:
a scroll through 1,000 entries asks for every visible cell many times.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from apdesk.domain.calendar import format_day
from apdesk.services.audit import AuditRow
from apdesk.ui.models.columns import ROW_ROLE, SORT_ROLE

WHEN, WHO, ACTION, WHAT, SUMMARY = range(5)
COLUMN_TITLES = ("When", "Who", "Action", "What", "Summary")
COLUMN_WIDTHS = (150, 170, 170, 150, 400)

AnyIndex = QModelIndex | QPersistentModelIndex


def words(code: str) -> str:
    """An action or entity code in words: "sign_off_competency" → "Sign off competency"."""
    return code.replace("_", " ").capitalize()


def local_time(row: AuditRow) -> str:
    moment = row.occurred_at.astimezone()
    return f"{format_day(moment.date())} {moment:%H:%M:%S}"


def _texts(row: AuditRow) -> tuple[str, ...]:
    what = words(row.entity) if row.entity_id is None else f"{words(row.entity)} {row.entity_id}"
    return (local_time(row), row.actor_name, words(row.action), what, row.summary)


def _sort_keys(row: AuditRow, texts: tuple[str, ...]) -> tuple[Any, ...]:
    return (
        row.id,
        texts[WHO].casefold(),
        texts[ACTION],
        (row.entity, row.entity_id or 0),
        texts[SUMMARY].casefold(),
    )


class AuditTrailModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[AuditRow] = ()) -> None:
        super().__init__()
        self._rows: list[tuple[AuditRow, tuple[str, ...]]] = []
        self._set(rows)

    def _set(self, rows: Sequence[AuditRow]) -> None:
        self._rows = [(row, _texts(row)) for row in rows]

    def set_rows(self, rows: Sequence[AuditRow]) -> None:
        self.beginResetModel()
        self._set(rows)
        self.endResetModel()

    def row_at(self, row: int) -> AuditRow:
        return self._rows[row][0]

    def row_of(self, entry_id: int) -> int | None:
        return next((n for n, (row, _) in enumerate(self._rows) if row.id == entry_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(COLUMN_TITLES)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMN_TITLES[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, texts = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[index.column()]
        if role == ROW_ROLE:
            return row
        if role == SORT_ROLE:
            return _sort_keys(row, texts)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == SUMMARY:
            return texts[SUMMARY]  # long summaries are cut off in the column
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == WHEN:
            return f"Entry {row.id}; {row.occurred_at:%d %b %Y %H:%M:%S} UTC"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the list itself, keeping any selection on the same entries."""
        self.layoutAboutToBeChanged.emit()
        before = [row.id for row, _ in self._rows]
        self._rows.sort(
            key=lambda pair: _sort_keys(*pair)[column],
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        new_row = {row.id: n for n, (row, _) in enumerate(self._rows)}
        for old in self.persistentIndexList():
            moved = new_row[before[old.row()]]
            self.changePersistentIndex(old, self.index(moved, old.column()))
        self.layoutChanged.emit()
