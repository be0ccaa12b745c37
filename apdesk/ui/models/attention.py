"""The dashboard's lists of trainees who need attention: one model, whose figure column is
named for the list shown (attendance %, % of the OTJ plan, days overdue) and left out for
lists that have no figure."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt

from apdesk.domain.units import format_plain
from apdesk.services.dashboard_views import AttentionRow, ListKind
from apdesk.ui.models.columns import RIGHT, Column, ColumnTableModel


def _percent(figure: Decimal | None) -> str:
    return "" if figure is None else f"{format_plain(figure.quantize(Decimal(1)))}%"


def _days(figure: Decimal | None) -> str:
    if figure is None:
        return ""
    days = int(figure)
    return f"{days} day{'' if days == 1 else 's'}"


# The lists with a figure: what it is called and how it reads.
FIGURES: dict[ListKind, tuple[str, Callable[[Decimal | None], str]]] = {
    ListKind.BEHIND_OTJ: ("OTJ % of plan", _percent),
    ListKind.LOW_ATTENDANCE: ("Attendance", _percent),
    ListKind.REVIEW_OVERDUE: ("Overdue by", _days),
}


def _text(value: str | None) -> str:
    return value or "–"


BASE_COLUMNS: tuple[Column[AttentionRow], ...] = (
    Column("Trainee", lambda r: r.name, lambda r: r.name.casefold(), 160),
    Column("Cohort", lambda r: r.cohort, lambda r: r.cohort, 110),
    Column("Employer", lambda r: r.employer, lambda r: r.employer.casefold(), 200),
    Column("Service area", lambda r: r.service_area, lambda r: r.service_area, 150),
    Column("Mentor", lambda r: _text(r.mentor), lambda r: (r.mentor or "").casefold(), 130),
)
REASON_COLUMN: Column[AttentionRow] = Column("Reason", lambda r: r.reason, lambda r: r.reason, 320)


def columns_for(kind: ListKind) -> tuple[Column[AttentionRow], ...]:
    if kind not in FIGURES:
        return (BASE_COLUMNS[0], REASON_COLUMN, *BASE_COLUMNS[1:])
    title, show = FIGURES[kind]
    figure = Column(
        title,
        lambda r: show(r.figure),
        lambda r: r.figure if r.figure is not None else Decimal(-1),
        90,
        RIGHT,
    )
    return (BASE_COLUMNS[0], figure, REASON_COLUMN, *BASE_COLUMNS[1:])


class AttentionModel(ColumnTableModel[AttentionRow]):
    """One dashboard list at a time, in the service's order (worst first)."""

    def __init__(self) -> None:
        super().__init__()
        self.kind = ListKind.AT_RISK
        self.columns = columns_for(self.kind)

    def show_list(self, kind: ListKind, rows: Sequence[AttentionRow]) -> None:
        self.beginResetModel()
        self.kind = kind
        self.columns = columns_for(kind)
        self._rows = list(rows)
        self.endResetModel()

    def extra_data(self, row: AttentionRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:  # a long reason is cut short in its cell
            return row.reason
        return None

    def row_of(self, trainee_id: int) -> int | None:
        return next((n for n, r in enumerate(self._rows) if r.trainee_id == trainee_id), None)
