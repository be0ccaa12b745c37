"""Vector drawings: the OTJ hours chart and the verification QR code.

The chart must read on a black-and-white print, so the two series differ by line style
(dashed plan, solid actual with markers), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from apdesk.domain.calendar import format_day
from apdesk.portfolio.styles import FONT, GREY_TEXT, INK, RULE
from apdesk.services.portfolio_views import OtjPoint

PLANNED_LABEL = "Planned: hours the OTJ plan expects by then"
ACTUAL_LABEL = "Actual: hours counted"
_PLANNED_DASH = (5, 3)
_PLANNED_GREY = colors.Color(0.35, 0.35, 0.35)
_MAX_X_LABELS = 8
_LABEL_SIZE = 7.5


def _drawing(width: float, height: float, **kwargs: object) -> Drawing:
    drawing = Drawing(width, height, **kwargs)
    # The renderer starts every drawing in Helvetica, which would not be embedded.
    drawing.initialFontName = FONT
    return drawing


def _month_label(ordinal: float) -> str:
    day = date.fromordinal(round(ordinal))
    return format_day(day).split(" ", 1)[1]  # "Nov 2026", never locale-dependent


def _nice_step(top: float) -> float:
    """A round tick step giving about five steps up to ``top``."""
    rough = max(top, 1.0) / 5
    magnitude = 10 ** len(str(int(rough)))
    for candidate in (magnitude / 10, magnitude / 5, magnitude / 4, magnitude / 2, magnitude):
        if candidate >= rough:
            return candidate
    return magnitude


def otj_chart(points: Sequence[OtjPoint], width: float, height: float = 200) -> Drawing:
    """Cumulative planned against actual OTJ hours at each month end (needs ≥ 1 point)."""
    drawing = _drawing(width, height)
    legend_height = 28
    plot = LinePlot()
    plot.x, plot.y = 46, 30
    plot.width = width - plot.x - 12
    plot.height = height - plot.y - legend_height - 8

    xs = [point.on.toordinal() for point in points]
    planned = [(x, float(point.expected)) for x, point in zip(xs, points, strict=True)]
    actual = [(x, float(point.actual)) for x, point in zip(xs, points, strict=True)]
    plot.data = [planned, actual]
    plot.lines[0].strokeColor = _PLANNED_GREY
    plot.lines[0].strokeWidth = 1.4
    plot.lines[0].strokeDashArray = _PLANNED_DASH
    plot.lines[1].strokeColor = INK
    plot.lines[1].strokeWidth = 1.8
    plot.lines[1].symbol = makeMarker("FilledCircle", size=3.2)

    first, last = min(xs), max(xs)
    if first == last:  # a single month end still needs a visible x range
        first, last = first - 15, last + 15
    x_axis = plot.xValueAxis
    x_axis.valueMin, x_axis.valueMax = first, last
    stride = max(1, -(-len(xs) // _MAX_X_LABELS))
    x_axis.valueSteps = sorted(set(xs[::stride]))
    x_axis.labelTextFormat = _month_label
    x_axis.labels.fontName = FONT
    x_axis.labels.fontSize = _LABEL_SIZE
    x_axis.labels.fillColor = INK
    x_axis.strokeColor = INK

    top = max([value for _, value in planned + actual] + [1.0])
    step = _nice_step(top)
    y_axis = plot.yValueAxis
    y_axis.valueMin = 0
    y_axis.valueMax = step * (-(-top // step))
    y_axis.valueStep = step
    y_axis.labelTextFormat = lambda value: f"{value:g}"
    y_axis.labels.fontName = FONT
    y_axis.labels.fontSize = _LABEL_SIZE
    y_axis.labels.fillColor = INK
    y_axis.strokeColor = INK
    y_axis.visibleGrid = True
    y_axis.gridStrokeColor = RULE
    y_axis.gridStrokeWidth = 0.25
    drawing.add(plot)

    drawing.add(
        String(
            4,
            plot.y + plot.height + 6,
            "Hours",
            fontName=FONT,
            fontSize=_LABEL_SIZE,
            fillColor=GREY_TEXT,
        )
    )
    _add_legend(drawing, plot.x, height - 12)
    return drawing


def _add_legend(drawing: Drawing, x: float, y: float) -> None:
    sample = 26
    drawing.add(
        Line(
            x,
            y + 3,
            x + sample,
            y + 3,
            strokeColor=_PLANNED_GREY,
            strokeWidth=1.4,
            strokeDashArray=_PLANNED_DASH,
        )
    )
    drawing.add(String(x + sample + 5, y, PLANNED_LABEL, fontName=FONT, fontSize=8, fillColor=INK))
    second = x + 230
    drawing.add(Line(second, y + 3, second + sample, y + 3, strokeColor=INK, strokeWidth=1.8))
    marker = makeMarker("FilledCircle", size=3.2)
    marker.x, marker.y = second + sample / 2, y + 3
    drawing.add(marker)
    drawing.add(
        String(second + sample + 5, y, ACTUAL_LABEL, fontName=FONT, fontSize=8, fillColor=INK)
    )


def qr_code(text: str, size: float) -> Drawing:
    """A square QR code of ``text``, ``size`` points wide, quiet zone included."""
    # The widget encodes the text afresh each time it is drawn, and measuring it draws it,
    # so the drawing holds its shapes, encoded once.
    code = QrCodeWidget(text, barLevel="M").draw()
    x1, y1, x2, y2 = code.getBounds()
    drawing = _drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(code)
    return drawing
