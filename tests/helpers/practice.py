"""Builders for the supervised-practice and Care Certificate tests: accounts that can sign in
(a password set on a builder's account), the demo's mentor and apprentice of a trainee, a
second framework, and counts of what was stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import (
    ApprenticeshipStandard,
    AuditEntry,
    Competency,
    CompetencyFramework,
    CompetencyGroup,
    CompetencySignoff,
    Trainee,
    User,
)
from apdesk.domain.enums import Role
from apdesk.services.accounts import hash_password, sign_in
from apdesk.services.actors import Actor

PASSWORD = "meadow-compass-27"  # every account these helpers make signs in with it
DEMO_PASSWORD = "apdesk-demo"
WRONG_PASSWORD = "not-my-password"


def add_user(
    database: Database,
    username: str,
    *,
    full_name: str,
    role: Role = Role.MENTOR,
    active: bool = True,
    registration: str | None = "HCPC OT12345",
    job_title: str | None = "Occupational Therapist",
) -> int:
    with database.write() as session:
        user = User(
            username=username,
            full_name=full_name,
            role=role,
            is_active=active,
            password_hash=hash_password(PASSWORD),
            professional_registration=registration,
            job_title=job_title,
        )
        session.add(user)
        session.flush()
        return user.id


def signed_in(database: Database, user_id: int) -> Actor:
    """The account signed in for real (a builder's account is given PASSWORD first)."""
    with database.write() as session:
        user = session.get(User, user_id)
        assert user is not None
        if user.password_hash is None:
            user.password_hash = hash_password(PASSWORD)
        username = user.username
    return sign_in(database, username, PASSWORD)


def set_trainee(database: Database, trainee_id: int, **values: object) -> None:
    """Change a trainee behind the services' back, e.g. who their mentor or account is."""
    with database.write() as session:
        trainee = session.get(Trainee, trainee_id)
        assert trainee is not None
        for name, value in values.items():
            setattr(trainee, name, value)


def failed_sign_ins(database: Database, user_id: int) -> int:
    with database.read() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user.failed_sign_ins


# -- the demo programme (every demo account's password is DEMO_PASSWORD) ----------------------


def demo_trainee(database: Database, *, index: int = 0, in_training: bool = True) -> int:
    """A demo trainee (by id order), still in training unless said otherwise."""
    from apdesk.domain.enums import TraineeStatus

    query = select(Trainee.id).order_by(Trainee.id)
    if in_training:
        query = query.where(Trainee.status == TraineeStatus.IN_TRAINING)
    with database.read() as session:
        return list(session.scalars(query))[index]


def demo_mentor_username(database: Database, trainee_id: int) -> str:
    """The user name of the trainee's assigned mentor: "mentor3" and the like."""
    with database.read() as session:
        return session.scalars(
            select(User.username)
            .join(Trainee, Trainee.mentor_id == User.id)
            .where(Trainee.id == trainee_id)
        ).one()


def demo_apprentice_username(database: Database, trainee_id: int) -> str:
    with database.read() as session:
        return session.scalars(
            select(User.username)
            .join(Trainee, Trainee.account_id == User.id)
            .where(Trainee.id == trainee_id)
        ).one()


def demo_other_mentor_username(database: Database, trainee_id: int) -> str:
    """A mentor who is NOT the trainee's assigned mentor."""
    mine = demo_mentor_username(database, trainee_id)
    with database.read() as session:
        return next(
            name
            for name in session.scalars(
                select(User.username).where(User.role == Role.MENTOR).order_by(User.id)
            )
            if name != mine
        )


def demo_sign_in(database: Database, username: str) -> Actor:
    return sign_in(database, username, DEMO_PASSWORD)


def add_other_framework_competency(database: Database) -> int:
    """A competency of a framework no test trainee follows."""
    with database.write() as session:
        standard_id = session.scalars(select(ApprenticeshipStandard.id)).first()
        assert standard_id is not None
        framework = CompetencyFramework(
            code="OTHER", version="1.0", title="Another framework", standard_id=standard_id
        )
        session.add(framework)
        session.flush()
        group = CompetencyGroup(framework_id=framework.id, code="X1", title="Other", position=1)
        session.add(group)
        session.flush()
        competency = Competency(
            group_id=group.id, code="X1.1", title="Elsewhere", description="Not ours", position=1
        )
        session.add(competency)
        session.flush()
        return competency.id


def count_signoff_records(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count(CompetencySignoff.id))) or 0


def latest_signoff(database: Database) -> CompetencySignoff:
    """The newest competency sign-off record as stored, read back from the database."""
    with database.read() as session:
        record = session.scalars(
            select(CompetencySignoff).order_by(CompetencySignoff.id.desc())
        ).first()
        assert record is not None
        session.expunge(record)
        return record


def audit_entries(database: Database, action: str) -> list[AuditEntry]:
    with database.read() as session:
        return list(
            session.scalars(
                select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
            )
        )


# -- driving the real signing dialogs ----------------------------------------------------------


def answer_dialogs(*steps: Callable[[Any], None], timeout_ms: int = 10_000) -> list[Exception]:
    """Play each step, in order, on the next modal dialog that opens: call this, then do what
    opens the dialog (its exec() blocks until a step presses OK or Cancel).

    Nothing may hang a test run: a step that fails (an assertion) or leaves its dialog open
    has the dialog cancelled, and the error is returned in the list for the test to raise;
    so is a dialog that never opened.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog

    pending = list(steps)
    errors: list[Exception] = []
    clock = {"waited": 0, "answered_at": 0}

    def give_up(error: Exception, dialog: QDialog | None) -> None:
        errors.append(error)
        pending.clear()
        if dialog is not None:
            dialog.reject()

    def poll() -> None:
        clock["waited"] += 10
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog):
            if not getattr(dialog, "_answered", False):
                dialog._answered = True  # type: ignore[attr-defined]
                clock["answered_at"] = clock["waited"]
                step = pending.pop(0) if pending else None
                try:
                    if step is None:
                        raise AssertionError(f"an unexpected dialog: {dialog.windowTitle()}")
                    step(dialog)
                except Exception as error:  # handed back to the test
                    give_up(error, dialog)
            elif clock["waited"] - clock["answered_at"] > 2_000:
                give_up(AssertionError(f"{dialog.windowTitle()} stayed open"), dialog)
        if pending and clock["waited"] > timeout_ms:
            give_up(AssertionError(f"{len(pending)} dialog(s) never opened"), None)
        if pending or isinstance(QApplication.activeModalWidget(), QDialog):
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return errors


def standing_competency_signoff(database: Database, trainee_id: int) -> CompetencySignoff:
    """A sign-off of the trainee that is neither a revocation nor revoked."""
    with database.read() as session:
        revoked = select(CompetencySignoff.revokes_id).where(
            CompetencySignoff.revokes_id.is_not(None)
        )
        return session.scalars(
            select(CompetencySignoff)
            .where(
                CompetencySignoff.trainee_id == trainee_id,
                CompetencySignoff.revokes_id.is_(None),
                CompetencySignoff.id.not_in(revoked),
            )
            .order_by(CompetencySignoff.id)
        ).first()
