"""Accounts: the first administrator, signing in with lock-out, passwords, and the
administrator's account management — each refusal with its reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry, User
from apdesk.domain.enums import Role
from apdesk.services.accounts import (
    LOCK_OUT_FOR,
    NewUser,
    SignInRefusedError,
    add_user,
    change_password,
    confirm_password,
    create_first_administrator,
    list_users,
    needs_first_administrator,
    reset_password,
    set_active,
    sign_in,
)
from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import PermissionDeniedError

ADMIN_PASSWORD = "correct horse battery"


@pytest.fixture
def admin(database: Database) -> Actor:
    return create_first_administrator(
        database, username="admin", full_name="Ada Admin", password=ADMIN_PASSWORD
    )


def mentor(username: str = "maria", password: str = "mentor password 1") -> NewUser:
    return NewUser(
        username=username,
        full_name="Maria Mentor",
        role=Role.MENTOR,
        password=password,
        professional_registration="NMC 12A3456E",
        mentor_trained_on=date(2024, 3, 1),
    )


def test_a_new_database_needs_its_first_administrator(database: Database) -> None:
    assert needs_first_administrator(database)
    actor = create_first_administrator(
        database, username="admin", full_name="Ada Admin", password=ADMIN_PASSWORD
    )
    assert actor.role is Role.ADMINISTRATOR and actor.user_id is not None
    assert not needs_first_administrator(database)
    with pytest.raises(PermissionDeniedError, match="already has an administrator"):
        create_first_administrator(database, username="eve", full_name="Eve", password="x" * 12)


def test_passwords_are_stored_as_argon2_hashes_only(database: Database, admin: Actor) -> None:
    with database.read() as session:
        stored = session.scalars(select(User.password_hash)).one()
        audit = " ".join(e.after or "" for e in session.scalars(select(AuditEntry)))
    assert stored.startswith("$argon2id$") and ADMIN_PASSWORD not in stored
    assert "argon2" not in audit and ADMIN_PASSWORD not in audit


def test_sign_in_and_lock_out_after_five_wrong_passwords(database: Database, admin: Actor) -> None:
    assert sign_in(database, "ADMIN", ADMIN_PASSWORD).name == "Ada Admin"
    messages = []
    for _ in range(5):
        with pytest.raises(SignInRefusedError) as refused:
            sign_in(database, "admin", "wrong password")
        messages.append(str(refused.value))
    assert messages[0] == "The password is not right (4 more tries before the account locks)."
    assert messages[3] == "The password is not right (1 more try before the account locks)."
    assert messages[4] == "Too many wrong passwords: admin is locked for 15 minutes."
    with pytest.raises(SignInRefusedError, match="locked until"):
        sign_in(database, "admin", ADMIN_PASSWORD)  # even the right password, while locked
    with database.read() as session:
        user = session.scalars(select(User)).one()
        locks = session.scalars(select(AuditEntry).where(AuditEntry.action == "lock_account")).all()
    assert user.locked_until is not None and len(locks) == 1
    assert timedelta(minutes=15) == LOCK_OUT_FOR


def test_unknown_and_deactivated_accounts(database: Database, admin: Actor) -> None:
    with pytest.raises(SignInRefusedError, match="no account with that user name"):
        sign_in(database, "nobody", "whatever")
    maria = add_user(database, admin, mentor())
    set_active(database, admin, maria.user_id, False)
    with pytest.raises(SignInRefusedError, match="deactivated"):
        sign_in(database, "maria", "mentor password 1")
    set_active(database, admin, maria.user_id, True)
    assert sign_in(database, "maria", "mentor password 1").role is Role.MENTOR


def test_only_administrators_manage_accounts(database: Database, admin: Actor) -> None:
    maria = add_user(database, admin, mentor())
    with pytest.raises(PermissionDeniedError, match="Maria Mentor cannot add user accounts"):
        add_user(database, maria, mentor("other"))
    with pytest.raises(
        PermissionDeniedError,
        match="Maria Mentor cannot reset passwords: that needs an administrator account",
    ):
        reset_password(database, maria, maria.user_id, "a new password here")
    with pytest.raises(PermissionDeniedError):
        list_users(database, maria)


def test_mentor_accounts_need_registration_and_training_date(
    database: Database, admin: Actor
) -> None:
    incomplete = NewUser("sam", "Sam Smith", Role.MENTOR, "long enough password")
    with pytest.raises(ActionRefusedError, match="professional registration"):
        add_user(database, admin, incomplete)


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "at least 10 characters"), ("maria-is-great-1", "must not contain the user name")],
)
def test_weak_passwords_are_refused(
    database: Database, admin: Actor, password: str, message: str
) -> None:
    with pytest.raises(ActionRefusedError, match=message):
        add_user(database, admin, mentor(password=password))


def test_reset_unlocks_and_change_needs_the_current_password(
    database: Database, admin: Actor
) -> None:
    maria = add_user(database, admin, mentor())
    for _ in range(5):
        with pytest.raises(SignInRefusedError):
            sign_in(database, "maria", "nope nope nope")
    reset_password(database, admin, maria.user_id, "fresh password 22")
    assert sign_in(database, "maria", "fresh password 22").user_id == maria.user_id

    with pytest.raises(
        SignInRefusedError, match="Your current password: The password is not right"
    ):
        change_password(database, maria, "wrong current", "another password 3")
    change_password(database, maria, "fresh password 22", "another password 3")
    assert sign_in(database, "maria", "another password 3").user_id == maria.user_id


def test_the_last_administrator_and_yourself_cannot_be_deactivated(
    database: Database, admin: Actor
) -> None:
    with pytest.raises(ActionRefusedError, match="your own account"):
        set_active(database, admin, admin.user_id, False)
    bob = add_user(
        database, admin, NewUser("bob", "Bob Admin", Role.ADMINISTRATOR, "a long passphrase")
    )
    set_active(database, bob, admin.user_id, False)  # two administrators: allowed
    # Ada's window is still open on another PC: her stale session must not remove the last one.
    with pytest.raises(ActionRefusedError, match="last active administrator"):
        set_active(database, admin, bob.user_id, False)


def test_confirming_a_password_to_sign(database: Database, admin: Actor) -> None:
    confirm_password(database, admin, ADMIN_PASSWORD)
    with pytest.raises(SignInRefusedError, match="Nothing was signed"):
        confirm_password(database, admin, "not it at all")
    with database.read() as session:
        assert session.scalars(select(User.failed_sign_ins)).one() == 1  # counted, though refused
