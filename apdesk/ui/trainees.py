"""The Trainees tab: the whole programme in one sortable, filterable table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from apdesk.services.progress import TraineeProgress, list_trainee_progress
from apdesk.ui.models.trainees import COHORT_COLUMN, COLUMNS, TraineeTableModel
from apdesk.ui.tab import Changed, Tab, TabContext


class TraineesTab(Tab):
    shows = frozenset(Changed) - {Changed.EVERYTHING}  # every figure in the table

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = TraineeTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # any column
        self.setup_ui()

    def setup_ui(self) -> None:
        self.filter_edit = QLineEdit(placeholderText="Filter by name, employer, cohort, mentor…")
        self.filter_edit.setAccessibleName("Filter trainees")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter_edit.textChanged.connect(self._update_count)

        self.table = QTableView()
        self.table.setAccessibleName("Trainees")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)  # the model sorts its own list: see sort_by
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # one line per trainee; long names elide
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # Interactive, not ResizeToContents: that scans every row on each change.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.sectionClicked.connect(self.sort_by)
        # The services list trainees by cohort start, then name.
        header.setSortIndicator(COHORT_COLUMN, Qt.SortOrder.AscendingOrder)
        for number, column in enumerate(COLUMNS):
            header.resizeSection(number, column.width)

        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)

    def reload(self) -> None:
        self.show_trainees(list_trainee_progress(self.database))

    def show_trainees(self, rows: Sequence[TraineeProgress]) -> None:
        self.model.set_rows(rows)
        self._update_count()

    def sort_by(self, column: int) -> None:
        header = self.table.horizontalHeader()
        order = header.sortIndicatorOrder()
        self.model.sort(column, order)
        header.setSortIndicator(column, order)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        at_risk = self.model.at_risk_count()
        text = f"{total} trainees, {at_risk} at risk"
        self.count_label.setText(text if shown == total else f"Showing {shown} of {text}")
