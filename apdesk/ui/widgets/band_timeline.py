"""A horizontal band timeline: each band a coloured segment from its effective date to the next
change, today marked, so a trainee's progression reads at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from apdesk.domain.calendar import format_day

# A sequential blue scale: darker is higher, and each segment is labelled as well, so the
# colours never carry the meaning alone.
BAND_COLOURS: dict[str, tuple[str, str]] = {  # band: (fill, text)
    "2": ("#c6dbef", "#0b2545"),
    "3": ("#6baed6", "#0b2545"),
    "4": ("#1f5fa8", "#ffffff"),
}
OTHER_BAND = ("#d0d4da", "#1f2328")
TRACK = QColor("#eef1f5")
TODAY = QColor("#b42318")
PLANNED_END = QColor("#57606a")

MARGIN = 10
LABEL_ROW = 18  # marker labels above the bar
BAR_HEIGHT = 34
DATE_ROW = 18  # effective dates below the bar


@dataclass(frozen=True)
class Segment:
    """A band in force from ``start`` until ``end`` (None: still in force at the right edge)."""

    band: str
    start: date
    end: date | None
    future: bool  # decided, not yet in force


class BandTimeline(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._segments: list[Segment] = []
        self._today = date.today()
        self._planned_end: date | None = None
        self._first = self._last = self._today
        self.setAccessibleName("Band history timeline")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)

    def sizeHint(self) -> QSize:
        return QSize(600, self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(320, self._height())

    def _height(self) -> int:
        return LABEL_ROW + BAR_HEIGHT + DATE_ROW + 10

    def set_history(
        self,
        steps: Sequence[tuple[str, date]],
        *,
        today: date,
        start: date | None = None,
        planned_end: date | None = None,
    ) -> None:
        """``steps``: (band, effective from) oldest first, as the band history lists them."""
        self._today = today
        self._planned_end = planned_end
        self._segments = _segments(steps, today)
        dates = [s.start for s in self._segments] + [today]
        if start is not None:
            dates.append(start)
        if planned_end is not None:
            dates.append(planned_end)
        self._first, last = min(dates), max(dates)
        padding = max(20, (last - self._first).days // 25)  # room after the last mark
        self._last = last + timedelta(days=padding)
        self.setAccessibleDescription(self.describe())
        self.update()

    def segments(self) -> list[Segment]:
        return list(self._segments)

    def describe(self) -> str:
        """The timeline in words, for screen readers and tests."""
        if not self._segments:
            return "No band recorded yet"
        parts = []
        for segment in self._segments:
            text = f"Band {segment.band} from {format_day(segment.start)}"
            if segment.future:
                text += " (decided, not yet in force)"
            elif segment.end is None or segment.end > self._today:
                text += " (current)"
            parts.append(text)
        return "; ".join(parts)

    # -- drawing ------------------------------------------------------------------------

    def _x(self, day: date) -> float:
        span = max((self._last - self._first).days, 1)
        width = self.width() - 2 * MARGIN
        return MARGIN + width * (day - self._first).days / span

    def _bar(self) -> QRectF:
        return QRectF(MARGIN, LABEL_ROW + 2, self.width() - 2 * MARGIN, BAR_HEIGHT)

    def _segment_rect(self, segment: Segment) -> QRectF:
        bar = self._bar()
        left = self._x(segment.start)
        right = self._x(segment.end) if segment.end is not None else bar.right()
        return QRectF(left, bar.top(), max(right - left, 1.0), bar.height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bar = self._bar()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(TRACK)
        painter.drawRoundedRect(bar, 4, 4)
        if not self._segments:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(bar, Qt.AlignmentFlag.AlignCenter, "No band recorded yet")
            painter.end()
            return
        for segment in self._segments:
            self._draw_segment(painter, segment)
        self._draw_dates(painter)
        self._draw_markers(painter)
        painter.end()

    def _draw_segment(self, painter: QPainter, segment: Segment) -> None:
        fill, ink = BAND_COLOURS.get(segment.band, OTHER_BAND)
        rect = self._segment_rect(segment)
        painter.setPen(Qt.PenStyle.NoPen)
        colour = QColor(fill)
        if segment.future:
            colour.setAlpha(110)
        painter.setBrush(colour)
        painter.drawRect(rect)
        if segment.future:  # hatched: decided but not yet in force
            painter.setBrush(QBrush(QColor(fill).darker(130), Qt.BrushStyle.BDiagPattern))
            painter.drawRect(rect)
            ink = "#0b2545"
        painter.setPen(QPen(QColor("#ffffff"), 2))
        painter.drawLine(rect.topLeft(), rect.bottomLeft())  # a clear edge between bands
        metrics = painter.fontMetrics()
        labels = [f"Band {segment.band}", segment.band]
        if segment.future:
            labels.insert(0, f"Band {segment.band} (due)")
        for text in labels:
            if metrics.horizontalAdvance(text) + 8 <= rect.width():
                font = painter.font()
                font.setBold(True)
                painter.setFont(font)
                painter.setPen(QColor(ink))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
                font.setBold(False)
                painter.setFont(font)
                break

    def _draw_dates(self, painter: QPainter) -> None:
        metrics = painter.fontMetrics()
        top = int(self._bar().bottom()) + 3
        painter.setPen(self.palette().windowText().color())
        taken_until = -1.0
        for segment in self._segments:
            text = format_day(segment.start)
            width = metrics.horizontalAdvance(text)
            left = min(max(self._x(segment.start), 0), self.width() - width - 2)
            if left < taken_until + 8:
                continue  # too close to the previous date; its tooltip still says it
            painter.drawText(QRect(int(left), top, width + 2, DATE_ROW), 0, text)
            taken_until = left + width

    def _draw_markers(self, painter: QPainter) -> None:
        bar = self._bar()
        metrics = painter.fontMetrics()
        taken: list[QRectF] = []
        markers = [("Today", self._today, TODAY, Qt.PenStyle.SolidLine)]
        if self._planned_end is not None:
            markers.append(("Planned end", self._planned_end, PLANNED_END, Qt.PenStyle.DashLine))
        for text, day, colour, style in markers:
            x = self._x(day)
            painter.setPen(QPen(colour, 2, style))
            painter.drawLine(QPointF(x, bar.top() - 3), QPointF(x, bar.bottom() + 3))
            width = metrics.horizontalAdvance(text)
            left = min(max(x - width / 2, 0), self.width() - width - 1)
            label = QRectF(left, 0, width + 1, LABEL_ROW)
            if any(label.intersects(other) for other in taken):
                continue
            taken.append(label)
            painter.setPen(colour)
            painter.drawText(label, Qt.AlignmentFlag.AlignCenter, text)

    # -- tooltips -----------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos().x())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tooltip_at(self, x: float) -> str:
        for segment in self._segments:
            rect = self._segment_rect(segment)
            if rect.left() <= x <= rect.right():
                text = f"Band {segment.band} from {format_day(segment.start)}"
                if segment.end is not None:
                    return f"{text} to {format_day(segment.end)}"
                return f"{text} (decided, not yet in force)" if segment.future else text
        return ""


def _segments(steps: Sequence[tuple[str, date]], today: date) -> list[Segment]:
    """One segment per change; a change superseded on its own day (a correction) is hidden."""
    kept = [
        step for n, step in enumerate(steps) if n + 1 == len(steps) or steps[n + 1][1] != step[1]
    ]
    return [
        Segment(
            band=band,
            start=start,
            end=kept[n + 1][1] if n + 1 < len(kept) else None,
            future=start > today,
        )
        for n, (band, start) in enumerate(kept)
    ]
