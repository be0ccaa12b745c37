"""Dashboard lists and the cohort table as files, read back as a recipient's Excel reads them."""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from apdesk.db.database import Database
from apdesk.services.dashboard import programme_dashboard
from apdesk.services.dashboard_views import AttentionRow, CohortLine, ListKind
from apdesk.services.reports import export_attention_list, export_cohorts
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR


def _row(trainee_id: int, name: str, figure: Decimal | None, reason: str) -> AttentionRow:
    return AttentionRow(
        trainee_id=trainee_id,
        name=name,
        uln=None if trainee_id % 2 else "9000000059",
        cohort="NW Sep 2025",
        employer="Wellbeing Together CIC",
        service_area="Primary Care",
        mentor=None,
        figure=figure,
        reason=reason,
    )


LOW_ATTENDANCE = (
    _row(7, "Zoë Ní Bhriain", Decimal("77.7"), "Attended 21 of 27 sessions (77.7%)"),
    _row(8, '=HYPERLINK("http://x")', Decimal("84.8"), "-2 sessions missed"),
)
COHORTS = (
    CohortLine(1, "NW Sep 2025", date(2025, 9, 8), 25, 20, 18),
    CohortLine(2, "NEY Mar 2026", date(2026, 3, 2), None, 4, 4),
)


def _sheet_rows(path: Path) -> list[tuple[object, ...]]:
    workbook = load_workbook(path)
    return [tuple(row) for row in workbook.active.iter_rows(values_only=True)]


def test_a_list_reopens_in_openpyxl_with_its_rows_and_real_types(tmp_path: Path) -> None:
    path = tmp_path / "low.xlsx"
    assert export_attention_list(ListKind.LOW_ATTENDANCE, LOW_ATTENDANCE, path) == 2

    header, first, second = _sheet_rows(path)
    assert header == (
        "Trainee ID", "Name", "ULN", "Cohort", "Employer", "Service area", "Mentor",
        "Attendance %", "Reason",
    )  # fmt: skip
    assert first == (
        7, "Zoë Ní Bhriain", None, "NW Sep 2025", "Wellbeing Together CIC", "Primary Care",
        None, 77.7, "Attended 21 of 27 sessions (77.7%)",
    )  # fmt: skip
    assert type(first[0]) is int and type(first[7]) is float
    assert second[1] == '\'=HYPERLINK("http://x")'  # text, never a live formula
    assert second[8] == "'-2 sessions missed"
    assert second[2] == "9000000059"  # a ULN stays text: no lost leading digits, no 9E+09

    sheet = load_workbook(path).active
    assert sheet.title == "Low attendance"
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.column_dimensions["I"].width >= 30  # the reason column is readable
    assert sheet["H2"].number_format == "0.0"


def test_days_overdue_are_whole_numbers_and_yes_no_lists_have_no_figure(tmp_path: Path) -> None:
    overdue = tmp_path / "overdue.xlsx"
    export_attention_list(
        ListKind.REVIEW_OVERDUE, (_row(3, "Ann Lee", Decimal(88), "Overdue by 88 days"),), overdue
    )
    header, row = _sheet_rows(overdue)
    assert header[7] == "Days overdue" and row[7] == 88 and type(row[7]) is int

    ready = tmp_path / "ready.xlsx"
    export_attention_list(
        ListKind.READY_FOR_GATEWAY, (_row(3, "Ann Lee", None, "Every gateway check is met"),), ready
    )
    header, row = _sheet_rows(ready)
    assert len(header) == 8 and header[-1] == "Reason"
    assert row[-1] == "Every gateway check is met"


def test_cohort_table_keeps_dates_counts_and_a_blank_for_places_not_set(tmp_path: Path) -> None:
    path = tmp_path / "cohorts.xlsx"
    assert export_cohorts(COHORTS, path) == 2

    header, first, second = _sheet_rows(path)
    assert header == (
        "Cohort", "Start date", "Planned places", "Started", "In training",
        "Started % of planned",
    )  # fmt: skip
    assert first == ("NW Sep 2025", datetime(2025, 9, 8), 25, 20, 18, 80)
    assert isinstance(first[1], datetime)
    assert all(type(value) is int for value in first[2:5])
    assert second[2] is None and second[5] is None
    assert load_workbook(path).active["B2"].number_format == "d mmm yyyy"


def test_csv_has_a_bom_for_excel_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "low.csv"
    assert export_attention_list(ListKind.LOW_ATTENDANCE, LOW_ATTENDANCE, path) == 2

    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header, first, second = list(csv.reader(handle))
    assert header[0] == "Trainee ID" and header[7] == "Attendance %"
    assert first == [
        "7", "Zoë Ní Bhriain", "", "NW Sep 2025", "Wellbeing Together CIC", "Primary Care", "",
        "77.7", "Attended 21 of 27 sessions (77.7%)",
    ]  # fmt: skip
    assert second[1].startswith("'=") and second[8].startswith("'-")

    cohorts = tmp_path / "cohorts.csv"
    export_cohorts(COHORTS, cohorts)
    with cohorts.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == ["NW Sep 2025", "2025-09-08", "25", "20", "18", "80.0"]
    assert rows[2][2] == "" and rows[2][5] == ""


def test_text_excel_cannot_hold_is_dropped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "odd.xlsx"
    rows = (_row(1, "Bell\x07 Ringer", None, "Pasted\x0bfrom a form"),)
    export_attention_list(ListKind.AT_RISK, rows, path)
    assert _sheet_rows(path)[1][1] == "Bell Ringer"


@pytest.mark.parametrize("name", ["list.txt", "list", "list.xls"])
def test_other_file_types_are_refused_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"export to a \.csv or \.xlsx file"):
        export_attention_list(ListKind.AT_RISK, LOW_ATTENDANCE, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_every_demo_list_exports_every_row(demo_database: Database, tmp_path: Path) -> None:
    dashboard = programme_dashboard(demo_database, TEST_ACTOR, as_of=DEMO_DAY)
    assert any(dashboard.lists.values())
    for number, (kind, rows) in enumerate(dashboard.lists.items()):
        path = tmp_path / f"{number}.xlsx"
        assert export_attention_list(kind, rows, path) == len(rows)
        exported = _sheet_rows(path)[1:]
        assert [row[0] for row in exported] == [row.trainee_id for row in rows]
        assert [row[-1] for row in exported] == [row.reason for row in rows]
    path = tmp_path / "cohorts.xlsx"
    assert export_cohorts(dashboard.cohorts, path) == len(dashboard.cohorts)
    assert sum(row[3] for row in _sheet_rows(path)[1:]) == dashboard.headline.started
