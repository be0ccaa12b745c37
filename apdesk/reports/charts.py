"""The dashboard's charts as vector drawings for the printed programme summary.

Steering-group packs are photocopied in black and white, so nothing rests on colour:
every bar and slice carries its count as text, series differ by fill (solid against
outlined), and greys are far enough apart to survive a copier.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from apdesk.domain.units import format_plain
from apdesk.portfolio.styles import FONT, FONT_BOLD, GREY_TEXT, INK
from apdesk.services.dashboard_views import Bucket, CohortLine, Slice

TITLE_SIZE = 9
LABEL_SIZE = 6.8
_TITLE_ROOM = 16
DARK = colors.Color(0.25, 0.25, 0.25)
LIGHT = colors.Color(0.78, 0.78, 0.78)
_SLICE_GREYS = (
    colors.Color(0.2, 0.2, 0.2),
    colors.Color(0.8, 0.8, 0.8),
    colors.Color(0.5, 0.5, 0.5),
    colors.white,
    colors.Color(0.65, 0.65, 0.65),
    colors.Color(0.35, 0.35, 0.35),
)
MAX_BARS = 8
"""Beyond this a bar list no longer reads at this size: the smallest share one "Other" bar."""
MAX_COHORTS = 12
_BAR_PITCH = 19  # points per bar in a bar list, gap included


def _drawing(width: float, height: float, title: str) -> Drawing:
    drawing = Drawing(width, height)
    # The renderer starts every drawing in Helvetica, which would not be embedded.
    drawing.initialFontName = FONT
    drawing.add(String(0, height - TITLE_SIZE - 1, title, fontName=FONT_BOLD, fontSize=TITLE_SIZE))
    return drawing


def _nothing(drawing: Drawing, text: str = "No trainees in this selection") -> Drawing:
    drawing.add(
        String(
            drawing.width / 2,
            drawing.height / 2,
            text,
            fontName=FONT,
            fontSize=8,
            fillColor=GREY_TEXT,
            textAnchor="middle",
        )
    )
    return drawing


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[: limit - 1].rstrip()}…"


def _percent_of(count: int, total: int) -> str:
    return f"{round(count * 100 / total)}%" if total else "0%"


def fold_smallest(slices: Sequence[Slice], keep: int = MAX_BARS) -> tuple[Slice, ...]:
    """The ``keep - 1`` largest and one "Other" bar for the rest, when there are more."""
    if len(slices) <= keep:
        return tuple(slices)
    rest = slices[keep - 1 :]
    return (
        *slices[: keep - 1],
        Slice(f"{len(rest)} others", sum(part.count for part in rest)),
    )


def pie_chart(title: str, slices: Sequence[Slice], width: float, height: float) -> Drawing:
    """A pie with a legend listing each slice's count and share (the legend carries the
    numbers, so the slices need no labels of their own)."""
    drawing = _drawing(width, height, title)
    parts = [part for part in slices if part.count]
    if not parts:
        return _nothing(drawing)
    total = sum(part.count for part in parts)
    size = min(height - _TITLE_ROOM - 10, width * 0.45)
    pie = Pie()
    pie.x, pie.y = 6, (height - _TITLE_ROOM - size) / 2
    pie.width = pie.height = size
    pie.data = [part.count for part in parts]
    pie.labels = None
    pie.startAngle = 90
    pie.direction = "clockwise"
    pie.slices.strokeColor = INK
    pie.slices.strokeWidth = 0.8
    for index in range(len(parts)):
        pie.slices[index].fillColor = _SLICE_GREYS[index % len(_SLICE_GREYS)]
    drawing.add(pie)

    x = pie.x + size + 16
    line = 14
    top = pie.y + size / 2 + line * len(parts) / 2 - line
    for index, part in enumerate(parts):
        y = top - index * line
        drawing.add(
            Rect(
                x,
                y - 1,
                9,
                9,
                fillColor=_SLICE_GREYS[index % len(_SLICE_GREYS)],
                strokeColor=INK,
                strokeWidth=0.6,
            )
        )
        drawing.add(
            String(
                x + 14,
                y,
                f"{part.label}: {part.count} ({_percent_of(part.count, total)})",
                fontName=FONT,
                fontSize=8,
            )
        )
    return drawing


def _style_axis_labels(axis: object, size: float = LABEL_SIZE) -> None:
    axis.labels.fontName = FONT  # type: ignore[attr-defined]
    axis.labels.fontSize = size  # type: ignore[attr-defined]
    axis.labels.fillColor = INK  # type: ignore[attr-defined]
    axis.strokeColor = INK  # type: ignore[attr-defined]
    axis.strokeWidth = 0.6  # type: ignore[attr-defined]


def _value_axis(axis: object, top: int) -> None:
    axis.valueMin = 0  # type: ignore[attr-defined]
    axis.valueMax = max(top, 1) * 1.18  # room for the count printed past the longest bar
    axis.visible = False  # type: ignore[attr-defined]


def _bar_labels(chart: object, size: float = LABEL_SIZE) -> None:
    chart.barLabelFormat = "%d"  # type: ignore[attr-defined]
    chart.barLabels.fontName = FONT  # type: ignore[attr-defined]
    chart.barLabels.fontSize = size  # type: ignore[attr-defined]
    chart.barLabels.fillColor = INK  # type: ignore[attr-defined]


def bar_list(
    title: str, slices: Sequence[Slice], width: float, height: float, label_width: float = 118
) -> Drawing:
    """Horizontal bars, largest at the top, each labelled with its count."""
    drawing = _drawing(width, height, title)
    parts = fold_smallest(slices)
    if not parts:
        return _nothing(drawing)
    chart = HorizontalBarChart()
    room = height - _TITLE_ROOM - 8
    # Three areas should not make three slabs: bars keep one thickness, from the top down.
    chart.height = min(room, len(parts) * _BAR_PITCH)
    chart.x, chart.y = label_width, 4 + room - chart.height
    chart.width = width - label_width - 4
    # The chart draws its first category at the bottom: reverse so the largest leads.
    ordered = list(reversed(parts))
    chart.data = [[part.count for part in ordered]]
    chart.categoryAxis.categoryNames = [_shorten(part.label, 30) for part in ordered]
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.tickLeft = 0
    _style_axis_labels(chart.categoryAxis)
    _value_axis(chart.valueAxis, max(part.count for part in parts))
    chart.bars[0].fillColor = DARK
    chart.bars[0].strokeColor = INK
    chart.bars[0].strokeWidth = 0.4
    chart.barSpacing = 1
    chart.groupSpacing = 3
    _bar_labels(chart)
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def cohort_chart(cohorts: Sequence[CohortLine], width: float, height: float) -> Drawing:
    """Started (solid) against planned (outlined) per cohort, oldest on the left."""
    shown = list(cohorts)[-MAX_COHORTS:]
    title = "Cohorts: started against planned places"
    if len(shown) < len(cohorts):
        title += f" (latest {len(shown)} of {len(cohorts)})"
    drawing = _drawing(width, height, title)
    if not shown:
        return _nothing(drawing, "No cohorts in this selection")
    legend_y = height - _TITLE_ROOM - 8
    _legend(drawing, 0, legend_y, (("Planned places", colors.white), ("Started", DARK)))
    chart = VerticalBarChart()
    chart.x, chart.y = 4, 30
    chart.width = width - 8
    chart.height = legend_y - chart.y - 10
    # None draws no outline (and no "0" over it): "not set" is written there instead.
    planned = [line.planned_places for line in shown]
    started = [line.started for line in shown]
    chart.data = [planned, started]
    chart.categoryAxis.categoryNames = [_shorten(line.name, 14) for line in shown]
    chart.categoryAxis.labels.angle = 30 if len(shown) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(shown) > 6 else "n"
    chart.categoryAxis.labels.dy = -2
    _style_axis_labels(chart.categoryAxis, 6.3)
    _value_axis(chart.valueAxis, max([value or 0 for value in planned] + started))
    chart.bars[0].fillColor = colors.white
    chart.bars[1].fillColor = DARK
    for series in (0, 1):
        chart.bars[series].strokeColor = INK
        chart.bars[series].strokeWidth = 0.6
    chart.barSpacing = 0.5
    chart.groupSpacing = 6
    _bar_labels(chart, 6)
    chart.barLabels.boxAnchor = "s"
    chart.barLabels.dy = 2
    drawing.add(chart)
    # A cohort with no planned places set shows "not set" where its outline would be.
    for index, line in enumerate(shown):
        if line.planned_places is None:
            step = chart.width / len(shown)
            drawing.add(
                String(
                    chart.x + step * (index + 0.5),
                    chart.y + chart.height * 0.5,
                    "not set",
                    fontName=FONT,
                    fontSize=6,
                    fillColor=GREY_TEXT,
                    textAnchor="middle",
                )
            )
    return drawing


def _legend(
    drawing: Drawing, x: float, y: float, entries: Sequence[tuple[str, colors.Color]]
) -> None:
    for label, fill in entries:
        drawing.add(Rect(x, y - 1, 9, 8, fillColor=fill, strokeColor=INK, strokeWidth=0.6))
        drawing.add(String(x + 12, y, label, fontName=FONT, fontSize=7.5))
        x += 24 + len(label) * 4.2


def _short_bucket(bucket: Bucket) -> str:
    if bucket.high is None:
        return f"≥{format_plain(bucket.low)}"
    if bucket.low == 0:
        return f"<{format_plain(bucket.high)}"
    return f"{format_plain(bucket.low)}–{format_plain(bucket.high)}"


def distribution_chart(
    title: str, buckets: Sequence[Bucket], alert_below: Decimal, width: float, height: float
) -> Drawing:
    """A histogram of percentages; bars below the programme's alert line are dark."""
    drawing = _drawing(width, height, title)
    if not any(bucket.count for bucket in buckets):
        return _nothing(drawing, "No figures for trainees in training")
    legend_y = height - _TITLE_ROOM - 8
    _legend(
        drawing,
        0,
        legend_y,
        ((f"Below {format_plain(alert_below)}%", DARK), (f"{format_plain(alert_below)}% +", LIGHT)),
    )
    chart = VerticalBarChart()
    chart.x, chart.y = 4, 22
    chart.width = width - 8
    chart.height = legend_y - chart.y - 10
    chart.data = [[bucket.count for bucket in buckets]]
    chart.categoryAxis.categoryNames = [_short_bucket(bucket) for bucket in buckets]
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -2
    _style_axis_labels(chart.categoryAxis)
    _value_axis(chart.valueAxis, max(bucket.count for bucket in buckets))
    chart.bars.strokeColor = INK
    chart.bars.strokeWidth = 0.6
    for index, bucket in enumerate(buckets):
        below = bucket.high is not None and bucket.high <= alert_below
        chart.bars[(0, index)].fillColor = DARK if below else LIGHT
    chart.groupSpacing = 4
    _bar_labels(chart)
    chart.barLabels.boxAnchor = "s"
    chart.barLabels.dy = 2
    drawing.add(chart)
    drawing.add(
        String(
            width - 2,
            2,
            "% bands",
            fontName=FONT,
            fontSize=6,
            fillColor=GREY_TEXT,
            textAnchor="end",
        )
    )
    return drawing
