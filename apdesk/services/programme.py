"""Questions about the programme as a whole."""

from __future__ import annotations

from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import Trainee


def count_trainees(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(Trainee.id))) or 0
