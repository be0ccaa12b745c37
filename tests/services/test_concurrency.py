"""Two people editing the same trainee or the same register: the later save made from an old
copy is refused with who changed the record and when, the database keeps the first person's
save, and after reloading the second person's save goes through. Never a silent overwrite."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, text

from apdesk.db.database import Database, create_database_engine
from apdesk.db.migrate import alembic_config
from apdesk.db.models import AuditEntry, DayReleaseSession, User
from apdesk.domain.calendar import format_day
from apdesk.domain.enums import AttendanceStatus, Role, TraineeStatus
from apdesk.services import attendance, trainees
from apdesk.services.actors import Actor
from apdesk.services.attendance import (
    RegisterLine,
    create_session,
    load_register,
    save_register,
)
from apdesk.services.concurrency import ConflictError
from apdesk.services.reviews import add_break_in_learning
from apdesk.services.trainees import trainee_details, update_trainee
from tests.helpers.attendance import FIRST_WEDNESDAY, RegisterProgramme, add_register_programme
from tests.helpers.builders import add_small_programme
from tests.helpers.builders import add_trainee as build
from tests.helpers.fixtures import postgresql_test_server
from tests.helpers.trainees import People, add_people

TODAY = date(2026, 11, 25)
P, S = AttendanceStatus.PRESENT, AttendanceStatus.SICKNESS
THIRTY_HOURS: dict[str, Any] = {"contracted_hours_per_week": Decimal(30)}
RELOAD = "while you were editing — reload to see their changes, then make yours again"


def newest_entry(database: Database, **matching: object) -> AuditEntry:
    with database.read() as session:
        query = select(AuditEntry).filter_by(**matching).order_by(AuditEntry.id.desc())
        entry = session.scalars(query.limit(1)).first()
    assert entry is not None
    return entry


def when(entry: AuditEntry) -> str:
    """An audit entry's time as the person reads it: local time, then the day."""
    local = entry.occurred_at.astimezone()
    return f"{local:%H:%M} on {format_day(local.date())}"


def audit_count(database: Database, action: str) -> int:
    with database.read() as session:
        return len(session.scalars(select(AuditEntry.id).filter_by(action=action)).all())


# -- a trainee's details ------------------------------------------------------------------
@pytest.fixture
def asha(database: Database) -> tuple[int, People]:
    trainee_id = build(database, add_small_programme(database))
    return trainee_id, add_people(database, trainee_id)


def test_the_second_of_two_edits_from_the_same_copy_is_refused_and_loses_nothing(
    database: Database, asha: tuple[int, People]
) -> None:
    trainee_id, people = asha
    lenas_copy = trainee_details(database, people.lead, trainee_id)
    adams_copy = trainee_details(database, people.admin, trainee_id)

    update_trainee(
        database, people.admin, trainee_id, replace(adams_copy, care_pathway="Crisis team")
    )
    with pytest.raises(ConflictError) as refused:
        update_trainee(
            database,
            people.lead,
            trainee_id,
            replace(lenas_copy, contracted_hours_per_week=Decimal(30)),
            today=TODAY,
        )

    adams_edit = newest_entry(database, entity="trainee", entity_id=trainee_id)
    assert (adams_edit.action, adams_edit.actor_name) == ("edit", "Adam Admin")
    assert str(refused.value) == (
        f"Asha Patel's record was changed by Adam Admin at {when(adams_edit)} {RELOAD}"
    )
    saved = trainee_details(database, people.lead, trainee_id)
    assert (saved.care_pathway, saved.contracted_hours_per_week) == ("Crisis team", Decimal("37.5"))
    assert audit_count(database, "edit") == 1  # the refused save wrote nothing

    # Lena reloads, makes her change again on top of Adam's, and it saves.
    update_trainee(
        database,
        people.lead,
        trainee_id,
        replace(saved, contracted_hours_per_week=Decimal(30)),
        today=TODAY,
    )
    both = trainee_details(database, people.lead, trainee_id)
    assert (both.care_pathway, both.contracted_hours_per_week) == ("Crisis team", Decimal(30))


def test_each_saved_change_moves_the_version_on_and_an_unchanged_save_does_not(
    database: Database, asha: tuple[int, People]
) -> None:
    trainee_id, people = asha
    loaded = trainee_details(database, people.lead, trainee_id)

    update_trainee(database, people.lead, trainee_id, loaded, today=TODAY)  # no change
    assert trainee_details(database, people.lead, trainee_id).version == loaded.version

    update_trainee(database, people.lead, trainee_id, replace(loaded, email="a@example.nhs.uk"))
    assert trainee_details(database, people.lead, trainee_id).version == (loaded.version or 0) + 1


def test_a_stale_copy_that_matches_what_is_saved_now_is_not_a_conflict(
    database: Database, asha: tuple[int, People]
) -> None:
    trainee_id, people = asha
    lenas_copy = trainee_details(database, people.lead, trainee_id)
    adams_copy = trainee_details(database, people.admin, trainee_id)
    same_change = {"care_pathway": "Crisis team"}

    update_trainee(database, people.admin, trainee_id, replace(adams_copy, **same_change))
    update_trainee(database, people.lead, trainee_id, replace(lenas_copy, **same_change))

    assert audit_count(database, "edit") == 1  # nothing lost, nothing written twice


