"""Write audit entries. Every change of record is logged with who, when, what, before/after.

Entries are hash-chained: each hashes its own content together with the previous entry's
hash, so altering or removing an entry breaks every link after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry
from apdesk.db.models.base import utc_now
from apdesk.domain.enums import Role
from apdesk.services.actors import Actor
from apdesk.services.permissions import require_role

GENESIS_HASH = "0" * 64
_LAST_HASH = "apdesk.audit.last_hash"  # cached in session.info: one lookup per transaction


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot audit a {type(value).__name__}")


def to_json(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps(values, default=_plain, sort_keys=True, ensure_ascii=False)


def entry_hash(entry: AuditEntry) -> str:
    content = json.dumps(
        [
            entry.occurred_at.isoformat(),
            entry.actor_id,
            entry.actor_name,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.trainee_id,
            entry.summary,
            entry.before,
            entry.after,
            entry.previous_hash,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(content.encode()).hexdigest()


def record_change(
    session: Session,
    actor: Actor,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    summary: str,
    trainee_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEntry:
    previous = session.info.get(_LAST_HASH) or session.scalar(
        select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)
    )
    entry = AuditEntry(
        occurred_at=utc_now().replace(microsecond=0),
        actor_id=actor.user_id,
        actor_name=actor.name,
        action=action,
        entity=entity,
        entity_id=entity_id,
        trainee_id=trainee_id,
        summary=summary,
        before=to_json(before),
        after=to_json(after),
        previous_hash=previous or GENESIS_HASH,
    )
    entry.entry_hash = entry_hash(entry)
    session.add(entry)
    session.info[_LAST_HASH] = entry.entry_hash
    return entry


@dataclass(frozen=True)
class ChainCheck:
    """The result of recomputing the audit chain; ``problem`` names the first broken link."""

    entries: int
    head_hash: str  # keep this somewhere the database's editors cannot reach
    broken_entry_id: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def verify_audit_chain(database: Database) -> ChainCheck:
    """Recompute every entry's hash and link, oldest first, stopping at the first break.

    An edited entry no longer matches its own hash; a removed or inserted one breaks the link
    to its successor. Removing the newest entries is only caught against a head hash kept
    elsewhere (printed by this check, and on portfolios).
    """
    previous = GENESIS_HASH
    count = 0
    with database.read() as session:
        for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(2000):
            count += 1
            if entry.previous_hash != previous:
                return ChainCheck(
                    count,
                    previous,
                    entry.id,
                    f"Audit entry {entry.id} does not follow the entry before it: an entry was "
                    "removed, inserted or reordered before it.",
                )
            if entry_hash(entry) != entry.entry_hash:
                return ChainCheck(
                    count,
                    previous,
                    entry.id,
                    f"Audit entry {entry.id} ({entry.occurred_at:%d %b %Y %H:%M} UTC, "
                    f"{entry.action} by {entry.actor_name}) was changed after it was written.",
                )
            previous = entry.entry_hash
    return ChainCheck(count, previous)


@dataclass(frozen=True)
class AuditRow:
    id: int
    occurred_at: datetime
    actor_name: str
    action: str
    entity: str
    entity_id: int | None
    trainee_id: int | None
    summary: str
    before: str | None
    after: str | None


def list_audit_entries(
    database: Database,
    actor: Actor,
    *,
    trainee_id: int | None = None,
    actor_name: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 1000,
) -> list[AuditRow]:
    """Newest first, filtered by trainee, by who acted (part of the name) and by date."""
    require_role(actor, (Role.ADMINISTRATOR, Role.EDUCATION_LEAD), "read the audit trail")
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if trainee_id is not None:
        query = query.where(AuditEntry.trainee_id == trainee_id)
    if actor_name:
        query = query.where(AuditEntry.actor_name.icontains(actor_name, autoescape=True))
    # The dates are days as the person sees them: local midnights, converted to UTC.
    if since is not None:
        start = datetime.combine(since, time()).astimezone(UTC)
        query = query.where(AuditEntry.occurred_at >= start)
    if until is not None:
        end = datetime.combine(until + timedelta(days=1), time()).astimezone(UTC)
        query = query.where(AuditEntry.occurred_at < end)
    with database.read() as session:
        return [
            AuditRow(
                id=entry.id,
                occurred_at=entry.occurred_at,
                actor_name=entry.actor_name,
                action=entry.action,
                entity=entry.entity,
                entity_id=entry.entity_id,
                trainee_id=entry.trainee_id,
                summary=entry.summary,
                before=entry.before,
                after=entry.after,
            )
            for entry in session.scalars(query)
        ]
