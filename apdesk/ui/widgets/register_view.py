"""The register grid's view: one key per mark, so a register of thirty takes thirty keys.

With a row selected, P, L, A, S, U or H sets the mark and moves to the next row; L opens the
minutes cell first, and Enter there moves on. Delete clears a mark. The status column also
has a drop-down, and minutes and notes are typed in place.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from apdesk.domain.enums import AttendanceStatus
from apdesk.ui.models.register import (
    MINUTES,
    NOTE,
    STATUS,
    UNMARKED_TEXT,
    WIDTHS,
    RegisterModel,
)

AnyIndex = QModelIndex | QPersistentModelIndex

STATUS_KEYS: dict[str, AttendanceStatus] = {
    "P": AttendanceStatus.PRESENT,
    "L": AttendanceStatus.LATE,
    "A": AttendanceStatus.AUTHORISED_ABSENCE,
    "S": AttendanceStatus.SICKNESS,
    "U": AttendanceStatus.UNAUTHORISED_ABSENCE,
    "H": AttendanceStatus.ANNUAL_LEAVE,  # holiday
}
KEY_FOR_STATUS = {status: key for key, status in STATUS_KEYS.items()}
LEGEND = (
    "Keys: <b>P</b> present · <b>L</b> late (then type minutes, Enter) · "
    "<b>A</b> authorised absence · <b>S</b> sickness · <b>U</b> unauthorised · "
    "<b>H</b> annual leave (holiday) · <b>Delete</b> clears"
)
_MAX_MINUTES = 12 * 60
_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class StatusDelegate(QStyledItemDelegate):
    """A drop-down of the marks, each with its key; choosing one saves it to the row."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Attendance status")
        combo.addItem(f"{UNMARKED_TEXT} not marked", "")
        for status in AttendanceStatus:
            combo.addItem(f"{status.label} ({KEY_FOR_STATUS[status]})", status.value)
        combo.activated.connect(lambda _index: self._finish(combo))
        return combo

    def _finish(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class MinutesDelegate(QStyledItemDelegate):
    """Whole minutes attended; an empty cell means none recorded."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        edit = QLineEdit(parent)
        edit.setAccessibleName("Minutes attended")
        edit.setValidator(QIntValidator(0, _MAX_MINUTES, edit))
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        return edit

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QLineEdit)
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class RegisterView(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Register")
        self.setAccessibleDescription(LEGEND.replace("<b>", "").replace("</b>", ""))
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)  # Tab leaves the grid; arrows move within it
        self.setEditTriggers(
            QTableView.EditTrigger.DoubleClicked
            | QTableView.EditTrigger.EditKeyPressed
            | QTableView.EditTrigger.AnyKeyPressed
            | QTableView.EditTrigger.SelectedClicked
        )
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._status_delegate = StatusDelegate(self)
        self._minutes_delegate = MinutesDelegate(self)
        self.setItemDelegateForColumn(STATUS, self._status_delegate)
        self.setItemDelegateForColumn(MINUTES, self._minutes_delegate)
        self._resume_column: int | None = None  # where to go on after typing late minutes

    def register_model(self) -> RegisterModel:
        model = self.model()
        assert isinstance(model, RegisterModel)
        return model

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        for column, width in enumerate(WIDTHS):
            self.horizontalHeader().resizeSection(column, width)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        editing = self.state() == QTableView.State.EditingState
        marking = not editing and index.isValid() and not self.register_model().read_only
        if marking and not event.modifiers() & _COMMAND_MODIFIERS:
            status = STATUS_KEYS.get(event.text().upper())
            if status is not None:
                self.mark(index.row(), status, index.column())
                event.accept()
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.register_model().set_status(index.row(), None)
                event.accept()
                return
        super().keyPressEvent(event)

    def mark(self, row: int, status: AttendanceStatus, column: int = STATUS) -> None:
        """Give ``row`` a mark; a late mark asks for its minutes before moving on."""
        self.register_model().set_status(row, status)
        if status is AttendanceStatus.LATE:
            self._resume_column = column
            minutes = self.model().index(row, MINUTES)
            self.setCurrentIndex(minutes)
            self.edit(minutes)
        else:
            self.move_to_row(row + 1, column)

    def move_to_row(self, row: int, column: int) -> None:
        if 0 <= row < self.model().rowCount():
            target = self.model().index(row, column)
            self.setCurrentIndex(target)
            self.scrollTo(target)

    def edit_minutes(self, row: int) -> None:
        index = self.model().index(row, MINUTES)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        self.edit(index)

    def commit_open_editor(self) -> None:
        """Save what is typed in an open cell editor into the model (e.g. before saving)."""
        editor = QApplication.focusWidget()
        if (
            self.state() == QTableView.State.EditingState
            and editor is not None
            and self.viewport().isAncestorOf(editor)
        ):
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        column = self.currentIndex().column()
        row = self.currentIndex().row()
        resume, self._resume_column = self._resume_column, None
        submitted = hint in (
            QAbstractItemDelegate.EndEditHint.SubmitModelCache,
            QAbstractItemDelegate.EndEditHint.NoHint,
        )
        super().closeEditor(editor, hint)
        if column == MINUTES and resume is not None and submitted:
            self.move_to_row(row + 1, resume)
        elif column == NOTE and hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.move_to_row(row + 1, NOTE)  # notes for several people, one after another
