"""Band progression: a trainee's band history, who is ready for the next band, and recording a
decision.

Readiness is never worked out here: it is the domain checklist that
:func:`apdesk.services.progress.trainee_progress` already assembles, so the Bands tab, the
Trainees table and the CLI can never disagree about who is ready.

Band history rows are records of decisions. They are only ever added, never changed or
removed: a mistake is put right by recording another change (an effective date on or after
the latest one, with a reason saying what it corrects).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry, BandChange, Trainee
from apdesk.domain.bands import BandReadiness
from apdesk.domain.calendar import format_day
from apdesk.domain.checks import Check
from apdesk.domain.enums import Role, TraineeStatus
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.permissions import require_can_view, require_role
from apdesk.services.progress import list_trainee_progress, trainee_progress

BANDS = ("2", "3", "4")
"""The Agenda for Change bands of the programme: 2/3 in year one, 3 in year two, 4 at the end."""
MAX_DAYS_AHEAD = 31
"""A change may be recorded up to a month before it takes effect (a decision at a panel)."""
MIN_OVERRIDE_REASON = 20
"""Characters a reason needs when a progression is recorded despite unmet checks."""
ON_PROGRAMME = (
    TraineeStatus.IN_TRAINING,
    TraineeStatus.BREAK_IN_LEARNING,
    TraineeStatus.AT_GATEWAY,
)
"""Statuses still heading for a band decision; at the gateway is when Band 4 is decided."""

DECIDERS = (Role.EDUCATION_LEAD,)
"""Who records band decisions: the education lead (the panel's decision, not the mentor's)."""

AUDIT_ENTITY = "band_change"
AUDIT_ACTION = "record_band_change"


@dataclass(frozen=True)
class BandChangeEntry:
    """One row of the band history, with what it moved from and any checks it overrode."""

    id: int
    trainee_id: int
    band: str
    previous_band: str | None  # None for the band on entry
    effective_from: date
    decided_by_id: int | None
    decided_by_name: str
    reason: str
    recorded_at: datetime  # UTC
    overridden_checks: tuple[Check, ...] = ()  # unmet checks the decision was recorded despite

    @property
    def direction(self) -> int:
        """+1 a move up, -1 a step down, 0 the band on entry (or a same-band record)."""
        if self.previous_band is None:
            return 0
        return (_rank(self.band) > _rank(self.previous_band)) - (
            _rank(self.band) < _rank(self.previous_band)
        )


@dataclass(frozen=True)
class BandView:
    """Everything the Bands tab shows for one trainee."""

    trainee_id: int
    name: str
    cohort: str
    status: TraineeStatus
    start_date: date
    planned_end_date: date
    as_of: date
    history: tuple[BandChangeEntry, ...]  # oldest first
    current_band: str | None  # the band in force on ``as_of``
    readiness: BandReadiness  # for the band above the current one, on ``as_of``

    @property
    def checks(self) -> tuple[Check, ...]:
        return self.readiness.checklist.checks

    @property
    def latest(self) -> BandChangeEntry | None:
        """The last change recorded, which may take effect after ``as_of``."""
        return self.history[-1] if self.history else None

    @property
    def upcoming(self) -> tuple[BandChangeEntry, ...]:
        """Changes already decided that take effect after ``as_of``."""
        return tuple(entry for entry in self.history if entry.effective_from > self.as_of)


@dataclass(frozen=True)
class BandReadinessRow:
    """One trainee in the "ready for the next band" list."""

    trainee_id: int
    name: str
    cohort: str
    start_date: date
    status: TraineeStatus
    current_band: str | None
    next_band: str | None
    ready: bool
    checks: tuple[Check, ...]

    @property
    def unmet_reasons(self) -> tuple[str, ...]:
        return tuple(check.reason for check in self.checks if not check.met)

    @property
    def unmet_count(self) -> int:
        return sum(1 for check in self.checks if not check.met)


def _rank(band: str) -> int:
    """Bands compare as numbers; anything unexpected sorts below Band 2."""
    return int(band) if band.isdigit() else 0


def band_overview(
    database: Database, actor: Actor, trainee_id: int, as_of: date | None = None
) -> BandView:
    """A trainee's band history (oldest first), current band and readiness for the next, for
    someone allowed to see that trainee's records."""
    day = as_of or date.today()
    try:
        progress = trainee_progress(database, actor, trainee_id, as_of=day)
    except LookupError:
        raise RecordNotFoundError(f"No trainee with id {trainee_id}") from None
    with database.read() as session:
        history = _history(session, trainee_id)
    current = None
    for entry in history:
        if entry.effective_from <= day:
            current = entry.band
    return BandView(
        trainee_id=trainee_id,
        name=progress.name,
        cohort=progress.cohort,
        status=progress.status,
        start_date=progress.start_date,
        planned_end_date=progress.planned_end_date,
        as_of=day,
        history=history,
        current_band=current,
        readiness=progress.assessment.band_readiness,
    )


