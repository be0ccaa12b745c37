"""Read a table of rows from CSV or XLSX, keeping spreadsheet row numbers for error messages."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile


class UnreadableFileError(ValueError):
    """The file cannot be read as a table; the message says why in the user's words."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, str]

    @property
    def is_blank(self) -> bool:
        return not any(self.values.values())


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]
    rows: tuple[SheetRow, ...]


def normalise_header(header: object) -> str:
    return str(header or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 9276308686 as 9276308686.0
    return str(value).strip()


def read_sheet(path: Path) -> Sheet:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx", ".xlsm") and not path.is_file():
        raise UnreadableFileError(f"There is no file at {path}")
    if suffix == ".csv":
        raw_rows = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        raw_rows = _read_xlsx(path)
    else:
        raise UnreadableFileError(f"{path.name}: choose a .csv or .xlsx file")
    if not raw_rows:
        raise UnreadableFileError(f"{path.name} is empty: the first row must hold the column names")
    headers = tuple(normalise_header(h) for h in raw_rows[0])
    rows = []
    for number, raw in enumerate(raw_rows[1:], start=2):
        padded = [*raw, *[""] * (len(headers) - len(raw))]
        values = {h: _cell_text(v) for h, v in zip(headers, padded, strict=False) if h}
        row = SheetRow(number, values)
        if not row.is_blank:
            rows.append(row)
    return Sheet(headers, tuple(rows))


def _read_csv(path: Path) -> list[list[Any]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return list(csv.reader(handle))
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"{path.name} is not UTF-8 text: in Excel use Save As → 'CSV UTF-8'"
        ) from error
    except OSError as error:
        raise UnreadableFileError(f"{path.name} cannot be opened: {error.strerror}") from error


def _read_xlsx(path: Path) -> list[list[Any]]:
    from openpyxl import load_workbook  # only when importing a workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise UnreadableFileError(f"{path.name} cannot be read as an Excel workbook") from error
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
