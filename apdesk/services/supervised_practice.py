"""Supervised practice: a trainee's competency framework, its sign-offs and their corrections.

A sign-off is a mentor's professional judgement: only the trainee's assigned mentor signs,
signed in and re-entering their password, and never for their own record. Their name, role
and registration are copied from their account at the moment of signing. The table is
append-only: a mistake is corrected by a revocation record, signed the same way, that points
at the mistaken one and says why, never by an edit. The current state is read back out of
that history by apdesk.domain.signoffs.current_signoffs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from apdesk.db.database import Database
from apdesk.db.models import (
    Competency,
    CompetencyFramework,
    CompetencyGroup,
    CompetencySignoff,
    Trainee,
)
from apdesk.domain.calendar import format_day
from apdesk.domain.enums import CompetencyOutcome, KsbKind, TraineeStatus
from apdesk.domain.signoffs import SignoffRecord, current_signoffs
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import require_can_sign_for, require_can_view
from apdesk.services.signatures import (
    COMPETENT_MEANING,
    NOT_YET_COMPETENT_MEANING,
    mentor_signature,
)
from apdesk.services.signoff_records import (
    COMPETENCY_SIGNOFFS,
    audit_snapshot,
    confirm_signer,
    latest_standing,
    revocation_columns,
    revoked_by,
)

MAX_SETTING_LENGTH = 160  # the column's width
# Where mentors most often observe practice; the dialog offers these and accepts any other.
COMMON_SETTINGS = (
    "Community team base",
    "Service user's home",
    "Inpatient ward",
    "GP practice",
    "Community group venue",
    "Video consultation",
    "Telephone contact",
    "Psychoeducational group",
    "MDT meeting",
)
MEANINGS = {
    CompetencyOutcome.COMPETENT: COMPETENT_MEANING,
    CompetencyOutcome.NOT_YET_COMPETENT: NOT_YET_COMPETENT_MEANING,
}


class CompetencyStatus(StrEnum):
    COMPETENT = "Competent"
    NOT_YET_COMPETENT = "Not yet competent"  # the latest standing record says so
    NOT_YET_ASSESSED = "Not yet assessed"  # no standing record at all


@dataclass(frozen=True)
class KsbReference:
    code: str
    kind: KsbKind
    text: str


@dataclass(frozen=True)
class StandingSignoff:
    """The record that decides a competency's status now: the latest not revoked."""

    signoff_id: int
    outcome: CompetencyOutcome
    observed_on: date
    signer_name: str
    signer_registration: str | None


@dataclass(frozen=True)
class CompetencyView:
    competency_id: int
    code: str
    title: str
    description: str
    ksbs: tuple[KsbReference, ...]
    status: CompetencyStatus
    last_signoff: StandingSignoff | None

    @property
    def ksb_codes(self) -> str:
        return ", ".join(ksb.code for ksb in self.ksbs)

    @property
    def signed(self) -> bool:
        return self.status is CompetencyStatus.COMPETENT


@dataclass(frozen=True)
class GroupView:
    """A key responsibility and its competencies, in framework order."""

    group_id: int
    code: str
    title: str
    competencies: tuple[CompetencyView, ...]

    @property
    def signed(self) -> int:
        return sum(1 for competency in self.competencies if competency.signed)

    @property
    def total(self) -> int:
        return len(self.competencies)


@dataclass(frozen=True)
class FrameworkView:
    trainee_id: int
    trainee_name: str
    trainee_status: TraineeStatus
    start_date: date
    mentor_id: int | None  # the trainee's assigned mentor: the only one who may sign
    framework_title: str
    framework_label: str  # e.g. "MH-AP v1.0"
    groups: tuple[GroupView, ...]
    signing_closed: str | None  # why no sign-off can be recorded now, if it cannot

    @property
    def signed(self) -> int:
        return sum(group.signed for group in self.groups)

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def summary(self) -> str:
        return f"{self.signed} of {self.total} competencies signed off"

    def competency(self, competency_id: int) -> CompetencyView | None:
        for group in self.groups:
            for competency in group.competencies:
                if competency.competency_id == competency_id:
                    return competency
        return None


@dataclass(frozen=True)
class SignoffEntry:
    """One record of the history: a sign-off (outcome set) or a revocation (revokes_id set)."""

    signoff_id: int
    trainee_id: int
    competency_id: int
    outcome: CompetencyOutcome | None  # None on a revocation
    observed_on: date
    setting: str
    evidence: str
    signer_id: int
    signer_name: str
    signer_role: str
    signer_registration: str | None
    signed_at: datetime  # UTC
    meaning: str
    revokes_id: int | None
    revocation_reason: str | None
    revoked_by_id: int | None = None  # the later revocation of this record, if any

    @property
    def is_revocation(self) -> bool:
        return self.revokes_id is not None


