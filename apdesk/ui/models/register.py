"""The register grid: one row per apprentice expected at a session, edited before saving.

The model keeps the register as loaded and the lines as edited, so it can say which rows
changed (shown in bold), whether anything is unsaved, and which rows cannot be saved yet
(tinted, with the reason as a tooltip) using the same check the service applies.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from apdesk.domain.enums import AttendanceStatus, TraineeStatus
from apdesk.services.attendance import (
    MINUTES_APPLY,
    Register,
    RegisterLine,
    SessionSummary,
    register_problems,
)
from apdesk.ui.models.columns import ROW_ROLE, SORT_ROLE

NAME, STATUS, MINUTES, NOTE = range(4)
HEADERS = ("Apprentice", "Status", "Minutes", "Note")
WIDTHS = (220, 160, 70, 120)  # the note column stretches into the rest
PROBLEM_BACKGROUND = QBrush(QColor("#fde7e9"))
UNMARKED_FOREGROUND = QBrush(QColor("#6b6b6b"))
UNMARKED_TEXT = "—"

AnyIndex = QModelIndex | QPersistentModelIndex


def name_with_status(name: str, status: TraineeStatus) -> str:
    """``Sam Lee (on a break)``: anyone not in training says why, so no one is mistaken."""
    if status is TraineeStatus.IN_TRAINING:
        return name
    words = "on a break" if status is TraineeStatus.BREAK_IN_LEARNING else status.label.lower()
    return f"{name} ({words})"


def status_text(status: AttendanceStatus | None) -> str:
    return UNMARKED_TEXT if status is None else status.label


class RegisterModel(QAbstractTableModel):
    dirty_changed = Signal(bool)  # emitted after every edit and load

    def __init__(self) -> None:
        super().__init__()
        self._session: SessionSummary | None = None
        self._saved: list[RegisterLine] = []
        self._lines: list[RegisterLine] = []
        self._problems: dict[int, str] = {}
        self._read_only = False

    # -- who may edit ------------------------------------------------------------------------
    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_read_only(self, read_only: bool) -> None:
        """Shown, not taken: for someone who may see registers but not mark them."""
        if read_only != self._read_only:
            self.layoutAboutToBeChanged.emit()
            self._read_only = read_only
            self.layoutChanged.emit()

    # -- loading and reading back ------------------------------------------------------------
    def set_register(self, register: Register | None) -> None:
        self.beginResetModel()
        self._session = register.session if register else None
        self._saved = list(register.lines) if register else []
        self._lines = list(self._saved)
        self._problems = self._check()
        self.endResetModel()
        self.dirty_changed.emit(False)

    @property
    def session(self) -> SessionSummary | None:
        return self._session

    def lines(self) -> tuple[RegisterLine, ...]:
        return tuple(self._lines)

    def line(self, row: int) -> RegisterLine:
        return self._lines[row]

    def is_dirty(self) -> bool:
        return self._lines != self._saved

    def problems(self) -> dict[int, str]:
        """Rows that cannot be saved yet, by trainee id, with the reason."""
        return dict(self._problems)

    def first_problem_row(self) -> int | None:
        return next(
            (row for row, line in enumerate(self._lines) if line.trainee_id in self._problems),
            None,
        )

    def counts(self) -> tuple[int, int]:
        """(marked, on the register)."""
        return sum(1 for line in self._lines if line.status is not None), len(self._lines)

    # -- editing -----------------------------------------------------------------------------
    def set_status(self, row: int, status: AttendanceStatus | None) -> None:
        """Mark one row. Minutes stay only for a late mark: present means the whole session
        (minutes for an early leaver are typed afterwards) and absences have none."""
        line = self._lines[row]
        minutes = line.minutes_attended if status is AttendanceStatus.LATE else None
        self._replace(row, replace(line, status=status, minutes_attended=minutes))

    def set_minutes(self, row: int, minutes: int | None) -> None:
        self._replace(row, replace(self._lines[row], minutes_attended=minutes))

    def set_note(self, row: int, note: str) -> None:
        self._replace(row, replace(self._lines[row], note=note))

    def mark_all_present(self) -> int:
        """Mark every row not yet marked as present; marks already given are kept."""
        if self._read_only:
            return 0
        rows = [row for row, line in enumerate(self._lines) if line.status is None]
        for row in rows:
            self._lines[row] = replace(self._lines[row], status=AttendanceStatus.PRESENT)
        if rows:
            self._problems = self._check()
            self.dataChanged.emit(self.index(rows[0], 0), self.index(rows[-1], len(HEADERS) - 1))
            self.dirty_changed.emit(self.is_dirty())
        return len(rows)

    def _replace(self, row: int, line: RegisterLine) -> None:
        if self._read_only or line == self._lines[row]:  # every edit comes through here
            return
        self._lines[row] = line
        before = set(self._problems)
        self._problems = self._check()
        # A fix on one row can only change that row's flag, but say so for every flagged row.
        changed = {row} | {n for n, other in enumerate(self._lines) if other.trainee_id in before}
        for n in sorted(changed):
            self.dataChanged.emit(self.index(n, 0), self.index(n, len(HEADERS) - 1))
        self.dirty_changed.emit(self.is_dirty())

    def _check(self) -> dict[int, str]:
        if self._session is None:
            return {}
        return register_problems(self._lines, self._session.minutes)

    # -- Qt's item model ---------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == MINUTES:
            return "Minutes attended: for a late arrival, or an early leaver marked present"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._read_only:
            return flags
        column = index.column()
        line = self._lines[index.row()]
        if column in (STATUS, NOTE) or (column == MINUTES and line.status in MINUTES_APPLY):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        line = self._lines[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(line, column)
        if role == ROW_ROLE:
            return line
        if role == SORT_ROLE:
            return self._display(line, column).casefold()
        if role == Qt.ItemDataRole.BackgroundRole and line.trainee_id in self._problems:
            return PROBLEM_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, line)
        if role == Qt.ItemDataRole.FontRole and line != self._saved[row]:
            font = QFont()
            font.setBold(True)  # changed since loaded: not saved yet
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS and line.status is None:
            return UNMARKED_FOREGROUND
        if role == Qt.ItemDataRole.TextAlignmentRole and column == MINUTES:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if not self.flags(index) & Qt.ItemFlag.ItemIsEditable:
            return False
        row, column = index.row(), index.column()
        if column == STATUS:
            try:
                status = AttendanceStatus(value) if value else None
            except ValueError:
                return False
            self.set_status(row, status)
        elif column == MINUTES:
            text = str(value if value is not None else "").strip()
            if text and not text.isdigit():
                return False
            self.set_minutes(row, int(text) if text else None)
        elif column == NOTE:
            self.set_note(row, str(value or ""))
        else:
            return False
        return True

    @staticmethod
    def _display(line: RegisterLine, column: int) -> str:
        if column == NAME:
            return name_with_status(line.name, line.trainee_status)
        if column == STATUS:
            return status_text(line.status)
        if column == MINUTES:
            return "" if line.minutes_attended is None else str(line.minutes_attended)
        return line.note

    @staticmethod
    def _edit_value(line: RegisterLine, column: int) -> str:
        if column == STATUS:
            return line.status.value if line.status else ""
        return RegisterModel._display(line, column) if column != NAME else line.name

    def _tooltip(self, row: int, line: RegisterLine) -> str | None:
        problem = self._problems.get(line.trainee_id)
        if problem:
            return problem
        if line != self._saved[row]:
            was = self._saved[row].status
            return f"Not saved yet (was {was.label.lower() if was else 'not marked'})"
        return None
