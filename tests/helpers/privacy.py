"""Helpers for the subject access and anonymisation tests: a demo trainee given every kind
of record, the whole database as SQL text, and where a piece of text still appears in it."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import (
    AttendanceMark,
    Base,
    LearningBreak,
    OtjActivity,
    ProgressReview,
    RplReduction,
    Trainee,
)
from apdesk.domain.enums import TraineeStatus
from apdesk.services.trainees import trainee_details, update_trainee
from tests.helpers.fixtures import TEST_ACTOR

# Append-only tables: the README ("Data protection") says personal details already written
# into them are kept. Nothing else may hold an anonymised trainee's details.
RETAINED_TABLES = frozenset(
    {
        "audit_log",
        "portfolio_exports",
        "competency_signoffs",
        "care_certificate_signoffs",
        "band_history",
    }
)
UNIQUE_NAME = ("Zoë", "Ó'Quennell-Brightwater")  # appears nowhere else in the demo
USERNAME = "zoe.oquennell"


def withdrawn_trainee(database: Database) -> int:
    """The demo trainee who withdrew longest ago (the demo has two withdrawn)."""
    with database.read() as session:
        return session.scalars(
            select(Trainee.id)
            .where(Trainee.status == TraineeStatus.WITHDRAWN)
            .order_by(Trainee.start_date)
        ).first()


def rename(database: Database, trainee_id: int, first: str, last: str, **changes: object) -> None:
    """Through the service, as an education lead would: the audit trail records the names."""
    details = trainee_details(database, TEST_ACTOR, trainee_id)
    update_trainee(
        database,
        TEST_ACTOR,
        trainee_id,
        dataclasses.replace(details, first_name=first, last_name=last, **changes),
    )


def write_about_them(database: Database, trainee_id: int, text: str) -> None:
    """Free text naming the trainee in every place a person types about them, a break and an
    RPL agreement (the demo gave them none), and their account named after them."""
    with database.write() as session:
        trainee = session.get_one(Trainee, trainee_id)
        assert trainee.account is not None, "the demo gave this trainee no account"
        trainee.account.full_name = text
        trainee.account.username = USERNAME
        session.add(
            LearningBreak(
                trainee_id=trainee_id,
                start_date=date(2023, 1, 9),
                end_date=date(2023, 1, 20),
                reason=f"{text}: family emergency",
            )
        )
        session.add(
            RplReduction(
                trainee_id=trainee_id,
                hours=Decimal("12.5"),
                reason=f"{text} holds a care diploma",
                agreed_on=date(2022, 9, 30),
            )
        )
        review = session.scalars(
            select(ProgressReview).where(ProgressReview.trainee_id == trainee_id)
        ).first()
        assert review is not None, "the demo gave this trainee no review"
        review.employer_comments = f"{text} is doing well on the ward"
        review.apprentice_comments = f"I am {text}"
        activity = session.scalars(
            select(OtjActivity).where(OtjActivity.trainee_id == trainee_id)
        ).first()
        assert activity is not None, "the demo gave this trainee no OTJ log"
        activity.description = f"Shadowed the team with {text}"
        mark = session.scalars(
            select(AttendanceMark).where(AttendanceMark.trainee_id == trainee_id)
        ).first()
        assert mark is not None, "the demo gave this trainee no register marks"
        mark.note = f"{text} left early for an appointment"


def count_rows(database: Database, model: type, trainee_id: int) -> int:
    with database.read() as session:
        return session.scalar(
            select(func.count()).select_from(model).where(model.trainee_id == trainee_id)
        )


def sql_dump(database: Database) -> str:
    """Every row of every table as SQL text, one ``INSERT INTO "table" VALUES(…);`` line per
    row as `sqlite3 file .dump` prints them, in key order, on SQLite and PostgreSQL alike."""
    lines = []
    with database.read() as session:
        for table in Base.metadata.sorted_tables:
            rows = session.execute(select(table).order_by(*table.primary_key.columns))
            lines += [
                f'INSERT INTO "{table.name}" VALUES({",".join(map(_sql_literal, row))});'
                for row in rows
            ]
    return "\n".join(lines)


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):  # enum members too: they are their values
        return "'" + value.replace("'", "''") + "'"
    return str(value)


_INSERT = re.compile(r'^INSERT INTO "?(\w+)"?')


def tables_holding(dump: str, text: str) -> set[str]:
    """The tables whose rows contain ``text`` (as it is written in SQL: quotes doubled)."""
    needle = text.replace("'", "''")
    found = set()
    for line in dump.splitlines():
        if needle in line:
            match = _INSERT.match(line)
            found.add(match.group(1) if match else line[:60])
    return found


def database_path(database: Database) -> Path:
    return Path(database.url.removeprefix("sqlite:///"))
