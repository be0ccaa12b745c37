"""Tabs load their data off the GUI thread: the window stays usable meanwhile, the tab says it
is loading, the newest load wins, failures are told, and a tab shown again does not reload."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import Trainee
from apdesk.services.actors import Actor
from apdesk.services.choices import trainee_choices
from apdesk.services.errors import ActionRefusedError
from apdesk.services.progress import TraineeProgress, list_trainee_progress
from apdesk.ui import messages
from apdesk.ui import trainees as trainees_module
from apdesk.ui.attendance import AttendanceTab
from apdesk.ui.background import BackgroundLoad
from apdesk.ui.main_window import MainWindow
from apdesk.ui.models.trainees import TraineeFilter, TraineeFilterProxy, TraineeTableModel
from apdesk.ui.tab import Changed
from apdesk.ui.widgets.trainee_picker import TraineePicker, picker_items
from tests.helpers.fixtures import DEMO_DAY, TEST_ACTOR
from tests.helpers.loading import settle_background_loads, wait_loaded


# -- the mechanism ---------------------------------------------------------------------------
@dataclass
class Outcomes:
    shown: list[object] = field(default_factory=list)
    failed: list[BaseException] = field(default_factory=list)
    threads: list[int] = field(default_factory=list)

    def load(self, owner: QObject | None = None) -> BackgroundLoad[object]:
        def show(result: object) -> None:
            self.threads.append(threading.get_ident())
            self.shown.append(result)

        return BackgroundLoad(show, self.failed.append, owner)


def test_the_fetch_runs_on_a_worker_and_its_result_is_shown_on_the_gui_thread(
    qtbot: QtBot,
) -> None:
    outcomes = Outcomes()
    load = outcomes.load()
    fetched_on: list[int] = []

    load.start(lambda: fetched_on.append(threading.get_ident()) or "rows")
    assert load.busy
    qtbot.waitUntil(lambda: not load.busy)

    assert outcomes.shown == ["rows"] and outcomes.failed == []
    assert fetched_on[0] != threading.get_ident()
    assert outcomes.threads == [threading.get_ident()]


def test_an_older_fetch_finishing_last_is_dropped(qtbot: QtBot) -> None:
    outcomes = Outcomes()
    load = outcomes.load()
    release = threading.Event()
    load.start(lambda: release.wait(10) and "old")
    load.start(lambda: "new")

    qtbot.waitUntil(lambda: outcomes.shown == ["new"])
    release.set()
    settle_background_loads()

    assert outcomes.shown == ["new"]
    assert not load.busy


def test_a_failed_fetch_is_handed_over_not_raised_in_the_worker(qtbot: QtBot) -> None:
    outcomes = Outcomes()
    load = outcomes.load()

    def fail() -> None:
        raise ValueError("the database went away")

    load.start(fail)
    qtbot.waitUntil(lambda: not load.busy)

    assert outcomes.shown == []
    assert [str(error) for error in outcomes.failed] == ["the database went away"]


def test_an_error_while_showing_is_handed_over_too(qtbot: QtBot) -> None:
    failed: list[BaseException] = []

    def show(_result: object) -> None:
        raise KeyError("a column")

    load = BackgroundLoad(show, failed.append)
    load.start(lambda: "rows")
    qtbot.waitUntil(lambda: not load.busy)
    assert [type(error) for error in failed] == [KeyError]


def test_cancelled_or_for_a_deleted_widget_nothing_is_shown(qtbot: QtBot) -> None:
    outcomes = Outcomes()
    load = outcomes.load()
    load.start(lambda: "for the last person")
    load.cancel()
    settle_background_loads()
    assert outcomes.shown == [] and not load.busy

    widget = QWidget()
    owned = outcomes.load(owner=widget)
    release = threading.Event()
    owned.start(lambda: release.wait(10) and "late")
    widget.deleteLater()
    qtbot.waitUntil(lambda: not _alive(widget))
    release.set()
    settle_background_loads()
    assert outcomes.shown == [] and outcomes.failed == []


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def test_a_worker_reads_on_its_own_connection_not_the_gui_threads(
    qtbot: QtBot, demo_database: Database
) -> None:
    """SQLite connections are never shared across threads: the pool hands the worker its own,
    so it sees only what is committed, even while the GUI thread is in the middle of a save."""
    outcomes = Outcomes()
    load = outcomes.load()
    with demo_database.write() as session:
        trainee = session.scalars(select(Trainee).order_by(Trainee.id)).first()
        assert trainee is not None
        trainee.first_name = "Uncommitted"
        session.flush()
        gui_connection = session.connection().connection.dbapi_connection

        def fetch() -> tuple[list[str], object]:
            with demo_database.read() as worker_session:
                names = list(worker_session.scalars(select(Trainee.first_name)))
                return names, worker_session.connection().connection.dbapi_connection

        load.start(fetch)
        qtbot.waitUntil(lambda: not load.busy)

    [(names, worker_connection)] = outcomes.shown  # type: ignore[misc]
    assert worker_connection is not gui_connection
    assert "Uncommitted" not in names and len(names) == 40


# -- the Trainees tab in the main window -----------------------------------------------------
class GatedProgress:
    """list_trainee_progress, held back until released, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.gates: list[threading.Event] = []
        self.results: list[Callable[[list[TraineeProgress]], list[TraineeProgress]]] = []
        self.refuse: BaseException | None = None

    def __call__(self, database: Database, actor: Actor, **kwargs: Any) -> list[TraineeProgress]:
        call = self.calls
        self.calls += 1
        gate = threading.Event()
        self.gates.append(gate)
        gate.wait(30)
        if self.refuse is not None:
            raise self.refuse
        rows = list_trainee_progress(database, actor, **kwargs)
        return self.results[call](rows) if call < len(self.results) else rows

    def release_all(self) -> None:
        for gate in self.gates:
            gate.set()


