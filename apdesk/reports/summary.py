"""The one-page programme summary: the dashboard on A4 landscape for a steering group.

It shows exactly what the Dashboard tab shows for the same filter and date (both are drawn
from one :class:`~apdesk.services.dashboard_views.Dashboard`), so the paper and the screen
never disagree.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from apdesk import __version__
from apdesk.domain.calendar import format_day
from apdesk.portfolio.styles import (
    FONT,
    FONT_BOLD,
    GREY_TEXT,
    HEADER_FILL,
    INK,
    RULE,
    register_fonts,
)
from apdesk.reports.charts import bar_list, cohort_chart, distribution_chart, pie_chart
from apdesk.services.dashboard import planned_places_notes
from apdesk.services.dashboard_views import Dashboard, ListKind
from apdesk.services.programme_rules import load_programme_rules

PAGE = landscape(A4)
MARGIN = 12 * mm
WIDTH = PAGE[0] - 2 * MARGIN
HEIGHT = PAGE[1] - 2 * MARGIN
CHART_HEIGHT = 168
_GAP = 10  # points between charts in a row

TITLE = "Assistant Practitioner programme summary"


def render_summary(dashboard: Dashboard, out: Path | BinaryIO) -> int:
    """Write the summary PDF to ``out`` (a path or a binary file); returns its page count."""
    register_fonts()
    document = SimpleDocTemplate(
        str(out) if isinstance(out, Path) else out,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{TITLE}, {format_day(dashboard.as_of)}",
        author=f"APDesk {__version__}",
        subject=dashboard.filter.describe(),
        creator=f"APDesk {__version__}",
        initialFontName=FONT,  # otherwise the page names an unembedded Helvetica
        displayDocTitle=1,
        lang="en-GB",
    )
    # Shrinks the page's content when a huge programme would overflow it: one page, always.
    document.build([KeepInFrame(WIDTH, HEIGHT, _story(dashboard), mode="shrink")])
    return document.page


def _style(name: str, **overrides: object) -> ParagraphStyle:
    base: dict[str, object] = {"fontName": FONT, "fontSize": 9, "leading": 11, "textColor": INK}
    return ParagraphStyle(name, **{**base, **overrides})  # type: ignore[arg-type]


_TITLE = _style("SummaryTitle", fontName=FONT_BOLD, fontSize=16, leading=19)
_AS_OF = _style("SummaryAsOf", fontName=FONT_BOLD, fontSize=11, leading=19, alignment=TA_RIGHT)
_SELECTION = _style("SummarySelection", fontSize=9.5, leading=12)
_FIGURE = _style("Figure", fontName=FONT_BOLD, fontSize=17, leading=20, alignment=TA_CENTER)
_FIGURE_LABEL = _style("FigureLabel", fontSize=7.5, leading=9, alignment=TA_CENTER)
_HEADING = _style("SummaryHeading", fontName=FONT_BOLD, fontSize=9.5, leading=12)
_NOTE = _style("SummaryNote", fontSize=7.2, leading=9, textColor=GREY_TEXT)


def _story(dashboard: Dashboard) -> list[Flowable]:
    story: list[Flowable] = [
        _plain_table(
            [
                [
                    Paragraph(TITLE, _TITLE),
                    Paragraph(f"As of {format_day(dashboard.as_of)}", _AS_OF),
                ]
            ],
            [WIDTH * 0.7, WIDTH * 0.3],
        ),
        Paragraph(f"Selection: {_escape(dashboard.filter.describe())}", _SELECTION),
        Spacer(1, 5),
        _headline(dashboard),
    ]
    notes = planned_places_notes(dashboard)
    if notes:
        story.append(Spacer(1, 2))
        story.append(Paragraph(_escape(". ".join(notes)) + ".", _NOTE))
    story += [Spacer(1, 6), _charts(dashboard), Spacer(1, 6), _attention(dashboard)]
    story.append(Spacer(1, 4))
    story.append(
        Paragraph(
            "Splits count everyone who started in the selection, whatever their status now; "
            "the distributions and the attendance, OTJ and review lists count apprentices in "
            f"training. Produced by APDesk on {format_day(date.today())} from the records "
            "held then.",
            _NOTE,
        )
    )
    return story


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _plain_table(rows: list[list[object]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # Helvetica, the default, is not embedded
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LINEBELOW", (0, 0), (-1, 0), 1.2, INK),
            ]
        )
    )
    return table


def _headline(dashboard: Dashboard) -> Table:
    headline = dashboard.headline
    figures = (
        ("Started", headline.started),
        ("In training", headline.in_training),
        ("On a break", headline.on_break),
        ("At gateway", headline.at_gateway),
        ("Completed", headline.completed),
        ("Withdrawn", headline.withdrawn),
        ("Planned places", headline.planned_places),
        ("At risk", headline.at_risk),
    )
    return _figure_boxes(figures, shade_first=True)


def _figure_boxes(figures: tuple[tuple[str, int], ...], *, shade_first: bool = False) -> Table:
    cells = [
        [Paragraph(str(count), _FIGURE), Paragraph(label, _FIGURE_LABEL)]
        for label, count in figures
    ]
    table = Table([cells], colWidths=[WIDTH / len(figures)] * len(figures))
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("INNERGRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if shade_first:
        commands.append(("BACKGROUND", (0, 0), (0, 0), HEADER_FILL))
    table.setStyle(TableStyle(commands))
    return table


def _charts(dashboard: Dashboard) -> Table:
    rules = load_programme_rules()
    third = (WIDTH - 2 * _GAP) / 3
    wide = WIDTH * 0.42
    narrow = (WIDTH - wide - 2 * _GAP) / 2
    first_row = [
        pie_chart("Started, by sector", dashboard.by_sector, third, CHART_HEIGHT),
        bar_list("Started, by service area", dashboard.by_service_area, third, CHART_HEIGHT),
        bar_list("Started, by ICS area", dashboard.by_ics_area, third, CHART_HEIGHT),
    ]
    second_row = [
        cohort_chart(dashboard.cohorts, wide, CHART_HEIGHT),
        distribution_chart(
            "Attendance, in training (%)",
            dashboard.attendance,
            rules.attendance_alert_percent,
            narrow,
            CHART_HEIGHT,
        ),
        distribution_chart(
            "OTJ hours, % of plan to date",
            dashboard.otj,
            rules.otj_behind_percent,
            narrow,
            CHART_HEIGHT,
        ),
    ]
    top = Table([_spaced(first_row)], colWidths=_widths([third] * 3))
    bottom = Table([_spaced(second_row)], colWidths=_widths([wide, narrow, narrow]))
    grid = Table([[top], [bottom]], colWidths=[WIDTH])
    padding = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    for table in (top, bottom):
        table.setStyle(TableStyle(padding))
    grid.setStyle(TableStyle([*padding, ("BOTTOMPADDING", (0, 0), (-1, 0), 8)]))
    return grid


def _spaced(cells: list[object]) -> list[object]:
    """Cells with empty gap columns between them."""
    spaced: list[object] = []
    for index, cell in enumerate(cells):
        if index:
            spaced.append("")
        spaced.append(cell)
    return spaced


def _widths(widths: list[float]) -> list[float]:
    spaced: list[float] = []
    for index, width in enumerate(widths):
        if index:
            spaced.append(_GAP)
        spaced.append(width)
    return spaced


def _attention(dashboard: Dashboard) -> Table:
    heading = Paragraph("Needs attention", _HEADING)
    figures = tuple((str(kind), len(dashboard.lists.get(kind, ()))) for kind in ListKind)
    return Table(
        [[heading], [_figure_boxes(figures)]],
        colWidths=[WIDTH],
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ]
        ),
    )
