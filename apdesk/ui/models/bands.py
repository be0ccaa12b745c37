"""Item models of the Bands tab: who is ready for the next band, and one trainee's history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from apdesk.domain.calendar import format_day
from apdesk.services.bands import BandChangeEntry, BandReadinessRow
from apdesk.ui.models.columns import (
    CENTRED,
    AnyIndex,
    Column,
    ColumnTableModel,
)

MET_COLOUR = QBrush(QColor("#1a7f37"))
UNMET_COLOUR = QBrush(QColor("#b42318"))
READY_BACKGROUND = QBrush(QColor("#e6f4ea"))
BOLD = QFont()
BOLD.setBold(True)


def band_text(band: str | None) -> str:
    return f"Band {band}" if band else "–"


READY_COLUMNS: tuple[Column, ...] = (
    Column("Trainee", lambda r: r.name, lambda r: r.name.casefold(), 150),
    Column("Cohort", lambda r: r.cohort, lambda r: (r.start_date, r.cohort), 120),
    Column(
        "Band", lambda r: band_text(r.current_band), lambda r: r.current_band or "", 62, CENTRED
    ),
    Column("Next", lambda r: band_text(r.next_band), lambda r: r.next_band or "", 62, CENTRED),
    Column("Ready", lambda r: "✓" if r.ready else "✗", lambda r: not r.ready, 50, CENTRED),
    Column("Unmet", lambda r: str(r.unmet_count), lambda r: r.unmet_count, 54, CENTRED),
    Column("Status", lambda r: r.status.label, lambda r: r.status.label, 110),
)
READY_COLUMN = next(n for n, c in enumerate(READY_COLUMNS) if c.title == "Ready")
COHORT_COLUMN = next(n for n, c in enumerate(READY_COLUMNS) if c.title == "Cohort")


class ReadyForNextBandModel(ColumnTableModel):
    """Every trainee still on the programme, their next band and whether they are ready."""

    columns = READY_COLUMNS

    def __init__(self, rows: Sequence[BandReadinessRow] = ()) -> None:
        super().__init__()
        self._all: list[BandReadinessRow] = list(rows)
        self._ready_only = False
        self._rows = list(self._all)

    @property
    def ready_only(self) -> bool:
        return self._ready_only

    def set_rows(self, rows: Sequence[BandReadinessRow]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._rows = self._shown()
        self.endResetModel()

    def set_ready_only(self, ready_only: bool) -> None:
        self.beginResetModel()
        self._ready_only = ready_only
        self._rows = self._shown()
        self.endResetModel()

    def total_count(self) -> int:
        return len(self._all)

    def ready_count(self) -> int:
        return sum(1 for row in self._all if row.ready)

    def row_of(self, trainee_id: int) -> int | None:
        return next((n for n, r in enumerate(self._rows) if r.trainee_id == trainee_id), None)

    def _shown(self) -> list[BandReadinessRow]:
        return [row for row in self._all if row.ready] if self._ready_only else list(self._all)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row: BandReadinessRow = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and column == READY_COLUMN:
            return MET_COLOUR if row.ready else UNMET_COLOUR
        if role == Qt.ItemDataRole.BackgroundRole and row.ready:
            return READY_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and column == READY_COLUMN:
            return BOLD
        if role == Qt.ItemDataRole.AccessibleTextRole and column == READY_COLUMN:
            return "Ready" if row.ready else "Not ready"
        if role == Qt.ItemDataRole.ToolTipRole:
            return _readiness_tooltip(row)
        return self.cell(index, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the Python list once; selected rows follow their trainee."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        chosen = [(self._rows[i.row()], i.column()) for i in persistent]
        key = self.columns[column].sort_key
        reverse = order == Qt.SortOrder.DescendingOrder
        self._all.sort(key=key, reverse=reverse)
        self._rows = self._shown()
        where = {id(row): n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent, [self.index(where[id(row)], col) for row, col in chosen]
        )
        self.layoutChanged.emit()


def _readiness_tooltip(row: BandReadinessRow) -> str:
    if row.next_band is None:
        return "\n".join(row.unmet_reasons) or "No further band"
    if row.ready:
        return f"Ready for Band {row.next_band}: every check met"
    lines = "\n".join(f"✗ {reason}" for reason in row.unmet_reasons)
    return f"Not yet ready for Band {row.next_band}:\n{lines}"


def _change_text(entry: BandChangeEntry) -> str:
    if entry.previous_band is None:
        return "On entry"
    arrow = {1: "↑ up", -1: "↓ down", 0: "="}[entry.direction]
    return f"{arrow} from {entry.previous_band}"


def _recorded(entry: BandChangeEntry) -> str:
    local = entry.recorded_at.astimezone()  # stored in UTC, read in the user's time
    return f"{format_day(local.date())} {local:%H:%M}"


HISTORY_COLUMNS: tuple[Column, ...] = (
    Column("From", lambda e: format_day(e.effective_from), lambda e: (e.effective_from, e.id), 90),
    Column("Band", lambda e: band_text(e.band), lambda e: e.band, 60, CENTRED),
    Column("Change", _change_text, lambda e: e.direction, 116),
    Column("Reason", lambda e: e.reason, lambda e: e.reason.casefold(), 240),
    Column("Decided by", lambda e: e.decided_by_name, lambda e: e.decided_by_name, 116),
    Column("Recorded", _recorded, lambda e: e.recorded_at, 124),
)
REASON_COLUMN = next(n for n, c in enumerate(HISTORY_COLUMNS) if c.title == "Reason")
CHANGE_COLUMN = next(n for n, c in enumerate(HISTORY_COLUMNS) if c.title == "Change")


class BandHistoryModel(ColumnTableModel):
    """One trainee's band changes, oldest first, as recorded (rows are never edited)."""

    columns = HISTORY_COLUMNS

    def __init__(self, entries: Sequence[BandChangeEntry] = ()) -> None:
        super().__init__()
        self._rows = list(entries)

    def set_entries(self, entries: Sequence[BandChangeEntry]) -> None:
        self.beginResetModel()
        self._rows = list(entries)
        self.endResetModel()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry: BandChangeEntry = self._rows[index.row()]
        overridden = entry.overridden_checks
        if role == Qt.ItemDataRole.DisplayRole and index.column() == CHANGE_COLUMN and overridden:
            return f"{_change_text(entry)} ⚠"
        if role == Qt.ItemDataRole.ToolTipRole:
            text = (
                f"{band_text(entry.band)} from {format_day(entry.effective_from)}\n{entry.reason}"
            )
            if overridden:
                lines = "\n".join(f"✗ {check.reason}" for check in overridden)
                text += f"\n\nRecorded despite unmet checks:\n{lines}"
            return text
        return self.cell(index, role)
