"""Read a table of rows from CSV or XLSX, keeping spreadsheet row numbers for error messages.

Files arrive from trusts' spreadsheets in whatever state they were left: Excel's plain "CSV"
(Windows-1252), "CSV UTF-8" (with a byte-order mark) or "Unicode Text" (UTF-16, tab-separated),
with blank rows, columns with no name, formulas, error values and over-long cells. What can be
read without guessing is read; a cell that cannot be trusted is reported by row and column
(:attr:`SheetRow.cell_problems`), and a file that is not a table at all is refused with
:class:`UnreadableFileError`, saying why in the user's words.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from apdesk.services.input_rules import not_text

MAX_ROWS = 10_000
"""More trainees than a regional programme starts in a year; a bigger file is a mistake (a
whole export, a sheet of formatted blank rows) and is refused rather than left to run."""
MAX_CSV_BYTES = 64 * 1024 * 1024

_ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97–2003 .xls
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# What Excel shows (and "CSV" saves) instead of a value when a formula fails.
_EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
     "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}
)  # fmt: skip
_TOO_NARROW = re.compile(r"#{2,}")  # a date in a column too narrow to show it
_INVISIBLE = str.maketrans("", "", "\ufeff\u200b\u200c\u200d\u2060")


class UnreadableFileError(ValueError):
    """The file cannot be read as a table; the message says why in the user's words."""


@dataclass(frozen=True)
class SheetRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, str]
    cell_problems: dict[str, str] = field(default_factory=dict)  # column → why unusable

    @property
    def is_blank(self) -> bool:
        return not any(self.values.values()) and not self.cell_problems


@dataclass(frozen=True)
class StrayCell:
    """A value in a column with no name: not read, but the person is told."""

    row: int
    column: str  # the spreadsheet's letter, e.g. "U"
    text: str


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]  # normalised; "" for a column with no name
    rows: tuple[SheetRow, ...]
    header_row: int = 1
    stray_cells: tuple[StrayCell, ...] = ()
    notes: tuple[str, ...] = ()  # about the file as a whole, e.g. the encoding it was read as

    def repeated_headers(self) -> dict[str, list[str]]:
        """Column names used more than once → the letters of their columns."""
        letters: dict[str, list[str]] = {}
        for index, header in enumerate(self.headers):
            if header:
                letters.setdefault(header, []).append(column_letter(index))
        return {header: found for header, found in letters.items() if len(found) > 1}


def column_letter(index: int) -> str:
    """The spreadsheet's name for the zero-based column ``index``: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def normalise_header(header: object) -> str:
    """``" First  Name* "`` → ``first_name``: case, spacing, hyphens and a template's
    required-marker do not matter."""
    text = str(header if header is not None else "").translate(_INVISIBLE).strip().casefold()
    text = text.rstrip("*").strip()
    return re.sub(r"[\s\-]+", "_", text).strip("_")


class _UnsavedFormula:
    """An XLSX formula cell whose value was never calculated and saved (by Excel)."""

    def __init__(self, formula: object) -> None:
        self.formula = str(getattr(formula, "text", formula))


def _cell_text(value: Any) -> str:
    if value is None or isinstance(value, _UnsavedFormula):
        return ""
    if isinstance(value, datetime):
        value = value.date()  # every date APDesk imports is a day; a time of day is noise
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))  # Excel stores 9276308686 as 9276308686.0
        return repr(round(value, 9))  # 22.499999999999996 (a sum) is the 22.5 Excel shows
    return str(value).strip()


def _shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"


def _cell_problem(value: Any, text: str) -> str | None:
    """Why a cell's content cannot be used as a value, or None."""
    if isinstance(value, _UnsavedFormula):
        return (
            f"holds a formula ({_shown(value.formula)}) whose value was never saved: open the "
            "file in Excel, save it, and import it again"
        )
    if text.startswith("=") and len(text) > 1:
        return (
            f"holds a formula ('{_shown(text)}') instead of a value: copy the column and paste "
            "it back as values"
        )
    if text.upper() in _EXCEL_ERRORS:
        return f"holds the spreadsheet error {text.upper()} instead of a value"
    if _TOO_NARROW.fullmatch(text):
        return f"holds '{_shown(text)}': widen the column in Excel before saving as CSV"
    if "\r" in text or "\n" in text:
        return "holds a line break: each value must be on one line (is a quote mark left open?)"
    found = not_text(text)
    return f"holds {found}" if found else None


