"""Item models of the Care Certificate tab: a trainee's standards, one standard's outcomes and
criteria as a tree, a criterion's sign-off history, and the cohort matrix."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from apdesk.domain.calendar import format_day
from apdesk.services.care_certificate_views import (
    CertificateView,
    CohortMatrix,
    CriterionView,
    HistoryEntry,
    MatrixCell,
    MatrixRow,
    OutcomeView,
    StandardSummary,
    StandardView,
)
from apdesk.ui.models.columns import ROW_ROLE, SORT_ROLE

PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 3  # (signed, total) for the progress delegate
CELL_ROLE = Qt.ItemDataRole.UserRole + 4  # the MatrixCell behind a matrix cell
STANDARD_ROLE = Qt.ItemDataRole.UserRole + 5  # the standard number a matrix column shows

COMPLETE_BACKGROUND = QBrush(QColor("#dff3e3"))
NOT_APPLICABLE_BACKGROUND = QBrush(QColor("#ececec"))
NOT_APPLICABLE_FOREGROUND = QBrush(QColor("#6d6d6d"))
SIGNED_FOREGROUND = QBrush(QColor("#1e6b34"))
REVOKED_FOREGROUND = QBrush(QColor("#8a5300"))
TICK = "✓"

DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
ALIGN_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def _day(value: datetime | None) -> str:
    return format_day(value) if value else "–"


def _local_time(moment: datetime) -> str:
    """A UTC timestamp in the user's local time, the way they write dates."""
    local = moment.astimezone()
    return f"{format_day(local.date())} {local:%H:%M}"


# ---------------------------------------------------------------------------------------------
# A trainee's standards


class StandardsModel(QAbstractTableModel):
    STANDARD, PROGRESS, COMPLETED = range(3)
    TITLES = ("Standard", "Criteria", "Completed")

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[StandardSummary] = []

    def set_view(self, view: CertificateView | None) -> None:
        self.beginResetModel()
        self._rows = list(view.standards) if view else []
        self.endResetModel()

    def row_of(self, number: int) -> int:
        return next((n for n, s in enumerate(self._rows) if s.number == number), -1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self.TITLES)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self.TITLES[section]
        return None

    def data(self, index: QModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        if role == PROGRESS_ROLE and column == self.PROGRESS:
            return (row.signed, row.total)
        if role == DISPLAY:
            if column == self.STANDARD:
                return f"{row.number}. {row.title}"
            if column == self.PROGRESS:
                return f"{row.signed}/{row.total}"
            return _day(row.completed_on)
        if role == SORT_ROLE:
            return (row.number, row.signed / row.total if row.total else 0, row.completed_on)[
                column
            ]
        if role == TOOLTIP:
            if row.complete and row.completed_on:
                return f"Standard {row.number} complete on {format_day(row.completed_on)}"
            return f"Standard {row.number}: {row.signed} of {row.total} criteria signed off"
        if role == Qt.ItemDataRole.BackgroundRole and row.complete:
            return COMPLETE_BACKGROUND
        return None


# ---------------------------------------------------------------------------------------------
# One standard: outcomes → criteria

_OUTCOME = 0  # internalId of a top-level (outcome) index; a criterion's is its outcome row + 1


class CriteriaTreeModel(QAbstractItemModel):
    CRITERION, EVIDENCE, STATUS, SIGNER = range(4)
    TITLES = ("Criterion", "Evidence needed", "Status", "Signed off by")

    def __init__(self) -> None:
        super().__init__()
        self._outcomes: list[OutcomeView] = []

    def set_standard(self, standard: StandardView | None) -> None:
        self.beginResetModel()
        self._outcomes = list(standard.outcomes) if standard else []
        self.endResetModel()

    def criterion_index(self, criterion_id: int) -> QModelIndex:
        for outcome_row, outcome in enumerate(self._outcomes):
            for row, criterion in enumerate(outcome.criteria):
                if criterion.criterion_id == criterion_id:
                    return self.index(row, 0, self.index(outcome_row, 0))
        return QModelIndex()

    def first_unsigned(self) -> QModelIndex:
        for outcome_row, outcome in enumerate(self._outcomes):
            for row, criterion in enumerate(outcome.criteria):
                if not criterion.signed:
                    return self.index(row, 0, self.index(outcome_row, 0))
        return QModelIndex()

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008 - Qt API
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _OUTCOME)
        if parent.internalId() == _OUTCOME:
            return self.createIndex(row, column, parent.row() + 1)
        return QModelIndex()

    def parent(self, child: QModelIndex) -> QModelIndex:  # type: ignore[override]
        if not child.isValid() or child.internalId() == _OUTCOME:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _OUTCOME)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        if not parent.isValid():
            return len(self._outcomes)
        if parent.internalId() == _OUTCOME and parent.column() == 0:
            return len(self._outcomes[parent.row()].criteria)
        return 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return len(self.TITLES)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return self.TITLES[section]
        return None

    def item(self, index: QModelIndex) -> OutcomeView | CriterionView | None:
        if not index.isValid():
            return None
        if index.internalId() == _OUTCOME:
            return self._outcomes[index.row()]
        return self._outcomes[index.internalId() - 1].criteria[index.row()]

    def data(self, index: QModelIndex, role: int = DISPLAY) -> Any:
        item = self.item(index)
        if item is None:
            return None
        if role == ROW_ROLE:
            return item
        if isinstance(item, OutcomeView):
            return self._outcome_data(item, index.column(), role)
        return self._criterion_data(item, index.column(), role)

    def _outcome_data(self, outcome: OutcomeView, column: int, role: int) -> Any:
        if role in (DISPLAY, SORT_ROLE, TOOLTIP):
            if column == self.CRITERION:
                return f"{outcome.code} {outcome.title}"
            if column == self.STATUS:
                return f"{outcome.signed} of {len(outcome.criteria)} signed off"
            return "" if role == DISPLAY else None
        if role == Qt.ItemDataRole.FontRole and column == self.CRITERION:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _criterion_data(self, criterion: CriterionView, column: int, role: int) -> Any:
        signoff = criterion.current
        if role in (DISPLAY, SORT_ROLE):
            if column == self.CRITERION:
                return f"{criterion.code}  {criterion.text}"
            if column == self.EVIDENCE:
                if criterion.requires_observation:
                    return "Must be observed"
                return "Knowledge or practice"
            if column == self.STATUS:
                if signoff is not None:
                    return f"{TICK} Signed {format_day(signoff.assessed_on)}"
                return "Not signed off (revoked)" if criterion.has_revoked else "Not signed off"
            return signoff.signer_name if signoff else ""  # registration in the tooltip
        if role == TOOLTIP:
            if column == self.EVIDENCE:
                return (
                    "Must be observed in workplace practice"
                    if criterion.requires_observation
                    else "Knowledge evidence or observed practice"
                )
            lines = [f"{criterion.code} {criterion.text}"]
            if signoff is not None:
                lines.append(
                    f"{signoff.evidence_label}, assessed {format_day(signoff.assessed_on)}; "
                    f"signed by {signoff.signer}, {signoff.signer_role}"
                )
                lines.append(f"Evidence: {signoff.evidence}")
            elif criterion.has_revoked:
                lines.append("An earlier sign-off was revoked; see the history below")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS:
            if signoff is not None:
                return SIGNED_FOREGROUND
            return REVOKED_FOREGROUND if criterion.has_revoked else None
        if role == Qt.ItemDataRole.AccessibleTextRole and column == self.EVIDENCE:
            return "Must be observed" if criterion.requires_observation else "Knowledge or practice"
        return None