def ready_for_next_band(
    database: Database, actor: Actor, as_of: date | None = None
) -> list[BandReadinessRow]:
    """Every trainee still on the programme with their readiness for the next band.

    In training, on a break (shown as not ready, with the reason) and at the gateway, where
    the Band 4 decision is made. Ordered by cohort, then name. Staff see everyone; a mentor
    only their assigned apprentices and an apprentice only themselves (filtered, not refused).
    """
    return [
        BandReadinessRow(
            trainee_id=row.trainee_id,
            name=row.name,
            cohort=row.cohort,
            start_date=row.start_date,
            status=row.status,
            current_band=row.assessment.band_readiness.current_band,
            next_band=row.assessment.band_readiness.next_band,
            ready=row.assessment.band_readiness.ready,
            checks=row.assessment.band_readiness.checklist.checks,
        )
        for row in list_trainee_progress(database, actor, as_of=as_of)
        if row.status in ON_PROGRAMME
    ]


def record_band_change(
    database: Database,
    actor: Actor,
    *,
    trainee_id: int,
    band: str,
    effective_from: date,
    reason: str,
    override_readiness: bool = False,
    today: date | None = None,
) -> BandChangeEntry:
    """Record a band decision, refusing anything the history or the checklist does not allow.

    Moving up needs the readiness checklist for the next band met on the effective date, or
    ``override_readiness`` with a reason of at least 20 characters saying why; the audit entry
    then lists the checks that were overridden. Moving down needs only a reason.

    The facts are read first and the change written in its own transaction, which refuses if
    someone else recorded a change for this trainee in between.
    """
    require_role(actor, DECIDERS, "record band changes")
    day = today or date.today()
    band = band.strip()
    reason = reason.strip()
    if band not in BANDS:
        raise ActionRefusedError(f"Band must be 2, 3 or 4, not '{band}'")
    if not reason:
        raise ActionRefusedError("Give a reason for the band change")

    with database.read() as session:
        trainee = _trainee(session, trainee_id)
        name, start = trainee.full_name, trainee.start_date
        history = _history(session, trainee_id)
    latest = history[-1] if history else None
    _check_band_and_date(name, start, latest, band, effective_from, day)

    unmet = _unmet_moving_up(database, actor, trainee_id, latest, band, effective_from)
    if unmet is None:
        raise _changed_meanwhile(name)
    if unmet:
        _check_override(name, band, unmet, override_readiness, reason)

    with database.write() as session:
        now_latest = session.scalar(
            select(BandChange.id)
            .where(BandChange.trainee_id == trainee_id)
            .order_by(BandChange.effective_from.desc(), BandChange.id.desc())
            .limit(1)
        )
        if now_latest != (latest.id if latest else None):
            raise _changed_meanwhile(name)
        row = BandChange(
            trainee_id=trainee_id,
            band=band,
            effective_from=effective_from,
            decided_by_id=actor.user_id,
            decided_by_name=actor.name,
            reason=reason,
        )
        session.add(row)
        session.flush()
        record_change(
            session,
            actor,
            action=AUDIT_ACTION,
            entity=AUDIT_ENTITY,
            entity_id=row.id,
            trainee_id=trainee_id,
            summary=_summary(name, latest, band, effective_from, unmet),
            before={"band": latest.band, "effective_from": latest.effective_from}
            if latest
            else None,
            after={
                "band": band,
                "effective_from": effective_from,
                "reason": reason,
                "override_readiness": bool(unmet),
                "unmet_checks": [{"name": c.name, "reason": c.reason} for c in unmet],
            },
        )
        return BandChangeEntry(
            id=row.id,
            trainee_id=trainee_id,
            band=band,
            previous_band=latest.band if latest else None,
            effective_from=effective_from,
            decided_by_id=actor.user_id,
            decided_by_name=actor.name,
            reason=reason,
            recorded_at=row.recorded_at,
            overridden_checks=unmet,
        )


def unmet_checks(
    database: Database, actor: Actor, trainee_id: int, *, band: str, effective_from: date
) -> tuple[Check, ...]:
    """The checks a move up to ``band`` from ``effective_from`` would be recorded despite.

    Empty when it is not a move up or every check is met. The band change dialog asks this as
    the person chooses, so it warns exactly as :func:`record_band_change` will decide.
    """
    with database.read() as session:
        require_can_view(session, actor, trainee_id)
        history = _history(session, trainee_id)
    latest = history[-1] if history else None
    if latest is not None and effective_from < latest.effective_from:
        effective_from = latest.effective_from  # a date the change itself will refuse
    found = _unmet_moving_up(database, actor, trainee_id, latest, band.strip(), effective_from)
    return found or ()


def _unmet_moving_up(
    database: Database,
    actor: Actor,
    trainee_id: int,
    latest: BandChangeEntry | None,
    band: str,
    effective_from: date,
) -> tuple[Check, ...] | None:
    """Unmet checks for a move up (empty for any other change); None if the history moved on.

    Readiness is the progress service's checklist on the effective date, when the band in
    force is the latest one recorded (a change is never dated before the latest).
    """
    if latest is None or _rank(band) <= _rank(latest.band):
        return ()
    readiness = trainee_progress(database, actor, trainee_id, as_of=effective_from)
    if readiness.assessment.band_readiness.current_band != latest.band:
        return None
    return _unmet_for(readiness.assessment.band_readiness, band)


