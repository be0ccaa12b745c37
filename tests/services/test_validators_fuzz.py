"""Every form's rules against anything a person can type or paste: the rules never crash, every
problem is filed under its field and says which field it is about, and whatever the rules let
through is something the database can store as it was typed. Two real dialogs are then given
garbage: they show the problem under the field and save nothing."""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import Trainee
from apdesk.domain.enums import AttendanceStatus, Level2Status
from apdesk.services.accounts import full_name_problem, password_problem, username_problem
from apdesk.services.attendance import MINUTES_APPLY, RegisterLine, register_problems
from apdesk.services.progress import trainee_progress
from apdesk.services.reviews import break_problems, list_reviews, review_problems
from apdesk.services.trainees import (
    FIELD_ORDER,
    ExistingTrainees,
    TraineeDetails,
    TraineeDetailsRefusedError,
    add_trainee,
    details_problems,
    duplicate_problems,
    trainee_details,
)
from apdesk.ui import messages
from apdesk.ui.dialogs.add_account import new_password_problems
from apdesk.ui.dialogs.review_dialog import ReviewDialog
from apdesk.ui.dialogs.trainee_dialog import TraineeDialog
from apdesk.ui.tab import TabContext
from tests.helpers.builders import SmallProgramme, add_small_programme
from tests.helpers.builders import add_trainee as build_trainee
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.import_files import two_years_on
from tests.helpers.trainees import valid_details

TODAY = date(2026, 11, 25)
quick = settings(max_examples=150, deadline=None)
with_database = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What people paste: anything, including control characters, tabs, line breaks and NUL.
typed = st.text(max_size=120) | st.text(st.characters(max_codepoint=0x7F), max_size=12)
long_or_typed = (
    st.sampled_from(["Kofi", "Zoë", "O'Neill-Brontë", "Early intervention in psychosis"])
    | typed
    | st.integers(0, 400).map(lambda n: "x" * n)
)
any_day = st.dates() | st.dates(date(2000, 1, 1), date(2030, 12, 31))  # 0001–9999 too
hours = (
    st.sampled_from([Decimal("37.5"), Decimal("22.5"), Decimal("7")])
    | st.decimals(allow_nan=True, allow_infinity=True)
    | st.decimals(min_value=-5, max_value=60, places=2)
    | st.sampled_from([Decimal("1E+999999999"), Decimal("1E-999999999"), Decimal("-0")])
)

# Text a person could mean, in any script and around the columns' lengths.
plausible_name = st.text(
    st.characters(categories=("L",)) | st.sampled_from(" '-"), min_size=1, max_size=90
).filter(lambda text: text.strip() and text.strip()[0] not in "'-")
plausible_hours = st.decimals(Decimal("0.1"), Decimal("48"), places=1) | st.decimals(
    Decimal("0"), Decimal("60"), places=2
)
plausible_day = st.dates(date(2000, 1, 1), date(2030, 12, 31))

# The words each field's message must contain (compared without case).
TRAINEE_FIELD_WORDS = {
    "first_name": "first name",
    "last_name": "last name",
    "employee_number": "employee number",
    "employer_id": "employer",
    "uln": "ULN",
    "email": "e-mail",
    "service_area_id": "service area",
    "care_pathway": "care pathway",
    "cohort_id": "cohort",
    "contracted_hours_per_week": "contracted hours",
    "start_date": "start date",
    "planned_end_date": "planned end date",
    "maths_evidence_on": "maths evidence date",
    "english_evidence_on": "English evidence date",
    "care_certificate_version": "Care Certificate version",
    "foundation_degree_credits": "foundation degree credits",
    "foundation_degree_awarded_on": "foundation degree award date",
    "employer_confirmed_gateway_on": "gateway confirmation date",
}
DATABASE_LENGTHS = {  # the columns' lengths, from apdesk.db.models.trainees
    "first_name": 80,
    "last_name": 80,
    "employee_number": 40,
    "uln": 10,
    "email": 254,
    "care_pathway": 120,
}