def read_sheet(path: Path) -> Sheet:
    """The first sheet of an XLSX or a CSV file, read by what the file holds.

    A workbook saved with a .csv name is read as the workbook it is; a text file named .xlsx,
    or an old .xls, is refused with what to do about it.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", *_WORKBOOK_SUFFIXES):
        raise UnreadableFileError(f"{path.name}: choose a .csv or .xlsx file")
    if not path.is_file():
        raise UnreadableFileError(f"There is no file at {path}")
    try:
        with path.open("rb") as handle:
            start = handle.read(len(_OLE_MAGIC))
    except OSError as error:
        raise UnreadableFileError(f"{path.name} cannot be opened: {error.strerror}") from error
    if start.startswith(_OLE_MAGIC):
        raise UnreadableFileError(
            f"{path.name} is an old Excel 97–2003 workbook (.xls): in Excel use Save As → "
            "'Excel Workbook (.xlsx)' or 'CSV UTF-8', and import that"
        )
    notes: tuple[str, ...] = ()
    if start.startswith(_ZIP_MAGIC):
        raw_rows: Iterable[list[Any]] = _WorkbookRows(path)
    elif suffix in _WORKBOOK_SUFFIXES:
        kind = "plain text (a CSV file?)" if start and _looks_like_text(path) else "no workbook"
        rename = f": rename it to {path.stem}.csv and import that" if "text" in kind else ""
        raise UnreadableFileError(
            f"{path.name} cannot be read as an Excel workbook: it holds {kind}{rename}"
        )
    else:
        text, encoding_note = _read_text(path)
        raw_rows = _csv_rows(text, path.name)
        notes = (encoding_note,) if encoding_note else ()
    return _table(raw_rows, path.name, notes)


def _table(raw_rows: Iterable[list[Any]], file_name: str, notes: tuple[str, ...]) -> Sheet:
    """Header (the first row that is not blank), then every non-blank row under it."""
    headers: tuple[str, ...] | None = None
    header_row = 0
    rows: list[SheetRow] = []
    stray: list[StrayCell] = []
    unsaved: list[tuple[SheetRow, str]] = []  # formula cells with no value: blank, or not?
    for number, raw in enumerate(raw_rows, start=1):
        if headers is None:
            if any(_cell_text(cell) for cell in raw):
                headers = tuple(normalise_header(cell) for cell in raw)
                header_row = number
            continue
        values = dict.fromkeys((h for h in headers if h), "")
        row = SheetRow(number, values)
        filled: set[str] = set()
        for index, cell in enumerate(raw):
            text = _cell_text(cell)
            header = headers[index] if index < len(headers) else ""
            if not header:
                if text:
                    stray.append(StrayCell(number, column_letter(index), _shown(text)))
                continue
            if header in filled:  # a repeated column name: the file is refused for it
                continue
            filled.add(header)
            values[header] = text
            problem = _cell_problem(cell, text)
            if problem:
                row.cell_problems[header] = problem
                if isinstance(cell, _UnsavedFormula):
                    unsaved.append((row, header))
        if row.is_blank:
            continue
        rows.append(row)
        if len(rows) > MAX_ROWS:
            raise UnreadableFileError(
                f"{file_name} has more than {MAX_ROWS:,} rows of trainees: APDesk imports at "
                f"most {MAX_ROWS:,} at a time, so split the file"
            )
    if headers is None:
        raise UnreadableFileError(f"{file_name} is empty: the first row must hold the column names")
    if getattr(raw_rows, "calculated", False):  # Excel worked the sheet out: those are blanks
        for row, header in unsaved:
            del row.cell_problems[header]
        rows = [row for row in rows if not row.is_blank]
    return Sheet(headers, tuple(rows), header_row, tuple(stray), notes)


# -- CSV ------------------------------------------------------------------------------------
def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    return b"\x00" not in sample or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))


def _read_text(path: Path) -> tuple[str, str | None]:
    """The file's text and, when its encoding had to be assumed, a note saying so."""
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise UnreadableFileError(
                f"{path.name} is {size / 1024 / 1024:,.0f} MB: far more than {MAX_ROWS:,} "
                "trainees; is it the right file?"
            )
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFileError(f"{path.name} cannot be opened: {error.strerror}") from error
    note = None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16", path.name)  # Excel's "Unicode Text"
    elif data.startswith(codecs.BOM_UTF8):
        text = _decode(data, "utf-8-sig", path.name)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Excel's plain "CSV" on a UK Windows PC writes Windows-1252: £ and é as one byte.
            text = _decode(data, "cp1252", path.name)
            note = (
                f"{path.name} is not UTF-8: read as Excel's plain 'CSV' (Windows-1252); check "
                "names with accents and £ signs"
            )
    if _looks_binary(text):
        raise UnreadableFileError(
            f"{path.name} is not a CSV file: it holds binary data. Choose the .csv or .xlsx "
            "file the trainees were saved in"
        )
    return text, note


