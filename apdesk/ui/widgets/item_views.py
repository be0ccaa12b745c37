"""Table helpers and item delegates for the progress tables: a read-only table of rows, a
"signed of total" cell drawn as a progress bar, and tree rows as tall as their wrapped text;
and filling the sign-off tabs' trainee picker for whoever is signed in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QTreeView,
    QWidget,
)

from apdesk.domain.enums import Role
from apdesk.ui.widgets.trainee_picker import PickerItems

if TYPE_CHECKING:
    from apdesk.services.actors import Actor
    from apdesk.services.choices import Choice
    from apdesk.ui.widgets.trainee_picker import TraineePicker

COMPLETE_CHUNK = QColor("#2e8540")


def fill_trainee_picker(
    picker: TraineePicker, choices: Sequence[Choice] | PickerItems, actor: Actor
) -> None:
    """The trainees ``actor`` may see; an apprentice's only record chosen for them already.

    Quietly (no trainee_changed): the caller loads what the picker then shows.
    """
    if isinstance(choices, PickerItems):
        picker.set_items(choices)
    else:
        picker.set_choices(choices)
    if actor.role is Role.APPRENTICE and picker.trainee_id() is None and picker.count():
        picker.blockSignals(True)
        picker.setCurrentIndex(0)
        picker.blockSignals(False)


class ProgressBarDelegate(QStyledItemDelegate):
    """Paints "signed of total" as a progress bar: the eye finds unfinished standards fast."""

    def __init__(self, parent: QWidget, role: int) -> None:
        super().__init__(parent)
        self.role = role  # the role whose data is (signed, total)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        value = index.data(self.role)
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


def table_view(name: str) -> QTableView:
    """A read-only table of whole-row choices, columns sized by hand (never to contents)."""
    view = QTableView()
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view