def is_storable_text(text: str, *, line_breaks: bool = False) -> bool:
    """What PostgreSQL keeps exactly as given: no NUL, and (our rule) no control characters."""
    allowed = "\n\r\t" if line_breaks else ""
    return all(c in allowed or unicodedata.category(c) not in ("Cc", "Cs") for c in text)


def names_its_field(message: str, words: str) -> bool:
    return words.casefold() in message.casefold()


# -- the trainee's details -------------------------------------------------------------------
garbage_details = st.builds(
    TraineeDetails,
    first_name=long_or_typed,
    last_name=long_or_typed,
    employee_number=long_or_typed,
    employer_id=st.none() | st.just(1),
    uln=st.none() | typed | st.just("9276308686") | st.just("9999999999"),
    email=st.none() | typed | st.just("kofi.mensah@example.nhs.uk"),
    service_area_id=st.none() | st.just(1),
    care_pathway=st.none() | long_or_typed,
    cohort_id=st.none() | st.just(1),
    contracted_hours_per_week=st.none() | hours,
    start_date=st.none() | any_day,
    planned_end_date=st.none() | any_day,
    maths_status=st.sampled_from(Level2Status),
    maths_evidence_on=st.none() | any_day,
    english_evidence_on=st.none() | any_day,
    care_certificate_version=st.none() | st.sampled_from(["2015", "2025"]) | typed,
    foundation_degree_credits=st.integers(-(10**9), 10**9),
    foundation_degree_awarded_on=st.none() | any_day,
    employer_confirmed_gateway_on=st.none() | any_day,
)


plausible_details = st.builds(
    TraineeDetails,
    first_name=plausible_name,
    last_name=plausible_name,
    employee_number=st.from_regex(r"ESR[0-9]{1,8}(-[0-9])?", fullmatch=True) | plausible_name,
    employer_id=st.just(1),
    uln=st.none() | st.sampled_from(["9276308686", "9999999999", "1234567890"]),
    email=st.none() | st.emails(),
    service_area_id=st.just(1),
    care_pathway=st.none() | plausible_name,
    cohort_id=st.just(1),
    contracted_hours_per_week=plausible_hours,
    start_date=plausible_day,
    maths_evidence_on=st.none() | plausible_day,
).map(lambda details: replace(details, planned_end_date=two_years_on(details.start_date)))


@quick
@given(details=garbage_details | plausible_details)
def test_trainee_rules_never_crash_and_file_each_problem_under_its_field(
    details: TraineeDetails,
) -> None:
    details = details.normalised()  # as every service does before checking

    check = details_problems(details, today=TODAY, known_versions={"2015": 1, "2025": 2})
    event("accepted" if check.ok else "refused")

    for field, message in [*check.errors.items(), *check.warnings.items()]:
        assert field in FIELD_ORDER
        assert names_its_field(message, TRAINEE_FIELD_WORDS[field]), (field, message)
        assert len(message) < 400  # a pasted page is not repeated back
    if check.ok:  # what passes can be stored as typed
        for field, limit in DATABASE_LENGTHS.items():
            text = getattr(details, field) or ""
            assert len(text) <= limit and is_storable_text(text), (field, text)
        hours_typed = details.contracted_hours_per_week
        assert hours_typed is not None and Decimal(0) < hours_typed <= 48
        assert hours_typed == hours_typed.quantize(Decimal("0.1"))  # the column's precision
        for field in ("start_date", "planned_end_date", "maths_evidence_on"):
            day = getattr(details, field)
            assert day is None or date(1900, 1, 1) <= day <= date(2099, 12, 31)


@quick
@given(
    employee_number=st.sampled_from(["ESR1", " esr1 ", "ESR2"]) | typed,
    uln=st.none() | st.sampled_from(["9276308686", "9999999999"]) | typed,
    employer_id=st.none() | st.integers(1, 2),
    trainee_id=st.none() | st.integers(5, 6),
)
def test_duplicate_rules_never_crash_and_name_the_field(
    employee_number: str, uln: str | None, employer_id: int | None, trainee_id: int | None
) -> None:
    existing = ExistingTrainees(employer_names={1: "Test Trust NHS FT"})
    existing.add(5, 1, "ESR1", "9276308686", "Asha Patel")
    details = TraineeDetails(employee_number=employee_number, uln=uln, employer_id=employer_id)

    problems = duplicate_problems(details.normalised(), existing, trainee_id)

    assert set(problems) <= {"employee_number", "uln"}
    for field, message in problems.items():
        assert names_its_field(message, TRAINEE_FIELD_WORDS[field]) and trainee_id != 5
        assert "Asha Patel" in message or "Test Trust NHS FT" in message