def test_the_same_person_in_two_windows_is_told_it_was_them(
    database: Database, asha: tuple[int, People]
) -> None:
    trainee_id, people = asha
    first_window = trainee_details(database, people.lead, trainee_id)
    second_window = trainee_details(database, people.lead, trainee_id)
    update_trainee(database, people.lead, trainee_id, replace(first_window, email="a@nhs.net"))

    with pytest.raises(ConflictError, match="changed by you in another window at "):
        update_trainee(database, people.lead, trainee_id, replace(second_window, email=None))
    assert trainee_details(database, people.lead, trainee_id).email == "a@nhs.net"


def test_a_status_change_from_another_action_also_makes_an_open_edit_stale(
    database: Database, asha: tuple[int, People]
) -> None:
    trainee_id, people = asha
    adams_copy = trainee_details(database, people.admin, trainee_id)
    add_break_in_learning(
        database,
        people.lead,
        trainee_id=trainee_id,
        start_date=date(2025, 3, 1),
        reason="Maternity leave",
        today=TODAY,
    )

    with pytest.raises(ConflictError) as refused:
        update_trainee(database, people.admin, trainee_id, replace(adams_copy, **THIRTY_HOURS))

    started = newest_entry(database, entity="trainee", entity_id=trainee_id)
    assert started.action == "change_status"
    assert str(refused.value) == (
        f"Asha Patel's record was changed by Lena Lead at {when(started)} {RELOAD}"
    )
    saved = trainee_details(database, people.admin, trainee_id)
    assert (saved.status, saved.contracted_hours_per_week) == (
        TraineeStatus.BREAK_IN_LEARNING,
        Decimal("37.5"),
    )


# -- a register ---------------------------------------------------------------------------
def second_lead(database: Database) -> Actor:
    with database.write() as session:
        user = User(username="lead.two", full_name="Lou Second", role=Role.EDUCATION_LEAD)
        session.add(user)
        session.flush()
        return Actor(user.full_name, user.id, user.role, user.username)


@pytest.fixture
def register_session(database: Database) -> tuple[RegisterProgramme, int, Actor, Actor]:
    programme = add_register_programme(database)
    lena = add_people(database, programme.trainee_ids[0]).lead
    created = create_session(database, lena, programme.cohort_id, FIRST_WEDNESDAY, "Foundations", 7)
    return programme, created.session_id, lena, second_lead(database)


def marked(
    lines: tuple[RegisterLine, ...], **by_first_name: AttendanceStatus
) -> list[RegisterLine]:
    return [
        replace(line, status=by_first_name.get(line.name.split()[0], line.status)) for line in lines
    ]


def saved_marks(
    database: Database, actor: Actor, session_id: int
) -> dict[str, AttendanceStatus | None]:
    return {line.name: line.status for line in load_register(database, actor, session_id).lines}


def test_a_register_saved_meanwhile_refuses_the_other_save_even_on_other_rows(
    database: Database, register_session: tuple[RegisterProgramme, int, Actor, Actor]
) -> None:
    _programme, session_id, lena, lou = register_session
    lenas_copy = load_register(database, lena, session_id)
    lous_copy = load_register(database, lou, session_id)

    save_register(
        database, lou, session_id, marked(lous_copy.lines, Ben=S), version=lous_copy.version
    )
    with pytest.raises(ConflictError) as refused:
        save_register(
            database,
            lena,
            session_id,
            marked(lenas_copy.lines, Asha=S, Cara=P),
            version=lenas_copy.version,
        )

    lous_mark = newest_entry(database, entity="attendance_mark")
    assert lous_mark.actor_name == "Lou Second"
    assert str(refused.value) == (
        f"The Foundations register for 11 Sep 2024 was changed by Lou Second at "
        f"{when(lous_mark)} {RELOAD}"
    )
    assert saved_marks(database, lena, session_id) == {
        "Asha Adams": None,
        "Ben Brown": S,
        "Cara Clarke": None,
        "Dev Dunn": None,
    }

    again = load_register(database, lena, session_id)
    assert again.version == lenas_copy.version + 1
    result = save_register(
        database, lena, session_id, marked(again.lines, Asha=S, Cara=P), version=again.version
    )
    assert result.added == 2
    assert saved_marks(database, lena, session_id) == {
        "Asha Adams": S,
        "Ben Brown": S,
        "Cara Clarke": P,
        "Dev Dunn": None,
    }


