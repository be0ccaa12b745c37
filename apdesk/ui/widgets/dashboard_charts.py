"""The dashboard's charts: plain QtCharts with every count written on its bar or slice, no
legend where the labels already say it, and a sentence instead of an empty axis.

Each ``ChartCard`` is a heading over either a chart or that sentence; the builders turn the
dashboard's plain values (slices, buckets, cohort lines) into a fresh ``QChart``.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QPieSlice,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QTextDocumentFragment
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget

from apdesk.domain.units import format_plain
from apdesk.services.dashboard_views import Bucket, CohortLine, Slice

# NHS identity colours: blue for the main figure, then colours that stay apart in a pie.
NHS_BLUE = QColor("#005EB8")
PLANNED_GREY = QColor("#AEB7BD")
TEXT_COLOUR = QColor("#212B32")
SLICE_COLOURS = tuple(
    QColor(code) for code in ("#005EB8", "#009639", "#ED8B00", "#330072", "#AE2573", "#00A499")
)
CHART_PAGE, EMPTY_PAGE = 0, 1
MINIMUM_CHART_HEIGHT = 200
MOST_COHORT_ROWS = 10  # more than this and the cohort chart shows intakes (start months)
SMALLEST_INSIDE_LABEL = 0.12  # a slice's share of the pie with room for "35 (58%)" inside


def tick_step(largest: int) -> int:
    """A round step (1, 2, 5, 10, 20, 50 …) giving at most about four steps from 0."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if largest <= step * 4:
                return step
        magnitude *= 10


