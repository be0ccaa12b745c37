"""The Care Certificate tab's cohort matrix: one cohort's trainees × standards, for the
education lead, whichever version each trainee is on ("n/a" where a version has no such
standard); a mentor sees only their own apprentices' rows, an apprentice no matrix at all
(the service decides). Opening a cell asks the tab to show that trainee at that standard.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.enums import Role
from apdesk.services.care_certificate import cohort_matrix
from apdesk.services.choices import Choice, cohort_choices
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.ui.models.care_certificate import CELL_ROLE, ROW_ROLE, CohortMatrixModel
from apdesk.ui.tab import TabContext
from apdesk.ui.widgets.item_views import table_view

if TYPE_CHECKING:
    from apdesk.db.database import Database


class CohortMatrixPage(QWidget):
    standard_opened = Signal(int, object)  # trainee id, standard number (None: no standard)

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.model = CohortMatrixModel()
        self.setup_ui()

    @property
    def database(self) -> Database:
        return self.context.database

    def set_context(self, context: TabContext) -> None:
        """Someone else signed in: the rows shown so far may not be theirs to see."""
        self.context = context
        self.model.set_matrix(None)
        self.summary_label.clear()

    def setup_ui(self) -> None:
        self.cohort_combo = QComboBox()
        self.cohort_combo.setAccessibleName("Cohort")
        self.cohort_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.cohort_combo.currentIndexChanged.connect(self.show_cohort)
        cohort_label = QLabel("Co&hort:")
        cohort_label.setBuddy(self.cohort_combo)
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Cohort summary")
        legend = QLabel(
            "✓ green: standard complete · grey n/a: not in the trainee's version · "
            "double-click a cell to open it"
        )
        legend.setStyleSheet("color: #505050;")
        top = QHBoxLayout()
        top.addWidget(cohort_label)
        top.addWidget(self.cohort_combo)
        top.addSpacing(16)
        top.addWidget(self.summary_label, 1)

        self.view = table_view("Cohort matrix")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(False)  # colour means complete / n/a here
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.sectionClicked.connect(self._sort)
        header.setSortIndicator(CohortMatrixModel.NAME, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(self.open_cell)
        # Return opens the current cell too; not `activated`, which some desktops emit on a
        # single click and would whisk the lead away from the matrix while browsing it.
        open_cell = QAction("Open this standard", self.view)
        open_cell.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_cell.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_cell.triggered.connect(lambda: self.open_cell(self.view.currentIndex()))
        self.view.addAction(open_cell)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(legend)

    def reload_cohorts(self, choices: Sequence[Choice] | None = None) -> None:
        """The cohorts to choose from; ``choices`` when already fetched (off the GUI thread)."""
        keep = self.cohort_combo.currentData()
        self.cohort_combo.blockSignals(True)
        self.cohort_combo.clear()
        for choice in cohort_choices(self.database) if choices is None else choices:
            self.cohort_combo.addItem(f"{choice.label} ({choice.detail})", choice.id)
        index = self.cohort_combo.findData(keep) if keep is not None else -1
        # The newest cohort first: that is the one an education lead is following now.
        self.cohort_combo.setCurrentIndex(index if index >= 0 else self.cohort_combo.count() - 1)
        self.cohort_combo.blockSignals(False)

    def show_cohort(self) -> None:
        cohort_id = self.cohort_combo.currentData()
        try:
            matrix = (
                cohort_matrix(self.database, self.context.actor, cohort_id)
                if cohort_id is not None
                else None
            )
        except (RecordNotFoundError, ActionRefusedError):  # gone, or not theirs to see
            matrix = None
        self.model.set_matrix(matrix)
        header = self.view.horizontalHeader()
        header.resizeSection(CohortMatrixModel.NAME, 180)
        header.resizeSection(CohortMatrixModel.VERSION, 70)
        for column in range(CohortMatrixModel.FIRST_STANDARD, self.model.columnCount()):
            header.resizeSection(column, 62)
        header.resizeSection(self.model.summary_column(), 90)
        order = (header.sortIndicatorSection(), header.sortIndicatorOrder())
        if order != (CohortMatrixModel.NAME, Qt.SortOrder.AscendingOrder):  # the services' order
            self.model.sort(*order)
        if matrix is None:
            self.summary_label.setText("")
            return
        versions = sorted({row.version_code for row in matrix.rows})
        # A mentor's matrix holds only their own apprentices: say so, lest it look incomplete.
        whose = "Your apprentices: " if self.context.actor.role is Role.MENTOR else ""
        self.summary_label.setText(
            f"{whose}{len(matrix.rows)} trainees on the {' and '.join(versions) or 'no'} "
            f"version{'s' * (len(versions) > 1)}; {matrix.certificates_complete} with the "
            "Care Certificate complete"
        )

    def _sort(self, column: int) -> None:
        self.model.sort(column, self.view.horizontalHeader().sortIndicatorOrder())

    def open_cell(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        cell = index.data(CELL_ROLE)
        if row is None or (cell is not None and not cell.applicable):
            return
        self.standard_opened.emit(row.trainee_id, self.model.standard_number(index.column()))
