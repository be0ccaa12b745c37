"""Importing whatever trusts' spreadsheets hold: every encoding Excel saves in, blank rows and
stray columns, formulas and error values, over-long cells, damaged and huge files, and dates in
every spelling seen.

The properties, for any file: the import raises nothing but its documented refusals
(UnreadableFileError for a file that is not a table); a refused file imports nothing; every
problem with a row names the row and the column; an accepted file imports exactly its rows.
"""

from __future__ import annotations

import itertools
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import Trainee
from apdesk.services.spreadsheets import MAX_ROWS, UnreadableFileError
from apdesk.services.trainee_import import (
    IMPORT_COLUMNS,
    ImportReport,
    RowProblem,
    import_trainees,
)
from tests.helpers.builders import SmallProgramme, add_small_programme
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.import_files import (
    DATE_SPELLINGS,
    EXCEL_DAY_ZERO,
    HEADERS,
    csv_text,
    good_row,
    two_years_on,
    us_order,
    write_csv,
    write_xlsx,
)

# One database per test, shared by its examples: each example counts trainees before and after.
fuzz = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Every row of every example is a new person, so an accepted file never repeats an earlier one.
_serials = itertools.count(1)

# How a message names each column (compared without case).
COLUMN_WORDS = {column.name: column.name.replace("_", " ") for column in IMPORT_COLUMNS} | {
    "uln": "ULN",
    "email": "e-mail",
    "care_certificate_version": "Care Certificate version",
}
ACCENTED = "éëèêáàâäíïîóöôúüûñçÉÖÜÇ"
# Letters Excel's plain "CSV" can hold. Symbols such as £ are left out on purpose: after an
# accented letter they can spell valid UTF-8 (é££ is U+98E3), which no reader can tell apart.
NAME_LETTERS = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" + ACCENTED)
names = st.builds(
    lambda first, rest: first + rest,
    NAME_LETTERS,
    st.text(alphabet=st.one_of(NAME_LETTERS, st.sampled_from(" '-")), max_size=20),
).map(str.rstrip)


@pytest.fixture
def programme(database: Database) -> SmallProgramme:
    return add_small_programme(database)


def trainee_count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(Trainee.id))) or 0


def fresh_rows(programme: SmallProgramme, count: int) -> list[dict[str, str]]:
    return [good_row(programme, next(_serials)) for _ in range(count)]


def attempt(database: Database, path: Path, **kwargs: object) -> ImportReport | str:
    """The report, or the refusal's message; any other exception fails the test."""
    try:
        return import_trainees(database, path, TEST_ACTOR, **kwargs)  # type: ignore[arg-type]
    except UnreadableFileError as refusal:
        return str(refusal)


def assert_all_or_nothing(database: Database, before: int, outcome: ImportReport | str) -> None:
    added = trainee_count(database) - before
    if isinstance(outcome, str) or not outcome.ok:
        assert added == 0, f"a refused file imported {added} trainees"
    else:
        assert added == outcome.imported == outcome.rows_read


def assert_names(problem: RowProblem, row: int, column: str) -> None:
    assert problem.row == row, problem
    assert str(problem).startswith(f"Row {row}: "), problem
    assert COLUMN_WORDS[column].casefold() in str(problem).casefold(), problem


def refused_row(
    database: Database, path: Path, before: int, row: int, column: str
) -> list[RowProblem]:
    """The file was refused for row ``row`` alone, a problem names ``column``, and nothing
    was imported. Returns the problems with that row."""
    outcome = attempt(database, path)
    assert not isinstance(outcome, str), outcome
    assert_all_or_nothing(database, before, outcome)
    assert not outcome.ok and outcome.imported == 0
    assert {p.row for p in outcome.errors} == {row}, outcome.errors
    words = COLUMN_WORDS[column].casefold()
    assert any(words in str(p).casefold() for p in outcome.errors), outcome.errors
    for problem in outcome.errors:
        assert str(problem).startswith(f"Row {row}: ")
    return list(outcome.errors)