def _count_axis(largest: int, title: str) -> QValueAxis:
    """Whole numbers from 0, with headroom for the count written past the longest bar."""
    step = tick_step(max(largest, 1))
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    top = max(largest, 1) * 1.15
    axis.setRange(0, ((int(top) // step) + 1) * step)
    axis.setMinorTickCount(0)
    axis.setTitleText(title)
    return axis


def _plain_chart() -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.legend().hide()
    return chart


def _label_bars(series: QAbstractBarSeries) -> None:
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    series.setLabelsPrecision(6)
    series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
    for bar_set in series.barSets():  # the default white is invisible outside the bar
        bar_set.setLabelColor(TEXT_COLOUR)


def pie_chart(slices: Sequence[Slice]) -> QChart:
    """Names in the legend; each slice's count and share written on it (a label outside
    the pie is cut short in a chart this size)."""
    chart = _plain_chart()
    series = QPieSeries()
    total = sum(part.count for part in slices) or 1
    for number, part in enumerate(slices):
        piece = series.append(f"{part.count} ({part.count / total:.0%})", part.count)
        piece.setColor(SLICE_COLOURS[number % len(SLICE_COLOURS)])
        piece.setBorderColor(QColor("white"))
        piece.setLabelVisible(True)
        if part.count / total >= SMALLEST_INSIDE_LABEL:
            piece.setLabelPosition(QPieSlice.LabelPosition.LabelInsideHorizontal)
            piece.setLabelColor(QColor("white"))
        else:  # too thin to hold its label
            piece.setLabelPosition(QPieSlice.LabelPosition.LabelOutside)
            piece.setLabelColor(TEXT_COLOUR)
    series.setPieSize(0.8)
    chart.addSeries(series)
    chart.legend().show()
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    for marker, part in zip(chart.legend().markers(series), slices, strict=True):
        marker.setLabel(part.label)
    return chart


def edge_label(edge: Decimal | None) -> str:
    """Where one bar of a histogram ends and the next begins: "70", "85.5"."""
    return "" if edge is None else format_plain(edge)


def horizontal_bar_chart(slices: Sequence[Slice], value_title: str = "Trainees") -> QChart:
    """Largest at the top (QtCharts draws the first category at the bottom)."""
    chart = _plain_chart()
    ordered = list(reversed(slices))
    bars = QBarSet(value_title)
    bars.append([float(part.count) for part in ordered])
    bars.setColor(NHS_BLUE)
    bars.setBorderColor(NHS_BLUE)
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setBarWidth(0.7)
    _label_bars(series)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([escape(part.label) for part in ordered])
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    counts = _count_axis(max(part.count for part in slices), value_title)
    chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(counts)
    return chart


def by_intake(cohorts: Sequence[CohortLine]) -> tuple[CohortLine, ...]:
    """Cohorts that started in the same month as one line ("Sep 2024"): 80
    cohorts are 160 bars, too thin to read, while a steering group reads intakes anyway.
    Planned places add up over the cohorts that have them set (None when none has)."""
    months: dict[tuple[int, int], list[CohortLine]] = {}
    for line in cohorts:
        months.setdefault((line.start_date.year, line.start_date.month), []).append(line)
    intakes = []
    for group in months.values():
        first = min(group, key=lambda line: line.start_date)
        planned = [line.planned_places for line in group if line.planned_places is not None]
        intakes.append(
            CohortLine(
                cohort_id=-1,
                name=f"{first.start_date:%b %Y}",
                start_date=first.start_date,
                planned_places=sum(planned) if planned else None,
                started=sum(line.started for line in group),
                in_training=sum(line.in_training for line in group),
            )
        )
    return tuple(sorted(intakes, key=lambda line: line.start_date))


def cohort_chart(cohorts: Sequence[CohortLine]) -> QChart:
    """Started beside planned places, one row per cohort, the first to start at the top.
    A cohort with no planned places set has no grey bar rather than a misleading zero."""
    chart = _plain_chart()
    ordered = list(reversed(cohorts))  # QtCharts draws the first category at the bottom
    planned = QBarSet("Planned places")
    planned.append([float(line.planned_places or 0) for line in ordered])
    planned.setColor(PLANNED_GREY)
    planned.setBorderColor(PLANNED_GREY)
    started = QBarSet("Started")
    started.append([float(line.started) for line in ordered])
    started.setColor(NHS_BLUE)
    started.setBorderColor(NHS_BLUE)
    series = QHorizontalBarSeries()
    series.append([planned, started])  # drawn bottom up: started above planned in each row
    series.setBarWidth(0.8)
    _label_bars(series)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append([escape(line.name) for line in ordered])
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    largest = max(max(line.started, line.planned_places or 0) for line in cohorts)
    counts = _count_axis(largest, "Trainees")
    chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(counts)
    return chart  # the card's title is its legend: see cohort_title


def cohort_title(what: str) -> str:
    """ "Cohorts: ■ started and ■ planned places", the squares in the bars' colours: a legend
    in the heading leaves the chart's height to the bars."""
    return (
        f"{escape(what)}: <span style='color:{NHS_BLUE.name()}'>■</span> started and "
        f"<span style='color:{PLANNED_GREY.name()}'>■</span> planned places"
    )


def rows_height(rows: int) -> int:
    """Height for a bar chart with ``rows`` categories and the axis beneath: QtCharts
    replaces a category's name with "…" when its row is shorter than the label's box."""
    return max(24 * rows + 60, MINIMUM_CHART_HEIGHT)


def histogram(buckets: Sequence[Bucket], figure_title: str) -> QChart:
    """Touching bars, each with its count on top, and the range edges (70, 80 …) written
    where two bars meet: short labels that fit under narrow bars, read like a histogram."""
    chart = _plain_chart()
    bars = QBarSet("Trainees")
    bars.append([float(bucket.count) for bucket in buckets])
    bars.setColor(NHS_BLUE)
    bars.setBorderColor(QColor("white"))
    series = QBarSeries()
    series.append(bars)
    series.setBarWidth(1.0)
    _label_bars(series)
    chart.addSeries(series)
    edges = QCategoryAxis()  # bar n is centred on n, so bars meet at n + 0.5
    edges.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
    edges.setStartValue(-0.5)
    for number, bucket in enumerate(buckets[:-1]):
        edges.append(edge_label(bucket.high), number + 0.5)
    edges.setRange(-0.5, len(buckets) - 0.5)
    edges.setGridLineVisible(False)
    edges.setTitleText(figure_title)
    chart.addAxis(edges, Qt.AlignmentFlag.AlignBottom)
    counts = _count_axis(max(bucket.count for bucket in buckets), "Trainees")
    chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(edges)
    series.attachAxis(counts)
    return chart


class ChartCard(QWidget):
    """A heading over a chart, or over a sentence when there is nothing to draw."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel()
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setWordWrap(True)  # a long title never widens the chart's column
        self.view = QChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumSize(200, MINIMUM_CHART_HEIGHT)
        self.empty_label = QLabel()
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setAccessibleName("No data")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.view)
        self.pages.addWidget(self.empty_label)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.pages, 1)
        self.set_title(title)

    def show_chart(self, chart: QChart) -> None:
        font = QFont(self.font())
        for axis in chart.axes():
            axis.setLabelsFont(font)
            axis.setTitleFont(font)
        chart.legend().setFont(font)
        for series in chart.series():
            if isinstance(series, QAbstractBarSeries):
                for bar_set in series.barSets():
                    bar_set.setLabelFont(font)
            elif isinstance(series, QPieSeries):
                bold = QFont(font)
                bold.setBold(True)
                for piece in series.slices():
                    piece.setLabelFont(bold)
        previous = self.view.chart()
        self.view.setChart(chart)  # the view does not delete the chart it replaces
        previous.deleteLater()
        self.pages.setCurrentIndex(CHART_PAGE)

    def set_title(self, title: str) -> None:
        self.heading.setText(title)
        self.view.setAccessibleName(QTextDocumentFragment.fromHtml(title).toPlainText())

    def show_empty(self, sentence: str) -> None:
        self.empty_label.setText(sentence)
        self.pages.setCurrentIndex(EMPTY_PAGE)

    def is_empty(self) -> bool:
        return self.pages.currentIndex() == EMPTY_PAGE
