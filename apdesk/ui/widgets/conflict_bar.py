"""The bar a form shows after its save was refused because someone else saved first.

It stays in view (unlike the message box) while the person compares or copies what they
typed, and offers to reload the record as saved now. Reloading is their choice, so nothing
they typed is thrown away behind their back.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from apdesk.ui.widgets.validated_fields import WARNING_COLOUR

BAR_STYLE = (
    "ConflictBar { background: #fff4e5; border: 1px solid #e0a84f; border-radius: 4px; }"
    f"QLabel {{ color: {WARNING_COLOUR}; }}"
)


class ConflictBar(QFrame):
    reload_requested = Signal()

    def __init__(self, reload_text: str, kept: str, parent: QWidget | None = None) -> None:
        """``kept`` says what is still on screen: "What you typed is still here"."""
        super().__init__(parent)
        self.kept = kept
        self.setStyleSheet(BAR_STYLE)
        self.message = QLabel(wordWrap=True)
        self.message.setAccessibleName("Save refused")
        self.reload_button = QPushButton(reload_text)
        self.reload_button.clicked.connect(self.reload_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.reload_button)
        self.hide()

    def show_conflict(self, message: str) -> None:
        self.message.setText(f"Not saved. {message}. {self.kept}.")
        self.show()

    def clear(self) -> None:
        self.message.clear()
        self.hide()
