"""The Bands tab: who is ready for the next Agenda for Change band, one trainee's band history
and readiness checklist, and recording a band decision.

Band decisions are the education lead's, so only they are offered "Record band change…"
(and Ctrl+B). A mentor sees their apprentices; an apprentice sees only their own history and
checklist, without the list. The services enforce the same rules; the tab only follows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.checks import Check
from apdesk.domain.enums import Role
from apdesk.services.bands import (
    BANDS,
    DECIDERS,
    BandReadinessRow,
    BandView,
    band_overview,
    ready_for_next_band,
    record_band_change,
    unmet_checks,
)
from apdesk.services.choices import trainee_choices
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.ui import messages
from apdesk.ui.dialogs.band_change import BandChangeDialog, BandChangeRequest
from apdesk.ui.models.bands import (
    COHORT_COLUMN,
    HISTORY_COLUMNS,
    READY_COLUMNS,
    REASON_COLUMN,
    BandHistoryModel,
    ReadyForNextBandModel,
)
from apdesk.ui.tab import Changed, Tab, TabContext
from apdesk.ui.widgets.band_timeline import BandTimeline
from apdesk.ui.widgets.trainee_picker import PickerItems, TraineePicker, picker_items

MET = "#1a7f37"
UNMET = "#b42318"
QUIET = "#57606a"
MIN_REASON_WIDTH = 220


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.1)
    label.setFont(font)
    return label


def checklist_html(checks: Sequence[Check]) -> str:
    """The checks as a table: a coloured ✓ or ✗, the check's name and the reason in words."""
    rows = "".join(
        f"<tr><td style='color:{MET if c.met else UNMET}; font-weight:bold; "
        f"padding-right:8px'>{'✓' if c.met else '✗'}</td>"
        f"<td style='padding-right:12px'><b>{escape(c.name)}</b></td>"
        f"<td>{escape(c.reason)}</td></tr>"
        for c in checks
    )
    return f"<table cellspacing='3'>{rows}</table>"


