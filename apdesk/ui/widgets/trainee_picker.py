"""Choose a trainee by typing any part of their name or cohort.

At 10,000 trainees, adding items one by one took about 45 ms on the GUI thread; the items
are built first (``picker_items``, which a background load runs on its worker thread) and put
in the list in one insert.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from apdesk.services.choices import Choice


@dataclass(frozen=True)
class PickerItems:
    """A picker's items, built ahead; the picker takes them over (use them once)."""

    items: list[QStandardItem]


def picker_items(choices: Sequence[Choice]) -> PickerItems:
    """Items for ``TraineePicker.set_items``; plain objects, so any thread may build them."""
    items = []
    for choice in choices:
        item = QStandardItem(f"{choice.label} ({choice.detail})")
        item.setData(choice.id, Qt.ItemDataRole.UserRole)
        items.append(item)
    return PickerItems(items)


class TraineePicker(QComboBox):
    trainee_changed = Signal(int)  # the trainee's id; -1 when none is chosen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName("Trainee")
        self.setMinimumContentsLength(34)
        self.lineEdit().setPlaceholderText("Type a name or cohort…")
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.currentIndexChanged.connect(self._announce)

    def set_choices(self, choices: Sequence[Choice]) -> None:
        self.set_items(picker_items(choices))

    def set_items(self, prepared: PickerItems) -> None:
        keep = self.trainee_id()
        self.blockSignals(True)
        self.clear()
        model = self.model()
        assert isinstance(model, QStandardItemModel)  # QComboBox's own
        if prepared.items:
            model.invisibleRootItem().appendRows(prepared.items)
        index = self.findData(keep) if keep is not None else -1
        self.setCurrentIndex(index)
        self.blockSignals(False)
        if index == -1 and keep is not None:
            self.trainee_changed.emit(-1)

    def trainee_id(self) -> int | None:
        value = self.currentData()
        return int(value) if value is not None else None

    def choose(self, trainee_id: int) -> None:
        self.setCurrentIndex(self.findData(trainee_id))

    def _announce(self, index: int) -> None:
        value = self.itemData(index) if index >= 0 else None
        self.trainee_changed.emit(int(value) if value is not None else -1)