def _trainee(session: Session, trainee_id: int) -> Trainee:
    trainee = session.get(Trainee, trainee_id)
    if trainee is None:
        raise RecordNotFoundError("That trainee no longer exists; choose another")
    return trainee


def _changed_meanwhile(name: str) -> ActionRefusedError:
    return ActionRefusedError(
        f"Someone else recorded a band change for {name} a moment ago; look at the history "
        "again and then decide"
    )


def _check_band_and_date(
    name: str,
    start: date,
    latest: BandChangeEntry | None,
    band: str,
    effective_from: date,
    today: date,
) -> None:
    if latest is not None and latest.band == band:
        if latest.effective_from > today:
            raise ActionRefusedError(
                f"{name} is already due to move to Band {band} on "
                f"{format_day(latest.effective_from)}"
            )
        raise ActionRefusedError(f"{name} is already on Band {band}")
    when = format_day(effective_from)
    if effective_from < start:
        raise ActionRefusedError(
            f"The effective date {when} is before {name} started on {format_day(start)}"
        )
    if latest is not None and effective_from < latest.effective_from:
        raise ActionRefusedError(
            f"The effective date {when} is before the latest band change (Band {latest.band} "
            f"from {format_day(latest.effective_from)}); to correct a mistake, record a new "
            "change from that date or later"
        )
    furthest = today + timedelta(days=MAX_DAYS_AHEAD)
    if effective_from > furthest:
        raise ActionRefusedError(
            f"The effective date {when} is more than {MAX_DAYS_AHEAD} days ahead; the latest "
            f"allowed today is {format_day(furthest)}"
        )


def _unmet_for(readiness: BandReadiness, band: str) -> tuple[Check, ...]:
    """The checks a move up to ``band`` is recorded despite; empty when it may go ahead."""
    unmet = tuple(check for check in readiness.checklist.checks if not check.met)
    if readiness.next_band is not None and _rank(band) > _rank(readiness.next_band):
        skipped = Check(
            "Next band",
            False,
            f"Band {band} skips Band {readiness.next_band}, the next band from "
            f"Band {readiness.current_band}",
        )
        unmet = (*unmet, skipped)
    return unmet


def _check_override(
    name: str, band: str, unmet: tuple[Check, ...], override: bool, reason: str
) -> None:
    if not override:
        listed = "; ".join(check.reason for check in unmet)
        raise ActionRefusedError(
            f"{name} does not yet meet every check for Band {band}: {listed}. To record it "
            "anyway, tick “Record despite unmet checks” and say why"
        )
    if len(reason) < MIN_OVERRIDE_REASON:
        raise ActionRefusedError(
            f"Recording Band {band} despite unmet checks needs a reason of at least "
            f"{MIN_OVERRIDE_REASON} characters saying why"
        )


def _summary(
    name: str, latest: BandChangeEntry | None, band: str, effective: date, unmet: tuple[Check, ...]
) -> str:
    step = f"Band {latest.band} → {band}" if latest else f"Band {band} on entry"
    text = f"{step} from {format_day(effective)} for {name}"
    if unmet:
        count = len(unmet)
        text += f" (recorded despite {count} unmet check{'s' if count > 1 else ''})"
    return text


def _history(session: Session, trainee_id: int) -> tuple[BandChangeEntry, ...]:
    """The band history oldest first, each entry knowing its predecessor and any override."""
    rows = session.scalars(
        select(BandChange)
        .where(BandChange.trainee_id == trainee_id)
        .order_by(BandChange.effective_from, BandChange.id)
    ).all()
    overrides = _overridden_checks(session, trainee_id)
    history: list[BandChangeEntry] = []
    previous: str | None = None
    for row in rows:
        history.append(
            BandChangeEntry(
                id=row.id,
                trainee_id=trainee_id,
                band=row.band,
                previous_band=previous,
                effective_from=row.effective_from,
                decided_by_id=row.decided_by_id,
                decided_by_name=row.decided_by_name,
                reason=row.reason,
                recorded_at=row.recorded_at,
                overridden_checks=overrides.get(row.id, ()),
            )
        )
        previous = row.band
    return tuple(history)


def _overridden_checks(session: Session, trainee_id: int) -> dict[int, tuple[Check, ...]]:
    """Checks each change was recorded despite, as its audit entry lists them."""
    found: dict[int, tuple[Check, ...]] = {}
    for entity_id, after in session.execute(
        select(AuditEntry.entity_id, AuditEntry.after).where(
            AuditEntry.trainee_id == trainee_id,
            AuditEntry.entity == AUDIT_ENTITY,
            AuditEntry.action == AUDIT_ACTION,
        )
    ):
        if entity_id is None or not after:
            continue
        unmet = json.loads(after).get("unmet_checks") or []
        if unmet:
            found[entity_id] = tuple(Check(c["name"], False, c["reason"]) for c in unmet)
    return found