_employee_numbers = itertools.count(1)


@with_database
@given(
    first_name=plausible_name | long_or_typed,
    last_name=plausible_name,
    email=st.none() | st.emails() | typed,
    care_pathway=st.none() | plausible_name,
    contracted_hours=plausible_hours | hours,
    start=plausible_day | any_day,
)
def test_what_the_trainee_rules_let_through_reads_back_exactly_as_typed(
    database: Database,
    first_name: str,
    last_name: str,
    email: str | None,
    care_pathway: str | None,
    contracted_hours: Decimal,
    start: date,
) -> None:
    programme = _programme(database)
    details = replace(
        valid_details(database, programme),
        first_name=first_name,
        last_name=last_name,
        employee_number=f"ESR{next(_employee_numbers)}",
        uln=None,
        email=email,
        care_pathway=care_pathway,
        contracted_hours_per_week=contracted_hours,
        start_date=start,
        planned_end_date=date(2099, 12, 31),
        maths_evidence_on=None,
    )
    try:
        trainee_id = add_trainee(database, TEST_ACTOR, details, today=TODAY)
    except TraineeDetailsRefusedError as refusal:
        assert refusal.problems and set(refusal.problems) <= set(FIELD_ORDER)
        event("refused")
        return
    event("saved")
    saved = trainee_details(database, TEST_ACTOR, trainee_id)
    expected = details.normalised()
    for field in ("first_name", "last_name", "email", "care_pathway", "start_date"):
        assert getattr(saved, field) == getattr(expected, field), field
    assert saved.contracted_hours_per_week == contracted_hours  # never rounded on the way in


_programmes: dict[int, SmallProgramme] = {}


def _programme(database: Database) -> SmallProgramme:
    """One small programme per database, made on the first example."""
    if id(database) not in _programmes:
        _programmes.clear()
        _programmes[id(database)] = add_small_programme(database)
    return _programmes[id(database)]


# -- progress reviews and breaks ----------------------------------------------------------
REVIEW_FIELD_WORDS = {
    "held_on": "review",
    "apprentice_signed": "apprentice",
    "employer_signatory": "employer",
    "provider_signatory": "provider",
    "otj_reviewed": "OTJ",
    "apprentice_comments": "apprentice's comments",
    "employer_comments": "employer's comments",
    "provider_comments": "provider's comments",
}


@quick
@given(
    started_on=any_day,
    held_on=st.none() | any_day,
    apprentice_signed=st.booleans(),
    employer_signatory=long_or_typed,
    provider_signatory=long_or_typed,
    otj_reviewed=st.booleans(),
    comments=st.tuples(typed, typed, typed),
    today=any_day,
)
def test_review_rules_never_crash_and_name_each_field(
    started_on: date,
    held_on: date | None,
    apprentice_signed: bool,
    employer_signatory: str,
    provider_signatory: str,
    otj_reviewed: bool,
    comments: tuple[str, str, str],
    today: date,
) -> None:
    problems = review_problems(
        started_on=started_on,
        held_on=held_on,
        apprentice_signed=apprentice_signed,
        employer_signatory=employer_signatory,
        provider_signatory=provider_signatory,
        otj_reviewed=otj_reviewed,
        today=today,
        apprentice_comments=comments[0],
        employer_comments=comments[1],
        provider_comments=comments[2],
    )

    for field, message in problems.items():
        assert names_its_field(message, REVIEW_FIELD_WORDS[field]), (field, message)
        assert len(message) < 200
    if not problems:
        assert held_on is not None and started_on <= held_on <= today
        for signatory in (employer_signatory, provider_signatory):
            assert 0 < len(signatory.strip()) <= 160 and is_storable_text(signatory.strip())
        assert all(is_storable_text(text, line_breaks=True) for text in comments)


