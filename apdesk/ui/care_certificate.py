"""The Care Certificate tab: one apprentice's standards, outcomes and criteria, signed off by a
mentor; and the cohort matrix, trainees × standards, for the education lead.

Both Care Certificate versions are in use (2015, 15 standards; 2025, 16), so the apprentice
view always says which version it shows and the matrix marks a standard a trainee's version
does not have as "n/a".
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAction, QColor, QFontMetrics, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.enums import TraineeStatus
from apdesk.services.care_certificate import (
    CertificateView,
    CriterionView,
    StandardSummary,
    care_certificate_overview,
    cohort_matrix,
    criterion_history,
    revoke_criterion_signoff,
    sign_off_criterion,
    standard_detail,
)
from apdesk.services.choices import cohort_choices, mentor_choices, trainee_choices
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.ui import messages
from apdesk.ui.dialogs.criterion_signoff import CriterionSignoffDialog, RevokeSignoffDialog
from apdesk.ui.models.care_certificate import (
    CELL_ROLE,
    PROGRESS_ROLE,
    ROW_ROLE,
    CohortMatrixModel,
    CriteriaTreeModel,
    HistoryModel,
    StandardsModel,
)
from apdesk.ui.tab import Changed, Tab, TabContext
from apdesk.ui.widgets.trainee_picker import TraineePicker

COMPLETE_CHUNK = QColor("#2e8540")


class ProgressBarDelegate(QStyledItemDelegate):
    """Paints "signed of total" as a progress bar: the eye finds unfinished standards fast."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = index.data(PROGRESS_ROLE)
        if value is None:
            super().paint(painter, option, index)
            return
        signed, total = value
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, option.widget)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(4, 3, -4, -3)
        bar.minimum, bar.maximum, bar.progress = 0, max(total, 1), signed
        bar.text = f"{signed}/{total}"
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        bar.palette = QPalette(option.palette)
        if total and signed == total:
            bar.palette.setColor(QPalette.ColorRole.Highlight, COMPLETE_CHUNK)
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, option.widget)


class WrappingDelegate(QStyledItemDelegate):
    """Sizes rows to the wrapped height of their text at the column's current width.

    Criteria are sentences; a tree row otherwise keeps one line and hides their ends.
    """

    def __init__(self, view: QTreeView) -> None:
        super().__init__(view)
        self.view = view
        view.header().sectionResized.connect(lambda *_: view.doItemsLayout())

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return hint
        width = self.view.header().sectionSize(index.column()) - 12
        if index.column() == 0:
            depth, parent = 0, index.parent()
            while parent.isValid():
                depth, parent = depth + 1, parent.parent()
            width -= self.view.indentation() * (depth + 1)
        font = index.data(Qt.ItemDataRole.FontRole) or option.font
        bounds = QFontMetrics(font).boundingRect(
            QRect(0, 0, max(width, 40), 10_000), int(Qt.TextFlag.TextWordWrap), str(text)
        )
        return QSize(hint.width(), max(hint.height(), bounds.height() + 6))


