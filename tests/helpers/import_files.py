"""Trainee import files for tests: valid rows to spoil one field at a time, written as CSV
in the encodings and shapes trusts' spreadsheets produce, or as XLSX with typed cells."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from apdesk.domain.identifiers import uln_check_digit
from tests.helpers.builders import SmallProgramme

HEADERS = [
    "first_name", "last_name", "employee_number", "employer", "uln", "service_area",
    "cohort", "mentor", "contracted_hours", "start_date", "planned_end_date",
    "maths_level2", "english_level2", "band",
]  # fmt: skip


def valid_uln(serial: int) -> str:
    """A real (check-digit valid) ULN, different for every serial below ten million."""
    for last in "01":  # moving the ninth digit by one moves the remainder by 2, never to 0 twice
        first_nine = f"3{serial:07d}{last}"
        digit = uln_check_digit(first_nine)
        if digit is not None:
            return f"{first_nine}{digit}"
    raise AssertionError("unreachable: one of the two endings always has a check digit")


def good_row(programme: SmallProgramme, n: int) -> dict[str, str]:
    return {
        "first_name": f"Trainee{n}",
        "last_name": "Example",
        "employee_number": f"ESR{n:05d}",
        "employer": programme.employer,
        "uln": valid_uln(n),
        "service_area": programme.service_area,
        "cohort": programme.cohort,
        "mentor": programme.mentor_username,
        "contracted_hours": "37.5",
        "start_date": "09/09/2024",
        "planned_end_date": "2026-09-08",
        "maths_level2": "achieved",
        "english_level2": "working towards",
        "band": "3",
    }


def csv_text(
    rows: Sequence[Mapping[str, str]],
    headers: Sequence[str] = HEADERS,
    *,
    delimiter: str = ",",
) -> str:
    """The rows as a CSV document, with Excel's CRLF line ends."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([row.get(h, "") for h in headers] for row in rows)
    return buffer.getvalue()


def write_csv(
    path: Path,
    rows: Sequence[Mapping[str, str]],
    headers: Sequence[str] = HEADERS,
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """``encoding`` as Python names it: "utf-8-sig" is Excel's "CSV UTF-8" (with a BOM),
    "cp1252" its plain "CSV", "utf-16" (tab-delimited) its "Unicode Text"."""
    path.write_bytes(csv_text(rows, headers, delimiter=delimiter).encode(encoding))
    return path


def write_xlsx(
    path: Path,
    rows: Sequence[Mapping[str, Any]],
    headers: Sequence[str] = HEADERS,
    *,
    saved_values: Mapping[str, str] | None = None,
) -> Path:
    """The rows in the first sheet, each value keeping its Python type (a datetime is a date
    cell, a float a number). A value starting with "=" is a formula; openpyxl saves it with
    no value, as a program would. ``saved_values`` ({"A2": "Kofi"}) gives such formula cells
    the value Excel would have saved after calculating them."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    workbook.save(path)
    if saved_values:
        _save_formula_values(path, saved_values)
    return path


def _save_formula_values(path: Path, saved_values: Mapping[str, str]) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_part = "xl/worksheets/sheet1.xml"
    xml = parts[sheet_part].decode()
    for cell, value in saved_values.items():
        pattern = re.compile(rf'<c r="{cell}"[^>]*>(<f>.*?</f>)(?:<v\s*/>|<v></v>)</c>')
        found = pattern.search(xml)
        assert found is not None, f"no formula cell {cell} to give a value"
        calculated = f'<c r="{cell}" t="str">{found[1]}<v>{escape(value)}</v></c>'
        xml = xml[: found.start()] + calculated + xml[found.end() :]
    parts[sheet_part] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


EXCEL_DAY_ZERO = date(1899, 12, 30)

DATE_SPELLINGS: dict[str, Callable[[date], str]] = {
    "ISO": lambda d: d.isoformat(),
    "ISO with midnight": lambda d: f"{d.isoformat()} 00:00:00",
    "ISO date-time": lambda d: f"{d.isoformat()}T09:30:00",
    "YYYY/MM/DD": lambda d: f"{d:%Y/%m/%d}",
    "DD/MM/YYYY": lambda d: f"{d:%d/%m/%Y}",
    "D/M/YYYY": lambda d: f"{d.day}/{d.month}/{d.year}",
    "DD/MM/YY": lambda d: f"{d:%d/%m/%y}",
    "DD.MM.YYYY": lambda d: f"{d:%d.%m.%Y}",
    "DD-MM-YYYY": lambda d: f"{d:%d-%m-%Y}",
    "DD-Mon-YYYY": lambda d: f"{d.day:02d}-{_MONTHS[d.month - 1][:3]}-{d.year}",
    "DD-Mon-YY": lambda d: f"{d.day:02d}-{_MONTHS[d.month - 1][:3]}-{d:%y}",
    "D Month YYYY": lambda d: f"{d.day} {_MONTHS[d.month - 1]} {d.year}",
    "Month D, YYYY": lambda d: f"{_MONTHS[d.month - 1]} {d.day}, {d.year}",
    "Excel serial": lambda d: str((d - EXCEL_DAY_ZERO).days),
}
"""Every way trusts' spreadsheets were seen to write a date, written in English whatever the
machine's locale."""
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def us_order(day: date) -> str:
    """MM/DD/YYYY, as a US-configured Excel writes it."""
    return f"{day:%m/%d/%Y}"


def two_years_on(day: date) -> date:
    return day + timedelta(days=730)
