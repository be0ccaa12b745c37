"""Which sign-offs stand today, given that a correction is a new record, never an edit.

Employers' main worry about APs is delegation and supervision, so the history of
sign-offs is append-only: a mistaken sign-off is revoked by a later record that points at
it, and a later assessment supersedes an earlier one. This rule reads the current state
back out of that history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class SignoffRecord:
    """One sign-off (competent / criterion met when ``positive``) or a revocation of one."""

    id: int
    item_id: int
    signed_on: date
    positive: bool
    revokes_id: int | None = None

    @property
    def is_revocation(self) -> bool:
        return self.revokes_id is not None


def current_signoffs(records: Iterable[SignoffRecord]) -> dict[int, SignoffRecord]:
    """Per item, its standing positive sign-off, if any.

    For each item take the latest (highest id) record that is neither a revocation nor
    revoked; the item is signed off only if that record is positive. So "not yet
    competent" after "competent" un-signs the item, and revoking the latest record
    falls back to the one before it.
    """
    items = list(records)
    revoked = {r.revokes_id for r in items if r.revokes_id is not None}
    latest: dict[int, SignoffRecord] = {}
    for r in items:
        if r.is_revocation or r.id in revoked:
            continue
        if r.item_id not in latest or r.id > latest[r.item_id].id:
            latest[r.item_id] = r
    return {item: r for item, r in latest.items() if r.positive}