# -- encodings --------------------------------------------------------------------------------
ENCODINGS = {  # Excel's Save As choices, and what other programs write
    "CSV UTF-8 (BOM)": ("utf-8-sig", ","),
    "UTF-8 without BOM": ("utf-8", ","),
    "Unicode Text (UTF-16, tabs)": ("utf-16", "\t"),
    "UTF-16 with commas": ("utf-16", ","),
    "plain CSV (Windows-1252)": ("cp1252", ","),
    "Latin-1": ("latin-1", ","),
    "semicolons (European Excel)": ("utf-8-sig", ";"),
}


@fuzz
@given(
    saved_as=st.sampled_from(sorted(ENCODINGS)),
    first_names=st.lists(names, min_size=1, max_size=3),
    last_name=names,
)
def test_names_come_through_every_encoding_excel_saves_in(
    database: Database,
    programme: SmallProgramme,
    tmp_path: Path,
    saved_as: str,
    first_names: list[str],
    last_name: str,
) -> None:
    encoding, delimiter = ENCODINGS[saved_as]
    rows = fresh_rows(programme, len(first_names))
    for row, first in zip(rows, first_names, strict=True):
        row["first_name"], row["last_name"] = first, last_name
    path = write_csv(tmp_path / "cohort.csv", rows, encoding=encoding, delimiter=delimiter)
    before = trainee_count(database)

    report = attempt(database, path)

    assert isinstance(report, ImportReport) and report.ok, report
    assert_all_or_nothing(database, before, report)
    with database.read() as session:
        saved = session.execute(
            select(Trainee.first_name, Trainee.last_name).where(
                Trainee.employee_number.in_([row["employee_number"] for row in rows])
            )
        ).all()
    assert sorted(saved) == sorted((first, last_name) for first in first_names)
    guessed = any(ord(c) > 127 for c in "".join(first_names) + last_name) and encoding in (
        "cp1252",
        "latin-1",
    )
    notes = [str(w) for w in report.warnings if w.row is None]
    assert bool(notes) == guessed  # a guessed encoding is said, with what to check
    if guessed:
        assert "Windows-1252" in notes[0] and "accents" in notes[0]


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-16"])
def test_a_pound_sign_and_accents_in_one_cell(
    database: Database, programme: SmallProgramme, tmp_path: Path, encoding: str
) -> None:
    [row] = fresh_rows(programme, 1)
    row |= {"last_name": "Ó Briain-Brontë", "care_pathway": "Perinatal (£2k bursary)"}
    path = write_csv(tmp_path / "c.csv", [row], [*HEADERS, "care_pathway"], encoding=encoding)

    report = import_trainees(database, path, TEST_ACTOR)

    assert report.ok
    with database.read() as session:
        saved = session.execute(select(Trainee.last_name, Trainee.care_pathway)).one()
    assert tuple(saved) == ("Ó Briain-Brontë", "Perinatal (£2k bursary)")