BREAK_FIELD_WORDS = {"start_date": "start", "end_date": ("end", "last day"), "reason": "reason"}


@quick
@given(start=any_day, end=st.none() | any_day, reason=long_or_typed, today=any_day)
def test_break_rules_never_crash_and_name_each_field(
    start: date, end: date | None, reason: str, today: date
) -> None:
    problems = break_problems(start_date=start, end_date=end, reason=reason, today=today)

    for field, message in problems.items():
        words = BREAK_FIELD_WORDS[field]
        alternatives = words if isinstance(words, tuple) else (words,)
        assert any(names_its_field(message, w) for w in alternatives), (field, message)
    if not problems:
        assert reason.strip() and is_storable_text(reason, line_breaks=True)
        assert start <= today and (end is None or start <= end <= today)


# -- registers ----------------------------------------------------------------------------------
register_lines = st.lists(
    st.builds(
        RegisterLine,
        trainee_id=st.integers(1, 10_000),
        name=st.sampled_from(["Asha Patel", "Kofi Mensah", "Zoë Brontë"]),
        status=st.none() | st.sampled_from(AttendanceStatus),
        minutes_attended=st.none() | st.integers(-(10**6), 10**6),
        note=typed,
    ),
    max_size=8,
    unique_by=lambda line: line.trainee_id,
)


@quick
@given(lines=register_lines, session_minutes=st.integers(30, 720))
def test_register_rules_never_crash_and_name_the_person_and_what_is_wrong(
    lines: list[RegisterLine], session_minutes: int
) -> None:
    problems = register_problems(lines, session_minutes)

    by_id = {line.trainee_id: line for line in lines}
    assert set(problems) <= set(by_id)
    for trainee_id, message in problems.items():
        assert message.startswith(by_id[trainee_id].name)
        assert "minutes" in message or "note" in message
    for line in lines:
        if line.trainee_id in problems:
            continue
        assert is_storable_text(line.note, line_breaks=True)
        if line.status is AttendanceStatus.LATE:
            assert line.minutes_attended is not None
        if line.minutes_attended is not None:
            assert line.status in MINUTES_APPLY and 1 <= line.minutes_attended <= session_minutes


# -- accounts -----------------------------------------------------------------------------------
@quick
@given(username=long_or_typed, full_name=long_or_typed, password=typed, repeat=typed)
def test_account_rules_never_crash_and_say_which_field(
    username: str, full_name: str, password: str, repeat: str
) -> None:
    problem = username_problem(username)
    if problem is None:
        name = username.strip()
        assert 0 < len(name) <= 80 and name.replace(".", "").replace("-", "").isalnum()
    else:
        assert "user name" in problem

    name_problem = full_name_problem(full_name)
    if name_problem is None:
        assert 0 < len(full_name.strip()) <= 160 and is_storable_text(full_name.strip())
    else:
        assert "full name" in name_problem

    password_message = password_problem(password, username)
    assert password_message is None or "password" in password_message.lower()
    pair = new_password_problems(password, repeat, username)
    assert set(pair) <= {"password", "repeat"}
    assert all("password" in message.lower() for message in pair.values())


