"""The Attendance tab: take a cohort's day-release register from the keyboard, then see who
is behind on attendance or off-the-job hours.

The register is edited in memory and saved in one go (Ctrl+S); until then the tab says it has
unsaved changes and asks before anything would throw them away. If someone else saved the
same register meanwhile, the save is refused (the register is versioned as one record): the
marks typed here stay on screen, and a bar offers to reload the register as saved now.

Registers belong to education leads, who take them; administrators may look but not mark.
The main window hides this tab from mentors and apprentices, and the services refuse them
anyway, so this tab never asks the services for what the signed-in person may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
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
from apdesk.domain.enums import AttendanceStatus
from apdesk.domain.units import format_percent_down
from apdesk.services.attendance import (
    SEES_REGISTERS,
    TAKES_REGISTERS,
    CohortAttendance,
    SessionSummary,
    cohort_attendance,
    create_session,
    list_sessions,
    load_register,
    save_register,
    session_defaults,
)
from apdesk.services.choices import cohort_choices
from apdesk.services.concurrency import ConflictError
from apdesk.services.errors import ActionRefusedError
from apdesk.ui import messages
from apdesk.ui.dialogs.new_session import NewSession, NewSessionDialog
from apdesk.ui.models.cohort_attendance import CohortSummaryModel, ModuleAttendanceModel
from apdesk.ui.models.register import RegisterModel
from apdesk.ui.tab import Changed, Tab, TabContext
from apdesk.ui.widgets.conflict_bar import ConflictBar
from apdesk.ui.widgets.register_view import LEGEND, RegisterView

COHORT_SETTING = "attendance/cohort_name"
MODULE_ROWS_SHOWN = 8
UNSAVED_STYLE = "color: #b3261e; font-weight: bold;"
READ_ONLY = "Read only: registers are taken and corrected by education leads."
NOT_FOR_YOU = "Registers and cohort attendance are for education leads and administrators."


class AttendanceTab(Tab):
    shows = frozenset({Changed.ATTENDANCE, Changed.TRAINEES})

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.today: Callable[[], date] = date.today  # tests fix the day
        self.register_model = RegisterModel()
        self.summary_model = CohortSummaryModel()
        self.module_model = ModuleAttendanceModel()
        self._cohort_id: int | None = None
        self._session_id: int | None = None
        self._register_version: int | None = None  # as loaded; handed back when saving
        self._announcing = False
        self.setup_ui()
        self.register_model.dirty_changed.connect(self._show_dirty)
        self.register_model.dataChanged.connect(self._update_counts)
        self.register_model.modelReset.connect(self._update_counts)

    # -- building ------------------------------------------------------------------------
    def setup_ui(self) -> None:
        self.cohort_combo = QComboBox()
        self.cohort_combo.setAccessibleName("Cohort")
        self.cohort_combo.setMinimumContentsLength(16)
        self.cohort_combo.currentIndexChanged.connect(self._cohort_chosen)
        self.session_combo = QComboBox()
        self.session_combo.setAccessibleName("Session")
        # Sized by a typical entry, not the longest, so the tab fits small screens.
        self.session_combo.setMinimumContentsLength(30)
        self.session_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.session_combo.currentIndexChanged.connect(self._session_chosen)
        self.new_session_button = QPushButton("&New session…")
        self.new_session_button.setAccessibleName("New session")
        self.new_session_button.clicked.connect(self.new_session)
        cohort_label = QLabel("&Cohort:", buddy=self.cohort_combo)
        session_label = QLabel("S&ession:", buddy=self.session_combo)
        top = QHBoxLayout()
        top.addWidget(cohort_label)
        top.addWidget(self.cohort_combo)
        top.addSpacing(12)
        top.addWidget(session_label)
        top.addWidget(self.session_combo, 1)
        top.addWidget(self.new_session_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self._register_panel())
        self.splitter.addWidget(self._summary_panel())
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

        self.setTabOrder(self.cohort_combo, self.session_combo)
        self.setTabOrder(self.session_combo, self.new_session_button)
        self.setTabOrder(self.new_session_button, self.register_view)
        self.setTabOrder(self.register_view, self.mark_all_button)
        self.setTabOrder(self.mark_all_button, self.save_button)
        self.setTabOrder(self.save_button, self.summary_table)
        self.setTabOrder(self.summary_table, self.module_table)
        self._apply_role()
        self._show_dirty(False)

    def _register_panel(self) -> QWidget:
        self.register_box = QGroupBox("Register")
        self.legend = QLabel(LEGEND, wordWrap=True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.register_view = RegisterView()
        self.register_view.setModel(self.register_model)
        _compact_rows(self.register_view)
        self.mark_all_button = QPushButton("Mark all &present")
        self.mark_all_button.setToolTip("Mark everyone not yet marked as present")
        self.mark_all_button.clicked.connect(self.mark_all_present)
        self.save_button = QPushButton("&Save register")
        self.save_button.setToolTip("Save the register (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.save_action = QAction("Save register", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save)
        self.addAction(self.save_action)
        self.unsaved_label = QLabel("● Unsaved changes")
        self.unsaved_label.setStyleSheet(UNSAVED_STYLE)
        self.unsaved_label.setAccessibleName("Unsaved changes")
        self.count_label = QLabel()
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.conflict_bar = ConflictBar("&Reload saved register", "Your marks are still on screen")
        self.conflict_bar.reload_requested.connect(self.reload_saved_register)

        buttons = QHBoxLayout()
        buttons.addWidget(self.mark_all_button)
        buttons.addWidget(self.save_button)
        buttons.addSpacing(8)
        buttons.addWidget(self.unsaved_label)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        box = QVBoxLayout(self.register_box)
        box.addWidget(self.legend)
        box.addWidget(self.register_view, 1)
        box.addLayout(buttons)
        box.addWidget(self.conflict_bar)
        box.addWidget(self.result_label)
        return self.register_box

    def _summary_panel(self) -> QWidget:
        self.summary_box = QGroupBox("Cohort summary")
        self.overall_label = QLabel(wordWrap=True)
        self.overall_label.setAccessibleName("Cohort attendance")
        self.summary_table = self._table(self.summary_model, "Cohort attendance and OTJ")
        self.module_table = self._table(self.module_model, "Attendance by module")
        # Modules come most recently taught first, which is no column's order.
        self.module_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        modules_label = QLabel("Attendance by &module:", buddy=self.module_table)
        box = QVBoxLayout(self.summary_box)
        box.addWidget(self.overall_label)
        box.addWidget(self.summary_table, 1)
        box.addWidget(modules_label)
        box.addWidget(self.module_table)
        return self.summary_box

    def _table(self, model: CohortSummaryModel | ModuleAttendanceModel, name: str) -> QTableView:
        table = QTableView()
        table.setAccessibleName(name)
        table.setModel(model)
        table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        _compact_rows(table)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.sectionClicked.connect(lambda column: self._sort(table, model, column))
        for number, column in enumerate(model.columns):
            header.resizeSection(number, column.width)
        # The name column takes the room left over; the figures keep their widths.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    @staticmethod
    def _sort(
        table: QTableView, model: CohortSummaryModel | ModuleAttendanceModel, column: int
    ) -> None:
        header = table.horizontalHeader()
        model.sort(column, header.sortIndicatorOrder())

    # -- who is signed in ----------------------------------------------------------------
    @property
    def may_see(self) -> bool:
        """Education leads and administrators see registers and cohort figures."""
        return self.context.actor.role in SEES_REGISTERS

    @property
    def may_take(self) -> bool:
        """Only an education lead adds sessions and marks registers."""
        return self.context.actor.role in TAKES_REGISTERS

    def _apply_role(self) -> None:
        take = self.may_take
        self.register_model.set_read_only(not take)
        for widget in (self.new_session_button, self.mark_all_button, self.save_button):
            widget.setVisible(take)
        self.legend.setText(LEGEND if take else READ_ONLY)
        self.save_action.setEnabled(take and self.register_model.is_dirty())

    def _show_nothing(self) -> None:
        """Someone who may not see registers: empty lists and a sentence saying why."""
        self.cancel_loading()
        for combo in (self.cohort_combo, self.session_combo):
            with _SignalsBlocked(combo):
                combo.clear()
        self._cohort_id = None
        self._session_id = None
        self.register_model.set_register(None)
        self.summary_model.set_rows([])
        self.module_model.set_rows([])
        self.register_box.setTitle("Register")
        self.summary_box.setTitle("Cohort summary")
        self.overall_label.setText(NOT_FOR_YOU)

    # -- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        """Refresh the lists and the summary; keep a register being typed unless it is gone."""
        if not self.may_see:
            self._show_nothing()
            return
        choices = cohort_choices(self.database)
        with _SignalsBlocked(self.cohort_combo):
            self.cohort_combo.clear()
            for choice in choices:
                self.cohort_combo.addItem(choice.label, choice.id)
                self.cohort_combo.setItemData(
                    self.cohort_combo.count() - 1, choice.detail, Qt.ItemDataRole.ToolTipRole
                )
            index = self.cohort_combo.findData(self._cohort_id) if self._cohort_id else -1
            if index < 0:  # first time: the cohort chosen last time (by name: ids differ)
                index = self.cohort_combo.findText(str(QSettings().value(COHORT_SETTING, "")))
            self.cohort_combo.setCurrentIndex(index if index >= 0 else len(choices) - 1)
        self._load_cohort(self.cohort_combo.currentData())

    def _load_cohort(self, cohort_id: int | None, *, select_session: int | None = None) -> None:
        if cohort_id != self._cohort_id:
            self.register_model.set_register(None)
        self._cohort_id = cohort_id
        sessions = (
            list_sessions(self.database, self.context.actor, cohort_id)
            if cohort_id is not None
            else []
        )
        self._fill_sessions(sessions, select_session or self._session_id)
        self._load_session(self.session_combo.currentData())
        self._load_summary()
        has_cohort = cohort_id is not None
        self.new_session_button.setEnabled(has_cohort and self.may_take)

    def _fill_sessions(self, sessions: list[SessionSummary], keep: int | None) -> None:
        with _SignalsBlocked(self.session_combo):
            self.session_combo.clear()
            for summary in sessions:
                self.session_combo.addItem(summary.label, summary.session_id)
                if not summary.on_day_release_weekday:
                    self.session_combo.setItemData(
                        self.session_combo.count() - 1,
                        "Not on the cohort's usual day-release day",
                        Qt.ItemDataRole.ToolTipRole,
                    )
            if not sessions:
                self.session_combo.setPlaceholderText("No sessions yet: add one with New session…")
            index = self.session_combo.findData(keep) if keep is not None else -1
            self.session_combo.setCurrentIndex(index if index >= 0 else (0 if sessions else -1))

    def _load_session(self, session_id: int | None) -> None:
        """Show the session's register, unless the one on screen has unsaved edits."""
        same = session_id is not None and session_id == self._session_id
        self._session_id = session_id
        if same and self.register_model.is_dirty():
            return
        try:
            register = (
                load_register(self.database, self.context.actor, session_id) if session_id else None
            )
        except ActionRefusedError:  # deleted meanwhile: show nothing rather than fail
            register = None
            self._session_id = None
        self.register_model.set_register(register)
        self._register_version = register.version if register else None
        self.conflict_bar.clear()
        enabled = register is not None
        self.register_view.setEnabled(enabled)
        self.mark_all_button.setEnabled(enabled)
        if register is not None:
            self.register_box.setTitle(
                f"Register: {register.session.module}, {format_day(register.session.session_date)}"
            )
            if self.register_model.rowCount():
                self.register_view.setCurrentIndex(self.register_model.index(0, 1))
        else:
            self.register_box.setTitle("Register")

    def _load_summary(self) -> None:
        """The cohort's figures come off the GUI thread (tens of ms at 10,000 trainees); the
        register beside them is already on screen and can be marked meanwhile."""
        if self._cohort_id is None:
            self.cancel_loading()
            self.summary_model.set_rows([])
            self.module_model.set_rows([])
            self.overall_label.setText("No cohorts yet.")
            return
        database, actor, cohort_id, as_of = (
            self.database,
            self.context.actor,
            self._cohort_id,
            self.today(),
        )
        self.load_in_background(
            lambda: cohort_attendance(database, actor, cohort_id, as_of),
            lambda summary: self._show_summary(summary, as_of),
            notice="Working out the cohort's attendance…",
            notice_over=self.summary_box,
        )

    def _show_summary(self, summary: CohortAttendance, as_of: date) -> None:
        self.summary_model.set_rows(summary.trainees)
        self.module_model.set_rows(summary.modules)
        self._fit_module_table()
        self.summary_box.setTitle(f"{summary.cohort_name} on {format_day(as_of)}")
        self.overall_label.setText(_overall_text(summary))

    def _fit_module_table(self) -> None:
        """Tall enough for every module (a two-year programme has about eight), no taller."""
        rows = min(max(self.module_model.rowCount(), 2), MODULE_ROWS_SHOWN)
        table = self.module_table
        height = (
            table.horizontalHeader().height() + rows * table.verticalHeader().defaultSectionSize()
        )
        table.setFixedHeight(height + 2 * table.frameWidth())

    # -- choosing ------------------------------------------------------------------------
    def _cohort_chosen(self, index: int) -> None:
        cohort_id = self.cohort_combo.itemData(index) if index >= 0 else None
        if cohort_id == self._cohort_id:
            return
        if not self.confirm_discard():
            with _SignalsBlocked(self.cohort_combo):
                self.cohort_combo.setCurrentIndex(self.cohort_combo.findData(self._cohort_id))
            return
        QSettings().setValue(COHORT_SETTING, self.cohort_combo.itemText(index))
        self._session_id = None
        self.result_label.clear()
        self._load_cohort(cohort_id)

    def _session_chosen(self, index: int) -> None:
        session_id = self.session_combo.itemData(index) if index >= 0 else None
        if session_id == self._session_id:
            return
        if not self.confirm_discard():
            with _SignalsBlocked(self.session_combo):
                self.session_combo.setCurrentIndex(self.session_combo.findData(self._session_id))
            return
        self.result_label.clear()
        self._load_session(session_id)

    def confirm_discard(self) -> bool:
        """True when there is nothing unsaved or the person agrees to lose it."""
        if not self.register_model.is_dirty():
            return True
        session = self.register_model.session
        what = (
            f"the {session.module} register for {format_day(session.session_date)}"
            if session
            else "this register"
        )
        return messages.ask(
            self,
            "Unsaved register",
            f"You have not saved {what}.\n\nDiscard your changes?",
        )

    def can_close(self) -> bool:
        """Asked by the window before it closes: False keeps it open to save the register."""
        return self.confirm_discard()

    # -- actions -------------------------------------------------------------------------
    def mark_all_present(self) -> None:
        if not self.may_take:
            return
        marked = self.register_model.mark_all_present()
        self.result_label.setText(
            f"Marked {marked} present." if marked else "Everyone already has a mark."
        )

    def save(self) -> None:
        if self._session_id is None or not self.register_model.is_dirty() or not self.may_take:
            return
        self.register_view.commit_open_editor()  # Ctrl+S while typing minutes keeps them
        try:
            result = save_register(
                self.database,
                self.context.actor,
                self._session_id,
                self.register_model.lines(),
                version=self._register_version,
            )
        except ConflictError as conflict:
            messages.show_refusal(self, "Save register", conflict)
            self.conflict_bar.show_conflict(str(conflict))
            return
        except ActionRefusedError as error:
            messages.show_refusal(self, "Save register", error)
            row = self.register_model.first_problem_row()
            if row is not None:
                self.register_view.edit_minutes(row)
            return
        self.result_label.setText(f"{result.describe()}.")
        session_id = self._session_id
        self.register_model.set_register(None)  # saved: reload what the database now holds
        self._session_id = None
        self._load_cohort(self._cohort_id, select_session=session_id)
        self._announce(Changed.ATTENDANCE)

    def reload_saved_register(self) -> None:
        """After a conflict: show the register as saved now, if the person agrees to lose
        the marks on screen (they may want to note them first)."""
        if self._session_id is None or not self.confirm_discard():
            return
        session_id = self._session_id
        self.register_model.set_register(None)
        self._session_id = None
        self._load_cohort(self._cohort_id, select_session=session_id)

    def new_session(self) -> None:
        if self._cohort_id is None or not self.may_take or not self.confirm_discard():
            return
        defaults = session_defaults(
            self.database, self.context.actor, self._cohort_id, self.today()
        )
        draft: NewSession | None = None
        while True:
            draft = NewSessionDialog.ask(self, defaults, draft)
            if draft is None:
                return
            try:
                created = create_session(
                    self.database,
                    self.context.actor,
                    self._cohort_id,
                    draft.session_date,
                    draft.module,
                    draft.hours,
                )
            except ActionRefusedError as error:
                messages.show_refusal(self, "New session", error)
                continue  # back to the dialog with what was typed
            break
        self.register_model.set_register(None)
        self._session_id = None
        self._load_cohort(self._cohort_id, select_session=created.session_id)
        self.result_label.setText(
            f"Added the session on {format_day(created.session_date)}."
            + (
                ""
                if created.on_day_release_weekday
                else " It is not on the cohort's usual day-release day."
            )
        )
        self.register_view.setFocus()
        self._announce(Changed.ATTENDANCE)

    def _announce(self, kind: Changed) -> None:
        """Tell the other tabs; this one has already shown the change."""
        self._announcing = True
        try:
            self.announce(kind)
        finally:
            self._announcing = False

    def set_context(self, context: TabContext) -> None:
        """Another database (its ids mean other cohorts) or someone else signed in: start
        afresh from the lists, showing what the new person's role allows."""
        self._cohort_id = None
        self._session_id = None
        self.register_model.set_register(None)
        self.context = context
        self._apply_role()
        if not self.may_see:
            self._show_nothing()
        super().set_context(context)

    def on_data_changed(self, kind: str) -> None:
        if not self._announcing:
            super().on_data_changed(kind)

    # -- showing state -------------------------------------------------------------------
    def _show_dirty(self, dirty: bool) -> None:
        self.unsaved_label.setVisible(dirty)
        self.save_button.setEnabled(dirty)
        self.save_action.setEnabled(dirty and self.may_take)

    def _update_counts(self) -> None:
        marked, total = self.register_model.counts()
        problems = len(self.register_model.problems())
        text = f"{marked} of {total} marked" if total else ""
        if problems:
            text += f" · {problems} to fix"
        self.count_label.setText(text)


