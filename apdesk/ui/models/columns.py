"""Tables over a Python list of frozen rows, each column described once: its title, the text
and sort key of a row, its starting width and alignment. The model sorts its own list (a
proxy would call data() per comparison, far too slow for thousands of rows)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # a comparable value for each cell
ROW_ROLE = Qt.ItemDataRole.UserRole + 2  # the row object behind the row
CENTRED = int(Qt.AlignmentFlag.AlignCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)  # numbers

AnyIndex = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")


@dataclass(frozen=True)
class Column(Generic[Row]):
    title: str
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any]
    width: int  # starting width in pixels; people resize columns themselves
    alignment: int | None = None  # CENTRED, RIGHT, or the view's default


class ColumnTableModel(QAbstractTableModel, Generic[Row]):
    """A read-only table of rows described by ``columns``."""

    columns: tuple[Column[Row], ...] = ()

    def __init__(self, rows: Sequence[Row] = ()) -> None:
        super().__init__()
        self._rows: list[Row] = list(rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> tuple[Row, ...]:
        return tuple(self._rows)

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def cell(self, index: AnyIndex, role: int) -> Any:
        """The roles every column answers the same way; None for the rest."""
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort_key(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.alignment
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        answer = self.cell(index, role)
        if answer is not None:
            return answer
        return self.extra_data(self._rows[index.row()], index.column(), role)

    def extra_data(self, row: Row, column: int, role: int) -> Any:
        """Roles particular to one table (colours, tooltips); None by default."""
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(
            key=self.columns[column].sort_key, reverse=order == Qt.SortOrder.DescendingOrder
        )
        self.layoutChanged.emit()
