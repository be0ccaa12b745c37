"""The Care Certificate tab: one apprentice's standards, outcomes and criteria, signed off by
their mentor with a password; and the cohort matrix, trainees × standards, for the education
lead (a mentor sees their own apprentices' rows; an apprentice has no matrix). The sign-off
controls exist only for mentors; the services check every read and write regardless.

Both Care Certificate versions are in use (2015, 15 standards; 2025, 16), so the apprentice
view always says which version it shows and the matrix marks a standard a trainee's version
does not have as "n/a".
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.enums import Role, TraineeStatus
from apdesk.services.care_certificate import (
    care_certificate_overview,
    criterion_history,
    revoke_criterion_signoff,
    sign_off_criterion,
    standard_detail,
)
from apdesk.services.care_certificate_views import (
    CertificateView,
    CriterionView,
    SignoffResult,
    StandardSummary,
)
from apdesk.services.choices import Choice, cohort_choices, trainee_choices
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.signatures import SignerDetails, signer_details
from apdesk.ui import messages
from apdesk.ui.cohort_matrix import CohortMatrixPage
from apdesk.ui.dialogs.criterion_signoff import (
    CriterionSignoffDialog,
    CriterionSignoffRequest,
    RevocationRequest,
    RevokeSignoffDialog,
)
from apdesk.ui.dialogs.signing import ask_until_saved
from apdesk.ui.models.care_certificate import (
    PROGRESS_ROLE,
    ROW_ROLE,
    CriteriaTreeModel,
    HistoryModel,
    StandardsModel,
)
from apdesk.ui.tab import Changed, Tab, TabContext
from apdesk.ui.widgets.item_views import (
    ProgressBarDelegate,
    WrappingDelegate,
    fill_trainee_picker,
    table_view,
)
from apdesk.ui.widgets.trainee_picker import PickerItems, TraineePicker, picker_items


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
        self.matrix_page = CohortMatrixPage(self.context)
        self.matrix_page.standard_opened.connect(self.open_trainee)
        # The page's parts, by the names the tab has always given them.
        self.matrix_model, self.matrix_view = self.matrix_page.model, self.matrix_page.view
        self.cohort_combo = self.matrix_page.cohort_combo
        self.matrix_summary = self.matrix_page.summary_label
        self.pages.addWidget(self.matrix_page)
        layout = QVBoxLayout(self)
        layout.addLayout(switcher)
        layout.addWidget(self.pages)
        self._apply_role()

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

        self.standards_view = table_view("Standards")
        self.standards_view.setModel(self.standards_model)
        self.standards_view.setItemDelegateForColumn(
            StandardsModel.PROGRESS, ProgressBarDelegate(self.standards_view, PROGRESS_ROLE)
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
        self.history_view = table_view("Sign-off history")
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

    # -----------------------------------------------------------------------------------------
    # Who is signed in

    @property
    def signs(self) -> bool:
        """Mentors sign; everyone else only reads (the services refuse them regardless)."""
        return self.context.actor.role is Role.MENTOR

    @property
    def sees_matrix(self) -> bool:
        """The matrix lists other apprentices: staff and mentors (their own rows) only."""
        return self.context.actor.role is not Role.APPRENTICE

    def _apply_role(self) -> None:
        self.sign_action.setVisible(self.signs)
        for button in (self.sign_button, self.revoke_button):
            button.setVisible(self.signs)
        self.apprentice_button.setVisible(self.sees_matrix)
        self.matrix_button.setVisible(self.sees_matrix)
        if not self.sees_matrix:
            self.show_page(self.APPRENTICE_PAGE)
        self._update_buttons()

    def set_context(self, context: TabContext) -> None:
        """Someone else signed in: their controls, their trainees, their matrix rows."""
        self.matrix_page.set_context(context)
        self.overview = None  # the last person's trainee may be hidden from the next
        self.standards_model.set_view(None)
        self._show_standard(None)
        super().set_context(context)
        self._apply_role()

    # -----------------------------------------------------------------------------------------
    # Loading

    def current_trainee_id(self) -> int | None:
        return self.picker.trainee_id()

    def reload(self) -> None:
        database, actor, matrix = self.database, self.context.actor, self.sees_matrix

        def fetch() -> tuple[PickerItems, list[Choice]]:
            cohorts = cohort_choices(database) if matrix else []
            return picker_items(trainee_choices(database, actor)), cohorts

        self.load_in_background(fetch, self._choices_arrived, notice="Loading trainees…")

    def _choices_arrived(self, choices: tuple[PickerItems, list[Choice]]) -> None:
        trainees, cohorts = choices
        fill_trainee_picker(self.picker, trainees, self.context.actor)
        self._show_trainee()
        if self.sees_matrix:
            self.matrix_page.reload_cohorts(cohorts)
            self.matrix_page.show_cohort()

    def on_data_changed(self, kind: str) -> None:
        if not self._announcing:  # this tab already shows what it just changed
            super().on_data_changed(kind)

    def show_page(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self.view_group.button(page).setChecked(True)

    def _on_trainee_changed(self, _trainee_id: int) -> None:
        self._standard_number = self._criterion_id = None
        self.result_label.clear()
        self._show_trainee()

    def _show_trainee(self) -> None:
        trainee_id = self.picker.trainee_id()
        try:
            self.overview = (
                care_certificate_overview(self.database, self.context.actor, trainee_id)
                if trainee_id is not None
                else None
            )
        except (RecordNotFoundError, ActionRefusedError):  # gone, or no longer theirs to see
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
            standard_detail(
                self.database, self.context.actor, self.overview.trainee_id, standard.number
            )
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
        history = criterion_history(
            self.database, self.context.actor, self.overview.trainee_id, criterion.criterion_id
        )
        self.history_model.set_history(history)
        count = len(history)
        records = "no records yet" if not count else f"{count} record{'s' * (count != 1)}"
        self.history_label.setText(f"History of {criterion.code}: {records}")

    def _update_buttons(self) -> None:
        criterion = self.selected_criterion()
        withdrawn = (
            self.overview is not None and self.overview.trainee_status is TraineeStatus.WITHDRAWN
        )
        can_sign = self.signs and criterion is not None and not criterion.signed and not withdrawn
        self.sign_action.setEnabled(can_sign)
        self.sign_button.setEnabled(can_sign)
        self.revoke_button.setEnabled(self.signs and criterion is not None and criterion.signed)
        if withdrawn:
            self.sign_button.setToolTip("The trainee has withdrawn; nothing more can be signed")
        else:
            self.sign_button.setToolTip("Sign off the selected criterion (Ctrl+Return)")

    # -----------------------------------------------------------------------------------------
    # Signing and revoking

    def _may_sign_now(self) -> bool:
        """A mentor, and no signing dialog already open (its keys must not open another)."""
        return self.signs and QApplication.activeModalWidget() is None

    def _signer(self) -> SignerDetails | None:
        """How the signed-in mentor's signature will read, or None (said) if it cannot."""
        try:
            return signer_details(self.database, self.context.actor)
        except ActionRefusedError as error:
            messages.show_refusal(self, "Sign-off", error)
            return None

    def sign_off_selected(self) -> None:
        criterion, view = self.selected_criterion(), self.overview
        if criterion is None or view is None or criterion.signed or not self._may_sign_now():
            return
        signer = self._signer()
        if signer is None:
            return

        def ask(
            initial: CriterionSignoffRequest | None, refusal: str | None
        ) -> CriterionSignoffRequest | None:
            return CriterionSignoffDialog.ask(
                self,
                criterion,
                trainee_name=view.trainee_name,
                start_date=view.start_date,
                signer=signer,
                initial=initial,
                refusal=refusal,
            )

        def save(request: CriterionSignoffRequest) -> SignoffResult:
            return sign_off_criterion(
                self.database,
                self.context.actor,
                trainee_id=view.trainee_id,
                criterion_id=criterion.criterion_id,
                password=request.password,
                evidence_type=request.evidence_type,
                assessed_on=request.assessed_on,
                evidence=request.evidence,
            )

        result, _refused = ask_until_saved(self, "Sign-off", ask, save, reopen_when_missing=False)
        if result is not None:
            self._after_change(result.message)

    def revoke_selected(self) -> None:
        criterion, view = self.selected_criterion(), self.overview
        if criterion is None or view is None or criterion.current is None:
            return
        if not self._may_sign_now():
            return
        signer = self._signer()
        if signer is None:
            return
        signoff = criterion.current

        def ask(initial: RevocationRequest | None, refusal: str | None) -> RevocationRequest | None:
            return RevokeSignoffDialog.ask(
                self,
                criterion,
                signoff,
                trainee_name=view.trainee_name,
                signer=signer,
                initial=initial,
                refusal=refusal,
            )

        def save(request: RevocationRequest) -> SignoffResult:
            return revoke_criterion_signoff(
                self.database,
                self.context.actor,
                signoff_id=signoff.signoff_id,
                password=request.password,
                reason=request.reason,
            )

        result, _refused = ask_until_saved(self, "Revocation", ask, save, reopen_when_missing=False)
        if result is not None:
            self._after_change(result.message)

    def _after_change(self, message: str) -> None:
        self._show_trainee()
        if self.sees_matrix:
            self.matrix_page.show_cohort()
        self.result_label.setText(message)
        self._announcing = True
        try:
            self.announce(Changed.SIGNOFFS)
        finally:
            self._announcing = False

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