def _table(name: str) -> QTableView:
    view = QTableView()
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def _heading(text: str = "") -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class CareCertificateTab(Tab):
    shows = frozenset({Changed.SIGNOFFS, Changed.TRAINEES})

    APPRENTICE_PAGE, MATRIX_PAGE = 0, 1

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.overview: CertificateView | None = None
        self.standards_model = StandardsModel()
        self.criteria_model = CriteriaTreeModel()
        self.history_model = HistoryModel()
        self.matrix_model = CohortMatrixModel()
        self._announcing = False
        self._standard_number: int | None = None  # kept across reloads
        self._criterion_id: int | None = None
        self.setup_ui()

    # -----------------------------------------------------------------------------------------
    # Building

    def setup_ui(self) -> None:
        self.apprentice_button = QPushButton("Appre&ntice")
        self.matrix_button = QPushButton("Cohort matri&x")
        self.view_group = QButtonGroup(self)
        for number, button in enumerate((self.apprentice_button, self.matrix_button)):
            button.setCheckable(True)
            button.setAccessibleName(button.text().replace("&", ""))
            self.view_group.addButton(button, number)
        self.apprentice_button.setChecked(True)
        self.view_group.idClicked.connect(self.show_page)
        switcher = QHBoxLayout()
        switcher.setSpacing(0)
        switcher.addWidget(self.apprentice_button)
        switcher.addWidget(self.matrix_button)
        switcher.addStretch()

        self.pages = QStackedWidget()
        self.pages.addWidget(self._apprentice_page())
        self.pages.addWidget(self._matrix_page())
        layout = QVBoxLayout(self)
        layout.addLayout(switcher)
        layout.addWidget(self.pages)

    def _apprentice_page(self) -> QWidget:
        page = QWidget()
        self.picker = TraineePicker()
        self.picker.trainee_changed.connect(self._on_trainee_changed)
        picker_label = QLabel("Tr&ainee:")
        picker_label.setBuddy(self.picker)
        self.version_label = _heading()
        self.version_label.setAccessibleName("Care Certificate version")
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Care Certificate progress")
        picker_row = QHBoxLayout()
        picker_row.addWidget(picker_label)
        picker_row.addWidget(self.picker)
        picker_row.addSpacing(16)
        picker_row.addWidget(self.version_label)
        picker_row.addSpacing(16)
        picker_row.addWidget(self.summary_label, 1)

        self.standards_view = _table("Standards")
        self.standards_view.setModel(self.standards_model)
        self.standards_view.setItemDelegateForColumn(
            StandardsModel.PROGRESS, ProgressBarDelegate(self.standards_view)
        )
        header = self.standards_view.horizontalHeader()
        header.setSectionResizeMode(StandardsModel.STANDARD, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(StandardsModel.PROGRESS, 104)
        header.resizeSection(StandardsModel.COMPLETED, 92)
        self.standards_view.setMinimumWidth(420)
        rows = self.standards_view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.standards_view.selectionModel().selectionChanged.connect(self._on_standard_selected)

        self.standard_label = _heading("Choose a trainee to see their Care Certificate")
        self.standard_label.setWordWrap(True)
        self.criteria_view = QTreeView()
        self.criteria_view.setAccessibleName("Outcomes and criteria")
        self.criteria_view.setModel(self.criteria_model)
        self.criteria_view.setAlternatingRowColors(True)
        # Criteria are sentences: wrap them rather than hide the end behind an ellipsis.
        self.criteria_view.setWordWrap(True)
        self.criteria_view.setUniformRowHeights(False)
        self.criteria_view.setItemDelegate(WrappingDelegate(self.criteria_view))
        self.criteria_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree_header = self.criteria_view.header()
        tree_header.setStretchLastSection(False)
        tree_header.setSectionResizeMode(
            CriteriaTreeModel.CRITERION, QHeaderView.ResizeMode.Stretch
        )
        for column, width in (
            (CriteriaTreeModel.EVIDENCE, 158),
            (CriteriaTreeModel.STATUS, 150),
            (CriteriaTreeModel.SIGNER, 150),
        ):
            tree_header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            tree_header.resizeSection(column, width)
        self.criteria_view.selectionModel().selectionChanged.connect(self._on_criterion_selected)
        self.criteria_view.doubleClicked.connect(self._on_criterion_activated)

        self.sign_action = QAction("&Sign off criterion…", self)
        self.sign_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.sign_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.sign_action.triggered.connect(self.sign_off_selected)
        page.addAction(self.sign_action)
        self.sign_button = QPushButton(self.sign_action.text())
        self.sign_button.setToolTip("Sign off the selected criterion (Ctrl+Return)")
        self.sign_button.clicked.connect(self.sign_action.trigger)
        self.revoke_button = QPushButton("&Revoke…")
        self.revoke_button.setToolTip("Revoke the selected criterion's sign-off, with a reason")
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.result_label = QLabel()
        self.result_label.setAccessibleName("Last change")
        self.result_label.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.revoke_button)
        buttons.addWidget(self.result_label, 1)

        self.history_label = _heading("History")
        self.history_view = _table("Sign-off history")
        self.history_view.setModel(self.history_model)
        history_header = self.history_view.horizontalHeader()
        for column, width in enumerate((130, 120, 100, 150, 260, 140)):
            history_header.resizeSection(column, width)
        history_header.setStretchLastSection(True)

        criteria_box = QWidget()
        criteria_layout = QVBoxLayout(criteria_box)
        criteria_layout.setContentsMargins(0, 0, 0, 0)
        criteria_layout.addWidget(self.standard_label)
        criteria_layout.addWidget(self.criteria_view)
        criteria_layout.addLayout(buttons)
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.addWidget(self.history_label)
        history_layout.addWidget(self.history_view)
        # Standards beside their criteria; the selected criterion's history across the foot,
        # where its evidence and reasons have the whole width to be read.
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.standards_view)
        top.addWidget(criteria_box)
        top.setStretchFactor(0, 2)
        top.setStretchFactor(1, 5)
        top.setSizes([540, 860])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(history_box)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 190])

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(picker_row)
        layout.addWidget(split, 1)
        self.setTabOrder(self.picker, self.standards_view)
        self.setTabOrder(self.standards_view, self.criteria_view)
        self.setTabOrder(self.criteria_view, self.sign_button)
        self.setTabOrder(self.sign_button, self.revoke_button)
        self.setTabOrder(self.revoke_button, self.history_view)
        self._update_buttons()
        return page

    def _matrix_page(self) -> QWidget:
        page = QWidget()
        self.cohort_combo = QComboBox()
        self.cohort_combo.setAccessibleName("Cohort")
        self.cohort_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.cohort_combo.currentIndexChanged.connect(self._show_cohort)
        cohort_label = QLabel("Co&hort:")
        cohort_label.setBuddy(self.cohort_combo)
        self.matrix_summary = QLabel()
        self.matrix_summary.setAccessibleName("Cohort summary")
        legend = QLabel(
            "✓ green: standard complete · grey n/a: not in the trainee's version · "
            "double-click a cell to open it"
        )
        legend.setStyleSheet("color: #505050;")
        top = QHBoxLayout()
        top.addWidget(cohort_label)
        top.addWidget(self.cohort_combo)
        top.addSpacing(16)
        top.addWidget(self.matrix_summary, 1)

        self.matrix_view = _table("Cohort matrix")
        self.matrix_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.matrix_view.setModel(self.matrix_model)
        self.matrix_view.setAlternatingRowColors(False)  # colour means complete / n/a here
        rows = self.matrix_view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.matrix_view.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.sectionClicked.connect(self._sort_matrix)
        header.setSortIndicator(CohortMatrixModel.NAME, Qt.SortOrder.AscendingOrder)
        self.matrix_view.doubleClicked.connect(self._open_matrix_cell)
        # Return opens the current cell too; not `activated`, which some desktops emit on a
        # single click and would whisk the lead away from the matrix while browsing it.
        open_cell = QAction("Open this standard", self.matrix_view)
        open_cell.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        open_cell.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_cell.triggered.connect(lambda: self._open_matrix_cell(self.matrix_view.currentIndex()))
        self.matrix_view.addAction(open_cell)

        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.matrix_view, 1)
        layout.addWidget(legend)
        return page

    # -----------------------------------------------------------------------------------------
    # Loading

    def reload(self) -> None:
        self.picker.set_choices(trainee_choices(self.database))
        self._reload_cohorts()
        self._show_trainee()
        self._show_cohort()

    def on_data_changed(self, kind: str) -> None:
        if not self._announcing:  # this tab already shows what it just changed
            super().on_data_changed(kind)

    def show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.view_group.button(page).setChecked(True)

    def _reload_cohorts(self) -> None:
        keep = self.cohort_combo.currentData()
        self.cohort_combo.blockSignals(True)
        self.cohort_combo.clear()
        for choice in cohort_choices(self.database):
            self.cohort_combo.addItem(f"{choice.label} ({choice.detail})", choice.id)
        index = self.cohort_combo.findData(keep) if keep is not None else -1
        # The newest cohort first: that is the one an education lead is following now.
        self.cohort_combo.setCurrentIndex(index if index >= 0 else self.cohort_combo.count() - 1)
        self.cohort_combo.blockSignals(False)

    def _on_trainee_changed(self, _trainee_id: int) -> None:
        self._standard_number = self._criterion_id = None
        self.result_label.clear()
        self._show_trainee()

    def _show_trainee(self) -> None:
        trainee_id = self.picker.trainee_id()
        try:
            self.overview = (
                care_certificate_overview(self.database, trainee_id)
                if trainee_id is not None
                else None
            )
        except RecordNotFoundError:
            self.overview = None
        view = self.overview
        self.version_label.setText(view.version_label if view else "")
        self.summary_label.setText(view.describe() if view else "")
        if view and view.trainee_status is not TraineeStatus.IN_TRAINING:
            self.summary_label.setText(f"{view.describe()} · {view.trainee_status.label}")
        keep = self._standard_number
        self.standards_model.set_view(view)
        if view is None:
            self._show_standard(None)
            return
        row = self.standards_model.row_of(keep) if keep is not None else -1
        if row < 0:  # the first standard still open, else the first
            row = next((n for n, s in enumerate(view.standards) if not s.complete), 0)
        if not view.standards:
            self._show_standard(None)
            return
        self._standard_number = view.standards[row].number  # selecting it loads nothing twice
        self.standards_view.selectRow(row)
        self._show_standard(view.standards[row])

    def _selected_standard(self) -> StandardSummary | None:
        rows = self.standards_view.selectionModel().selectedRows()
        return rows[0].data(ROW_ROLE) if rows else None

    def _on_standard_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        standard = self._selected_standard()
        if standard is not None and standard.number != self._standard_number:
            self._criterion_id = None
            self._show_standard(standard)

    def _show_standard(self, standard: StandardSummary | None) -> None:
        self._standard_number = standard.number if standard else None
        detail = (
            standard_detail(self.database, self.overview.trainee_id, standard.number)
            if standard is not None and self.overview is not None
            else None
        )
        self.criteria_model.set_standard(detail)
        self.criteria_view.expandAll()
        if detail is None:
            self.standard_label.setText(
                "Choose a trainee to see their Care Certificate" if self.overview is None else ""
            )
        else:
            done = (
                f"complete on {format_day(detail.completed_on)}"
                if detail.completed_on
                else f"{detail.signed} of {detail.total} criteria signed off"
            )
            self.standard_label.setText(f"Standard {detail.number}: {detail.title} — {done}")
        index = (
            self.criteria_model.criterion_index(self._criterion_id)
            if self._criterion_id is not None
            else QModelIndex()
        )
        if index.isValid():
            self.criteria_view.setCurrentIndex(index)
            self.criteria_view.scrollTo(index)
        else:
            self.criteria_view.clearSelection()
            self._show_history(None)
        self._update_buttons()

    def selected_criterion(self) -> CriterionView | None:
        item = self.criteria_view.currentIndex().data(ROW_ROLE)
        selected = self.criteria_view.selectionModel().hasSelection()
        return item if selected and isinstance(item, CriterionView) else None

    def _on_criterion_selected(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        criterion = self.selected_criterion()
        self._criterion_id = criterion.criterion_id if criterion else None
        self._show_history(criterion)
        self._update_buttons()

    def _on_criterion_activated(self, index: QModelIndex) -> None:
        item = index.data(ROW_ROLE)
        if isinstance(item, CriterionView) and not item.signed:
            self.sign_off_selected()

    def _show_history(self, criterion: CriterionView | None) -> None:
        if criterion is None or self.overview is None:
            self.history_model.set_history(())
            self.history_label.setText("History: choose a criterion")
            return
        history = criterion_history(self.database, self.overview.trainee_id, criterion.criterion_id)
        self.history_model.set_history(history)
        count = len(history)
        records = "no records yet" if not count else f"{count} record{'s' * (count != 1)}"
        self.history_label.setText(f"History of {criterion.code}: {records}")

    def _update_buttons(self) -> None:
        criterion = self.selected_criterion()
        withdrawn = (
            self.overview is not None and self.overview.trainee_status is TraineeStatus.WITHDRAWN
        )
        can_sign = criterion is not None and not criterion.signed and not withdrawn
        self.sign_action.setEnabled(can_sign)
        self.sign_button.setEnabled(can_sign)
        self.revoke_button.setEnabled(criterion is not None and criterion.signed)
        if withdrawn:
            self.sign_button.setToolTip("The trainee has withdrawn; nothing more can be signed")
        else:
            self.sign_button.setToolTip("Sign off the selected criterion (Ctrl+Return)")

    # -----------------------------------------------------------------------------------------
    # Signing and revoking

    def sign_off_selected(self) -> None:
        criterion, view = self.selected_criterion(), self.overview
        if criterion is None or view is None or criterion.signed:
            return
        mentors = mentor_choices(self.database)
        request = None
        while True:  # reopened with what was typed after a refusal
            request = CriterionSignoffDialog.ask(
                self,
                criterion,
                trainee_name=view.trainee_name,
                start_date=view.start_date,
                mentors=mentors,
                signer_id=view.mentor_id,
                initial=request,
            )
            if request is None:
                return
            try:
                result = sign_off_criterion(
                    self.database,
                    self.context.actor,
                    trainee_id=view.trainee_id,
                    criterion_id=criterion.criterion_id,
                    signer_id=request.signer_id,
                    evidence_type=request.evidence_type,
                    assessed_on=request.assessed_on,
                    evidence=request.evidence,
                )
            except (ActionRefusedError, RecordNotFoundError) as error:
                messages.show_refusal(self, "Sign-off", error)
                if isinstance(error, RecordNotFoundError):
                    return
                continue
            self._after_change(result.message)
            return

    def revoke_selected(self) -> None:
        criterion, view = self.selected_criterion(), self.overview
        if criterion is None or view is None or criterion.current is None:
            return
        mentors = mentor_choices(self.database)
        request = None
        while True:
            request = RevokeSignoffDialog.ask(
                self,
                criterion,
                criterion.current,
                trainee_name=view.trainee_name,
                mentors=mentors,
                signer_id=view.mentor_id,
                initial=request,
            )
            if request is None:
                return
            try:
                result = revoke_criterion_signoff(
                    self.database,
                    self.context.actor,
                    signoff_id=criterion.current.signoff_id,
                    signer_id=request.signer_id,
                    reason=request.reason,
                )
            except (ActionRefusedError, RecordNotFoundError) as error:
                messages.show_refusal(self, "Revocation", error)
                if isinstance(error, RecordNotFoundError):
                    return
                continue
            self._after_change(result.message)
            return

    def _after_change(self, message: str) -> None:
        self._show_trainee()
        self._show_cohort()
        self.result_label.setText(message)
        self._announcing = True
        try:
            self.announce(Changed.SIGNOFFS)
        finally:
            self._announcing = False

    # -----------------------------------------------------------------------------------------
    # The cohort matrix

    def _show_cohort(self) -> None:
        cohort_id = self.cohort_combo.currentData()
        try:
            matrix = cohort_matrix(self.database, cohort_id) if cohort_id is not None else None
        except RecordNotFoundError:
            matrix = None
        self.matrix_model.set_matrix(matrix)
        header = self.matrix_view.horizontalHeader()
        header.resizeSection(CohortMatrixModel.NAME, 180)
        header.resizeSection(CohortMatrixModel.VERSION, 70)
        for column in range(CohortMatrixModel.FIRST_STANDARD, self.matrix_model.columnCount()):
            header.resizeSection(column, 62)
        header.resizeSection(self.matrix_model.summary_column(), 90)
        order = (header.sortIndicatorSection(), header.sortIndicatorOrder())
        if order != (CohortMatrixModel.NAME, Qt.SortOrder.AscendingOrder):  # the services' order
            self.matrix_model.sort(*order)
        if matrix is None:
            self.matrix_summary.setText("")
            return
        versions = sorted({row.version_code for row in matrix.rows})
        self.matrix_summary.setText(
            f"{len(matrix.rows)} trainees on the {' and '.join(versions) or 'no'} "
            f"version{'s' * (len(versions) > 1)}; {matrix.certificates_complete} with the "
            "Care Certificate complete"
        )

    def _sort_matrix(self, column: int) -> None:
        header = self.matrix_view.horizontalHeader()
        self.matrix_model.sort(column, header.sortIndicatorOrder())

    def _open_matrix_cell(self, index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        cell = index.data(CELL_ROLE)
        if row is None or (cell is not None and not cell.applicable):
            return
        number = self.matrix_model.standard_number(index.column())
        self.open_trainee(row.trainee_id, number)

    def open_trainee(self, trainee_id: int, standard_number: int | None = None) -> None:
        """Show one trainee in the apprentice view, at a standard when one is given."""
        self.show_page(self.APPRENTICE_PAGE)
        if self.picker.trainee_id() != trainee_id:
            self.picker.choose(trainee_id)
        if standard_number is not None:
            row = self.standards_model.row_of(standard_number)
            if row >= 0:
                self.standards_view.selectRow(row)
        self.standards_view.setFocus()
