"""Accounts on a shared trust PC: signing in, lock-out, passwords, and the administrator's
user management. Passwords are stored only as argon2id hashes (argon2-cffi).

Accounts are deactivated, never deleted: every sign-off keeps its signer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from apdesk.db.database import Database
from apdesk.db.models import Employer, User
from apdesk.db.models.base import utc_now
from apdesk.domain.enums import Role
from apdesk.services.actors import Actor
from apdesk.services.audit import record_change
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.input_rules import single_line_problem
from apdesk.services.permissions import PermissionDeniedError, require_role

MAX_FAILED_SIGN_INS = 5
LOCK_OUT_FOR = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
MAX_USERNAME_LENGTH = 80  # the columns' lengths
MAX_FULL_NAME_LENGTH = 160

_hasher = PasswordHasher()


class SignInRefusedError(ActionRefusedError):
    """The user name, password or account state does not allow signing in."""


@dataclass(frozen=True)
class UserSummary:
    id: int
    username: str
    full_name: str
    role: Role
    is_active: bool
    locked_until: datetime | None
    email: str | None
    job_title: str | None
    employer: str | None
    professional_registration: str | None
    mentor_trained_on: date | None


@dataclass(frozen=True)
class NewUser:
    username: str
    full_name: str
    role: Role
    password: str
    email: str | None = None
    job_title: str | None = None
    employer_id: int | None = None
    professional_registration: str | None = None
    mentor_trained_on: date | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"A password needs at least {MIN_PASSWORD_LENGTH} characters"
    if username and username.casefold() in password.casefold():
        return "A password must not contain the user name"
    return None


def username_problem(username: str) -> str | None:
    """Why ``username`` cannot be a user name, or None."""
    name = username.strip()
    if not name:
        return "Enter a user name, e.g. maria.jones"
    if len(name) > MAX_USERNAME_LENGTH:
        return f"A user name has at most {MAX_USERNAME_LENGTH} characters"
    if not name.replace(".", "").replace("-", "").isalnum():
        return "A user name uses letters, digits, dots and hyphens only"
    return None


def full_name_problem(full_name: str) -> str | None:
    """Why ``full_name`` cannot be printed on sign-offs, or None."""
    name = full_name.strip()
    if not name:
        return "Enter the person's full name as it should appear on sign-offs"
    return single_line_problem("The full name", name, MAX_FULL_NAME_LENGTH)


def _check_new_password(password: str, username: str) -> None:
    problem = password_problem(password, username)
    if problem:
        raise ActionRefusedError(problem)


def _actor_for(user: User) -> Actor:
    return Actor(name=user.full_name, user_id=user.id, role=user.role, username=user.username)


def _password_matches(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


def _check_password(session: Session, user: User, password: str, now: datetime) -> str | None:
    """Why ``password`` does not let ``user`` in (None when it does), counting failures.

    Five wrong passwords in a row lock the account for 15 minutes, whether at sign-in or when
    re-entering a password to sign. The caller commits, then raises: the failure count must be
    saved even though the action is refused.
    """
    if not user.is_active:
        return f"{user.full_name}'s account is deactivated. An administrator can reactivate it."
    if user.locked_until is not None and user.locked_until > now:
        until = user.locked_until.astimezone().strftime("%H:%M")
        return (
            f"Too many wrong passwords: {user.username} is locked until {until}. "
            "Wait, or ask an administrator to reset the password."
        )
    if _password_matches(user, password):
        user.failed_sign_ins = 0
        user.locked_until = None
        return None
    user.failed_sign_ins += 1
    left = MAX_FAILED_SIGN_INS - user.failed_sign_ins
    if left > 0:
        tries = "try" if left == 1 else "tries"
        return f"The password is not right ({left} more {tries} before the account locks)."
    user.failed_sign_ins = 0
    user.locked_until = now + LOCK_OUT_FOR
    record_change(
        session,
        _actor_for(user),
        action="lock_account",
        entity="user",
        entity_id=user.id,
        summary=f"{user.username} locked for 15 minutes after "
        f"{MAX_FAILED_SIGN_INS} wrong passwords",
    )
    return f"Too many wrong passwords: {user.username} is locked for 15 minutes."


def sign_in(database: Database, username: str, password: str) -> Actor:
    with database.write() as session:
        user = session.scalars(
            select(User).where(func.lower(User.username) == username.strip().casefold())
        ).one_or_none()
        if user is None:
            refusal: str | None = "There is no account with that user name."
        else:
            refusal = _check_password(session, user, password, utc_now())
            actor = _actor_for(user)
    if refusal:
        raise SignInRefusedError(refusal)
    return actor


def confirm_password(database: Database, actor: Actor, password: str) -> None:
    """The signer re-enters their password: an electronic signature is theirs alone.

    Its own transaction, before the signing one, so a wrong password still counts towards
    the lock-out when the signature is refused.
    """
    if actor.user_id is None:
        raise PermissionDeniedError("Sign in to sign.")
    with database.write() as session:
        refusal = _check_password(session, _user(session, actor.user_id), password, utc_now())
    if refusal:
        raise SignInRefusedError(f"{refusal} Nothing was signed.")


def needs_first_administrator(database: Database) -> bool:
    """True on a new database: nobody can sign in until an administrator is created."""
    with database.read() as session:
        return not session.scalar(
            select(func.count(User.id)).where(
                User.role == Role.ADMINISTRATOR, User.password_hash.is_not(None)
            )
        )


def create_first_administrator(
    database: Database, *, username: str, full_name: str, password: str
) -> Actor:
    if not needs_first_administrator(database):
        raise PermissionDeniedError("This database already has an administrator.")
    return _add(database, None, NewUser(username, full_name, Role.ADMINISTRATOR, password))


def add_user(database: Database, actor: Actor, new: NewUser) -> Actor:
    require_role(actor, (Role.ADMINISTRATOR,), "add user accounts")
    return _add(database, actor, new)


def _add(database: Database, actor: Actor | None, new: NewUser) -> Actor:
    username = new.username.strip()
    problem = username_problem(username)
    if problem:
        raise ActionRefusedError(problem)
    name_problem = full_name_problem(new.full_name)
    if name_problem:
        raise ActionRefusedError(name_problem)
    _check_new_password(new.password, username)
    if new.role is Role.MENTOR and not (new.professional_registration and new.mentor_trained_on):
        raise ActionRefusedError(
            "A mentor account needs the professional registration (e.g. NMC 12A3456E) and "
            "the date of mentor training: both are printed with every sign-off"
        )
    with database.write() as session:
        taken = session.scalar(
            select(func.count(User.id)).where(func.lower(User.username) == username.casefold())
        )
        if taken:
            raise ActionRefusedError(f"The user name {username} is taken")
        user = User(
            username=username,
            full_name=new.full_name.strip(),
            role=new.role,
            password_hash=hash_password(new.password),
            email=new.email,
            job_title=new.job_title,
            employer_id=new.employer_id,
            professional_registration=new.professional_registration,
            mentor_trained_on=new.mentor_trained_on,
        )
        session.add(user)
        session.flush()
        record_change(
            session,
            actor or _actor_for(user),
            action="add_user",
            entity="user",
            entity_id=user.id,
            summary=f"Added {new.role.label.lower()} account {username} ({user.full_name})",
            after=_public(user),
        )
        return _actor_for(user)


def _public(user: User) -> dict[str, object]:
    """What the audit trail records about an account: never the password hash."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "role": user.role,
        "is_active": user.is_active,
        "professional_registration": user.professional_registration,
        "mentor_trained_on": user.mentor_trained_on,
    }