def _overall_text(summary: CohortAttendance) -> str:
    overall = summary.overall
    if overall.percentage is None:
        figures = "<b>Cohort attendance –</b>: no registers taken yet"
    else:
        counts = overall.by_status
        figures = (
            f"<b>Cohort attendance {format_percent_down(overall.percentage)}</b>: "
            f"{overall.attended} of {overall.possible} places attended"
        )
        if overall.late:
            figures += f", {overall.late} late"
        absent = [
            f"{counts[status]} {words}"
            for status, words in _ABSENCE_WORDS.items()
            if counts[status]
        ]
        if absent:
            figures += f"; absent: {', '.join(absent)}"
        leave = counts[AttendanceStatus.ANNUAL_LEAVE]
        if leave:
            figures += f"; {leave} annual leave not counted"
    return (
        f"{figures}.<br>{len(summary.trainees)} apprentices, <b>{summary.needing_attention}</b> "
        f"behind OTJ plan or below {format_percent_down(summary.alert_percent)} attendance "
        "(tinted; hover a row for why)."
    )


_ABSENCE_WORDS = {
    AttendanceStatus.AUTHORISED_ABSENCE: "authorised",
    AttendanceStatus.SICKNESS: "sickness",
    AttendanceStatus.UNAUTHORISED_ABSENCE: "unauthorised",
}


def _compact_rows(table: QTableView) -> None:
    """Rows one line high plus a little air, so a register of thirty needs little scrolling."""
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)


class _SignalsBlocked:
    """Fill or reset a combo without it reporting a choice the person did not make."""

    def __init__(self, widget: QWidget) -> None:
        self.widget = widget

    def __enter__(self) -> None:
        self._was = self.widget.blockSignals(True)

    def __exit__(self, *_exc: object) -> None:
        self.widget.blockSignals(self._was)