class BandsTab(Tab):
    shows = frozenset({Changed.BANDS, Changed.TRAINEES, Changed.SIGNOFFS, Changed.ATTENDANCE})

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.as_of: date | None = None  # the day to judge readiness on; None means today
        self.view: BandView | None = None
        self._announcing = False
        self._syncing = False
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.model = ReadyForNextBandModel()
        self.history_model = BandHistoryModel()
        self.setup_ui()

    def today(self) -> date:
        return self.as_of or date.today()

    # -- building -----------------------------------------------------------------------

    def setup_ui(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.ready_panel = self._ready_panel()
        splitter.addWidget(self.ready_panel)
        splitter.addWidget(self._trainee_panel())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 760])
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.record_action = QAction("Record band change…", self)
        self.record_action.setShortcut(QKeySequence("Ctrl+B"))
        self.record_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.record_action.triggered.connect(self.record_band_change)
        self.addAction(self.record_action)
        self.record_button.clicked.connect(self.record_action.trigger)
        self._apply_role()
        self._show_view(None)

        QWidget.setTabOrder(self.ready_only_check, self.ready_table)
        QWidget.setTabOrder(self.ready_table, self.picker)
        QWidget.setTabOrder(self.picker, self.record_button)
        QWidget.setTabOrder(self.record_button, self.history_table)

    def _ready_panel(self) -> QWidget:
        self.ready_only_check = QCheckBox("&Ready only")
        self.ready_only_check.setAccessibleName("Show only trainees ready for the next band")
        self.ready_only_check.toggled.connect(self._set_ready_only)

        self.ready_table = QTableView()
        self.ready_table.setAccessibleName("Ready for the next band")
        self.ready_table.setModel(self.model)
        self.ready_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.ready_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.ready_table.setAlternatingRowColors(True)
        self.ready_table.setWordWrap(False)
        self.ready_table.verticalHeader().hide()
        header = self.ready_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never scan rows
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COHORT_COLUMN, Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self.sort_by)
        header.setStretchLastSection(True)
        for number, column in enumerate(READY_COLUMNS):
            header.resizeSection(number, column.width)
        self.ready_table.selectionModel().currentRowChanged.connect(self._row_chosen)

        self.count_label = QLabel()
        self.count_label.setWordWrap(True)

        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 6, 0)
        top = QHBoxLayout()
        top.addWidget(_heading("Ready for the next band"))
        top.addStretch(1)
        top.addWidget(self.ready_only_check)
        layout.addLayout(top)
        layout.addWidget(self.ready_table, 1)
        layout.addWidget(self.count_label)
        return panel

    def _trainee_panel(self) -> QWidget:
        self.picker = TraineePicker()
        self.picker.trainee_changed.connect(self._trainee_chosen)
        picker_label = QLabel("T&rainee:")
        picker_label.setBuddy(self.picker)
        self.record_button = QPushButton("Record band &change…")
        self.record_button.setAccessibleName("Record band change")
        self.record_button.setToolTip("Record a band decision for this trainee (Ctrl+B)")

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.timeline = BandTimeline()

        self.history_table = QTableView()
        self.history_table.setAccessibleName("Band history")
        self.history_table.setModel(self.history_model)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.setWordWrap(False)
        self.history_table.verticalHeader().hide()
        history_header = self.history_table.horizontalHeader()
        history_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for number, column in enumerate(HISTORY_COLUMNS):
            history_header.resizeSection(number, column.width)
        self.history_table.viewport().installEventFilter(self)  # the reason takes the room left
        rows = self.history_table.verticalHeader().defaultSectionSize()
        self.history_table.setFixedHeight(history_header.sizeHint().height() + rows * 5 + 4)

        self.readiness_heading = _heading("Readiness")
        self.readiness_label = QLabel()
        self.readiness_label.setAccessibleName("Readiness checklist")
        self.readiness_label.setWordWrap(True)
        self.readiness_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.checklist_label = QLabel()
        self.checklist_label.setAccessibleName("Readiness checks")
        self.checklist_label.setWordWrap(True)
        self.checklist_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.feedback_label = QLabel()
        self.feedback_label.setStyleSheet(f"color: {MET};")

        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(picker_label)
        top.addWidget(self.picker, 1)
        top.addWidget(self.record_button)
        layout.addLayout(top)
        layout.addWidget(self.feedback_label)
        layout.addWidget(self.summary_label)
        layout.addSpacing(6)
        layout.addWidget(_heading("Band history"))
        layout.addWidget(self.timeline)
        layout.addWidget(self.history_table)
        layout.addSpacing(6)
        layout.addWidget(self.readiness_heading)
        layout.addWidget(self.readiness_label)
        layout.addWidget(self.checklist_label)
        layout.addStretch(1)
        return panel

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.history_table.viewport():
            self._fit_reason_column()
        return super().eventFilter(watched, event)

    def _fit_reason_column(self) -> None:
        """Give the reason whatever width the other columns leave, but never less than
        enough to read a few words (the table scrolls sideways in a narrow window)."""
        header = self.history_table.horizontalHeader()
        others = sum(
            header.sectionSize(n) for n in range(len(HISTORY_COLUMNS)) if n != REASON_COLUMN
        )
        room = self.history_table.viewport().width() - others
        header.resizeSection(REASON_COLUMN, max(room, MIN_REASON_WIDTH))

    # -- who is signed in ---------------------------------------------------------------

    @property
    def may_decide(self) -> bool:
        """Only an education lead records band decisions."""
        return self.context.actor.role in DECIDERS

    def _apply_role(self) -> None:
        self.record_button.setVisible(self.may_decide)
        self.record_action.setEnabled(self.may_decide and self.view is not None)
        # An apprentice has no list of others to look through: only their own record.
        self.ready_panel.setVisible(self.context.actor.role is not Role.APPRENTICE)

    def set_context(self, context: TabContext) -> None:
        """Someone else signed in: forget the last person's choice and what they could do."""
        self.context = context
        self.feedback_label.clear()
        self.model.set_rows([])
        self.picker.set_choices([])
        self._show_view(None)
        self._apply_role()
        super().set_context(context)

    # -- loading ------------------------------------------------------------------------

    def current_trainee_id(self) -> int | None:
        return self.picker.trainee_id()

    def reload(self) -> None:
        database, actor, as_of = self.database, self.context.actor, self.today()

        def fetch() -> tuple[list[BandReadinessRow], PickerItems]:
            ready = ready_for_next_band(database, actor, as_of=as_of)
            return ready, picker_items(trainee_choices(database, actor))

        self.load_in_background(
            fetch, self._lists_arrived, notice="Checking who is ready for the next band…"
        )
        self._update_count()

    def _lists_arrived(self, lists: tuple[list[BandReadinessRow], PickerItems]) -> None:
        ready, choices = lists
        self.model.set_rows(ready)
        if self._sort is not None:
            self.model.sort(*self._sort)
        self._update_count()
        self.picker.set_items(choices)
        if self.picker.trainee_id() is None and self.picker.count() == 1:
            self.picker.blockSignals(True)  # their only trainee (an apprentice's own record)
            self.picker.setCurrentIndex(0)
            self.picker.blockSignals(False)
        self.show_trainee(self.picker.trainee_id())

    def on_data_changed(self, kind: str) -> None:
        if self._announcing:  # our own change: already shown
            return
        super().on_data_changed(kind)

    def show_trainee(self, trainee_id: int | None) -> None:
        view = None
        if trainee_id is not None and trainee_id >= 0:
            try:
                view = band_overview(
                    self.database, self.context.actor, trainee_id, as_of=self.today()
                )
            except (RecordNotFoundError, ActionRefusedError):  # gone, or not theirs to see
                view = None
        self._show_view(view)
        self._select_row(view.trainee_id if view else None)

    def _show_view(self, view: BandView | None) -> None:
        self.view = view
        self.record_action.setEnabled(view is not None and self.may_decide)
        self.record_button.setEnabled(view is not None and self.may_decide)
        if view is None:
            self.summary_label.setText(
                "Choose a trainee from the list or type a name to see their band history."
            )
            self.timeline.set_history([], today=self.today())
            self.history_model.set_entries([])
            self.readiness_heading.setText("Readiness")
            self.readiness_label.clear()
            self.checklist_label.clear()
            return
        self.summary_label.setText(self._summary_html(view))
        self.timeline.set_history(
            [(entry.band, entry.effective_from) for entry in view.history],
            today=view.as_of,
            start=view.start_date,
            planned_end=view.planned_end_date,
        )
        self.history_model.set_entries(view.history)
        if view.history:
            self.history_table.scrollToBottom()
        self._show_readiness(view)

    def _summary_html(self, view: BandView) -> str:
        facts = " · ".join(
            escape(part)
            for part in (
                view.cohort,
                view.status.label,
                f"started {format_day(view.start_date)}",
                f"planned end {format_day(view.planned_end_date)}",
            )
        )
        band = f"Band {escape(view.current_band)}" if view.current_band else "no band recorded"
        text = f"<b>{escape(view.name)}</b> · {facts}<br>Now on <b>{band}</b>"
        for entry in view.upcoming:
            text += (
                f"; <b>Band {escape(entry.band)}</b> decided from "
                f"{format_day(entry.effective_from)}"
            )
        return text

    def _show_readiness(self, view: BandView) -> None:
        readiness = view.readiness
        checks = view.checks
        on = format_day(view.as_of)
        if readiness.next_band is None:
            self.readiness_heading.setText("Readiness for the next band")
            if view.current_band == BANDS[-1]:
                self.readiness_label.setText(
                    f"Band {BANDS[-1]} is the end of the programme's progression: "
                    "there is no further band to check."
                )
                self.checklist_label.clear()
            else:
                self.readiness_label.setText(f"Nothing to check on {on}:")
                self.checklist_label.setText(checklist_html(checks))
            return
        met = sum(1 for check in checks if check.met)
        self.readiness_heading.setText(f"Readiness for Band {readiness.next_band}")
        if readiness.ready:
            verdict = f"<span style='color:{MET}'><b>✓ Ready</b></span>"
        else:
            verdict = f"<span style='color:{UNMET}'><b>✗ Not yet ready</b></span>"
        self.readiness_label.setText(
            f"{verdict} on {on}: {met} of {len(checks)} checks met"
            f"<span style='color:{QUIET}'> (thresholds set in programme_rules.yaml)</span>"
        )
        self.checklist_label.setText(checklist_html(checks))

    def _update_count(self) -> None:
        total, ready = self.model.total_count(), self.model.ready_count()
        if total == 0 and self.loading:
            self.count_label.setText("Checking who is ready for the next band…")
            return
        text = f"{ready} of {total} trainees on the programme ready for the next band"
        if self.model.ready_only:
            text = f"Showing the {ready} ready; {total} trainees on the programme"
        self.count_label.setText(text)

    # -- choosing -----------------------------------------------------------------------

    def sort_by(self, column: int) -> None:
        header = self.ready_table.horizontalHeader()
        order = header.sortIndicatorOrder()
        self._sort = (column, order)
        self.model.sort(column, order)
        header.setSortIndicator(column, order)
        if self.view is not None:
            self._select_row(self.view.trainee_id)

    def _set_ready_only(self, ready_only: bool) -> None:
        self.model.set_ready_only(ready_only)
        self._update_count()
        self._select_row(self.view.trainee_id if self.view else None)

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        trainee_id = self.model.row_at(current.row()).trainee_id
        if trainee_id != self.picker.trainee_id():
            self.picker.choose(trainee_id)

    def _trainee_chosen(self, trainee_id: int) -> None:
        self.feedback_label.clear()
        self.show_trainee(trainee_id if trainee_id >= 0 else None)

    def _select_row(self, trainee_id: int | None) -> None:
        """Keep the list's selection on the trainee shown, without choosing again."""
        selection = self.ready_table.selectionModel()
        row = self.model.row_of(trainee_id) if trainee_id is not None else None
        self._syncing = True
        try:
            if row is None:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
            else:
                index = self.model.index(row, 0)
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.ready_table.scrollTo(index)
        finally:
            self._syncing = False

    # -- recording ----------------------------------------------------------------------

    def record_band_change(self) -> None:
        """Ask for the change; on a refusal say why and ask again with what was typed."""
        view = self.view
        if view is None or not self.may_decide:
            return
        trainee_id = view.trainee_id
        database, actor = self.database, self.context.actor

        def unmet(band: str, day: date) -> tuple[Check, ...]:
            return unmet_checks(database, actor, trainee_id, band=band, effective_from=day)

        request: BandChangeRequest | None = None
        while True:
            request = BandChangeDialog.ask(
                self,
                view,
                unmet,
                today=self.today(),
                initial=request,
            )
            if request is None:
                return
            try:
                entry = record_band_change(
                    self.database,
                    self.context.actor,
                    trainee_id=trainee_id,
                    band=request.band,
                    effective_from=request.effective_from,
                    reason=request.reason,
                    override_readiness=request.override_readiness,
                    today=self.today(),
                )
            except ActionRefusedError as error:
                messages.show_refusal(self, "Band change", error)
                try:  # someone may have recorded a change meanwhile: show it in the dialog
                    view = band_overview(database, actor, trainee_id, as_of=self.today())
                except (RecordNotFoundError, ActionRefusedError):
                    self.refresh()
                    return
                continue
            except RecordNotFoundError as error:
                messages.show_refusal(self, "Band change", error)
                self.refresh()
                return
            break
        self.refresh()  # the lists, in the background
        self.show_trainee(trainee_id)  # their new history at once
        self.feedback_label.setText(
            f"Recorded Band {entry.band} from {format_day(entry.effective_from)} for {view.name}."
        )
        self._announcing = True
        try:
            self.announce(Changed.BANDS)
        finally:
            self._announcing = False
