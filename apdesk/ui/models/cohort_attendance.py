"""The cohort summary beside the register: who is behind on attendance or OTJ, and how
each module is attended. Rows needing attention are tinted and their tooltip says why."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from apdesk.domain.units import format_number, format_percent_down
from apdesk.services.attendance import ModuleAttendance, TraineeAttendance
from apdesk.ui.models.columns import (
    RIGHT,
    Column,
    ColumnTableModel,
)
from apdesk.ui.models.register import name_with_status

ATTENTION_BACKGROUND = QBrush(QColor("#fde7e9"))
NONE = "–"


def _percent(value: Decimal | None) -> str:
    return NONE if value is None else format_percent_down(value)


def _hours(value: Decimal | None) -> str:
    return NONE if value is None else format_number(value)


def _sortable(value: Decimal | None) -> Decimal:
    return Decimal(-1) if value is None else value


def _name(row: TraineeAttendance) -> str:
    return name_with_status(row.name, row.status)


def _otj_column(title: str, field: str, width: int) -> Column[TraineeAttendance]:
    """A column of one OtjProgress figure; "–" when there is no plan to measure against."""

    def value(row: TraineeAttendance) -> Decimal | None:
        return None if row.otj is None else getattr(row.otj, field)

    show = _percent if field == "percent_of_expected" else _hours
    return Column(title, lambda r: show(value(r)), lambda r: _sortable(value(r)), width, RIGHT)


TRAINEE_COLUMNS: tuple[Column[TraineeAttendance], ...] = (
    Column("Apprentice", _name, lambda r: r.name.casefold(), 180),
    Column(
        "Attendance",
        lambda r: _percent(r.attendance.percentage),
        lambda r: _sortable(r.attendance.percentage),
        85,
        RIGHT,
    ),
    _otj_column("OTJ actual h", "actual", 90),
    _otj_column("Expected h", "expected_to_date", 85),
    _otj_column("Required h", "required", 85),
    _otj_column("% of plan", "percent_of_expected", 80),
)

MODULE_COLUMNS: tuple[Column[ModuleAttendance], ...] = (
    Column("Module", lambda m: m.module, lambda m: m.module.casefold(), 300),
    Column("Sessions", lambda m: str(m.sessions), lambda m: m.sessions, 70, RIGHT),
    Column("Marks", lambda m: str(m.attendance.marked), lambda m: m.attendance.marked, 60, RIGHT),
    Column(
        "Attendance",
        lambda m: _percent(m.attendance.percentage),
        lambda m: _sortable(m.attendance.percentage),
        85,
        RIGHT,
    ),
)


class CohortSummaryModel(ColumnTableModel[TraineeAttendance]):
    """Apprentices as the service lists them (by surname); the name column sorts back to that."""

    columns = TRAINEE_COLUMNS

    def __init__(self, rows: Sequence[TraineeAttendance] = ()) -> None:
        super().__init__(rows)
        self._surname_order = {row.trainee_id: n for n, row in enumerate(rows)}

    def set_rows(self, rows: Sequence[TraineeAttendance]) -> None:
        self._surname_order = {row.trainee_id: n for n, row in enumerate(rows)}
        super().set_rows(rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column != 0:
            super().sort(column, order)
            return
        self.layoutAboutToBeChanged.emit()
        self._rows.sort(
            key=lambda row: self._surname_order.get(row.trainee_id, 0),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self.layoutChanged.emit()

    def extra_data(self, row: TraineeAttendance, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and row.needs_attention:
            return ATTENTION_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            return _trainee_tooltip(row)
        return None

    def needing_attention(self) -> int:
        return sum(1 for row in self._rows if row.needs_attention)


class ModuleAttendanceModel(ColumnTableModel[ModuleAttendance]):
    columns = MODULE_COLUMNS

    def extra_data(self, row: ModuleAttendance, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.module}\n{row.attendance.describe()}"
        return None


def _trainee_tooltip(row: TraineeAttendance) -> str:
    lines = []
    if row.concerns:
        lines += ["Needs attention:", *(f"• {reason}" for reason in row.concerns), ""]
    lines.append(row.attendance.describe())
    if row.otj is not None:
        lines.append(row.otj.reason)
    elif row.otj_problem:
        lines.append(f"No OTJ plan: {row.otj_problem}")
    return "\n".join(lines)