def list_users(database: Database, actor: Actor) -> list[UserSummary]:
    require_role(actor, (Role.ADMINISTRATOR,), "manage user accounts")
    with database.read() as session:
        rows = session.execute(
            select(User, Employer.name)
            .outerjoin(Employer, Employer.id == User.employer_id)
            .order_by(User.is_active.desc(), User.role, User.full_name)
        ).all()
        return [
            UserSummary(
                id=user.id,
                username=user.username,
                full_name=user.full_name,
                role=user.role,
                is_active=user.is_active,
                locked_until=user.locked_until,
                email=user.email,
                job_title=user.job_title,
                employer=employer,
                professional_registration=user.professional_registration,
                mentor_trained_on=user.mentor_trained_on,
            )
            for user, employer in rows
        ]


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise RecordNotFoundError(f"No account with id {user_id}")
    return user


def reset_password(database: Database, actor: Actor, user_id: int, new_password: str) -> None:
    require_role(actor, (Role.ADMINISTRATOR,), "reset passwords")
    with database.write() as session:
        user = _user(session, user_id)
        _check_new_password(new_password, user.username)
        user.password_hash = hash_password(new_password)
        user.failed_sign_ins = 0
        user.locked_until = None
        record_change(
            session,
            actor,
            action="reset_password",
            entity="user",
            entity_id=user.id,
            summary=f"Reset the password of {user.username} and unlocked the account",
        )


def change_password(database: Database, actor: Actor, current: str, new_password: str) -> None:
    if actor.user_id is None:
        raise PermissionDeniedError("Sign in to change your password.")
    if current == new_password:
        raise ActionRefusedError("Choose a password different from the current one")
    with database.write() as session:
        user = _user(session, actor.user_id)
        _check_new_password(new_password, user.username)
        refusal = _check_password(session, user, current, utc_now())
        if refusal is None:
            user.password_hash = hash_password(new_password)
            record_change(
                session,
                actor,
                action="change_password",
                entity="user",
                entity_id=user.id,
                summary=f"{user.username} changed their password",
            )
    if refusal:
        raise SignInRefusedError(f"Your current password: {refusal}")


def set_active(database: Database, actor: Actor, user_id: int, active: bool) -> None:
    """Deactivate (or reactivate) an account. Never deletes: sign-offs keep their signer."""
    require_role(actor, (Role.ADMINISTRATOR,), "deactivate or reactivate accounts")
    with database.write() as session:
        user = _user(session, user_id)
        if not active and user.id == actor.user_id:
            raise ActionRefusedError("You cannot deactivate your own account")
        if not active and user.role is Role.ADMINISTRATOR:
            others = session.scalar(
                select(func.count(User.id)).where(
                    User.role == Role.ADMINISTRATOR, User.is_active.is_(True), User.id != user.id
                )
            )
            if not others:
                raise ActionRefusedError("The last active administrator cannot be deactivated")
        if user.is_active == active:
            return
        before = _public(user)
        user.is_active = active
        record_change(
            session,
            actor,
            action="reactivate_user" if active else "deactivate_user",
            entity="user",
            entity_id=user.id,
            summary=f"{'Reactivated' if active else 'Deactivated'} {user.username}",
            before=before,
            after=_public(user),
        )