# -- reading ---------------------------------------------------------------------------------


SIGNING = "sign off supervised practice"  # what a refusal says a non-mentor cannot do
REVOKING = "revoke supervised practice sign-offs"


def competency_tree(database: Database, actor: Actor, trainee_id: int) -> FrameworkView:
    """The trainee's framework, each competency with its status and standing sign-off."""
    with database.read() as session:
        trainee = COMPETENCY_SIGNOFFS.trainee(session, trainee_id)
        require_can_view(session, actor, trainee.id)
        framework = session.get(CompetencyFramework, trainee.competency_framework_id)
        assert framework is not None  # a foreign key
        groups = session.scalars(
            select(CompetencyGroup)
            .where(CompetencyGroup.framework_id == framework.id)
            .order_by(CompetencyGroup.position)
            .options(selectinload(CompetencyGroup.competencies).selectinload(Competency.ksbs))
        ).all()
        records = session.scalars(
            select(CompetencySignoff).where(CompetencySignoff.trainee_id == trainee_id)
        ).all()
        standing, competent = _standing(records)
        return FrameworkView(
            trainee_id=trainee.id,
            trainee_name=trainee.full_name,
            trainee_status=trainee.status,
            start_date=trainee.start_date,
            mentor_id=trainee.mentor_id,
            framework_title=framework.title,
            framework_label=f"{framework.code} v{framework.version}",
            groups=tuple(
                GroupView(
                    group_id=group.id,
                    code=group.code,
                    title=group.title,
                    competencies=tuple(
                        _competency_view(c, standing.get(c.id), c.id in competent)
                        for c in group.competencies
                    ),
                )
                for group in groups
            ),
            signing_closed=COMPETENCY_SIGNOFFS.signing_closed(trainee),
        )


def competency_history(
    database: Database, actor: Actor, trainee_id: int, competency_id: int
) -> list[SignoffEntry]:
    """Every record for one competency of one trainee, oldest first, revocations included."""
    with database.read() as session:
        COMPETENCY_SIGNOFFS.trainee(session, trainee_id)
        require_can_view(session, actor, trainee_id)
        records = session.scalars(
            select(CompetencySignoff)
            .where(
                CompetencySignoff.trainee_id == trainee_id,
                CompetencySignoff.competency_id == competency_id,
            )
            .order_by(CompetencySignoff.id)
        ).all()
        revokers = revoked_by(records)
        return [_entry(record, revokers.get(record.id)) for record in records]


# -- writing ---------------------------------------------------------------------------------


def sign_off_competency(
    database: Database,
    actor: Actor,
    *,
    trainee_id: int,
    competency_id: int,
    password: str,
    outcome: CompetencyOutcome,
    observed_on: date,
    setting: str,
    evidence: str,
    today: date | None = None,
) -> SignoffEntry:
    """Record what the signed-in mentor observed: competent, or not yet competent, signed with
    their password re-entered. Never edits a record."""
    today = today or date.today()
    setting, evidence = setting.strip(), evidence.strip()
    confirm_signer(database, actor, password, SIGNING)
    with database.write() as session:
        trainee = COMPETENCY_SIGNOFFS.trainee(session, trainee_id)
        require_can_sign_for(session, actor, trainee.id)
        COMPETENCY_SIGNOFFS.refuse_if_closed(trainee)
        competency = session.get(Competency, competency_id)
        if competency is None or competency.group.framework_id != trainee.competency_framework_id:
            raise ActionRefusedError(
                f"That competency is not in {trainee.full_name}'s competency framework"
            )
        COMPETENCY_SIGNOFFS.check_date(observed_on, today=today, trainee=trainee)
        if outcome is CompetencyOutcome.COMPETENT and not evidence:
            raise ActionRefusedError(
                "Describe the evidence: a competent sign-off must say what was observed"
            )
        if len(setting) > MAX_SETTING_LENGTH:
            raise ActionRefusedError(
                f"The setting is {len(setting)} characters long; "
                f"keep it to {MAX_SETTING_LENGTH} and put the detail in the evidence"
            )
        signature = mentor_signature(session, actor)
        record = CompetencySignoff(
            trainee_id=trainee.id,
            competency_id=competency.id,
            outcome=outcome,
            observed_on=observed_on,
            setting=setting,
            evidence=evidence,
            **signature.columns(MEANINGS[outcome]),
        )
        session.add(record)
        session.flush()
        verdict = "competent" if outcome is CompetencyOutcome.COMPETENT else "not yet competent"
        record_change(
            session,
            actor,
            action="sign_off_competency",
            entity="competency_signoff",
            entity_id=record.id,
            trainee_id=trainee.id,
            summary=f"{signature.signer_name} signed off {competency.code} "
            f"{competency.title} for {trainee.full_name}: {verdict} "
            f"(observed {format_day(observed_on)})",
            after=_snapshot(record),
        )
        return _entry(record)


