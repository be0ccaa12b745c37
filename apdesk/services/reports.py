"""Dashboard lists and the cohort table as CSV or Excel files, for steering-group packs.

A file keeps real types where the format has them: counts are whole numbers, percentages
numbers (77.7, not "77.7%"), dates dates, so a recipient can sort, sum and chart them.
Text that Excel would run as a formula is made safe (see :func:`spreadsheet_safe`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from apdesk.services.dashboard_views import AttentionRow, CohortLine, ListKind
from apdesk.services.exports import spreadsheet_safe

Cell = str | int | float | date | None

FIGURE_HEADINGS = {
    ListKind.BEHIND_OTJ: "OTJ % of plan to date",
    ListKind.LOW_ATTENDANCE: "Attendance %",
    ListKind.REVIEW_OVERDUE: "Days overdue",
}
"""The lists whose figure is worth a column; the others are a yes/no already."""

_WHOLE_NUMBER_FIGURES = {ListKind.REVIEW_OVERDUE}
# Characters XML 1.0 cannot hold; openpyxl refuses a whole workbook over one of them.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_WIDTH = 60


@dataclass(frozen=True)
class Column:
    heading: str
    width: int  # characters, a starting point for Excel's column width
    number_format: str | None = None  # Excel's own, for numbers and dates


@dataclass(frozen=True)
class ReportTable:
    """Rows ready for any format: plain Python values, one per column."""

    title: str  # the worksheet's name
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


def attention_table(kind: ListKind, rows: Sequence[AttentionRow]) -> ReportTable:
    figure = FIGURE_HEADINGS.get(kind)
    columns = [
        Column("Trainee ID", 11, "0"),
        Column("Name", 24),
        Column("ULN", 12),
        Column("Cohort", 16),
        Column("Employer", 36),
        Column("Service area", 26),
        Column("Mentor", 20),
    ]
    if figure:
        columns.append(Column(figure, 14, "0" if kind in _WHOLE_NUMBER_FIGURES else "0.0"))
    columns.append(Column("Reason", 60))
    table_rows = []
    for row in rows:
        cells: list[Cell] = [
            row.trainee_id,
            row.name,
            row.uln,
            row.cohort,
            row.employer,
            row.service_area,
            row.mentor,
        ]
        if figure:
            cells.append(_figure(row.figure, whole=kind in _WHOLE_NUMBER_FIGURES))
        cells.append(row.reason)
        table_rows.append(tuple(cells))
    return ReportTable(str(kind), tuple(columns), tuple(table_rows))


def cohort_table(lines: Sequence[CohortLine]) -> ReportTable:
    """Started against planned per cohort; the fill is blank where no places are planned."""
    columns = (
        Column("Cohort", 18),
        Column("Start date", 12, "d mmm yyyy"),
        Column("Planned places", 15, "0"),
        Column("Started", 10, "0"),
        Column("In training", 12, "0"),
        Column("Started % of planned", 20, "0.0"),
    )
    rows = tuple(
        (
            line.name,
            line.start_date,
            line.planned_places,
            line.started,
            line.in_training,
            round(line.started * 100 / line.planned_places, 1) if line.planned_places else None,
        )
        for line in lines
    )
    return ReportTable("Cohorts", columns, rows)


def export_attention_list(kind: ListKind, rows: Sequence[AttentionRow], path: Path) -> int:
    """Write one dashboard list to ``path`` (.csv or .xlsx); returns the rows written."""
    return export_table(attention_table(kind, rows), path)


def export_cohorts(lines: Sequence[CohortLine], path: Path) -> int:
    return export_table(cohort_table(lines), path)


def export_table(table: ReportTable, path: Path) -> int:
    """Write ``table`` as the file's suffix asks: .csv (UTF-8 with BOM) or .xlsx."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        _write_csv(table, path)
    elif suffix == ".xlsx":
        _write_xlsx(table, path)
    else:
        raise ValueError(f"{path.name}: export to a .csv or .xlsx file")
    return len(table.rows)


def _figure(value: Decimal | None, *, whole: bool) -> int | float | None:
    if value is None:
        return None
    return int(value) if whole else float(value)


def _csv_cell(value: Cell) -> Any:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return spreadsheet_safe(value)


def _write_csv(table: ReportTable, path: Path) -> None:
    # The BOM is how Excel on Windows knows the file is UTF-8 (names with accents survive).
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(column.heading for column in table.columns)
        writer.writerows([_csv_cell(value) for value in row] for row in table.rows)


def _xlsx_text(value: Cell) -> Cell:
    if isinstance(value, str):
        return spreadsheet_safe(_NOT_IN_XML.sub("", value))
    return value


def _write_xlsx(table: ReportTable, path: Path) -> None:
    from openpyxl import Workbook  # only when exporting a workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _sheet_title(table.title)
    sheet.append([column.heading for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_text(value) for value in row])
    for index, column in enumerate(table.columns, start=1):
        letter = get_column_letter(index)
        longest = max(
            (len(str(row[index - 1])) for row in table.rows if row[index - 1] is not None),
            default=0,
        )
        sheet.column_dimensions[letter].width = min(
            max(column.width, len(column.heading) + 2, longest + 2), _MAX_WIDTH
        )
        if column.number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = column.number_format
    sheet.freeze_panes = "A2"  # the header row stays in view while scrolling
    sheet.auto_filter.ref = sheet.dimensions
    workbook.save(path)


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]
