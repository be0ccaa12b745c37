"""What each role may do, checked inside the services.

- apprentice: read their own records, export their own portfolio
- mentor: sign off competencies and Care Certificate criteria for apprentices assigned to them
- education lead: trainees, cohorts, sessions, attendance, reviews, band decisions
- administrator: user accounts, reference data, backups

Nobody signs off their own work. A refusal says who, what, and which role it needs.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, false, true
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from apdesk.db.models import Trainee
from apdesk.domain.enums import Role
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError

STAFF_WHO_SEE_EVERYONE = (Role.EDUCATION_LEAD, Role.ADMINISTRATOR)  # ordered: messages list them


class PermissionDeniedError(ActionRefusedError):
    """The signed-in person's role does not allow this action."""


def _roles(roles: Iterable[Role]) -> str:
    """ "an administrator", "a mentor", "an education lead or administrator"."""
    names = [role.label.lower() for role in roles]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"{'an' if listed[0] in 'aeiou' else 'a'} {listed}"


def require_role(actor: Actor, roles: Iterable[Role], doing: str) -> None:
    """Refuse unless the actor is signed in with one of ``roles``."""
    allowed = tuple(roles)
    if actor.role is None:
        raise PermissionDeniedError(f"Sign in to {doing}.")
    if actor.role not in allowed:
        raise PermissionDeniedError(
            f"{actor.name} cannot {doing}: that needs {_roles(allowed)} account."
        )


def visible_trainees(actor: Actor) -> ColumnElement[bool]:
    """A WHERE clause limiting trainees to those the actor may see."""
    if actor.role in STAFF_WHO_SEE_EVERYONE:
        return true()
    if actor.role is Role.MENTOR and actor.user_id is not None:
        return Trainee.mentor_id == actor.user_id
    if actor.role is Role.APPRENTICE and actor.user_id is not None:
        return Trainee.account_id == actor.user_id
    return false()


def limit_to_visible(query: Select, actor: Actor) -> Select:
    return query.where(visible_trainees(actor))


def require_can_view(session: Session, actor: Actor, trainee_id: int) -> Trainee:
    trainee = session.get(Trainee, trainee_id)
    if trainee is None:
        raise RecordNotFoundError(f"No trainee with id {trainee_id}")
    if actor.role in STAFF_WHO_SEE_EVERYONE:
        return trainee
    if actor.role is Role.MENTOR and trainee.mentor_id == actor.user_id:
        return trainee
    if actor.role is Role.APPRENTICE and trainee.account_id == actor.user_id:
        return trainee
    if actor.role is None:
        raise PermissionDeniedError("Sign in to see trainees' records.")
    raise PermissionDeniedError(f"{actor.name} cannot see {trainee.full_name}'s records.")


def require_can_sign_for(session: Session, actor: Actor, trainee_id: int) -> Trainee:
    """A mentor signs off only apprentices assigned to them, and never their own work."""
    require_role(actor, (Role.MENTOR,), "sign off supervised practice")
    trainee = session.get(Trainee, trainee_id)
    if trainee is None:
        raise RecordNotFoundError(f"No trainee with id {trainee_id}")
    if trainee.account_id is not None and trainee.account_id == actor.user_id:
        raise PermissionDeniedError("Nobody signs off their own work.")
    if trainee.mentor_id != actor.user_id:
        raise PermissionDeniedError(
            f"{actor.name} is not {trainee.full_name}'s assigned mentor, so cannot sign off "
            "their practice. An education lead can change the assigned mentor."
        )
    return trainee
