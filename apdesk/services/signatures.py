"""Who signs a sign-off, captured at the moment of signing.

The signer is the signed-in mentor, who re-enters their password for every signature
(apdesk.services.accounts.confirm_password). Their name, role and registration are copied
from their account onto the record, so later changes to the account never alter what was
signed; the time is UTC, shown in local time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import User
from apdesk.db.models.base import utc_now
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import PermissionDeniedError

COMPETENT_MEANING = "Observed in practice and competent"
NOT_YET_COMPETENT_MEANING = "Observed in practice; not yet competent"
CRITERION_MEANING = "Assessed against the Care Certificate criterion and met"
REVOCATION_MEANING = "Revocation of an earlier sign-off"


@dataclass(frozen=True)
class SignerDetails:
    """How a signature will print the signer: shown in the dialog before they sign."""

    name: str
    role: str  # e.g. "Mentor, Mental health nurse"
    registration: str | None  # e.g. "NMC 12A3456E"

    @property
    def signing_as(self) -> str:
        """ "Maria Mentor, NMC 12A3456E" (the name alone without a registration)."""
        return f"{self.name}, {self.registration}" if self.registration else self.name

    @property
    def printed(self) -> str:
        """ "Maria Mentor (Mentor, Mental health nurse, NMC 12A3456E)": the whole signature."""
        registration = f", {self.registration}" if self.registration else ""
        return f"{self.name} ({self.role}{registration})"


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


def _role_words(user: User) -> str:
    return f"Mentor, {user.job_title}" if user.job_title else "Mentor"


def _account(session: Session, actor: Actor) -> User:
    if actor.user_id is None:
        raise PermissionDeniedError("Sign in to sign.")
    user = session.get(User, actor.user_id)
    if user is None:
        raise PermissionDeniedError("Your account no longer exists; sign in again to sign.")
    return user


def signer_details(database: Database, actor: Actor) -> SignerDetails:
    """How the signed-in person's signature will read, for the signing dialog."""
    with database.read() as session:
        user = _account(session, actor)
        return SignerDetails(user.full_name, _role_words(user), user.professional_registration)


def mentor_signature(session: Session, actor: Actor) -> Signature:
    """The signed-in mentor's signature, taken from their account now, in UTC.

    The caller has already confirmed the password and checked (require_can_sign_for) that
    this mentor may sign for the trainee.
    """
    signer = _account(session, actor)
    if not signer.is_active:
        raise ActionRefusedError(f"{signer.full_name}'s account is deactivated and cannot sign")
    return Signature(
        signer_id=signer.id,
        signer_name=signer.full_name,
        signer_role=_role_words(signer),
        signer_registration=signer.professional_registration,
        signed_at=utc_now(),
    )
