"""The audit trail: who changed what and when, filtered by trainee, person and dates, with each
entry's before/after values side by side, and a check that the hash chain is unbroken.

The chain check recomputes every entry's hash off the GUI thread. Its head hash is shown so
it can be written down or compared with one kept elsewhere: only a head kept out of the
database's reach shows that the newest entries were not removed.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from html import escape
from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QFontDatabase, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from apdesk.services.actors import Actor
from apdesk.services.audit import AuditRow, ChainCheck, list_audit_entries, verify_audit_chain
from apdesk.services.choices import trainee_choices
from apdesk.services.errors import ActionRefusedError, sentence
from apdesk.ui.background import OperationCancelled, Progress, run_in_background
from apdesk.ui.models.audit import COLUMN_WIDTHS, AuditTrailModel, local_time, words
from apdesk.ui.widgets.trainee_picker import TraineePicker
from apdesk.ui.widgets.validated_fields import DATE_FORMAT, ERROR_COLOUR, to_qdate

if TYPE_CHECKING:
    from apdesk.db.database import Database

LIMIT = 1000  # newest entries shown; the filters narrow the search to find older ones
FILTER_DELAY_MS = 300  # typing a name reloads once the person pauses, not per keystroke
INTACT_COLOUR = "#1a7f37"
HINT_STYLE = "color: #57606a;"
ALL_TRAINEES = "All trainees"


def pretty_json(text: str | None) -> str:
    """An entry's stored JSON, indented one field a line; shown as stored if not JSON."""
    if text is None:
        return ""
    try:
        return json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False)
    except ValueError:
        return text


def changed_fields(row: AuditRow) -> str:
    """Which fields an entry changed, in words, for the line above before/after."""
    try:
        before = json.loads(row.before) if row.before else None
        after = json.loads(row.after) if row.after else None
    except ValueError:
        return ""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        return f"Changed: {', '.join(keys)}" if keys else "No field changed"
    if after is not None and before is None:
        return "A new record: nothing before"
    if before is not None and after is None:
        return "Nothing after: the record was removed or revoked"
    return ""


def chain_text(check: ChainCheck) -> str:
    if check.intact:
        return f"Intact: {check.entries:,} entries; head hash {check.head_hash[:12]}…"
    return check.problem or ""


class _DateFilter(QWidget):
    """A tick box switching a date filter on, and the date."""

    def __init__(self, label: str, accessible_name: str, value: date) -> None:
        super().__init__()
        self.check = QCheckBox(label)
        self.check.setAccessibleName(f"Filter by {accessible_name.lower()}")
        self.edit = QDateEdit(to_qdate(value))
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(DATE_FORMAT)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)

    def value(self) -> date | None:
        chosen: date = self.edit.date().toPython()  # type: ignore[assignment]
        return chosen if self.check.isChecked() else None