@pytest.fixture
def gated(monkeypatch: pytest.MonkeyPatch) -> Iterator[GatedProgress]:
    progress = GatedProgress()
    monkeypatch.setattr(trainees_module, "list_trainee_progress", progress)
    yield progress
    progress.release_all()  # never leave a worker waiting


@pytest.fixture
def window(qtbot: QtBot, demo_database: Database) -> MainWindow:
    window = MainWindow(demo_database, TEST_ACTOR)
    qtbot.addWidget(window)
    window.trainees_tab.as_of = window.dashboard_tab.as_of = DEMO_DAY
    window.show()
    qtbot.waitExposed(window)
    wait_loaded(qtbot, window)  # the Dashboard, the first tab an education lead sees
    return window


def test_the_trainees_tab_says_it_is_loading_while_the_rest_of_the_window_works(
    qtbot: QtBot, window: MainWindow, gated: GatedProgress
) -> None:
    tab = window.trainees_tab
    window.tabs.setCurrentWidget(tab)

    assert tab.loading and tab.model.rowCount() == 0
    qtbot.waitUntil(tab.loading_notice.isVisible)  # once the load takes long enough to see
    assert tab.loading_notice.text() == "Loading trainees…"
    assert tab.count_label.text() == "Loading trainees…"
    # Meanwhile another tab opens and shows its data, and the filter box takes typing.
    attendance = next(t for _title, t in window.all_tabs if isinstance(t, AttendanceTab))
    window.tabs.setCurrentWidget(attendance)
    assert attendance.cohort_combo.count() > 0
    window.tabs.setCurrentWidget(tab)
    qtbot.keyClicks(tab.filter_edit, "a")
    assert tab.loading  # still on its way

    gated.release_all()
    wait_loaded(qtbot, tab)

    assert not tab.loading_notice.pending
    assert tab.model.rowCount() == 40
    assert 0 < tab.proxy.rowCount() <= 40  # the filter typed while loading applies
    assert all("a" in tab.model._search[row.trainee_id] for row in visible_rows(tab.proxy))
    assert gated.calls == 1


def visible_rows(proxy: TraineeFilterProxy) -> list[TraineeProgress]:
    from apdesk.ui.models.columns import ROW_ROLE

    return [proxy.index(r, 0).data(ROW_ROLE) for r in range(proxy.rowCount())]


def test_the_newest_load_wins_when_an_older_one_finishes_later(
    qtbot: QtBot, window: MainWindow, gated: GatedProgress
) -> None:
    tab = window.trainees_tab
    gated.results = [lambda rows: rows, lambda rows: rows[:3]]
    window.tabs.setCurrentWidget(tab)  # the first load, held back
    window.refresh_action.trigger()  # a second one, e.g. F5
    qtbot.waitUntil(lambda: len(gated.gates) == 2)

    gated.gates[1].set()
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    gated.gates[0].set()
    settle_background_loads()

    assert tab.model.rowCount() == 3  # the older, longer list never replaced it
    assert not tab.loading


