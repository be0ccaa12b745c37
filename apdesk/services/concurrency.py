"""Optimistic concurrency: a save made from a record someone has changed since is refused.

Trainees and day-release sessions (whose register is their marks) carry a version counter,
SQLAlchemy's ``version_id_col``. A service hands the version out with the record and takes it
back with the save. A stale one is refused with who changed the record and when, read from
the audit trail, so two people editing at once never silently overwrite each other; the
refused person keeps what they typed and reloads to see the other's changes.

Two checks make this hold on both databases: the service compares the version it was given
with the one it reads (enough on SQLite, where writers take turns), and the ORM's UPDATE
only matches the version it read, so a PostgreSQL writer that commits in between turns the
later save into a :class:`StaleDataError`, reported the same way by :func:`refused_if_stale`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry
from apdesk.domain.calendar import format_day
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError


class ConflictError(ActionRefusedError):
    """Someone else saved the record after this person loaded it; nothing was saved."""


def conflict_error(
    session: Session, actor: Actor, subject: str, changes: ColumnElement[bool]
) -> ConflictError:
    """The refusal for a stale save of ``subject`` ("Asha Patel's record"), naming who made
    the newest of the audit entries matched by ``changes`` and when, in local time."""
    newest = session.scalars(
        select(AuditEntry).where(changes).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    if newest is None:  # changed without an audit entry: say so rather than guess a name
        changed = "changed by someone else"
    else:
        local = newest.occurred_at.astimezone()
        mine = actor.user_id is not None and newest.actor_id == actor.user_id
        who = "you in another window" if mine else newest.actor_name
        changed = f"changed by {who} at {local:%H:%M} on {format_day(local.date())}"
    return ConflictError(
        f"{subject} was {changed} while you were editing — reload to see their changes, "
        "then make yours again"
    )


@contextmanager
def refused_if_stale(
    database: Database, describe: Callable[[Session], ConflictError]
) -> Iterator[None]:
    """Turn the ORM's lost race (another writer committed between our read and our UPDATE)
    into the same refusal as a stale version, described once the failed transaction is gone."""
    try:
        yield
    except StaleDataError:
        with database.read() as session:
            conflict = describe(session)
        raise conflict from None
