"""Band decisions: what the history and the readiness checklist allow, and what is then on record
(the band history rows and their audit entries)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry, BandChange, User
from apdesk.domain.enums import Role, TraineeStatus
from apdesk.services import bands
from apdesk.services.actors import Actor
from apdesk.services.bands import (
    band_overview,
    ready_for_next_band,
    record_band_change,
    unmet_checks,
)
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import PermissionDeniedError
from tests.helpers.bands import add_band, make_ready_for_band_3
from tests.helpers.builders import SmallProgramme, add_small_programme, add_trainee
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.trainees import add_people

START = date(2024, 9, 9)  # the small programme's cohort start
TODAY = date(2025, 10, 1)  # 12.8 months in
OVERRIDE_REASON = "Panel agreed: attendance gap was covered by a placement"


@dataclass(frozen=True)
class Setting:
    programme: SmallProgramme
    lead: Actor
    ready: int  # on Band 2 since the start, meets every Band 3 check
    not_ready: int  # on Band 2 since the start, no Care Certificate, no attendance


@pytest.fixture
def setting(database: Database) -> Setting:
    programme = add_small_programme(database)
    with database.write() as session:
        user = User(username="lena.lead", full_name="Lena Lead", role=Role.EDUCATION_LEAD)
        session.add(user)
        session.flush()
        lead = Actor(name=user.full_name, user_id=user.id, role=Role.EDUCATION_LEAD)
    ready = add_trainee(database, programme)
    not_ready = add_trainee(
        database, programme, first_name="Ben", last_name="Okafor", employee_number="E2"
    )
    for trainee_id in (ready, not_ready):
        add_band(database, trainee_id, "2", START, "Band on entry")
    make_ready_for_band_3(database, programme, ready)
    return Setting(programme, lead, ready, not_ready)


def _counts(database: Database) -> tuple[int, int]:
    with database.read() as session:
        return (
            session.scalar(select(func.count(BandChange.id))) or 0,
            session.scalar(select(func.count(AuditEntry.id))) or 0,
        )


def _record(database: Database, actor: Actor, trainee_id: int, **changes: object) -> object:
    values: dict[str, object] = {
        "trainee_id": trainee_id,
        "band": "3",
        "effective_from": date(2025, 9, 15),
        "reason": "Year one complete; Care Certificate achieved",
        "today": TODAY,
    }
    values.update(changes)
    return record_band_change(database, actor, **values)  # type: ignore[arg-type]


def _last_audit(database: Database) -> AuditEntry:
    with database.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        session.expunge(entry)
        return entry


def test_a_ready_trainee_moves_up_and_the_decision_is_on_record(
    database: Database, setting: Setting
) -> None:
    entry = _record(database, setting.lead, setting.ready)

    assert entry.band == "3" and entry.previous_band == "2" and entry.direction == 1
    assert (entry.decided_by_id, entry.decided_by_name) == (setting.lead.user_id, "Lena Lead")
    assert entry.overridden_checks == ()
    with database.read() as session:
        rows = session.execute(
            select(BandChange.band, BandChange.effective_from, BandChange.decided_by_id)
            .where(BandChange.trainee_id == setting.ready)
            .order_by(BandChange.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("2", START, None),
        ("3", date(2025, 9, 15), setting.lead.user_id),
    ]
    audit = _last_audit(database)
    assert (audit.action, audit.entity, audit.entity_id) == (
        "record_band_change",
        "band_change",
        entry.id,
    )
    assert audit.trainee_id == setting.ready and audit.actor_id == setting.lead.user_id
    assert audit.summary == "Band 2 → 3 from 15 Sep 2025 for Asha Patel"
    assert json.loads(audit.before or "") == {"band": "2", "effective_from": "2024-09-09"}
    after = json.loads(audit.after or "")
    assert after["band"] == "3" and after["override_readiness"] is False
    assert after["unmet_checks"] == []

    view = band_overview(database, TEST_ACTOR, setting.ready, as_of=TODAY)
    assert view.current_band == "3"
    assert view.readiness.next_band == "4"  # the checklist now looks at the next step


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"band": "5"}, "Band must be 2, 3 or 4, not '5'"),
        ({"band": ""}, "Band must be 2, 3 or 4, not ''"),
        ({"band": "2"}, "Asha Patel is already on Band 2"),
        (
            {"effective_from": date(2024, 9, 8)},
            "The effective date 8 Sep 2024 is before Asha Patel started on 9 Sep 2024",
        ),
        (
            {"effective_from": TODAY + timedelta(days=32)},
            "The effective date 2 Nov 2025 is more than 31 days ahead; the latest allowed "
            "today is 1 Nov 2025",
        ),
        ({"reason": "   "}, "Give a reason for the band change"),
    ],
)
def test_refusals_say_why_and_save_nothing(
    database: Database, setting: Setting, changes: dict[str, object], message: str
) -> None:
    before = _counts(database)
    with pytest.raises(ActionRefusedError) as refused:
        _record(database, setting.lead, setting.ready, **changes)
    assert str(refused.value) == message
    assert _counts(database) == before


def test_a_date_before_the_latest_change_is_refused(database: Database, setting: Setting) -> None:
    _record(database, setting.lead, setting.ready, effective_from=date(2025, 9, 15))
    before = _counts(database)
    with pytest.raises(ActionRefusedError) as refused:
        _record(
            database,
            setting.lead,
            setting.ready,
            band="2",
            effective_from=date(2025, 9, 14),
            reason="Wrong band entered",
        )
    assert str(refused.value) == (
        "The effective date 14 Sep 2025 is before the latest band change (Band 3 from "
        "15 Sep 2025); to correct a mistake, record a new change from that date or later"
    )
    assert _counts(database) == before


def test_a_change_already_due_is_not_recorded_twice(database: Database, setting: Setting) -> None:
    _record(database, setting.lead, setting.ready, effective_from=TODAY + timedelta(days=10))
    with pytest.raises(ActionRefusedError, match="already due to move to Band 3 on 11 Oct 2025"):
        _record(database, setting.lead, setting.ready, effective_from=TODAY + timedelta(days=20))


def test_thirty_one_days_ahead_is_the_limit(database: Database, setting: Setting) -> None:
    entry = _record(database, setting.lead, setting.ready, effective_from=date(2025, 11, 1))
    assert entry.effective_from == TODAY + timedelta(days=31)


def test_moving_up_with_unmet_checks_is_refused_with_the_checks(
    database: Database, setting: Setting
) -> None:
    before = _counts(database)
    with pytest.raises(ActionRefusedError) as refused:
        _record(database, setting.lead, setting.not_ready)
    assert str(refused.value) == (
        "Ben Okafor does not yet meet every check for Band 3: Care Certificate not complete; "
        "No attendance recorded yet; Band 3 needs 85%. To record it anyway, tick “Record "
        "despite unmet checks” and say why"
    )
    assert _counts(database) == before


def test_an_override_needs_a_reason_that_says_why(database: Database, setting: Setting) -> None:
    before = _counts(database)
    with pytest.raises(ActionRefusedError) as refused:
        _record(
            database,
            setting.lead,
            setting.not_ready,
            reason="Panel agreed",  # 12 characters
            override_readiness=True,
        )
    assert str(refused.value) == (
        "Recording Band 3 despite unmet checks needs a reason of at least 20 characters saying why"
    )
    assert _counts(database) == before


def test_an_override_records_the_unmet_checks_in_the_audit_entry(
    database: Database, setting: Setting
) -> None:
    entry = _record(
        database,
        setting.lead,
        setting.not_ready,
        reason=OVERRIDE_REASON,
        override_readiness=True,
    )

    names = ["Care Certificate", "Attendance"]
    assert [check.name for check in entry.overridden_checks] == names
    audit = _last_audit(database)
    assert audit.summary == (
        "Band 2 → 3 from 15 Sep 2025 for Ben Okafor (recorded despite 2 unmet checks)"
    )
    after = json.loads(audit.after or "")
    assert after["override_readiness"] is True
    assert after["reason"] == OVERRIDE_REASON
    assert after["unmet_checks"] == [
        {"name": "Care Certificate", "reason": "Care Certificate not complete"},
        {"name": "Attendance", "reason": "No attendance recorded yet; Band 3 needs 85%"},
    ]
    # The history shows the override too, read back from the audit entry.
    latest = band_overview(database, TEST_ACTOR, setting.not_ready, as_of=TODAY).latest
    assert latest is not None and [c.name for c in latest.overridden_checks] == names


def test_an_override_is_not_noted_when_every_check_is_met(
    database: Database, setting: Setting
) -> None:
    entry = _record(database, setting.lead, setting.ready, override_readiness=True)
    assert entry.overridden_checks == ()
    assert json.loads(_last_audit(database).after or "")["override_readiness"] is False


def test_readiness_is_judged_on_the_effective_date(database: Database, setting: Setting) -> None:
    """Twelve months in training are reached on 9 Sep 2025: a move dated before is refused."""
    with pytest.raises(ActionRefusedError, match=r"Only 11\.9 months in training"):
        _record(database, setting.lead, setting.ready, effective_from=date(2025, 9, 5))


def test_skipping_a_band_counts_as_an_unmet_check(database: Database, setting: Setting) -> None:
    with pytest.raises(ActionRefusedError, match="Band 4 skips Band 3, the next band from Band 2"):
        _record(database, setting.lead, setting.ready, band="4")
    entry = _record(
        database,
        setting.lead,
        setting.ready,
        band="4",
        reason="Came to us already working at Band 4 elsewhere",
        override_readiness=True,
    )
    assert [check.name for check in entry.overridden_checks] == ["Next band"]


def test_moving_down_needs_only_a_reason(database: Database, setting: Setting) -> None:
    add_band(database, setting.not_ready, "3", date(2025, 9, 9), "Year two")
    entry = _record(
        database,
        setting.lead,
        setting.not_ready,
        band="2",
        effective_from=date(2025, 9, 20),
        reason="Withdrew from the Band 3 post; back to Band 2",
    )
    assert entry.direction == -1 and entry.overridden_checks == ()
    assert band_overview(database, TEST_ACTOR, setting.not_ready, as_of=TODAY).current_band == "2"


def test_the_first_band_is_recorded_without_a_checklist(
    database: Database, setting: Setting
) -> None:
    newcomer = add_trainee(
        database, setting.programme, first_name="Cara", last_name="Lee", employee_number="E3"
    )
    entry = _record(
        database, setting.lead, newcomer, band="3", effective_from=START, reason="Band on entry"
    )
    assert entry.previous_band is None and entry.direction == 0
    assert _last_audit(database).summary == "Band 3 on entry from 9 Sep 2024 for Cara Lee"


def test_history_is_oldest_first_and_a_mistake_is_corrected_by_a_new_record(
    database: Database, setting: Setting
) -> None:
    trainee = setting.ready
    _record(database, setting.lead, trainee, band="3", effective_from=date(2025, 9, 15))
    _record(
        database,
        setting.lead,
        trainee,
        band="2",
        effective_from=date(2025, 9, 15),
        reason="Entered in error: the panel deferred the decision",
    )
    add_band(database, trainee, "2", date(2024, 9, 1), "An older row added later")  # out of order

    view = band_overview(database, TEST_ACTOR, trainee, as_of=TODAY)

    steps = [(e.band, e.effective_from, e.previous_band) for e in view.history]
    assert steps == [
        ("2", date(2024, 9, 1), None),
        ("2", START, "2"),
        ("3", date(2025, 9, 15), "2"),
        ("2", date(2025, 9, 15), "3"),  # same day, recorded later: it wins
    ]
    assert view.current_band == "2"
    assert view.history[-1].reason == "Entered in error: the panel deferred the decision"
    # The mistaken row is still there, unchanged.
    with database.read() as session:
        bands_on_record = session.scalars(
            select(BandChange.band).where(BandChange.trainee_id == trainee).order_by(BandChange.id)
        ).all()
    assert bands_on_record == ["2", "3", "2", "2"]  # in the order they were recorded


def test_overview_shows_the_readiness_checklist(database: Database, setting: Setting) -> None:
    view = band_overview(database, TEST_ACTOR, setting.not_ready, as_of=TODAY)

    assert (view.name, view.cohort, view.current_band) == ("Ben Okafor", "GM Sep 2024", "2")
    assert view.readiness.next_band == "3" and not view.readiness.ready
    assert [(c.name, c.met) for c in view.checks] == [
        ("Status", True),
        ("Time in training", True),
        ("Care Certificate", False),
        ("Attendance", False),
    ]
    assert view.checks[1].reason == "12.8 months in training (12 needed)"
    future = band_overview(database, TEST_ACTOR, setting.ready, as_of=date(2024, 9, 20))
    assert future.current_band == "2" and future.checks[1].met is False


def test_ready_list_covers_trainees_still_on_the_programme(
    database: Database, setting: Setting
) -> None:
    gone = add_trainee(
        database,
        setting.programme,
        first_name="Dee",
        last_name="Gone",
        employee_number="E4",
        status=TraineeStatus.WITHDRAWN,
    )
    finished = add_trainee(
        database,
        setting.programme,
        first_name="Fin",
        last_name="Ished",
        employee_number="E5",
        status=TraineeStatus.COMPLETED,
    )
    for trainee_id in (gone, finished):
        add_band(database, trainee_id, "3", START)

    rows = {row.trainee_id: row for row in ready_for_next_band(database, TEST_ACTOR, as_of=TODAY)}

    assert set(rows) == {setting.ready, setting.not_ready}
    ready, not_ready = rows[setting.ready], rows[setting.not_ready]
    assert (ready.current_band, ready.next_band, ready.ready, ready.unmet_count) == (
        "2",
        "3",
        True,
        0,
    )
    assert not not_ready.ready and not_ready.unmet_count == 2
    assert not_ready.unmet_reasons == (
        "Care Certificate not complete",
        "No attendance recorded yet; Band 3 needs 85%",
    )


def test_a_change_recorded_meanwhile_by_someone_else_is_not_overwritten(
    database: Database, setting: Setting, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = bands.trainee_progress

    def someone_else_records_first(*args: object, **kwargs: object) -> object:
        add_band(database, setting.ready, "3", date(2025, 9, 10), "Another lead")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bands, "trainee_progress", someone_else_records_first)
    with pytest.raises(ActionRefusedError, match="Someone else recorded a band change"):
        _record(database, setting.lead, setting.ready)
    assert band_overview(database, TEST_ACTOR, setting.ready, as_of=TODAY).history[-1].reason == (
        "Another lead"
    )


def test_unmet_checks_answer_the_dialog_as_the_change_will_decide(
    database: Database, setting: Setting
) -> None:
    def ask(trainee_id: int, band: str, day: date) -> list[str]:
        checks = unmet_checks(database, TEST_ACTOR, trainee_id, band=band, effective_from=day)
        return [check.name for check in checks]

    assert ask(setting.not_ready, "3", date(2025, 9, 15)) == ["Care Certificate", "Attendance"]
    assert ask(setting.ready, "3", date(2025, 9, 15)) == []
    assert ask(setting.ready, "3", date(2025, 9, 5)) == ["Time in training"]
    assert ask(setting.ready, "4", date(2025, 9, 15)) == ["Next band"]
    assert ask(setting.ready, "2", date(2025, 9, 15)) == []  # not a move up


# -- who may do what ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", "Adam Admin cannot record band changes: that needs an education lead account."),
        ("mentor", "Mo Mentor cannot record band changes: that needs an education lead account."),
        (
            "apprentice",
            "Asha Account cannot record band changes: that needs an education lead account.",
        ),
        ("nobody", "Sign in to record band changes."),
    ],
)
def test_only_an_education_lead_records_a_band_decision(
    database: Database, setting: Setting, who: str, refusal: str | None
) -> None:
    people = add_people(database, setting.ready)
    before = _counts(database)

    if refusal is None:
        entry = _record(database, people[who], setting.ready)
        assert entry.decided_by_name == people[who].name
        assert _counts(database) == (before[0] + 1, before[1] + 1)
    else:
        with pytest.raises(PermissionDeniedError) as refused:
            _record(database, people[who], setting.ready)
        assert str(refused.value) == refusal
        assert _counts(database) == before


@pytest.mark.parametrize(
    ("who", "refusal"),
    [
        ("lead", None),
        ("admin", None),
        ("mentor", None),
        ("apprentice", None),
        ("other_mentor", "Olu Other cannot see Asha Patel's records."),
        ("other_apprentice", "Oona Other cannot see Asha Patel's records."),
        ("nobody", "Sign in to see trainees' records."),
    ],
)
def test_a_band_history_is_read_by_staff_the_mentor_and_the_apprentice(
    database: Database, setting: Setting, who: str, refusal: str | None
) -> None:
    people = add_people(database, setting.ready)
    september = date(2025, 9, 15)

    if refusal is None:
        view = band_overview(database, people[who], setting.ready, as_of=TODAY)
        assert (view.name, view.current_band) == ("Asha Patel", "2")
        assert (
            unmet_checks(database, people[who], setting.ready, band="3", effective_from=september)
            == ()
        )
        return
    with pytest.raises(PermissionDeniedError) as refused:
        band_overview(database, people[who], setting.ready, as_of=TODAY)
    assert str(refused.value) == refusal
    with pytest.raises(PermissionDeniedError) as refused_checks:
        unmet_checks(database, people[who], setting.ready, band="3", effective_from=september)
    assert str(refused_checks.value) == refusal


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("lead", {"Asha Patel", "Ben Okafor"}),
        ("admin", {"Asha Patel", "Ben Okafor"}),
        ("mentor", {"Asha Patel"}),  # filtered to their own apprentices, not refused
        ("other_mentor", set()),
        ("apprentice", {"Asha Patel"}),
        ("other_apprentice", set()),
    ],
)
def test_the_ready_list_holds_only_the_trainees_someone_may_see(
    database: Database, setting: Setting, who: str, shown: set[str]
) -> None:
    people = add_people(database, setting.ready)

    rows = ready_for_next_band(database, people[who], as_of=TODAY)

    assert {row.name for row in rows} == shown


def test_nobody_signed_in_sees_no_ready_list(database: Database, setting: Setting) -> None:
    people = add_people(database, setting.ready)
    with pytest.raises(PermissionDeniedError) as refused:
        ready_for_next_band(database, people.nobody, as_of=TODAY)
    assert str(refused.value) == "Sign in to see trainees' records."