def _looks_binary(text: str) -> bool:
    """Many characters that are not text: a program or an image, not a CSV. A stray one
    in a real CSV is reported in its cell instead."""
    sample = text[:4096]
    controls = sum(1 for c in sample if c < " " and c not in "\t\r\n")
    return controls > max(2, len(sample) // 100)


def _decode(data: bytes, encoding: str, file_name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"{file_name} is not UTF-8 text: in Excel use Save As → 'CSV UTF-8'"
        ) from error


def _delimiter(text: str) -> str:
    """Comma, or the semicolon or tab the header line is clearly split by."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {mark: header.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] > counts[","] else ","


def _csv_rows(text: str, file_name: str) -> Iterator[list[Any]]:
    # The reader's default limit (128 KiB a cell) would stop a long cell with a bare csv
    # error; the file is already bounded by MAX_CSV_BYTES, and the trainee rules name the
    # row and column of anything over-long. Raising the process-wide limit only ever widens it.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        yield from reader
    except csv.Error as error:
        raise UnreadableFileError(
            f"{file_name} cannot be read as CSV at row {reader.line_num}: {error}"
        ) from error


# -- XLSX -----------------------------------------------------------------------------------
class _WorkbookRows:
    """Rows of a workbook's first sheet as Excel last saved them.

    A formula cell gives the value saved with it. A formula with no saved value is either
    blank (Excel saves "" as nothing) or never calculated (the file was written by a program
    and not opened in Excel since); the two look alike cell by cell, so such cells come as
    :class:`_UnsavedFormula` and ``calculated`` says, once read, whether any formula in the
    sheet had a value: if one did, Excel calculated the sheet and the others are blank.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.calculated = False

    def __iter__(self) -> Iterator[list[Any]]:
        from openpyxl import load_workbook  # only when importing a workbook

        # Opened as files, not by name: openpyxl refuses a workbook whose name says .csv.
        with self.path.open("rb") as values_file, self.path.open("rb") as formulas_file:
            try:
                values_book = load_workbook(values_file, read_only=True, data_only=True)
                formulas_book = load_workbook(formulas_file, read_only=True, data_only=False)
            except Exception as error:  # whatever broke, the file is the cause: _damaged
                raise self._damaged() from error
            try:
                yield from self._rows(values_book, formulas_book)
            finally:
                values_book.close()
                formulas_book.close()

    def _damaged(self) -> UnreadableFileError:
        """openpyxl fails on a damaged workbook in as many ways as its parts can be damaged
        (zip, zlib, XML, missing parts, wrong types); whichever it is, the file is the cause."""
        return UnreadableFileError(f"{self.path.name} cannot be read as an Excel workbook")

    def _rows(self, values_book: Any, formulas_book: Any) -> Iterator[list[Any]]:
        try:
            if not values_book.worksheets:
                return
            values = values_book.worksheets[0].iter_rows(values_only=True)
            formulas = formulas_book.worksheets[0].iter_rows(values_only=True)
            for value_row, formula_row in zip(values, formulas, strict=False):
                cells = list(value_row)
                for index, (value, formula) in enumerate(zip(cells, formula_row, strict=False)):
                    if not _is_formula(formula):
                        continue
                    if value is None:
                        cells[index] = _UnsavedFormula(formula)
                    else:
                        self.calculated = True
                yield cells
        except Exception as error:  # whatever broke, the file is the cause: _damaged
            raise self._damaged() from error


def _is_formula(cell: object) -> bool:
    if isinstance(cell, str):
        return cell.startswith("=")
    return hasattr(cell, "text")  # openpyxl's ArrayFormula and DataTableFormula
