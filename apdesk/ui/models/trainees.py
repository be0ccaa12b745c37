"""The trainees table: one row per trainee with their progress figures, and the filters.

Everything a filter or a sort needs is worked out once per row when the rows arrive
(``set_rows``/``update_row``), never per call to ``data()``: at 2,000 trainees a keystroke
in the filter box calls ``filterAcceptsRow`` 2,000 times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from apdesk.domain.enums import TraineeStatus
from apdesk.domain.units import format_percent_down
from apdesk.services.progress import TraineeProgress
from apdesk.ui.models.columns import ROW_ROLE, SORT_ROLE, Column

SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3  # the row's words, casefolded, for the text filter
AT_RISK_BACKGROUND = QBrush(QColor("#fde7e9"))

AnyIndex = QModelIndex | QPersistentModelIndex


def _percent(value: Decimal | None) -> str:
    return "–" if value is None else format_percent_down(value)


def _sortable(value: Decimal | None) -> Decimal:
    """Missing figures sort before every real one, 0% included."""
    return Decimal(-1) if value is None else value


COLUMNS: tuple[Column, ...] = (
    Column("Name", lambda t: t.name, lambda t: t.name.casefold(), 170),
    Column("Employer", lambda t: t.employer, lambda t: t.employer, 260),
    Column("Sector", lambda t: t.sector.label, lambda t: t.sector.label, 90),
    Column("ICS area", lambda t: t.ics_area, lambda t: t.ics_area, 190),
    Column("Service area", lambda t: t.service_area, lambda t: t.service_area, 190),
    Column("Cohort", lambda t: t.cohort, lambda t: (t.start_date, t.cohort), 120),
    Column("Mentor", lambda t: t.mentor or "–", lambda t: t.mentor or "", 140),
    Column("Band", lambda t: t.assessment.band or "–", lambda t: t.assessment.band or "", 60),
    Column("Status", lambda t: t.status.label, lambda t: t.status.label, 120),
    Column(
        "Attendance",
        lambda t: _percent(t.assessment.attendance.percentage),
        lambda t: _sortable(t.assessment.attendance.percentage),
        95,
    ),
    Column(
        "OTJ % of plan",
        lambda t: _percent(t.assessment.otj.percent_of_expected if t.assessment.otj else None),
        lambda t: _sortable(t.assessment.otj.percent_of_expected if t.assessment.otj else None),
        110,
    ),
    Column(
        "Care Certificate",
        lambda t: (
            f"{t.assessment.care_certificate.standards_complete}/"
            f"{t.assessment.care_certificate.standards_total}"
        ),
        lambda t: t.assessment.care_certificate.standards_complete,
        120,
    ),
    Column(
        "Competencies",
        lambda t: f"{t.assessment.competencies_signed}/{t.assessment.competencies_total}",
        lambda t: t.assessment.competencies_signed,
        110,
    ),
)
COHORT_COLUMN = next(n for n, column in enumerate(COLUMNS) if column.title == "Cohort")


def _search_text(row: TraineeProgress) -> str:
    """Every column's words on its own line, so a filter phrase never spans two columns."""
    words = [column.text(row) for column in COLUMNS]
    words.append(row.uln or "")
    return "\n".join(words).casefold()


class TraineeTableModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[TraineeProgress] = ()) -> None:
        super().__init__()
        self._rows: list[TraineeProgress] = []
        self._search: dict[int, str] = {}  # trainee id → search text
        self._set(rows)

    def _set(self, rows: Sequence[TraineeProgress]) -> None:
        self._rows = list(rows)
        self._search = {row.trainee_id: _search_text(row) for row in self._rows}

    def set_rows(self, rows: Sequence[TraineeProgress]) -> None:
        self.beginResetModel()
        self._set(rows)
        self.endResetModel()

    def update_row(self, row: TraineeProgress) -> int:
        """Show one trainee's fresh figures (appending a new trainee); returns the row number."""
        self._search[row.trainee_id] = _search_text(row)
        number = self.row_of(row.trainee_id)
        if number is None:
            number = len(self._rows)
            self.beginInsertRows(QModelIndex(), number, number)
            self._rows.append(row)
            self.endInsertRows()
            return number
        self._rows[number] = row
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))
        return number

    def rows(self) -> list[TraineeProgress]:
        return list(self._rows)

    def row_of(self, trainee_id: int) -> int | None:
        return next((n for n, row in enumerate(self._rows) if row.trainee_id == trainee_id), None)

    def at_risk_count(self) -> int:
        return sum(1 for row in self._rows if row.at_risk)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == SEARCH_ROLE:
            return self._search[row.trainee_id]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == SORT_ROLE:
            return column.sort_key(row)
        if role == Qt.ItemDataRole.BackgroundRole and row.at_risk:
            return AT_RISK_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole and row.at_risk:
            return "At risk:\n" + "\n".join(f"• {reason}" for reason in row.assessment.risks)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the Python list once rather than letting a proxy call data() per comparison."""
        self.layoutAboutToBeChanged.emit()
        key = COLUMNS[column].sort_key
        self._rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        self.layoutChanged.emit()


@dataclass(frozen=True)
class TraineeFilter:
    """What the person asked to see; empty values let everyone through."""

    text: str = ""
    cohort: str | None = None
    employer: str | None = None
    status: TraineeStatus | None = None
    at_risk_only: bool = False

    def accepts(self, row: TraineeProgress, search_text: str) -> bool:
        return (
            (self.cohort is None or row.cohort == self.cohort)
            and (self.employer is None or row.employer == self.employer)
            and (self.status is None or row.status is self.status)
            and (not self.at_risk_only or row.at_risk)
            and (not self.text or self.text in search_text)
        )


class TraineeFilterProxy(QSortFilterProxyModel):
    """Filters on the row objects; sorting stays with the source model (see its ``sort``)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = TraineeFilter()

    @property
    def current_filter(self) -> TraineeFilter:
        return self._filter

    def set_filter(self, wanted: TraineeFilter) -> None:
        wanted = replace(wanted, text=wanted.text.strip().casefold())
        if wanted == self._filter:
            return
        self._start_filter_change()
        self._filter = wanted
        self._end_filter_change()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        index = self.sourceModel().index(source_row, 0, source_parent)
        search_text = index.data(SEARCH_ROLE) if self._filter.text else ""
        return self._filter.accepts(index.data(ROW_ROLE), search_text)

    # Qt 6.10 replaced invalidateRowsFilter() with a begin/end pair; older Qt has only the first.
    def _start_filter_change(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()

    def _end_filter_change(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()
