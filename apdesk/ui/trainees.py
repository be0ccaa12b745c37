"""The Trainees tab: the whole programme in one table, filtered and sorted, with the selected
trainee in full beside it, and the actions that add, edit and import trainees.

Every trainee's progress is loaded off the GUI thread (about a second at 10,000 trainees):
the window stays usable, the table says it is loading, and fills in when the rows arrive.
A change made here (an edit, a review, a break) refreshes only that trainee's row; other
tabs hear about it through ``announce``. An import, which adds many rows, reloads the table.

Who is signed in decides what is listed and offered: the progress service lists only the
trainees the person may see (an apprentice: themselves; a mentor: their apprentices), and
only education leads and administrators are offered Add, Edit and Import. The services
refuse those actions to anyone else, so hiding them is a courtesy, not the protection.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.enums import Role, TraineeStatus
from apdesk.services.progress import TraineeProgress, list_trainee_progress, trainee_progress
from apdesk.services.trainees import TRAINEE_EDITORS
from apdesk.ui import messages
from apdesk.ui.dialogs.import_dialog import ImportDialog
from apdesk.ui.dialogs.trainee_dialog import TraineeDialog
from apdesk.ui.models.trainees import (
    COHORT_COLUMN,
    COLUMNS,
    ROW_ROLE,
    PreparedRows,
    TraineeFilter,
    TraineeFilterProxy,
    TraineeTableModel,
    prepare_rows,
)
from apdesk.ui.tab import Changed, Tab, TabContext
from apdesk.ui.widgets.filter_combos import filter_combo, refill
from apdesk.ui.widgets.trainee_detail import TraineeDetailPanel


class TraineesTab(Tab):
    shows = frozenset(Changed) - {Changed.EVERYTHING}  # every figure in the table

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.as_of: date | None = None  # None: today; tests and reports may fix the day
        self.model = TraineeTableModel()
        self.proxy = TraineeFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._own_change = False
        self._select_when_loaded: int | None = None  # a trainee asked for while loading
        self._shortcuts: dict[QPushButton, QAction] = {}
        self.setup_ui()
        self._apply_role()

    # -- building -----------------------------------------------------------------------
    def setup_ui(self) -> None:
        self.add_button = self._action_button("&Add trainee…", "Ctrl+N", self.add_trainee)
        self.edit_button = self._action_button("E&dit…", None, self.edit_trainee)
        self.edit_button.setEnabled(False)  # until a trainee is chosen
        self.import_button = self._action_button("&Import…", "Ctrl+I", self.import_trainees)
        actions = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.import_button):
            actions.addWidget(button)
        actions.addStretch(1)

        self.filter_edit = QLineEdit(placeholderText="Filter by name, ULN, employer, mentor…")
        self.filter_edit.setAccessibleName("Filter trainees")
        self.filter_edit.setClearButtonEnabled(True)
        self.cohort_filter = filter_combo("Cohort filter", "All cohorts")
        self.employer_filter = filter_combo("Employer filter", "All employers")
        self.status_filter = filter_combo("Status filter", "Any status")
        for status in TraineeStatus:
            self.status_filter.addItem(status.label, status.value)
        self.at_risk_only = QCheckBox("At &risk only")
        self.at_risk_only.setAccessibleName("Show only trainees at risk")
        self.filters = QWidget()
        filters = QHBoxLayout(self.filters)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.filter_edit, 2)
        for label, combo in (
            ("C&ohort", self.cohort_filter),
            ("Em&ployer", self.employer_filter),
            ("&Status", self.status_filter),
        ):
            caption = QLabel(label)
            caption.setBuddy(combo)
            filters.addWidget(caption)
            filters.addWidget(combo, 1)
        filters.addWidget(self.at_risk_only)
        self.filter_edit.textChanged.connect(self.apply_filters)
        for combo in (self.cohort_filter, self.employer_filter, self.status_filter):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.at_risk_only.toggled.connect(self.apply_filters)

        self.table = QTableView()
        self.table.setAccessibleName("Trainees")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)  # the model sorts its own list: see sort_by
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
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
        self.table.doubleClicked.connect(lambda _index: self.edit_trainee())
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        edit_on_return = QAction(self.table)
        edit_on_return.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        edit_on_return.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edit_on_return.triggered.connect(self.edit_trainee)
        self.table.addAction(edit_on_return)

        self.detail = TraineeDetailPanel(self.context)
        self.detail.changed.connect(self._detail_saved)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 440])

        self.count_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.filters)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.count_label)
        self.setTabOrder(self.filter_edit, self.cohort_filter)
        self.setTabOrder(self.cohort_filter, self.employer_filter)
        self.setTabOrder(self.employer_filter, self.status_filter)
        self.setTabOrder(self.status_filter, self.at_risk_only)
        self.setTabOrder(self.at_risk_only, self.table)
        self._update_count()

    def _action_button(self, text: str, shortcut: str | None, slot: object) -> QPushButton:
        """A button, with its shortcut working anywhere in this tab (not in other tabs)."""
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        if shortcut is not None:
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self._shortcuts[button] = action
            button.setToolTip(f"{text.replace('&', '').rstrip('…')} ({shortcut})")
        return button

    # -- loading --------------------------------------------------------------------------
    def set_context(self, context: TabContext) -> None:
        """Someone else signed in (or another database): their rows, their buttons."""
        self.detail.set_context(context)
        self.clear_filters()
        self.show_trainees([])  # never leave the last person's trainees on screen
        super().set_context(context)
        self._apply_role()

    @property
    def may_edit(self) -> bool:
        """Education leads and administrators add, edit and import trainees."""
        return self.context.actor.role in TRAINEE_EDITORS

    def _apply_role(self) -> None:
        editor = self.may_edit
        for button in (self.add_button, self.edit_button, self.import_button):
            button.setVisible(editor)
            if button in self._shortcuts:
                self._shortcuts[button].setEnabled(editor)
        # An apprentice's table holds one row, their own: nothing to filter.
        self.filters.setVisible(self.context.actor.role is not Role.APPRENTICE)
        self._update_count()

    def reload(self) -> None:
        database, actor, as_of = self.database, self.context.actor, self.as_of
        self.load_in_background(
            lambda: prepare_rows(list_trainee_progress(database, actor, as_of=as_of)),
            self._rows_arrived,
            notice="Loading trainees…",
        )
        self._update_count()

    def cancel_loading(self) -> None:
        super().cancel_loading()
        self._select_when_loaded = None

    def _rows_arrived(self, prepared: PreparedRows) -> None:
        self.show_trainees(prepared)
        rows = prepared.rows
        wanted, self._select_when_loaded = self._select_when_loaded, None
        if wanted is not None:
            if not self._select_showing(wanted):
                messages.show_information(
                    self, "Trainees", "That trainee is no longer in the list of trainees."
                )
        elif self.current_trainee_id() is None and len(rows) == 1:
            self.select_trainee(rows[0].trainee_id)  # e.g. an apprentice's own record

    def show_trainees(self, rows: Sequence[TraineeProgress] | PreparedRows) -> None:
        keep = self.current_trainee_id()
        self.model.set_rows(rows)
        self._refill_filters()
        self.apply_filters()
        if keep is not None:
            self.select_trainee(keep)
        self._update_count()
        self._current_changed()

    def _refill_filters(self) -> None:
        rows = self.model.rows()
        cohorts = {row.cohort: row.start_date for row in rows}
        refill(self.cohort_filter, sorted(cohorts, key=lambda name: (cohorts[name], name)))
        refill(self.employer_filter, sorted({row.employer for row in rows}))

    def on_data_changed(self, kind: str) -> None:
        if self._own_change:  # this tab already refreshed the row it changed
            return
        super().on_data_changed(kind)

    # -- filtering, sorting, selecting ----------------------------------------------------
    def apply_filters(self) -> None:
        status = self.status_filter.currentData()
        self.proxy.set_filter(
            TraineeFilter(
                text=self.filter_edit.text(),
                cohort=self.cohort_filter.currentData(),
                employer=self.employer_filter.currentData(),
                status=TraineeStatus(status) if status else None,
                at_risk_only=self.at_risk_only.isChecked(),
            )
        )
        self._update_count()

    def clear_filters(self) -> None:
        for combo in (self.cohort_filter, self.employer_filter, self.status_filter):
            combo.setCurrentIndex(0)
        self.at_risk_only.setChecked(False)
        self.filter_edit.clear()

    def sort_by(self, column: int) -> None:
        header = self.table.horizontalHeader()
        order = header.sortIndicatorOrder()
        self.model.sort(column, order)
        header.setSortIndicator(column, order)
        current = self.table.currentIndex()
        if current.isValid():
            self.table.scrollTo(current)

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        if total == 0 and self.loading:
            self.count_label.setText("Loading trainees…")
            return
        at_risk = self.model.at_risk_count()
        text = f"{total:,} trainee{'' if total == 1 else 's'}, {at_risk:,} at risk"
        self.count_label.setText(text if shown == total else f"Showing {shown:,} of {text}")

    def current_trainee(self) -> TraineeProgress | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def current_trainee_id(self) -> int | None:
        trainee = self.current_trainee()
        return trainee.trainee_id if trainee is not None else None

    def select_trainee(self, trainee_id: int) -> bool:
        """Make the trainee current (and visible); False when the filters hide them."""
        row = self.model.row_of(trainee_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _select_showing(self, trainee_id: int) -> bool:
        """Select them, clearing the filters when those hide them; False when not listed."""
        if self.select_trainee(trainee_id):
            return True
        if self.model.row_of(trainee_id) is None:
            return False
        self.clear_filters()
        return self.select_trainee(trainee_id)

    def open_trainee(self, trainee_id: int) -> None:
        """Show this trainee (e.g. a dashboard row opened): now, or when the rows arrive.

        Someone not in the table yet (added since it was filled) makes it reload first.
        """
        if not self.loading and self._select_showing(trainee_id):
            return
        self._select_when_loaded = trainee_id
        if not self.loading:
            self.refresh_safely()

    def _current_changed(self, *_indexes: QModelIndex) -> None:
        trainee = self.current_trainee()
        self.edit_button.setEnabled(trainee is not None and self.may_edit)
        self.detail.show_trainee(trainee, self.as_of)

    # -- actions --------------------------------------------------------------------------
    def add_trainee(self) -> None:
        if not self.may_edit:
            return
        trainee_id = TraineeDialog.ask(self, self.context)
        if trainee_id is not None:
            self._saved(Changed.TRAINEES, trainee_id)

    def edit_trainee(self) -> None:
        trainee_id = self.current_trainee_id()
        if trainee_id is None or not self.may_edit:  # others read: no form on double-click
            return
        if TraineeDialog.ask(self, self.context, trainee_id) is not None:
            self._saved(Changed.TRAINEES, trainee_id)

    def import_trainees(self) -> None:
        if not self.may_edit:
            return
        if ImportDialog.ask(self, self.context):
            self.refresh()
            self._announce_own(Changed.TRAINEES)

    def _detail_saved(self, kind: str) -> None:
        trainee_id = self.current_trainee_id()
        if trainee_id is not None:
            self._saved(Changed(kind), trainee_id)

    def _saved(self, kind: Changed, trainee_id: int) -> None:
        """Refresh the changed trainee's row and the panel, then tell the other tabs."""
        if self.loading:  # what is on its way may have been read before this save: fetch again
            self.refresh()
            self._select_when_loaded = trainee_id
            self._announce_own(kind)
            return
        row = trainee_progress(self.database, self.context.actor, trainee_id, as_of=self.as_of)
        self.model.update_row(row)
        self._refill_filters()
        self.apply_filters()
        if not self.select_trainee(trainee_id):
            self.clear_filters()  # show what was just saved, even if a filter hid it
            self.select_trainee(trainee_id)
        self._current_changed()
        self._update_count()
        self._announce_own(kind)

    def _announce_own(self, kind: Changed) -> None:
        """Tell the other tabs; this one has already shown the change."""
        self._own_change = True
        try:
            self.announce(kind)
        finally:
            self._own_change = False
