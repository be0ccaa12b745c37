"""A "Loading…" note over a tab (or one part of it) while its data is fetched off the GUI
thread.

It lets clicks through and covers nothing but its own text: what the tab showed before (or its
empty table) stays usable, and other tabs and the menus never wait for it. It appears only
when a load takes long enough to notice, so quick loads never flash it.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

APPEAR_AFTER_MS = 200
STYLE = (
    "QLabel { background: rgba(255, 255, 255, 235); color: #0b0c0c; border: 1px solid #b1b4b6;"
    " border-radius: 6px; padding: 10px 22px; }"
)


class LoadingNotice(QLabel):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("loading_notice")
        self.setAccessibleName("Loading")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet(STYLE)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.setFont(font)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._over: QWidget | None = None
        self._delay = QTimer(self)
        self._delay.setSingleShot(True)
        self._delay.setInterval(APPEAR_AFTER_MS)
        self._delay.timeout.connect(self._appear)
        self.hide()

    @property
    def pending(self) -> bool:
        """Asked for and not dismissed: shown now, or about to be."""
        return self.isVisible() or self._delay.isActive()

    def show_text(self, text: str, over: QWidget | None = None) -> None:
        """Say ``text`` over ``over`` (the whole parent by default), unless dismissed first."""
        self.setText(text)
        self._over = over
        if self.isVisible():
            self.place()
        elif not self._delay.isActive():
            self._delay.start()

    def dismiss(self) -> None:
        self._delay.stop()
        self.hide()

    def _appear(self) -> None:
        self.adjustSize()
        self.place()
        self.raise_()
        self.show()

    def place(self) -> None:
        """Centred on what it is over; the parent calls this when it is resized."""
        parent = self.parentWidget()
        if parent is None:
            return
        area = parent.rect()
        over = self._over
        if over is not None and over is not parent and over.isVisible():
            area = QRect(over.mapTo(parent, QPoint(0, 0)), over.size())
        notice = QRect(0, 0, self.width(), self.height())
        notice.moveCenter(area.center())
        self.setGeometry(notice)
