"""Write audit entries. Every change of record is logged with who, when, what, before/after.

Entries are hash-chained: each hashes its own content together with the previous entry's
hash, so altering or removing an entry breaks every link after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from apdesk.db.models import AuditEntry
from apdesk.db.models.base import utc_now
from apdesk.services.actors import Actor

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