class AuditTrailDialog(QDialog):
    def __init__(self, database: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.actor = actor
        self.last_check: ChainCheck | None = None
        self.setWindowTitle("Audit trail")
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.reload)
        self.setup_ui()
        self._load_trainees()
        self.reload()

    @classmethod
    def browse(cls, parent: QWidget | None, database: Database, actor: Actor) -> None:
        """Show the audit trail until the person closes it."""
        dialog = cls(database, actor, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    # -- building ---------------------------------------------------------------------
    def setup_ui(self) -> None:
        self.trainee_picker = TraineePicker()
        self.trainee_picker.setAccessibleName("Trainee filter")
        self.who = QLineEdit(placeholderText="Part of a name")
        self.who.setAccessibleName("Who acted")
        self.who.setClearButtonEnabled(True)
        today = date.today()
        self.since = _DateFilter("&From", "From date", today - timedelta(days=30))
        self.until = _DateFilter("T&o", "To date", today)
        self.clear_button = QPushButton("C&lear filters")

        trainee_label = QLabel("&Trainee:")
        trainee_label.setBuddy(self.trainee_picker)
        who_label = QLabel("&Who acted:")
        who_label.setBuddy(self.who)
        filters = QGridLayout()
        filters.addWidget(trainee_label, 0, 0)
        filters.addWidget(self.trainee_picker, 0, 1)
        filters.addWidget(who_label, 0, 2)
        filters.addWidget(self.who, 0, 3)
        filters.addWidget(self.since, 0, 4)
        filters.addWidget(self.until, 0, 5)
        filters.addWidget(self.clear_button, 0, 6)
        filters.setColumnStretch(1, 2)
        filters.setColumnStretch(3, 1)

        self.model = AuditTrailModel()
        self.table = QTableView()
        self.table.setAccessibleName("Audit entries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(HINT_STYLE)
        self.count_label.setWordWrap(True)

        self.entry_label = QLabel("Choose an entry to see what it changed.")
        self.entry_label.setWordWrap(True)
        self.entry_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.before = self._json_view("Before")
        self.after = self._json_view("After")
        sides = QHBoxLayout()
        for title, view in (("&Before", self.before), ("&After", self.after)):
            column = QVBoxLayout()
            label = QLabel(title)
            label.setBuddy(view)
            column.addWidget(label)
            column.addWidget(view, 1)
            sides.addLayout(column, 1)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.entry_label)
        details_layout.addLayout(sides, 1)

        table_box = QWidget()
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(0, 0, 0, 0)
        table_layout.addWidget(self.table, 1)
        table_layout.addWidget(self.count_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(table_box)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        self.check_button = QPushButton("&Check the chain")
        self.check_button.setToolTip(
            "Recompute every entry's hash: shows whether any entry was changed, removed or "
            "inserted after it was written"
        )
        self.chain_label = QLabel()
        self.chain_label.setWordWrap(True)
        self.chain_label.setAccessibleName("Audit chain check result")
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.check_button)
        footer.addWidget(self.chain_label, 1)
        footer.addWidget(close)
        for button in (*close.buttons(), self.check_button, self.clear_button):
            button.setAutoDefault(False)  # Enter in a filter must not close the dialog

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(footer)
        self.resize(1200, 760)

        order: list[QWidget] = [
            self.trainee_picker,
            self.who,
            self.since.check,
            self.since.edit,
            self.until.check,
            self.until.edit,
            self.clear_button,
            self.table,
            self.before,
            self.after,
            self.check_button,
            close,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

        self.trainee_picker.trainee_changed.connect(self._filters_changed)
        self.who.textChanged.connect(self._filters_changed)
        for date_filter in (self.since, self.until):
            date_filter.check.toggled.connect(self._filters_changed)
            date_filter.edit.dateChanged.connect(self._filters_changed)
        self.clear_button.clicked.connect(self.clear_filters)
        self.check_button.clicked.connect(self.check_chain)
        self.table.selectionModel().currentRowChanged.connect(self._show_entry)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self)
        refresh.activated.connect(self.reload)
        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.activated.connect(self.who.setFocus)

    def _json_view(self, name: str) -> QPlainTextEdit:
        view = QPlainTextEdit()
        view.setReadOnly(True)
        view.setAccessibleName(name)
        view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        view.setTabChangesFocus(True)
        return view

    def _load_trainees(self) -> None:
        self.trainee_picker.blockSignals(True)
        self.trainee_picker.set_choices(trainee_choices(self.database, self.actor))
        self.trainee_picker.insertItem(0, ALL_TRAINEES, None)
        self.trainee_picker.setCurrentIndex(0)
        self.trainee_picker.blockSignals(False)

    # -- filtering and loading --------------------------------------------------------
    def _filters_changed(self, *_args: object) -> None:
        self._filter_timer.start()

    def clear_filters(self) -> None:
        for widget in (self.trainee_picker, self.who, self.since.check, self.until.check):
            widget.blockSignals(True)
        self.trainee_picker.setCurrentIndex(0)
        self.who.clear()
        self.since.check.setChecked(False)
        self.until.check.setChecked(False)
        self.since.edit.setEnabled(False)
        self.until.edit.setEnabled(False)
        for widget in (self.trainee_picker, self.who, self.since.check, self.until.check):
            widget.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        self._filter_timer.stop()
        keep = self.selected_entry()
        since, until = self.since.value(), self.until.value()
        try:
            rows = list_audit_entries(
                self.database,
                self.actor,
                trainee_id=self.trainee_picker.trainee_id(),
                actor_name=self.who.text().strip() or None,
                since=since,
                until=until,
                limit=LIMIT,
            )
        except ActionRefusedError as refusal:
            rows = []
            self.count_label.setText(sentence(str(refusal)))
            self.count_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        else:
            self.count_label.setStyleSheet(HINT_STYLE)
            self.count_label.setText(self._count_text(len(rows), since, until))
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        if keep is None or not self.select_entry(keep.id):
            self._show_entry(QModelIndex())

    @staticmethod
    def _count_text(count: int, since: date | None, until: date | None) -> str:
        if since and until and since > until:
            return "The From date is after the To date, so no entry can match."
        if count >= LIMIT:
            return f"The newest {LIMIT:,} entries; narrow the filters to see older ones."
        return "1 entry" if count == 1 else f"{count:,} entries"

    def selected_entry(self) -> AuditRow | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_entry(self, entry_id: int) -> bool:
        """Select and show the entry when it is among those loaded."""
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _show_entry(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        if not current.isValid():
            self.entry_label.setText("Choose an entry to see what it changed.")
            for view in (self.before, self.after):
                view.clear()
                view.setPlaceholderText("")
            return
        row = self.model.row_at(current.row())
        what = words(row.entity) + (f" {row.entity_id}" if row.entity_id is not None else "")
        text = f"<b>Entry {row.id}</b> · " + escape(
            f"{local_time(row)} · {row.actor_name} · {words(row.action)} · {what}"
        )
        changed = changed_fields(row)
        if changed:
            text += "<br>" + escape(changed)
        self.entry_label.setText(text)
        self.before.setPlainText(pretty_json(row.before))
        self.after.setPlainText(pretty_json(row.after))
        self.before.setPlaceholderText("Nothing recorded before this action.")
        self.after.setPlaceholderText("Nothing recorded after this action.")

    # -- the chain --------------------------------------------------------------------
    def check_chain(self) -> None:
        def work(_progress: Progress) -> ChainCheck:
            return verify_audit_chain(self.database)

        try:
            check = run_in_background(
                self, "Checking the audit trail", "Recomputing every entry's hash…", work
            )
        except OperationCancelled:
            return
        self.show_chain_check(check)

    def show_chain_check(self, check: ChainCheck) -> None:
        self.last_check = check
        text = chain_text(check)
        if check.intact:
            self.chain_label.setStyleSheet(f"color: {INTACT_COLOUR};")
            self.chain_label.setToolTip(f"Head hash: {check.head_hash}")
        else:
            self.chain_label.setStyleSheet(f"color: {ERROR_COLOUR};")
            self.chain_label.setToolTip("")
            broken = check.broken_entry_id
            if broken is not None and not self.select_entry(broken):
                text += f" Entry {broken} is not among those shown: clear the filters to find it."
        self.chain_label.setText(text)
        self.chain_label.setAccessibleDescription(text)