# -- garbage typed into real dialogs --------------------------------------------------------
def paste(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Paste ``text`` as a person would: the clipboard, then Ctrl+V in the field."""
    QGuiApplication.clipboard().setText(text)
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def trainee_count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(Trainee.id))) or 0


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_refusal", lambda _p, a, e: shown.append(f"{a}: {e}"))
    return shown


def test_garbage_in_the_trainee_dialog_is_shown_under_each_field_and_saves_nothing(
    qtbot: QtBot, database: Database, refusals: list[str]
) -> None:
    programme = add_small_programme(database)
    dialog = TraineeDialog(TabContext(database, TEST_ACTOR))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.employer.setCurrentIndex(dialog.employer.findData(programme.employer_id))
    dialog.service_area.setCurrentIndex(dialog.service_area.findText(programme.service_area))
    dialog.cohort.setCurrentIndex(dialog.cohort.findData(programme.cohort_id))

    paste(qtbot, dialog.first_name, '=HYPERLINK("http://x.example")')
    paste(qtbot, dialog.last_name, "Men\x07sah")
    paste(qtbot, dialog.employee_number, "E" * 41)
    qtbot.keyClicks(dialog.uln, "12345abc")
    qtbot.keyClicks(dialog.email, "kofi@")
    paste(qtbot, dialog.care_pathway, "Early intervention\nin psychosis")
    dialog.start_date.setDate(QDate(9999, 1, 1))  # a slipped year: held at the last day allowed

    shown = {name: dialog.messages[name].text() for name in dialog.messages}
    assert shown["first_name"] == (
        "First name '=HYPERLINK(\"http://x.example\")' starts with '=', which spreadsheets "
        "read as a formula"
    )
    assert shown["last_name"] == (  # shown as a space, so where it is is said
        "Last name holds a character that is not text (U+0007) after 'Men'"
    )
    assert shown["employee_number"] == "Employee number is 41 characters long: at most 40"
    assert shown["uln"] == "ULN 12345abc must be 10 digits"
    assert shown["email"] == "E-mail address 'kofi@' is not a valid address"
    assert shown["care_pathway"] == (
        "Care pathway holds a line break (pasted with it?): it must be on one line"
    )
    assert dialog.start_date.date() == QDate(2099, 12, 31)
    assert all(dialog.messages[name].is_error for name in ("first_name", "last_name", "uln"))
    assert not dialog.save_button.isEnabled()

    dialog.accept()  # Enter in a field: the same check, the same refusal
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert trainee_count(database) == 0 and refusals == []

    for field, text in (
        (dialog.first_name, "Kofi"),
        (dialog.last_name, "Mensah"),
        (dialog.employee_number, "ESR20451"),
        (dialog.uln, "9276308686"),
        (dialog.email, "kofi@example.nhs.uk"),
        (dialog.care_pathway, "Early intervention in psychosis"),
    ):
        field.clear()
        qtbot.keyClicks(field, text)
    dialog.start_date.setDate(QDate(2024, 9, 9))
    assert dialog.save_button.isEnabled()  # the same form, corrected, saves
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted and trainee_count(database) == 1


def test_garbage_in_the_review_dialog_is_shown_under_each_field_and_records_nothing(
    qtbot: QtBot, database: Database, refusals: list[str]
) -> None:
    programme = add_small_programme(database)
    trainee_id = build_trainee(database, programme)
    progress = trainee_progress(database, TEST_ACTOR, trainee_id, as_of=TODAY)
    dialog = ReviewDialog(TabContext(database, TEST_ACTOR), progress, [], today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.review.setCurrentIndex(dialog.review.count() - 1)  # not on the schedule
    qtbot.mouseClick(dialog.apprentice_signed, Qt.MouseButton.LeftButton)
    dialog.otj_reviewed.setChecked(True)

    paste(qtbot, dialog.employer_signatory, "Lee\x00Manager")
    paste(qtbot, dialog.provider_signatory, "P" * 161)
    paste(qtbot, dialog.apprentice_comments, "Going well\x1b[2J")

    assert dialog.messages["employer_signatory"].text() == (
        "The employer's signatory's name holds a character that is not text (U+0000) after 'Lee'"
    )
    assert dialog.messages["provider_signatory"].text() == (
        "The provider's signatory's name is 161 characters long: at most 160"
    )
    assert dialog.messages["apprentice_comments"].text() == (
        "The apprentice's comments hold a character that is not text (U+001B) after 'Going well'"
    )
    assert not dialog.save_button.isEnabled()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted and refusals == []
    assert not any(review.held for review in list_reviews(database, TEST_ACTOR, trainee_id))

    for field, text in (
        (dialog.employer_signatory, "Lee Manager"),
        (dialog.provider_signatory, "Pat Tutor"),
    ):
        field.clear()
        qtbot.keyClicks(field, text)
    dialog.apprentice_comments.setPlainText("Going well\nwith the group work")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    [held] = [r for r in list_reviews(database, TEST_ACTOR, trainee_id) if r.held]
    assert held.apprentice_comments == "Going well\nwith the group work"