def revoke_competency_signoff(
    database: Database, actor: Actor, *, signoff_id: int, password: str, reason: str
) -> SignoffEntry:
    """Withdraw a mistaken sign-off by a new record that points at it and gives the reason,
    signed like a sign-off: by the assigned mentor, password re-entered."""
    reason = reason.strip()
    COMPETENCY_SIGNOFFS.check_reason(reason)
    confirm_signer(database, actor, password, REVOKING)
    with database.write() as session:
        original = COMPETENCY_SIGNOFFS.record(session, CompetencySignoff, signoff_id)
        require_can_sign_for(session, actor, original.trainee_id)
        COMPETENCY_SIGNOFFS.check_revocable(session, original)
        signature = mentor_signature(session, actor)
        revocation = CompetencySignoff(
            trainee_id=original.trainee_id,
            competency_id=original.competency_id,
            outcome=None,
            observed_on=original.observed_on,  # a revocation is dated by what it withdraws
            setting="",
            evidence="",
            **revocation_columns(signature, original, reason),
        )
        session.add(revocation)
        session.flush()
        competency = session.get(Competency, original.competency_id)
        trainee = session.get(Trainee, original.trainee_id)
        assert competency is not None and trainee is not None  # foreign keys
        record_change(
            session,
            actor,
            action="revoke_competency_signoff",
            entity="competency_signoff",
            entity_id=revocation.id,
            trainee_id=trainee.id,
            summary=f"{signature.signer_name} revoked the sign-off of {competency.code} "
            f"{competency.title} for {trainee.full_name} (record {original.id}): {reason}",
            before=_snapshot(original),
            after=_snapshot(revocation),
        )
        return _entry(revocation)


# -- helpers ---------------------------------------------------------------------------------


def _standing(
    records: Sequence[CompetencySignoff],
) -> tuple[dict[int, CompetencySignoff], set[int]]:
    """Per competency its latest standing record (either outcome), and those signed competent."""
    by_id = {record.id: record for record in records}
    domain = [
        SignoffRecord(
            id=record.id,
            item_id=record.competency_id,
            signed_on=record.observed_on,
            positive=record.outcome is CompetencyOutcome.COMPETENT,
            revokes_id=record.revokes_id,
        )
        for record in records
    ]
    competent = set(current_signoffs(domain))
    latest = latest_standing(domain)
    return {item: by_id[record.id] for item, record in latest.items()}, competent


def _competency_view(
    competency: Competency, standing: CompetencySignoff | None, competent: bool
) -> CompetencyView:
    if competent:
        status = CompetencyStatus.COMPETENT
    elif standing is not None:
        status = CompetencyStatus.NOT_YET_COMPETENT
    else:
        status = CompetencyStatus.NOT_YET_ASSESSED
    return CompetencyView(
        competency_id=competency.id,
        code=competency.code,
        title=competency.title,
        description=competency.description,
        ksbs=tuple(KsbReference(ksb.code, ksb.kind, ksb.text) for ksb in competency.ksbs),
        status=status,
        last_signoff=(
            StandingSignoff(
                signoff_id=standing.id,
                outcome=standing.outcome,
                observed_on=standing.observed_on,
                signer_name=standing.signer_name,
                signer_registration=standing.signer_registration,
            )
            if standing is not None and standing.outcome is not None
            else None
        ),
    )


def _entry(record: CompetencySignoff, revoked_by_id: int | None = None) -> SignoffEntry:
    return SignoffEntry(
        signoff_id=record.id,
        trainee_id=record.trainee_id,
        competency_id=record.competency_id,
        outcome=record.outcome,
        observed_on=record.observed_on,
        setting=record.setting,
        evidence=record.evidence,
        signer_id=record.signer_id,
        signer_name=record.signer_name,
        signer_role=record.signer_role,
        signer_registration=record.signer_registration,
        signed_at=record.signed_at,
        meaning=record.meaning,
        revokes_id=record.revokes_id,
        revocation_reason=record.revocation_reason,
        revoked_by_id=revoked_by_id,
    )


_AUDITED = (
    "id", "trainee_id", "competency_id", "revokes_id", "outcome", "observed_on",
    "setting", "evidence", "signer_id", "signer_name", "signer_role",
    "signer_registration", "meaning", "signed_at", "revocation_reason",
)  # fmt: skip


def _snapshot(record: CompetencySignoff) -> dict[str, Any]:
    """The record as the audit log keeps it."""
    return audit_snapshot(record, _AUDITED)
