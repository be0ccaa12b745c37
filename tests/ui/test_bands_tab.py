"""The Bands tab as an education lead uses it: pick someone from the ready list, read their
checklist, record a band decision, and see the history and the database change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from apdesk.db.database import Database
from apdesk.services.actors import Actor
from apdesk.services.bands import BandReadinessRow, band_overview, unmet_checks
from apdesk.ui import messages
from apdesk.ui.bands import BandsTab
from apdesk.ui.dialogs.band_change import BandChangeDialog, BandChangeRequest
from apdesk.ui.models.bands import READY_COLUMN, BandHistoryModel, ReadyForNextBandModel
from apdesk.ui.models.columns import ROW_ROLE
from apdesk.ui.tab import Changed, TabContext
from apdesk.ui.widgets.band_timeline import BandTimeline
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR
from tests.helpers.loading import wait_loaded
from tests.helpers.trainees import busiest_mentor, demo_sign_in, trainees_of

REASON = "Foundation degree awarded; end-point assessment passed"


@pytest.fixture
def tab(qtbot: QtBot, demo_database: Database) -> BandsTab:
    tab = BandsTab(TabContext(demo_database, TEST_ACTOR))
    tab.as_of = DEMO_DAY
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    qtbot.waitExposed(tab)
    wait_loaded(qtbot, tab)
    return tab


def _rows(tab: BandsTab) -> list[BandReadinessRow]:
    return [tab.model.index(r, 0).data(ROW_ROLE) for r in range(tab.model.rowCount())]


def _click_row(qtbot: QtBot, tab: BandsTab, row: int) -> None:
    rect = tab.ready_table.visualRect(tab.model.index(row, 0))
    qtbot.mouseClick(tab.ready_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _first(tab: BandsTab, *, ready: bool) -> int:
    return next(n for n, row in enumerate(_rows(tab)) if row.ready is ready)


def test_choosing_from_the_ready_list_shows_history_and_checklist(
    qtbot: QtBot, tab: BandsTab, demo_database: Database
) -> None:
    row_number = _first(tab, ready=False)
    row = _rows(tab)[row_number]

    _click_row(qtbot, tab, row_number)

    assert tab.picker.trainee_id() == row.trainee_id
    view = band_overview(demo_database, TEST_ACTOR, row.trainee_id, as_of=DEMO_DAY)
    assert tab.view == view
    assert tab.readiness_heading.text() == f"Readiness for Band {row.next_band}"
    assert "Not yet ready" in tab.readiness_label.text()
    checklist = tab.checklist_label.text()
    for check in view.checks:
        assert check.name in checklist and check.reason in checklist
    assert checklist.count("✗") == row.unmet_count
    assert tab.history_model.rowCount() == len(view.history)
    assert [s.band for s in tab.timeline.segments()] == [e.band for e in view.history]
    assert tab.record_button.isEnabled()


def test_choosing_in_the_picker_selects_the_row(qtbot: QtBot, tab: BandsTab) -> None:
    row = _rows(tab)[3]
    tab.picker.choose(row.trainee_id)
    assert tab.ready_table.currentIndex().row() == 3
    assert row.name in tab.summary_label.text()


def test_recording_a_progression_updates_the_tab_and_the_database(
    qtbot: QtBot, tab: BandsTab, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    row_number = _first(tab, ready=True)
    row = _rows(tab)[row_number]
    _click_row(qtbot, tab, row_number)
    before = band_overview(demo_database, TEST_ACTOR, row.trainee_id, as_of=DEMO_DAY)
    asked: list[tuple[object, date, BandChangeRequest | None]] = []

    def answer(
        _parent: object,
        view: object,
        _unmet: object,
        *,
        today: date,
        initial: BandChangeRequest | None = None,
    ) -> BandChangeRequest:
        asked.append((view, today, initial))
        return BandChangeRequest("4", DEMO_DAY, REASON, override_readiness=False)

    monkeypatch.setattr(BandChangeDialog, "ask", answer)
    tab.data_changed.connect(tab.on_data_changed)  # as the main window broadcasts it back
    reloads: list[None] = []
    real_reload = tab.reload
    monkeypatch.setattr(tab, "reload", lambda: reloads.append(None) or real_reload())
    with qtbot.waitSignal(tab.data_changed) as announced:
        qtbot.keyClick(tab.ready_table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    wait_loaded(qtbot, tab)

    assert announced.args == [Changed.BANDS.value]
    assert len(reloads) == 1  # its own announcement does not load everything twice
    assert asked == [(before, DEMO_DAY, None)]
    after = band_overview(demo_database, TEST_ACTOR, row.trainee_id, as_of=DEMO_DAY)
    assert after.current_band == "4" and len(after.history) == len(before.history) + 1
    latest = after.history[-1]
    assert (latest.band, latest.effective_from, latest.reason) == ("4", DEMO_DAY, REASON)
    assert latest.decided_by_name == TEST_ACTOR.name
    # What the tab shows now.
    assert tab.history_model.rowCount() == len(after.history)
    assert tab.timeline.segments()[-1].band == "4"
    assert "(current)" in tab.timeline.describe()
    assert "<b>Band 4</b>" in tab.summary_label.text()
    assert "no further band" in tab.readiness_label.text()
    assert tab.feedback_label.text() == (f"Recorded Band 4 from 25 Nov 2026 for {row.name}.")
    shown = next(r for r in _rows(tab) if r.trainee_id == row.trainee_id)
    assert (shown.current_band, shown.next_band) == ("4", None)


def test_a_refusal_is_shown_and_the_dialog_reopens_with_what_was_typed(
    qtbot: QtBot, tab: BandsTab, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    row = _rows(tab)[_first(tab, ready=False)]
    tab.picker.choose(row.trainee_id)
    typed = BandChangeRequest("4", DEMO_DAY, "Ready in my view", override_readiness=False)
    answers: list[BandChangeRequest | None] = [typed, None]
    initials: list[BandChangeRequest | None] = []
    refusals: list[str] = []

    def answer(*_args: object, initial: BandChangeRequest | None = None, **_kw: object) -> object:
        initials.append(initial)
        return answers.pop(0)

    monkeypatch.setattr(BandChangeDialog, "ask", answer)
    monkeypatch.setattr(messages, "show_refusal", lambda _p, _a, error: refusals.append(str(error)))
    qtbot.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)

    assert initials == [None, typed]
    assert len(refusals) == 1
    assert refusals[0].startswith(f"{row.name} does not yet meet every check for Band 4:")
    view = band_overview(demo_database, TEST_ACTOR, row.trainee_id, as_of=DEMO_DAY)
    assert tab.view is not None and tab.view.history == view.history
    assert view.history[-1].band == row.current_band  # nothing recorded


def test_ready_only_narrows_the_list(qtbot: QtBot, tab: BandsTab) -> None:
    total = tab.model.rowCount()
    ready = sum(1 for row in _rows(tab) if row.ready)
    assert 0 < ready < total
    assert tab.count_label.text() == (
        f"{ready} of {total} trainees on the programme ready for the next band"
    )

    qtbot.mouseClick(tab.ready_only_check, Qt.MouseButton.LeftButton)

    assert tab.model.rowCount() == ready
    assert all(row.ready for row in _rows(tab))
    assert tab.count_label.text() == f"Showing the {ready} ready; {total} trainees on the programme"


def test_sorting_by_ready_keeps_the_chosen_trainee(qtbot: QtBot, tab: BandsTab) -> None:
    chosen = _rows(tab)[-1]
    tab.picker.choose(chosen.trainee_id)
    header = tab.ready_table.horizontalHeader()
    x = header.sectionViewportPosition(READY_COLUMN) + 10

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    flags = [row.ready for row in _rows(tab)]
    assert flags == sorted(flags, reverse=True) or flags == sorted(flags)
    current = tab.ready_table.currentIndex()
    assert current.data(ROW_ROLE).trainee_id == chosen.trainee_id
    assert tab.picker.trainee_id() == chosen.trainee_id


def test_the_dialog_needs_the_override_ticked_and_a_reason_why(
    qtbot: QtBot, demo_database: Database, tab: BandsTab
) -> None:
    row = next(r for r in _rows(tab) if r.current_band == "2" and not r.ready)
    view = band_overview(demo_database, TEST_ACTOR, row.trainee_id, as_of=DEMO_DAY)
    dialog = BandChangeDialog(
        view,
        lambda band, day: unmet_checks(
            demo_database, TEST_ACTOR, row.trainee_id, band=band, effective_from=day
        ),
        today=DEMO_DAY,
    )
    qtbot.addWidget(dialog)
    dialog.show()

    assert dialog.band() == "3"  # the next band is suggested
    assert not dialog.readiness_box.isHidden()
    unmet = [check.reason for check in view.checks if not check.met]
    assert unmet and all(reason in dialog.unmet_label.text() for reason in unmet)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "Panel agreed")
    assert "tick “Record despite unmet checks”" in dialog.problem_label.text()
    qtbot.mouseClick(dialog.override_check, Qt.MouseButton.LeftButton)
    assert "at least 20 characters (12 so far)" in dialog.problem_label.text()
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, " after the March review")

    assert dialog.ok_button.isEnabled() and dialog.problem_label.text() == ""
    assert dialog.request() == BandChangeRequest(
        "3", DEMO_DAY, "Panel agreed after the March review", override_readiness=True
    )
    dialog.band_combo.setCurrentIndex(dialog.band_combo.findData("2"))
    assert "already on Band 2" in dialog.problem_label.text()
    assert not dialog.ok_button.isEnabled()


def test_the_dialog_keeps_its_dates_within_the_rules(
    qtbot: QtBot, demo_database: Database, tab: BandsTab
) -> None:
    row = _rows(tab)[0]
    view = band_overview(demo_database, TEST_ACTOR, row.trainee_id, as_of=DEMO_DAY)
    assert view.latest is not None
    dialog = BandChangeDialog(
        view,
        lambda band, day: unmet_checks(
            demo_database, TEST_ACTOR, row.trainee_id, band=band, effective_from=day
        ),
        today=DEMO_DAY,
    )
    qtbot.addWidget(dialog)
    assert dialog.date_edit.minimumDate().toPython() == view.latest.effective_from
    assert dialog.date_edit.maximumDate().toPython() == DEMO_DAY + timedelta(days=31)


def test_a_step_down_needs_only_a_reason(
    qtbot: QtBot, demo_database: Database, tab: BandsTab
) -> None:
    row = next(r for r in _rows(tab) if r.current_band == "3")
    view = band_overview(demo_database, TEST_ACTOR, row.trainee_id, as_of=DEMO_DAY)
    dialog = BandChangeDialog(
        view,
        lambda band, day: unmet_checks(
            demo_database, TEST_ACTOR, row.trainee_id, band=band, effective_from=day
        ),
        today=DEMO_DAY,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.band_combo.setCurrentIndex(dialog.band_combo.findData("2"))
    assert dialog.direction_label.text().startswith("↓ A step down from Band 3")
    assert dialog.readiness_box.isHidden()
    qtbot.keyClicks(dialog.reason_edit, "Withdrew from the Band 3 post")
    assert dialog.ok_button.isEnabled()
    assert dialog.request().override_readiness is False


def test_the_timeline_marks_future_changes_and_hides_same_day_corrections(
    qtbot: QtBot,
) -> None:
    timeline = BandTimeline()
    qtbot.addWidget(timeline)
    timeline.resize(700, timeline.sizeHint().height())
    timeline.set_history(
        [
            ("3", date(2024, 9, 9)),  # entered in error
            ("2", date(2024, 9, 9)),  # corrected the same day
            ("3", date(2025, 9, 9)),
            ("4", date(2026, 12, 1)),  # decided, not yet in force
        ],
        today=DEMO_DAY,
        planned_end=date(2026, 9, 1),
    )
    timeline.show()
    timeline.grab()  # paints without error

    assert [(s.band, s.future) for s in timeline.segments()] == [
        ("2", False),
        ("3", False),
        ("4", True),
    ]
    assert timeline.describe() == (
        "Band 2 from 9 Sep 2024; Band 3 from 9 Sep 2025 (current); "
        "Band 4 from 1 Dec 2026 (decided, not yet in force)"
    )
    assert timeline.tooltip_at(timeline._x(date(2025, 1, 1))) == (
        "Band 2 from 9 Sep 2024 to 9 Sep 2025"
    )
    empty = BandTimeline()
    qtbot.addWidget(empty)
    empty.set_history([], today=DEMO_DAY)
    assert empty.describe() == "No band recorded yet"


def test_the_models_pass_qt_model_checks(
    qtmodeltester, demo_database: Database, tab: BandsTab
) -> None:
    ready = ReadyForNextBandModel(_rows(tab))
    qtmodeltester.check(ready, force_py=True)
    ready.set_ready_only(True)
    qtmodeltester.check(ready, force_py=True)
    view = band_overview(demo_database, TEST_ACTOR, _rows(tab)[0].trainee_id, as_of=DEMO_DAY)
    qtmodeltester.check(BandHistoryModel(view.history), force_py=True)


# -- who is signed in --------------------------------------------------------------------
def open_as(qtbot: QtBot, database: Database, actor: Actor) -> BandsTab:
    tab = BandsTab(TabContext(database, actor))
    tab.as_of = DEMO_DAY
    qtbot.addWidget(tab)
    tab.resize(1400, 800)
    tab.show()
    qtbot.waitExposed(tab)
    wait_loaded(qtbot, tab)
    return tab


def test_a_mentor_reads_their_apprentices_bands_but_records_no_change(
    qtbot: QtBot, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []
    monkeypatch.setattr(BandChangeDialog, "ask", lambda *args, **kwargs: asked.append(args))
    mentor = demo_sign_in(demo_database, busiest_mentor(demo_database))
    theirs = trainees_of(demo_database, mentor)

    tab = open_as(qtbot, demo_database, mentor)

    assert tab.record_button.isHidden()
    assert not tab.record_action.isEnabled()
    assert {row.trainee_id for row in _rows(tab)} <= theirs and _rows(tab)
    assert {tab.picker.itemData(n) for n in range(tab.picker.count())} == theirs
    _click_row(qtbot, tab, 0)
    assert tab.view is not None and tab.view.trainee_id == _rows(tab)[0].trainee_id
    assert "✓" in tab.checklist_label.text() or "✗" in tab.checklist_label.text()
    assert not tab.record_action.isEnabled()  # Ctrl+B does nothing either
    qtbot.keyClick(tab, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    tab.record_band_change()
    assert asked == []


def test_an_apprentice_sees_only_their_own_history_and_checklist(
    qtbot: QtBot, demo_database: Database
) -> None:
    apprentice = demo_sign_in(demo_database, "apprentice2")
    [own_id] = trainees_of(demo_database, apprentice)

    tab = open_as(qtbot, demo_database, apprentice)

    assert tab.ready_panel.isHidden() and tab.record_button.isHidden()
    assert tab.picker.count() == 1 and tab.picker.trainee_id() == own_id
    assert tab.view is not None and tab.view.trainee_id == own_id
    own = band_overview(demo_database, apprentice, own_id, as_of=DEMO_DAY)
    assert tab.history_model.rowCount() == len(own.history) > 0
    assert own.name in tab.summary_label.text()


def test_switching_to_a_mentor_takes_the_record_button_away(
    qtbot: QtBot, tab: BandsTab, demo_database: Database
) -> None:
    _click_row(qtbot, tab, 0)
    assert not tab.record_button.isHidden() and tab.record_action.isEnabled()
    mentor = demo_sign_in(demo_database, busiest_mentor(demo_database))

    tab.set_context(TabContext(demo_database, mentor))
    wait_loaded(qtbot, tab)

    assert tab.record_button.isHidden() and not tab.record_action.isEnabled()
    assert {row.trainee_id for row in _rows(tab)} <= trainees_of(demo_database, mentor)
    assert tab.feedback_label.text() == ""

    tab.set_context(TabContext(demo_database, TEST_ACTOR))
    wait_loaded(qtbot, tab)

    assert not tab.record_button.isHidden()
    assert len(_rows(tab)) > len(trainees_of(demo_database, mentor))