def test_a_refusal_while_loading_is_told_and_a_bug_goes_to_the_report(
    qtbot: QtBot, window: MainWindow, gated: GatedProgress, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused: list[str] = []
    monkeypatch.setattr(
        messages, "show_refusal", lambda _p, action, error: refused.append(f"{action}: {error}")
    )
    bugs: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, _error, _trace: bugs.append(kind))
    tab = window.trainees_tab

    gated.refuse = ActionRefusedError("Sign in to see trainees' records.")
    window.tabs.setCurrentWidget(tab)
    gated.release_all()
    wait_loaded(qtbot, tab)
    assert refused == ["Showing this tab: Sign in to see trainees' records."]
    assert not tab.loading_notice.pending

    gated.refuse = RuntimeError("a bug")
    tab.refresh()
    gated.release_all()
    wait_loaded(qtbot, tab)
    assert bugs == [RuntimeError] and len(refused) == 1


def test_a_tab_shown_again_without_changes_does_not_reload(
    qtbot: QtBot, window: MainWindow, gated: GatedProgress
) -> None:
    tab = window.trainees_tab
    gated.release_all()
    gated.gates = []
    window.tabs.setCurrentWidget(tab)
    gated.release_all()
    wait_loaded(qtbot, tab)
    for _round in range(3):
        window.tabs.setCurrentWidget(window.dashboard_tab)
        window.tabs.setCurrentWidget(tab)
        gated.release_all()
    wait_loaded(qtbot, window)
    assert gated.calls == 1

    window.tabs.setCurrentWidget(window.dashboard_tab)
    window.broadcast(Changed.ATTENDANCE)  # changed while hidden: reloads when next shown
    assert gated.calls == 1
    window.tabs.setCurrentWidget(tab)
    gated.release_all()
    wait_loaded(qtbot, window)
    assert gated.calls == 2


def test_a_trainee_opened_while_the_table_loads_is_selected_when_it_arrives(
    qtbot: QtBot, window: MainWindow, gated: GatedProgress, demo_database: Database
) -> None:
    wanted = list_trainee_progress(demo_database, TEST_ACTOR, as_of=DEMO_DAY)[7]

    window.open_trainee(wanted.trainee_id)  # e.g. a dashboard row double-clicked
    assert window.tabs.currentWidget() is window.trainees_tab
    assert window.trainees_tab.current_trainee_id() is None

    gated.release_all()
    wait_loaded(qtbot, window)
    assert window.trainees_tab.current_trainee_id() == wanted.trainee_id
    assert window.trainees_tab.detail.title.text() == wanted.name


# -- the filter and the picker at scale --------------------------------------------------------
@pytest.mark.parametrize(
    "wanted",
    [
        TraineeFilter(text="an"),
        TraineeFilter(text="zz-nobody"),
        TraineeFilter(at_risk_only=True),
        TraineeFilter(text="e", at_risk_only=True),
    ],
)
def test_the_proxy_shows_exactly_the_rows_the_filter_accepts_after_sorts_and_updates(
    demo_database: Database, wanted: TraineeFilter
) -> None:
    rows = list_trainee_progress(demo_database, TEST_ACTOR, as_of=DEMO_DAY)
    model = TraineeTableModel(rows)
    proxy = TraineeFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filter(wanted)

    def expected() -> set[int]:
        return {
            row.trainee_id
            for row in model.rows()
            if wanted.accepts(row, model._search[row.trainee_id])
        }

    assert {row.trainee_id for row in visible_rows(proxy)} == expected()
    model.sort(0, Qt.SortOrder.DescendingOrder)
    assert {row.trainee_id for row in visible_rows(proxy)} == expected()
    renamed = rows[0].__class__(**{**rows[0].__dict__, "name": "Zz Nobody Annan"})
    model.update_row(renamed)
    assert {row.trainee_id for row in visible_rows(proxy)} == expected()
    assert model.at_risk_count() == sum(1 for row in model.rows() if row.at_risk)


def test_picker_items_built_on_a_worker_fill_the_picker_and_keep_the_choice(
    qtbot: QtBot, demo_database: Database
) -> None:
    picker = TraineePicker()
    qtbot.addWidget(picker)
    choices = trainee_choices(demo_database, TEST_ACTOR)
    picker.set_choices(choices)
    picker.choose(choices[5].id)
    changed: list[int] = []
    picker.trainee_changed.connect(changed.append)

    outcomes = Outcomes()
    load = outcomes.load()
    load.start(lambda: picker_items(trainee_choices(demo_database, TEST_ACTOR)))
    qtbot.waitUntil(lambda: not load.busy)
    [items] = outcomes.shown
    picker.set_items(items)  # type: ignore[arg-type]

    assert picker.count() == len(choices) == 40
    assert picker.trainee_id() == choices[5].id and changed == []
    assert picker.itemText(0) == f"{choices[0].label} ({choices[0].detail})"