# ---------------------------------------------------------------------------------------------
# One criterion's history


@dataclass(frozen=True)
class _HistoryColumn:
    title: str
    text: Callable[[HistoryEntry], str]


def _record_kind(entry: HistoryEntry) -> str:
    return "Revocation" if entry.is_revocation else "Sign-off"


HISTORY_COLUMNS: tuple[_HistoryColumn, ...] = (
    _HistoryColumn("Record", lambda e: f"#{e.record.signoff_id} {_record_kind(e)}"),
    _HistoryColumn("State", lambda e: e.state),
    _HistoryColumn(
        "Assessed",
        lambda e: "" if e.is_revocation else format_day(e.record.assessed_on),
    ),
    _HistoryColumn("Evidence", lambda e: e.record.evidence_label),
    _HistoryColumn("Signed by", lambda e: e.record.signer),
    _HistoryColumn("Signed at", lambda e: _local_time(e.record.signed_at)),
    _HistoryColumn(
        "Details",
        lambda e: f"Reason: {e.revocation_reason}" if e.is_revocation else e.record.evidence,
    ),
)


class HistoryModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self._rows: list[HistoryEntry] = []

    def set_history(self, rows: Sequence[HistoryEntry]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(HISTORY_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == DISPLAY:
            return HISTORY_COLUMNS[section].title
        return None

    def data(self, index: QModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        if role == ROW_ROLE:
            return entry
        if role in (DISPLAY, SORT_ROLE):
            return HISTORY_COLUMNS[index.column()].text(entry)
        if role == TOOLTIP:
            return f"{entry.record.meaning}\n{entry.record.signer_name}, {entry.record.signer_role}"
        if role == Qt.ItemDataRole.ForegroundRole and (entry.is_revocation or entry.revoked_by_id):
            return NOT_APPLICABLE_FOREGROUND
        return None


# ---------------------------------------------------------------------------------------------
# The cohort matrix


class CohortMatrixModel(QAbstractTableModel):
    """Trainees down, standards across; the first columns name the trainee and their version."""

    NAME, VERSION = 0, 1
    FIRST_STANDARD = 2

    def __init__(self) -> None:
        super().__init__()
        self._matrix: CohortMatrix | None = None
        self._rows: list[MatrixRow] = []

    @property
    def _numbers(self) -> tuple[int, ...]:
        return self._matrix.standard_numbers if self._matrix else ()

    def set_matrix(self, matrix: CohortMatrix | None) -> None:
        self.beginResetModel()
        self._matrix = matrix
        self._rows = list(matrix.rows) if matrix else []
        self.endResetModel()

    def summary_column(self) -> int:
        return self.FIRST_STANDARD + len(self._numbers)

    def standard_number(self, column: int) -> int | None:
        offset = column - self.FIRST_STANDARD
        return self._numbers[offset] if 0 <= offset < len(self._numbers) else None

    def row_of(self, trainee_id: int) -> int:
        return next((n for n, r in enumerate(self._rows) if r.trainee_id == trainee_id), -1)

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() or self._matrix is None else self.summary_column() + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or self._matrix is None:
            return None
        number = self.standard_number(section)
        if role == DISPLAY:
            if number is not None:
                return str(number)
            return {self.NAME: "Apprentice", self.VERSION: "Version"}.get(section, "Standards")
        if role == TOOLTIP:
            if number is not None:
                title = self._matrix.standard_titles[section - self.FIRST_STANDARD]
                return f"Standard {number}: {title}"
            if section == self.summary_column():
                return "Standards complete of the trainee's version"
        return None

    def data(self, index: QModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or self._matrix is None:
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == ROW_ROLE:
            return row
        number = self.standard_number(column)
        if number is not None:
            if role == STANDARD_ROLE:
                return number
            return self._cell_data(row, row.cells[column - self.FIRST_STANDARD], number, role)
        if role in (DISPLAY, SORT_ROLE):
            if column == self.NAME:
                return row.name if role == DISPLAY else row.name.casefold()
            if column == self.VERSION:
                return row.version_code
            if role == SORT_ROLE:
                return row.standards_complete
            text = f"{row.standards_complete}/{row.standards_total}"
            return f"{TICK} {text}" if row.completed_on else text
        if role == TOOLTIP and column == self.NAME:
            return f"{row.name}: {row.status.label}, {row.version_code} Care Certificate"
        if role == TOOLTIP and column == self.summary_column() and row.completed_on:
            return f"Care Certificate complete on {format_day(row.completed_on)}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.NAME:
            return ALIGN_CENTRE
        if role == Qt.ItemDataRole.BackgroundRole and column == self.summary_column():
            return COMPLETE_BACKGROUND if row.completed_on else None
        return None

    def _cell_data(self, row: MatrixRow, cell: MatrixCell, number: int, role: int) -> Any:
        if role == CELL_ROLE:
            return cell
        if role == DISPLAY:
            return f"{TICK} {cell.text}" if cell.complete else cell.text
        if role == SORT_ROLE:
            return cell.signed / cell.total if cell.applicable and cell.total else -1.0
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALIGN_CENTRE
        if role == Qt.ItemDataRole.BackgroundRole:
            if not cell.applicable:
                return NOT_APPLICABLE_BACKGROUND
            return COMPLETE_BACKGROUND if cell.complete else None
        if role == Qt.ItemDataRole.ForegroundRole and not cell.applicable:
            return NOT_APPLICABLE_FOREGROUND
        if role == TOOLTIP:
            if not cell.applicable:
                return f"The {row.version_code} Care Certificate has no standard {number}"
            if cell.complete and cell.completed_on:
                return f"{row.name}, standard {number}: complete on {format_day(cell.completed_on)}"
            return f"{row.name}, standard {number}: {cell.signed} of {cell.total} criteria signed"
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort our own list once: a proxy would call data() for every comparison."""
        self.layoutAboutToBeChanged.emit()
        before = self.persistentIndexList()
        moved = [self._rows[index.row()] for index in before]
        self._rows.sort(
            key=lambda row: self._sort_key(row, column),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        rows = {id(row): n for n, row in enumerate(self._rows)}
        self.changePersistentIndexList(
            before,
            [
                self.index(rows[id(row)], index.column())
                for row, index in zip(moved, before, strict=True)
            ],
        )
        self.layoutChanged.emit()

    def _sort_key(self, row: MatrixRow, column: int) -> Any:
        number = self.standard_number(column)
        if number is not None:
            cell = row.cells[column - self.FIRST_STANDARD]
            return (cell.signed / cell.total if cell.applicable and cell.total else -1.0, row.name)
        if column == self.VERSION:
            return (row.version_code, row.name.casefold())
        if column == self.NAME:
            return row.name.casefold()
        return (row.standards_complete, row.name.casefold())
