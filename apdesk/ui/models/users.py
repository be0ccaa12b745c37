"""The user accounts table for administrators: who can sign in, in which role, and what a
mentor's sign-offs print (registration, training date, employer). Deactivated accounts stay
listed, greyed: they are never deleted, because old sign-offs keep their signer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from apdesk.domain.calendar import format_day
from apdesk.services.accounts import UserSummary
from apdesk.ui.models.columns import ROW_ROLE, SORT_ROLE, Column

DEACTIVATED_COLOUR = QBrush(QColor("#6e7781"))  # grey, still 4.5:1 on white
LOCKED_COLOUR = QBrush(QColor("#b00020"))

AnyIndex = QModelIndex | QPersistentModelIndex


def account_state(user: UserSummary, now: datetime) -> str:
    """Active, deactivated, or locked until a local time after too many wrong passwords."""
    if not user.is_active:
        return "Deactivated"
    if user.locked_until is not None and user.locked_until > now:
        return f"Locked until {user.locked_until.astimezone():%H:%M}"
    return "Active"


def _day(value: date | None) -> str:
    return format_day(value) if value else "–"


COLUMNS: tuple[Column, ...] = (
    Column("User name", lambda u: u.username, lambda u: u.username.casefold(), 130),
    Column("Full name", lambda u: u.full_name, lambda u: u.full_name.casefold(), 170),
    Column("Role", lambda u: u.role.label, lambda u: u.role.label, 110),
    Column(
        "Registration",
        lambda u: u.professional_registration or "–",
        lambda u: u.professional_registration or "",
        130,
    ),
    Column(
        "Mentor trained on",
        lambda u: _day(u.mentor_trained_on),
        lambda u: u.mentor_trained_on or date.min,
        125,
    ),
    Column("Employer", lambda u: u.employer or "–", lambda u: u.employer or "", 230),
)
STATE_COLUMN = len(COLUMNS)  # worked out against the time the rows were loaded
COLUMN_TITLES = (*(column.title for column in COLUMNS), "State")
COLUMN_WIDTHS = (*(column.width for column in COLUMNS), 130)


class UserAccountsModel(QAbstractTableModel):
    def __init__(self, rows: Sequence[UserSummary] = (), now: datetime | None = None) -> None:
        super().__init__()
        self._rows: list[UserSummary] = list(rows)
        self._now = now or datetime.now(UTC)

    def set_rows(self, rows: Sequence[UserSummary], now: datetime | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._now = now or datetime.now(UTC)
        self.endResetModel()

    def rows(self) -> list[UserSummary]:
        return list(self._rows)

    def row_at(self, row: int) -> UserSummary:
        return self._rows[row]

    def row_of(self, user_id: int) -> int | None:
        return next((n for n, user in enumerate(self._rows) if user.id == user_id), None)

    def state(self, user: UserSummary) -> str:
        return account_state(user, self._now)

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
        user = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return user
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.state(user) if column == STATE_COLUMN else COLUMNS[column].text(user)
        if role == SORT_ROLE:
            return self._sort_key(column)(user)
        if role == Qt.ItemDataRole.ForegroundRole:
            if not user.is_active:
                return DEACTIVATED_COLOUR
            if column == STATE_COLUMN and self.state(user).startswith("Locked"):
                return LOCKED_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole and not user.is_active:
            return "Deactivated: cannot sign in. Their sign-offs keep their name."
        return None

    def _sort_key(self, column: int) -> Callable[[UserSummary], Any]:
        if column == STATE_COLUMN:
            return self.state
        return COLUMNS[column].sort_key

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the list itself: no proxy calling data() per comparison."""
        self.layoutAboutToBeChanged.emit()
        before = list(self._rows)
        self._rows.sort(key=self._sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        new_row = {id(user): n for n, user in enumerate(self._rows)}
        for old in self.persistentIndexList():  # keep the selection on the same accounts
            moved = new_row[id(before[old.row()])]
            self.changePersistentIndex(old, self.index(moved, old.column()))
        self.layoutChanged.emit()
