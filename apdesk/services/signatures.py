"""Who signs a sign-off, captured at the moment of signing.

The signer's name, role and registration are copied onto the record, so later changes to the
account never alter what was signed. Until accounts and passwords arrive (the accounts issue),
the person signing is chosen from the active mentors; that issue adds the password re-entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from apdesk.db.models import User
from apdesk.db.models.base import utc_now
from apdesk.domain.enums import Role
from apdesk.services.errors import ActionRefusedError

COMPETENT_MEANING = "Observed in practice and competent"
NOT_YET_COMPETENT_MEANING = "Observed in practice; not yet competent"
CRITERION_MEANING = "Assessed against the Care Certificate criterion and met"
REVOCATION_MEANING = "Revocation of an earlier sign-off"


@dataclass(frozen=True)
class Signature:
    signer_id: int
    signer_name: str
    signer_role: str
    signer_registration: str | None
    signed_at: datetime

    def columns(self, meaning: str) -> dict[str, object]:
        """The signature columns of a sign-off record (see SignatureColumns)."""
        return {
            "signer_id": self.signer_id,
            "signer_name": self.signer_name,
            "signer_role": self.signer_role,
            "signer_registration": self.signer_registration,
            "signed_at": self.signed_at,
            "meaning": meaning,
        }


def mentor_signature(session: Session, signer_id: int) -> Signature:
    """The signature of an active mentor, or a refusal that says why not."""
    signer = session.get(User, signer_id)
    if signer is None:
        raise ActionRefusedError("The chosen mentor no longer exists; choose another")
    if not signer.is_active:
        raise ActionRefusedError(f"{signer.full_name}'s account is deactivated and cannot sign")
    if signer.role is not Role.MENTOR:
        raise ActionRefusedError(f"{signer.full_name} is not a mentor and cannot sign off practice")
    role = f"Mentor, {signer.job_title}" if signer.job_title else "Mentor"
    return Signature(
        signer_id=signer.id,
        signer_name=signer.full_name,
        signer_role=role,
        signer_registration=signer.professional_registration,
        signed_at=utc_now(),
    )