def test_bytes_that_are_no_known_text_are_refused_with_what_to_do(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(",".join(HEADERS).encode() + b"\r\nA\x81\x8d\x90\x9d,B\r\n")  # not UTF-8/1252
    assert attempt(database, path) == "c.csv is not UTF-8 text: in Excel use Save As → 'CSV UTF-8'"


# -- shape: blank lines, spare columns, header spellings ---------------------------------------
def header_spelling(column: str, style: int) -> str:
    words = column.replace("_", " ")
    return [column, words.title(), f"  {words.upper()} ", words.replace(" ", "-"), f"{words}*"][
        style
    ]


@fuzz
@given(
    data=st.data(),
    count=st.integers(1, 5),
    leading_blank_lines=st.integers(0, 2),
    spare_columns=st.integers(0, 3),
    spoil=st.booleans(),
)
def test_blank_lines_spare_columns_and_header_spellings_change_nothing_but_row_numbers(
    database: Database,
    programme: SmallProgramme,
    tmp_path: Path,
    data: st.DataObject,
    count: int,
    leading_blank_lines: int,
    spare_columns: int,
    spoil: bool,
) -> None:
    rows = fresh_rows(programme, count)
    styles = data.draw(st.lists(st.integers(0, 4), min_size=len(HEADERS), max_size=len(HEADERS)))
    blank = "," * (len(HEADERS) - 1 + spare_columns)
    lines = [blank if n % 2 else "" for n in range(leading_blank_lines)]
    lines.append(",".join(header_spelling(c, s) for c, s in zip(HEADERS, styles, strict=True)))
    lines[-1] += "," * spare_columns
    spreadsheet_rows = []
    for row in rows:
        lines += [blank] * data.draw(st.integers(0, 2), label="blank lines before the row")
        lines.append(csv_text([row]).splitlines()[1] + "," * spare_columns)
        spreadsheet_rows.append(len(lines))  # Excel numbers lines from 1
    spoilt = data.draw(st.integers(0, count - 1), label="spoilt row") if spoil else None
    if spoilt is not None:
        rows[spoilt]["uln"] = "1234567890"
        lines[spreadsheet_rows[spoilt] - 1] = (
            csv_text([rows[spoilt]]).splitlines()[1] + "," * spare_columns
        )
    path = tmp_path / "cohort.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    before = trainee_count(database)

    if spoilt is None:
        report = attempt(database, path)
        assert isinstance(report, ImportReport) and report.ok, report
        assert report.imported == count and not report.warnings
        assert_all_or_nothing(database, before, report)
    else:
        [problem] = refused_row(database, path, before, spreadsheet_rows[spoilt], "uln")
        assert problem.message == "ULN 1234567890 fails its check digit"


@fuzz
@given(
    dropped=st.sets(st.sampled_from(["first_name", "employer", "cohort", "start_date"])),
    unknown=st.sets(st.sampled_from(["notes", "date_of_birth", "emploee_no", "NI number"])),
    repeated=st.sets(st.sampled_from(HEADERS), max_size=2),
)
def test_missing_unknown_and_repeated_columns_are_each_named_and_nothing_is_imported(
    database: Database,
    programme: SmallProgramme,
    tmp_path: Path,
    dropped: set[str],
    unknown: set[str],
    repeated: set[str],
) -> None:
    repeated -= dropped  # a dropped column added back once is simply there
    assume(dropped or unknown or repeated)
    headers = [h for h in HEADERS if h not in dropped] + sorted(unknown) + sorted(repeated)
    rows = fresh_rows(programme, 2)
    path = write_csv(tmp_path / "cohort.csv", rows, headers)
    before = trainee_count(database)

    report = attempt(database, path)

    assert isinstance(report, ImportReport)
    assert_all_or_nothing(database, before, report)
    assert report.imported == 0 and all(p.row is None for p in report.errors)
    messages = [str(p) for p in report.errors]
    assert messages[: len(dropped)] == [f"Missing column '{h}'" for h in HEADERS if h in dropped]
    for name in unknown:
        assert f"Unknown column '{name.lower().replace(' ', '_')}'" in messages
    for name in repeated:
        letters = [chr(ord("A") + n) for n, h in enumerate(headers) if h == name]
        assert f"Column '{name}' appears more than once: columns {' and '.join(letters)}" in (
            messages
        )
    assert len(messages) == len(dropped) + len(unknown) + len(repeated)


def test_a_value_in_a_column_with_no_name_is_reported_not_silently_dropped(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    rows = fresh_rows(programme, 2)
    lines = csv_text(rows).splitlines()
    lines[0] += ","  # a spare column, then a note typed beside row 3
    lines[1] += ","
    lines[2] += ",left in March"
    path = tmp_path / "c.csv"
    path.write_text("\r\n".join(lines), encoding="utf-8")

    report = import_trainees(database, path, TEST_ACTOR)

    assert report.ok and report.imported == 2
    letter = chr(ord("A") + len(HEADERS))
    assert [str(w) for w in report.warnings] == [
        f"Row 3: column {letter} has no column name, so 'left in March' in it was not imported"
    ]


# -- cells that are not values --------------------------------------------------------------
FORMULA_PAYLOADS = ["SUM(A1:A3)", 'HYPERLINK("http://x.example","x")', "cmd|' /C calc'!A0"]


@fuzz
@given(
    column=st.sampled_from(HEADERS),
    start=st.sampled_from("=+-@"),
    payload=st.sampled_from(FORMULA_PAYLOADS),
    as_workbook=st.booleans(),
    row_index=st.integers(0, 2),
)
def test_formula_like_cells_are_refused_by_row_and_column(
    database: Database,
    programme: SmallProgramme,
    tmp_path: Path,
    column: str,
    start: str,
    payload: str,
    as_workbook: bool,
    row_index: int,
) -> None:
    rows = fresh_rows(programme, 3)
    rows[row_index][column] = start + payload
    path = (
        write_xlsx(tmp_path / "c.xlsx", rows)
        if as_workbook
        else write_csv(tmp_path / "c.csv", rows)
    )
    [problem] = refused_row(database, path, trainee_count(database), row_index + 2, column)
    if start == "=":
        assert "formula" in problem.message


def test_a_formula_saved_with_its_value_by_excel_is_read_as_that_value(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    rows = fresh_rows(programme, 2)
    rows[0]["first_name"] = '=PROPER("kofi")'
    rows[1]["maths_level2"] = '=IF(FALSE,"achieved","")'  # Excel saves "" as no value at all
    path = write_xlsx(tmp_path / "c.xlsx", rows, saved_values={"A2": "Kofi"})

    report = import_trainees(database, path, TEST_ACTOR)

    assert report.ok and report.imported == 2, report.errors
    with database.read() as session:
        assert session.scalar(select(Trainee.first_name).order_by(Trainee.id)) == "Kofi"


BROKEN_CELLS = ["#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "########", "a\x00b", "x\x07y"]


@fuzz
@given(
    column=st.sampled_from(HEADERS), value=st.sampled_from(BROKEN_CELLS), as_workbook=st.booleans()
)
def test_spreadsheet_errors_and_control_characters_are_refused_by_row_and_column(
    database: Database,
    programme: SmallProgramme,
    tmp_path: Path,
    column: str,
    value: str,
    as_workbook: bool,
) -> None:
    assume(not (as_workbook and not value.isprintable()))  # XML holds no control characters
    rows = fresh_rows(programme, 2)
    rows[1][column] = value
    if as_workbook:
        path = write_xlsx(tmp_path / "c.xlsx", rows)
    else:
        path = write_csv(tmp_path / "c.csv", rows)
    refused_row(database, path, trainee_count(database), 3, column)


def test_a_quote_left_open_is_refused_at_its_row_not_silently_joined(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    rows = fresh_rows(programme, 4)
    lines = csv_text(rows).splitlines()
    lines[2] = lines[2].replace(",Example,", ',"Example,', 1)  # row 3's quote never closes
    path = tmp_path / "c.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")

    problems = refused_row(database, path, trainee_count(database), 3, "last_name")
    assert problems[0].message == (  # the rest of the row went into the cell: all required
        "last name holds a line break: each value must be on one line (is a quote mark left open?)"
    )


@fuzz
@given(
    column=st.sampled_from(HEADERS),
    length=st.sampled_from([81, 300, 5_000, 200_000]),
    letter=st.sampled_from("x9é"),
)
def test_over_long_cells_are_refused_by_row_and_column_in_a_short_message(
    database: Database,
    programme: SmallProgramme,
    tmp_path: Path,
    column: str,
    length: int,
    letter: str,
) -> None:
    rows = fresh_rows(programme, 2)
    rows[0][column] = letter * length
    path = write_csv(tmp_path / "c.csv", rows)
    [problem] = refused_row(database, path, trainee_count(database), 2, column)
    assert len(str(problem)) < 200  # the cell is not repeated back in full


# -- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize("spelling", sorted(DATE_SPELLINGS))
@settings(fuzz, max_examples=4)
@given(day=st.dates(date(2000, 1, 1), date(2040, 12, 31)))
def test_every_date_spelling_trusts_use_reads_as_the_same_day(
    database: Database, programme: SmallProgramme, tmp_path: Path, day: date, spelling: str
) -> None:
    [row] = fresh_rows(programme, 1)
    row["start_date"] = DATE_SPELLINGS[spelling](day)
    row["planned_end_date"] = two_years_on(day).isoformat()
    path = write_csv(tmp_path / "c.csv", [row])
    before = trainee_count(database)

    report = attempt(database, path)

    assert isinstance(report, ImportReport) and report.ok, report
    assert_all_or_nothing(database, before, report)
    with database.read() as session:
        saved = session.scalar(
            select(Trainee.start_date).where(Trainee.employee_number == row["employee_number"])
        )
    assert saved == day
    if spelling == "Excel serial":  # a bare number is read, and said how
        [note] = report.warnings
        assert_names(note, 2, "start_date")
        assert f"{day:%d/%m/%Y}" in note.message
    else:
        assert not report.warnings


@fuzz
@given(day=st.dates(date(2015, 1, 1), date(2035, 12, 31)).filter(lambda d: d.day > 12))
def test_us_order_dates_are_refused_never_swapped(
    database: Database, programme: SmallProgramme, tmp_path: Path, day: date
) -> None:
    rows = fresh_rows(programme, 2)
    rows[1]["start_date"] = us_order(day)
    path = write_csv(tmp_path / "c.csv", rows)
    [problem] = refused_row(database, path, trainee_count(database), 3, "start_date")
    assert problem.message == (
        f"start date '{us_order(day)}' is not a date: dates are day/month/year and there is "
        f"no month {day.day} (write {day:%d/%m/%Y})"
    )


@fuzz
@given(text=st.text(max_size=30))
def test_any_text_in_a_date_column_is_a_plausible_day_or_refused_by_name(
    database: Database, programme: SmallProgramme, tmp_path: Path, text: str
) -> None:
    rows = fresh_rows(programme, 1)
    rows[0]["maths_evidence_date"] = text
    path = write_csv(tmp_path / "c.csv", rows, [*HEADERS, "maths_evidence_date"])
    before = trainee_count(database)

    outcome = attempt(database, path)

    assert_all_or_nothing(database, before, outcome)
    if isinstance(outcome, ImportReport) and outcome.ok:
        with database.read() as session:
            evidence = session.scalar(
                select(Trainee.maths_evidence_on).where(
                    Trainee.employee_number == rows[0]["employee_number"]
                )
            )
        assert evidence is None or date(1900, 1, 1) <= evidence <= date(2099, 12, 31)
    elif isinstance(outcome, ImportReport):
        [problem] = outcome.errors
        assert_names(problem, 2, "maths_evidence_date")


def test_workbook_date_cells_date_times_and_serial_numbers(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    rows: list[dict[str, object]] = [dict(row) for row in fresh_rows(programme, 3)]
    rows[0]["start_date"] = datetime(2024, 9, 9, 9, 30)  # a date cell that also holds a time
    rows[1]["start_date"] = date(2024, 9, 9)
    rows[2]["start_date"] = (date(2024, 9, 9) - EXCEL_DAY_ZERO).days  # General format
    for row in rows:
        row["planned_end_date"] = datetime(2026, 9, 8)
    path = write_xlsx(tmp_path / "c.xlsx", rows)

    report = import_trainees(database, path, TEST_ACTOR)

    assert report.ok and report.imported == 3, report.errors
    with database.read() as session:
        starts = session.scalars(select(Trainee.start_date)).all()
    assert starts == [date(2024, 9, 9)] * 3
    assert [str(w) for w in report.warnings] == [
        "Row 4: start date 45544 was read as an Excel date number: 09/09/2024"
    ]


cell_values = st.one_of(
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.datetimes(datetime(1900, 1, 1), datetime(2199, 12, 31)),
    st.dates(date(1900, 1, 1), date(2199, 12, 31)),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=40),
)


@fuzz
@given(column=st.sampled_from(HEADERS), value=cell_values)
def test_any_typed_workbook_cell_is_read_or_refused_by_row_and_column(
    database: Database, programme: SmallProgramme, tmp_path: Path, column: str, value: object
) -> None:
    rows: list[dict[str, object]] = [dict(row) for row in fresh_rows(programme, 1)]
    rows[0][column] = value
    path = write_xlsx(tmp_path / "c.xlsx", rows)
    before = trainee_count(database)

    outcome = attempt(database, path)

    assert isinstance(outcome, ImportReport), outcome
    assert_all_or_nothing(database, before, outcome)
    if not outcome.ok:
        assert {p.row for p in outcome.errors} == {2}, outcome.errors
        words = COLUMN_WORDS[column].casefold()
        assert any(words in str(p).casefold() for p in outcome.errors), outcome.errors


# -- files that are not what they say, empty, damaged or huge ----------------------------------
def test_a_workbook_saved_with_a_csv_name_is_read_as_the_workbook(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "cohort.xlsx", fresh_rows(programme, 2))
    renamed = path.rename(tmp_path / "cohort.csv")
    report = import_trainees(database, renamed, TEST_ACTOR)
    assert report.ok and report.imported == 2 and trainee_count(database) == 2


def test_a_csv_saved_with_an_xlsx_name_is_refused_with_the_rename_to_do(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "cohort.csv", fresh_rows(programme, 2))
    renamed = path.rename(tmp_path / "cohort.xlsx")
    assert attempt(database, renamed) == (
        "cohort.xlsx cannot be read as an Excel workbook: it holds plain text (a CSV file?): "
        "rename it to cohort.csv and import that"
    )
    assert trainee_count(database) == 0


def test_an_old_xls_workbook_is_refused_with_what_to_do(database: Database, tmp_path: Path) -> None:
    path = tmp_path / "cohort.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000))
    assert attempt(database, path) == (
        "cohort.xlsx is an old Excel 97–2003 workbook (.xls): in Excel use Save As → "
        "'Excel Workbook (.xlsx)' or 'CSV UTF-8', and import that"
    )


@pytest.mark.parametrize(
    ("name", "content", "refusal"),
    [
        ("a.csv", b"", "a.csv is empty: the first row must hold the column names"),
        ("b.csv", b"\r\n\r\n\r\n", "b.csv is empty: the first row must hold the column names"),
        ("c.csv", b",,,\r\n,,\r\n", "c.csv is empty: the first row must hold the column names"),
        ("d.csv", b"\xef\xbb\xbf", "d.csv is empty: the first row must hold the column names"),
        ("e.xlsx", b"", "e.xlsx cannot be read as an Excel workbook: it holds no workbook"),
    ],
)
def test_empty_files_are_refused_clearly(
    database: Database, tmp_path: Path, name: str, content: bytes, refusal: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert attempt(database, path) == refusal


def test_an_empty_workbook_and_a_header_only_file(database: Database, tmp_path: Path) -> None:
    empty = write_xlsx(tmp_path / "empty.xlsx", [], headers=[])
    assert attempt(database, empty) == (
        "empty.xlsx is empty: the first row must hold the column names"
    )
    header_only = attempt(database, write_csv(tmp_path / "h.csv", []))
    assert isinstance(header_only, ImportReport)
    assert [str(p) for p in header_only.errors] == ["The file has column names but no trainees"]


@fuzz
@given(content=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_binary_garbage_is_refused_and_never_crashes(
    database: Database, tmp_path: Path, content: bytes, suffix: str
) -> None:
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(content)
    before = trainee_count(database)
    outcome = attempt(database, path)
    assert isinstance(outcome, str) or not outcome.ok
    assert_all_or_nothing(database, before, outcome)


@settings(fuzz, max_examples=25)
@given(
    as_workbook=st.booleans(),
    damage=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=4),
    cut=st.none() | st.floats(0, 1),
)
def test_a_damaged_copy_of_a_good_file_never_crashes_and_never_imports_in_part(
    database: Database,
    programme: SmallProgramme,
    tmp_path: Path,
    as_workbook: bool,
    damage: list[tuple[float, int]],
    cut: float | None,
) -> None:
    rows = fresh_rows(programme, 3)
    # Both saved as .csv: the reader goes by what the file holds.
    path = (
        write_xlsx(tmp_path / "c.csv", rows) if as_workbook else write_csv(tmp_path / "c.csv", rows)
    )
    content = bytearray(path.read_bytes())
    for where, byte in damage:
        content[int(where * len(content))] = byte
    if cut is not None:
        del content[int(cut * len(content)) :]
    path.write_bytes(bytes(content))
    before = trainee_count(database)

    outcome = attempt(database, path)

    assert_all_or_nothing(database, before, outcome)
    if isinstance(outcome, ImportReport):
        assert all(p.row is None or p.row >= 2 for p in outcome.errors)


def test_a_20000_row_file_is_refused_at_once_with_a_clear_message(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    row = fresh_rows(programme, 1)[0]
    body = csv_text([row]).splitlines()[1]
    path = tmp_path / "everyone.csv"
    path.write_text("\r\n".join([",".join(HEADERS), *[body] * 20_000]), encoding="utf-8")

    started = time.perf_counter()
    outcome = attempt(database, path)

    assert time.perf_counter() - started < 5
    assert outcome == (
        "everyone.csv has more than 10,000 rows of trainees: APDesk imports at most 10,000 at "
        "a time, so split the file"
    )
    assert trainee_count(database) == 0


def test_a_file_at_the_limit_is_checked_in_full(
    database: Database, programme: SmallProgramme, tmp_path: Path
) -> None:
    rows = fresh_rows(programme, MAX_ROWS)
    rows[-1]["contracted_hours"] = "37.25"  # only the last row is wrong: all are read
    path = write_csv(tmp_path / "region.csv", rows)

    report = import_trainees(database, path, TEST_ACTOR, dry_run=True)

    assert report.rows_read == MAX_ROWS and report.imported == 0
    assert [str(p) for p in report.errors] == [
        f"Row {MAX_ROWS + 1}: contracted hours 37.25 must be in tenths of an hour, e.g. 37.5"
    ]


# -- accepted files ---------------------------------------------------------------------------
@fuzz
@given(
    count=st.integers(1, 8), as_workbook=st.booleans(), hours=st.sampled_from(["37.5", "22.5", "7"])
)
def test_an_accepted_file_imports_exactly_its_rows(
    database: Database,
    programme: SmallProgramme,
    tmp_path: Path,
    count: int,
    as_workbook: bool,
    hours: str,
) -> None:
    rows = fresh_rows(programme, count)
    for row in rows:
        row["contracted_hours"] = hours
    path = (
        write_xlsx(tmp_path / "c.xlsx", rows)
        if as_workbook
        else write_csv(tmp_path / "c.csv", rows)
    )
    before = trainee_count(database)

    report = attempt(database, path)

    assert isinstance(report, ImportReport) and report.ok, report
    assert report.imported == report.rows_read == count
    assert_all_or_nothing(database, before, report)
    with database.read() as session:
        saved = session.execute(
            select(Trainee.employee_number, Trainee.uln, Trainee.contracted_hours_per_week).where(
                Trainee.employee_number.in_([row["employee_number"] for row in rows])
            )
        ).all()
    assert sorted((n, u, f"{h.normalize():f}") for n, u, h in saved) == sorted(
        (row["employee_number"], row["uln"], hours) for row in rows
    )
