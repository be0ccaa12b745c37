"""The audit trail viewer as an administrator or education lead uses it: filter by trainee, by
who acted and by date, read an entry's before/after, and check the hash chain, including
one edited behind APDesk's back."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.services.actors import Actor
from apdesk.services.audit import (
    AuditRow,
    list_audit_entries,
    record_change,
    verify_audit_chain,
)
from apdesk.services.trainees import add_trainee, update_trainee
from apdesk.ui.dialogs.audit_trail import LIMIT, AuditTrailDialog
from apdesk.ui.models.audit import ROW_ROLE, AuditTrailModel, local_time
from apdesk.ui.widgets.validated_fields import ERROR_COLOUR, to_qdate
from tests.helpers.accounts import (
    add_education_lead,
    add_mentor,
    first_administrator,
    tamper_with_audit_summary,
)
from tests.helpers.builders import add_small_programme
from tests.helpers.trainees import valid_details


@dataclass(frozen=True)
class Trail:
    admin: Actor
    lead: Actor
    kofi: int  # trainee ids
    ada: int


@pytest.fixture
def trail(database: Database) -> Trail:
    """Five entries: two accounts added, two trainees added by the lead, one trainee edited."""
    admin = first_administrator(database)  # entry 1
    lead = add_education_lead(database, admin)  # entry 2
    programme = add_small_programme(database)
    details = valid_details(database, programme)
    kofi = add_trainee(database, lead, details)  # entry 3
    ada = add_trainee(  # entry 4
        database,
        lead,
        replace(
            details,
            first_name="Ada",
            last_name="Obi",
            employee_number="ESR20452",
            uln=None,
            email=None,
        ),
    )
    update_trainee(database, lead, kofi, replace(details, care_pathway="Crisis team"))  # 5
    return Trail(admin, lead, kofi, ada)


def _open(qtbot: QtBot, database: Database, actor: Actor) -> AuditTrailDialog:
    dialog = AuditTrailDialog(database, actor)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _rows(dialog: AuditTrailDialog) -> list[AuditRow]:
    return [dialog.model.index(r, 0).data(ROW_ROLE) for r in range(dialog.model.rowCount())]


def _click_entry(qtbot: QtBot, dialog: AuditTrailDialog, entry_id: int) -> None:
    row = dialog.model.row_of(entry_id)
    assert row is not None
    rect = dialog.table.visualRect(dialog.model.index(row, 2))
    qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_entries_newest_first_in_local_time(qtbot: QtBot, database: Database, trail: Trail) -> None:
    dialog = _open(qtbot, database, trail.admin)
    rows = _rows(dialog)
    assert [row.id for row in rows] == [5, 4, 3, 2, 1]
    assert dialog.count_label.text() == "5 entries"
    first = dialog.model.index(0, 0)
    assert first.data() == local_time(rows[0])
    moment = rows[0].occurred_at.astimezone()
    assert first.data().endswith(moment.strftime("%H:%M:%S"))
    assert [dialog.model.index(0, c).data() for c in range(1, 4)] == [
        "Eve Lead",
        "Edit",
        f"Trainee {trail.kofi}",
    ]
    assert dialog.model.index(0, 4).data() == "Edited Kofi Mensah: care pathway"


def test_filtering_by_trainee_and_clearing(qtbot: QtBot, database: Database, trail: Trail) -> None:
    dialog = _open(qtbot, database, trail.admin)
    assert dialog.trainee_picker.currentText() == "All trainees"

    dialog.trainee_picker.choose(trail.kofi)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    rows = _rows(dialog)
    assert {row.trainee_id for row in rows} == {trail.kofi}
    assert [row.summary for row in rows] == [
        "Edited Kofi Mensah: care pathway",
        "Added Kofi Mensah",
    ]

    dialog.trainee_picker.choose(trail.ada)
    qtbot.waitUntil(lambda: [row.summary for row in _rows(dialog)] == ["Added Ada Obi"])

    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.trainee_picker.currentText() == "All trainees"
    assert dialog.model.rowCount() == 5


def test_filtering_by_who_acted(qtbot: QtBot, database: Database, trail: Trail) -> None:
    dialog = _open(qtbot, database, trail.admin)
    qtbot.keyClicks(dialog.who, "sam")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    assert {row.actor_name for row in _rows(dialog)} == {"Sam Admin"}

    dialog.who.clear()
    qtbot.keyClicks(dialog.who, "LEAD")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    assert {row.actor_name for row in _rows(dialog)} == {"Eve Lead"}


def test_filtering_by_dates(qtbot: QtBot, database: Database, trail: Trail) -> None:
    dialog = _open(qtbot, database, trail.admin)
    today = date.today()
    assert not dialog.since.edit.isEnabled()
    qtbot.mouseClick(dialog.since.check, Qt.MouseButton.LeftButton)
    assert dialog.since.edit.isEnabled()
    dialog.since.edit.setDate(to_qdate(today + timedelta(days=2)))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 0)

    qtbot.mouseClick(dialog.until.check, Qt.MouseButton.LeftButton)  # To: today
    qtbot.waitUntil(lambda: "after the To date" in dialog.count_label.text())

    dialog.since.edit.setDate(to_qdate(today - timedelta(days=2)))
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 5)


def test_an_entry_shows_its_before_and_after(
    qtbot: QtBot, database: Database, trail: Trail
) -> None:
    dialog = _open(qtbot, database, trail.admin)
    _click_entry(qtbot, dialog, 5)
    assert (
        dialog.before.toPlainText() == '{\n  "care_pathway": "Early intervention in psychosis"\n}'
    )
    assert dialog.after.toPlainText() == '{\n  "care_pathway": "Crisis team"\n}'
    assert "Entry 5" in dialog.entry_label.text()
    assert "Changed: care_pathway" in dialog.entry_label.text()

    _click_entry(qtbot, dialog, 4)  # an addition: nothing before
    assert dialog.before.toPlainText() == ""
    assert '"first_name": "Ada"' in dialog.after.toPlainText()
    assert "A new record: nothing before" in dialog.entry_label.text()


def test_checking_an_intact_chain(qtbot: QtBot, database: Database, trail: Trail) -> None:
    dialog = _open(qtbot, database, trail.admin)
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    head = verify_audit_chain(database).head_hash
    assert dialog.chain_label.text() == f"Intact: 5 entries; head hash {head[:12]}…"
    assert head in dialog.chain_label.toolTip()


def test_a_tampered_entry_is_named_and_selected(
    qtbot: QtBot, database: Database, trail: Trail
) -> None:
    dialog = _open(qtbot, database, trail.admin)
    tamper_with_audit_summary(database, 3, "Added nobody in particular")

    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)

    text = dialog.chain_label.text()
    assert text.startswith("Audit entry 3 (")
    assert "add by Eve Lead) was changed after it was written." in text
    assert ERROR_COLOUR in dialog.chain_label.styleSheet()
    selected = dialog.selected_entry()
    assert selected is not None and selected.id == 3
    assert '"first_name": "Kofi"' in dialog.after.toPlainText()


def test_a_tampered_entry_outside_the_filter_is_still_reported(
    qtbot: QtBot, database: Database, trail: Trail
) -> None:
    dialog = _open(qtbot, database, trail.admin)
    dialog.trainee_picker.choose(trail.ada)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    tamper_with_audit_summary(database, 3, "Added nobody in particular")

    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)

    assert "Audit entry 3" in dialog.chain_label.text()
    assert "Entry 3 is not among those shown" in dialog.chain_label.text()
    assert dialog.selected_entry() is None


def test_education_leads_may_read_it_mentors_may_not(
    qtbot: QtBot, database: Database, trail: Trail
) -> None:
    assert _open(qtbot, database, trail.lead).model.rowCount() == 5
    mentor = add_mentor(database, trail.admin)
    dialog = _open(qtbot, database, mentor)
    assert dialog.model.rowCount() == 0
    assert "Maria Jones cannot read the audit trail" in dialog.count_label.text()


def test_only_the_newest_thousand_are_loaded(
    qtbot: QtBot, database: Database, trail: Trail
) -> None:
    with database.write() as session:
        for n in range(LIMIT + 200):
            record_change(
                session,
                trail.lead,
                action="record_attendance",
                entity="attendance_mark",
                entity_id=n,
                trainee_id=trail.ada,
                summary=f"Marked Ada Obi late ({n} min)",
                before={"status": "present"},
                after={"status": "late", "minutes_late": n},
            )
    started = time.perf_counter()
    dialog = _open(qtbot, database, trail.admin)
    assert time.perf_counter() - started < 3  # generous: shared test machines
    assert dialog.model.rowCount() == LIMIT
    assert _rows(dialog)[0].summary == f"Marked Ada Obi late ({LIMIT + 199} min)"
    assert dialog.count_label.text() == (
        "The newest 1,000 entries; narrow the filters to see older ones."
    )


def test_audit_trail_model(qtmodeltester: object, database: Database, trail: Trail) -> None:
    model = AuditTrailModel(list_audit_entries(database, trail.admin))
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 0).data(ROW_ROLE).id for r in range(5)] == [1, 2, 3, 4, 5]
