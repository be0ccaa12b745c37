"""Choose a trainee by typing any part of their name or cohort."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from apdesk.services.choices import Choice


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
        keep = self.trainee_id()
        self.blockSignals(True)
        self.clear()
        for choice in choices:
            self.addItem(f"{choice.label} ({choice.detail})", choice.id)
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
