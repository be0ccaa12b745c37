"""Headline figures as large numbers with a caption underneath, read across in one glance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class HeadlineTile(QFrame):
    """One figure: the number large, what it counts small beneath it."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = caption
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.value_label = QLabel("–")
        font = self.value_label.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.value_label.setFont(font)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.caption_label = QLabel(caption)
        self.caption_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(0)
        layout.addWidget(self.value_label)
        layout.addWidget(self.caption_label)
        self.set_value(None)

    def set_value(self, value: int | None, hint: str = "") -> None:
        """``None`` shows a dash (nothing loaded yet); ``hint`` becomes the tooltip."""
        text = "–" if value is None else f"{value:,}"
        self.value_label.setText(text)
        # A screen reader reads the figure with what it counts, not a bare number.
        self.value_label.setAccessibleName(f"{self.caption}: {text}")
        self.caption_label.setAccessibleName(f"{self.caption}: {text}")
        self.setToolTip(hint)

    def value(self) -> int | None:
        text = self.value_label.text().replace(",", "")
        return int(text) if text.isdigit() else None