def test_a_mark_cleared_meanwhile_is_named_as_the_change(
    database: Database, register_session: tuple[RegisterProgramme, int, Actor, Actor]
) -> None:
    _programme, session_id, lena, lou = register_session
    first = load_register(database, lena, session_id)
    save_register(database, lena, session_id, marked(first.lines, Asha=P), version=first.version)
    lenas_copy = load_register(database, lena, session_id)
    lous_copy = load_register(database, lou, session_id)

    cleared = [replace(line, status=None) for line in lous_copy.lines]
    save_register(database, lou, session_id, cleared, version=lous_copy.version)
    with pytest.raises(ConflictError, match=r"changed by Lou Second at .* while you were"):
        save_register(
            database,
            lena,
            session_id,
            marked(lenas_copy.lines, Ben=P),
            version=lenas_copy.version,
        )
    assert set(saved_marks(database, lena, session_id).values()) == {None}


def test_saving_a_register_unchanged_keeps_its_version_and_a_stale_identical_save_passes(
    database: Database, register_session: tuple[RegisterProgramme, int, Actor, Actor]
) -> None:
    _programme, session_id, lena, lou = register_session
    lenas_copy = load_register(database, lena, session_id)
    lous_copy = load_register(database, lou, session_id)

    nothing = save_register(database, lena, session_id, lenas_copy.lines, version=1)
    assert nothing.changed == 0
    assert load_register(database, lena, session_id).version == lenas_copy.version

    save_register(database, lou, session_id, marked(lous_copy.lines, Dev=S), version=1)
    same = save_register(
        database, lena, session_id, marked(lenas_copy.lines, Dev=S), version=lenas_copy.version
    )
    assert (same.changed, same.unchanged) == (0, 4)  # both meant the same: nothing to lose


# -- existing databases -------------------------------------------------------------------
def test_rows_from_before_the_version_columns_start_at_version_one(database: Database) -> None:
    programme = add_small_programme(database)
    trainee_id = build(database, programme)
    with database.write() as session:
        session.add(
            DayReleaseSession(
                cohort_id=programme.cohort_id,
                session_date=FIRST_WEDNESDAY,
                module="Foundations",
                hours=Decimal(7),
            )
        )
    engine = create_database_engine(database.url, foreign_keys=False, pooled=False)
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0002")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with engine.connect() as connection:
        versions = [
            connection.execute(text(f"SELECT version FROM {table}")).scalars().all()
            for table in ("trainees", "day_release_sessions")
        ]
    engine.dispose()
    database.engine.dispose()  # pooled connections may remember the old table shape

    assert versions == [[1], [1]]
    details = trainee_details(database, Actor("Test", role=Role.EDUCATION_LEAD), trainee_id)
    assert details.version == 1


# -- PostgreSQL: another writer commits between this save's read and its write ------------
needs_postgresql = pytest.mark.skipif(
    postgresql_test_server() is None,
    reason="SQLite writers take turns (BEGIN IMMEDIATE), so no save can commit in between",
)


def _once_in_between(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, other_save: Callable[[], None]
) -> None:
    """Run ``other_save`` on its own thread (own connection) the first time the saving code
    calls ``module.name`` — after it has read the record, before it writes."""
    original = getattr(module, name)
    done: list[bool] = []

    def in_between(*args: Any, **kwargs: Any) -> Any:
        if not done:
            done.append(True)
            worker = threading.Thread(target=other_save)
            worker.start()
            worker.join(timeout=30)
            assert not worker.is_alive()
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, in_between)


@needs_postgresql
def test_on_postgresql_a_trainee_save_that_loses_the_race_is_refused(
    database: Database, asha: tuple[int, People], monkeypatch: pytest.MonkeyPatch
) -> None:
    trainee_id, people = asha
    lenas_copy = trainee_details(database, people.lead, trainee_id)
    adams_copy = trainee_details(database, people.admin, trainee_id)
    _once_in_between(
        monkeypatch,
        trainees,
        "_check",
        lambda: update_trainee(
            database, people.admin, trainee_id, replace(adams_copy, care_pathway="Crisis team")
        ),
    )

    with pytest.raises(ConflictError, match=f"changed by Adam Admin at .* {RELOAD}"):
        update_trainee(database, people.lead, trainee_id, replace(lenas_copy, **THIRTY_HOURS))

    saved = trainee_details(database, people.lead, trainee_id)
    assert (saved.care_pathway, saved.contracted_hours_per_week) == ("Crisis team", Decimal("37.5"))


@needs_postgresql
def test_on_postgresql_a_register_save_that_loses_the_race_is_refused(
    database: Database,
    register_session: tuple[RegisterProgramme, int, Actor, Actor],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _programme, session_id, lena, lou = register_session
    lenas_copy = load_register(database, lena, session_id)
    lous_copy = load_register(database, lou, session_id)
    _once_in_between(
        monkeypatch,
        attendance,
        "register_problems",
        lambda: save_register(
            database, lou, session_id, marked(lous_copy.lines, Asha=S), version=1
        ),
    )

    with pytest.raises(ConflictError, match=f"changed by Lou Second at .* {RELOAD}"):
        save_register(
            database, lena, session_id, marked(lenas_copy.lines, Asha=P, Ben=P), version=1
        )

    assert saved_marks(database, lena, session_id)["Asha Adams"] is S
    assert saved_marks(database, lena, session_id)["Ben Brown"] is None
