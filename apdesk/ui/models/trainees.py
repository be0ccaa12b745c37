"""The trainees table: one row per trainee with their progress figures, and the filters.

Everything a filter or a sort needs is worked out once per row when the rows arrive
(``set_rows``/``update_row``), never per call to ``data()``. A keystroke in the filter box
tests every row in one pass over plain Python lists (about 2 ms at 10,000 trainees); the
proxy's ``filterAcceptsRow``, which Qt calls once per row, only looks the answer up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
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


@dataclass(frozen=True)
class PreparedRows:
    """Rows with each one's search text worked out (about 0.2 s at 10,000 trainees), so a
    background load does that on its worker thread rather than when the rows are shown."""

    rows: list[TraineeProgress]
    search: dict[int, str]  # trainee id → search text


def prepare_rows(rows: Sequence[TraineeProgress]) -> PreparedRows:
    return PreparedRows(list(rows), {row.trainee_id: _search_text(row) for row in rows})


class TraineeTableModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[TraineeProgress] | PreparedRows = ()) -> None:
        super().__init__()
        self._rows: list[TraineeProgress] = []
        self._search: dict[int, str] = {}  # trainee id → search text
        # Goes up whenever a row changes, is added or moves: what was worked out from the
        # rows (their positions, the filter's answers, the at-risk count) is then redone.
        self.version = 0
        self._positions: dict[int, int] = {}
        self._positions_version = -1
        self._at_risk = 0
        self._set(rows)

    def _set(self, rows: Sequence[TraineeProgress] | PreparedRows) -> None:
        prepared = rows if isinstance(rows, PreparedRows) else prepare_rows(rows)
        self._rows = list(prepared.rows)
        self._search = dict(prepared.search)
        self._at_risk = sum(1 for row in self._rows if row.at_risk)
        self.version += 1

    def set_rows(self, rows: Sequence[TraineeProgress] | PreparedRows) -> None:
        self.beginResetModel()
        self._set(rows)
        self.endResetModel()

    def update_row(self, row: TraineeProgress) -> int:
        """Show one trainee's fresh figures (appending a new trainee); returns the row number."""
        self._search[row.trainee_id] = _search_text(row)
        number = self.row_of(row.trainee_id)
        self._at_risk += row.at_risk
        if number is None:
            number = len(self._rows)
            self.beginInsertRows(QModelIndex(), number, number)
            self._rows.append(row)
            self.version += 1
            self.endInsertRows()
            return number
        self._at_risk -= self._rows[number].at_risk
        self._rows[number] = row
        self.version += 1
        self.dataChanged.emit(self.index(number, 0), self.index(number, len(COLUMNS) - 1))
        return number

    def rows(self) -> list[TraineeProgress]:
        return list(self._rows)

    def row_of(self, trainee_id: int) -> int | None:
        if self._positions_version != self.version:
            self._positions = {row.trainee_id: n for n, row in enumerate(self._rows)}
            self._positions_version = self.version
        return self._positions.get(trainee_id)

    def at_risk_count(self) -> int:
        return self._at_risk

    def matching(self, wanted: TraineeFilter) -> list[bool]:
        """Which rows ``wanted`` lets through, in row order: one pass, no Qt calls."""
        search = self._search
        if wanted.text_only:  # typing in the filter box: the common case, kept lean
            text = wanted.text
            return [text in search[row.trainee_id] for row in self._rows]
        return [wanted.accepts(row, search[row.trainee_id]) for row in self._rows]

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
        self.version += 1
        self.layoutChanged.emit()


@dataclass(frozen=True)
class TraineeFilter:
    """What the person asked to see; empty values let everyone through."""

    text: str = ""
    cohort: str | None = None
    employer: str | None = None
    status: TraineeStatus | None = None
    at_risk_only: bool = False

    @property
    def text_only(self) -> bool:
        return (
            self.cohort is None
            and self.employer is None
            and self.status is None
            and not self.at_risk_only
        )

    def accepts(self, row: TraineeProgress, search_text: str) -> bool:
        return (
            (self.cohort is None or row.cohort == self.cohort)
            and (self.employer is None or row.employer == self.employer)
            and (self.status is None or row.status is self.status)
            and (not self.at_risk_only or row.at_risk)
            and (not self.text or self.text in search_text)
        )


class TraineeFilterProxy(QSortFilterProxyModel):
    """Filters on the row objects; sorting stays with the source model (see its ``sort``).

    The answers for every row are worked out in one pass (``TraineeTableModel.matching``)
    when the filter or the rows change; Qt's per-row ``filterAcceptsRow`` looks them up.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._filter = TraineeFilter()
        self._model: TraineeTableModel | None = None
        self._accepted: list[bool] = []
        self._accepted_version = -1  # the model's version the answers were worked out for

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        assert isinstance(model, TraineeTableModel)
        self._model = model
        self._accepted_version = -1
        super().setSourceModel(model)

    @property
    def current_filter(self) -> TraineeFilter:
        return self._filter

    def set_filter(self, wanted: TraineeFilter) -> None:
        wanted = replace(wanted, text=wanted.text.strip().casefold())
        if wanted == self._filter:
            return
        self._start_filter_change()
        self._filter = wanted
        self._accepted_version = -1
        self._end_filter_change()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self._model
        if model is None:
            return True
        if self._accepted_version != model.version:
            self._accepted = model.matching(self._filter)
            self._accepted_version = model.version
        return self._accepted[source_row]

    # Qt 6.10 replaced invalidateRowsFilter() with a begin/end pair; older Qt has only the first.
    def _start_filter_change(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()

    def _end_filter_change(self) -> None:
        if hasattr(self, "beginFilterChange"):
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.invalidateRowsFilter()
