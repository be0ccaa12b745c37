"""The Dashboard tab as an education lead uses it: headline figures that agree with the
database, filters, charts, lists that open a trainee, exports, planned places, and who sees it.

The independent counts here come straight from SQL over the demo programme, never from the
dashboard service, so a wrong figure in the service or the tab shows up as a mismatch.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from PySide6.QtCharts import QAbstractBarSeries, QBarCategoryAxis, QPieSeries
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import Cohort, Employer, IcsArea, Trainee
from apdesk.domain.enums import Role, TraineeStatus
from apdesk.services.actors import Actor
from apdesk.services.dashboard import programme_dashboard
from apdesk.services.dashboard_views import (
    AttentionRow,
    CohortLine,
    DashboardFilter,
    ListKind,
)
from apdesk.services.progress import list_trainee_progress
from apdesk.ui import messages
from apdesk.ui.dashboard import DashboardTab
from apdesk.ui.dialogs.planned_places import NOT_SET, PlannedPlacesDialog
from apdesk.ui.main_window import MainWindow
from apdesk.ui.models.attention import AttentionModel
from apdesk.ui.tab import TabContext
from apdesk.ui.widgets.dashboard_charts import ChartCard, by_intake, tick_step
from tests.helpers.fixtures import ADMIN_ACTOR, DEMO_DAY, TEST_ACTOR
from tests.helpers.loading import wait_loaded
from tests.helpers.trainees import demo_sign_in

TILE_STATUSES = {
    "in_training": TraineeStatus.IN_TRAINING,
    "on_break": TraineeStatus.BREAK_IN_LEARNING,
    "at_gateway": TraineeStatus.AT_GATEWAY,
    "completed": TraineeStatus.COMPLETED,
    "withdrawn": TraineeStatus.WITHDRAWN,
}


@pytest.fixture
def told(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message the tab showed (none is shown in tests)."""
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_information", lambda _p, _t, text: shown.append(text))
    monkeypatch.setattr(
        messages, "show_refusal", lambda _p, action, error: shown.append(f"{action}: {error}")
    )
    return shown


def open_tab(qtbot: QtBot, database: Database, actor: Actor = TEST_ACTOR) -> DashboardTab:
    tab = DashboardTab(TabContext(database, actor))
    tab.as_of = DEMO_DAY
    qtbot.addWidget(tab)
    tab.resize(1600, 800)
    tab.show()  # shown: it loads
    wait_loaded(qtbot, tab)
    return tab


def tiles(tab: DashboardTab) -> dict[str, int | None]:
    return {name: tile.value() for name, tile in tab.tiles.items()}


def status_counts(database: Database, *conditions: object) -> dict[TraineeStatus, int]:
    query = (
        select(Trainee.status, func.count())
        .join(Employer, Trainee.employer_id == Employer.id)
        .join(IcsArea, Employer.ics_area_id == IcsArea.id)
        .join(Cohort, Trainee.cohort_id == Cohort.id)
        .group_by(Trainee.status)
    )
    for condition in conditions:
        query = query.where(condition)  # type: ignore[arg-type]
    with database.read() as session:
        return dict(session.execute(query).all())  # type: ignore[arg-type]


def chart_counts(card: ChartCard) -> dict[str, int]:
    """What a chart draws: each category's (or slice's) count, read back from QtCharts."""
    chart = card.view.chart()
    (series,) = chart.series()
    if isinstance(series, QPieSeries):
        markers = chart.legend().markers(series)
        return {m.label(): int(s.value()) for m, s in zip(markers, series.slices(), strict=True)}
    categories = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis)).categories()
    return dict(zip(categories, bar_values(card), strict=True))


def bar_values(card: ChartCard) -> list[int]:
    (series,) = card.view.chart().series()
    assert isinstance(series, QAbstractBarSeries)
    (bars,) = series.barSets()
    return [int(bars.at(n)) for n in range(bars.count())]


def click_row(qtbot: QtBot, tab: DashboardTab, row: int, *, double: bool = False) -> None:
    index = tab.model.index(row, 0)
    tab.table.scrollTo(index)
    centre = tab.table.visualRect(index).center()
    qtbot.mouseClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    if double:
        qtbot.mouseDClick(tab.table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


# -- headline figures --------------------------------------------------------------------
def test_the_headline_figures_are_the_services_and_the_databases(
    qtbot: QtBot, demo_database: Database
) -> None:
    tab = open_tab(qtbot, demo_database)
    shown = tiles(tab)

    headline = programme_dashboard(demo_database, TEST_ACTOR, as_of=DEMO_DAY).headline
    assert shown == {name: getattr(headline, name) for name in shown}
    counts = status_counts(demo_database)
    for name, status in TILE_STATUSES.items():
        assert shown[name] == counts.get(status, 0), name
    assert shown["started"] == sum(counts.values()) == 40
    with demo_database.read() as session:
        planned = session.scalar(select(func.sum(Cohort.planned_places)))
    assert shown["planned_places"] == planned and planned > 0
    progress = list_trainee_progress(demo_database, TEST_ACTOR, as_of=DEMO_DAY)
    assert shown["at_risk"] == sum(1 for p in progress if p.at_risk) > 0
    assert "At risk (" in tab.list_choice.currentText()
    assert tab.model.rowCount() == shown["at_risk"]
    assert tab.as_of_label.text() == "As of 25 Nov 2026"
    assert tab.tiles["in_training"].value_label.accessibleName() == (
        f"In training: {shown['in_training']}"
    )


def test_the_charts_draw_the_databases_counts(qtbot: QtBot, demo_database: Database) -> None:
    tab = open_tab(qtbot, demo_database)
    with demo_database.read() as session:
        by_ics = dict(
            session.execute(
                select(IcsArea.name, func.count())
                .select_from(Trainee)
                .join(Employer, Trainee.employer_id == Employer.id)
                .join(IcsArea, Employer.ics_area_id == IcsArea.id)
                .group_by(IcsArea.name)
            ).all()
        )
        by_sector = dict(
            session.execute(
                select(Employer.sector, func.count())
                .select_from(Trainee)
                .join(Employer, Trainee.employer_id == Employer.id)
                .group_by(Employer.sector)
            ).all()
        )
        planned = dict(session.execute(select(Cohort.name, Cohort.planned_places)).all())

    assert chart_counts(tab.ics_card) == by_ics
    assert chart_counts(tab.sector_card) == {s.label: n for s, n in by_sector.items()}
    assert sum(chart_counts(tab.service_card).values()) == 40
    # The cohort chart's planned bars are each cohort's planned places.
    chart = tab.cohort_card.view.chart()
    (series,) = chart.series()
    planned_bars = next(b for b in series.barSets() if b.label() == "Planned places")
    names = next(a for a in chart.axes() if isinstance(a, QBarCategoryAxis)).categories()
    assert {name: int(planned_bars.at(n)) for n, name in enumerate(names)} == planned
    assert tab.dashboard is not None
    for card, buckets in (
        (tab.attendance_card, tab.dashboard.attendance),
        (tab.otj_card, tab.dashboard.otj),
    ):
        assert bar_values(card) == [bucket.count for bucket in buckets]
        assert 0 < sum(bar_values(card)) <= (tiles(tab)["in_training"] or 0)


def test_the_filters_narrow_every_figure(qtbot: QtBot, demo_database: Database) -> None:
    tab = open_tab(qtbot, demo_database)
    employer = tab.employer_filter.itemText(1)
    tab.employer_filter.setCurrentIndex(1)
    wait_loaded(qtbot, tab)

    counts = status_counts(demo_database, Employer.name == employer)
    shown = tiles(tab)
    assert shown["started"] == sum(counts.values()) < 40
    assert shown["in_training"] == counts.get(TraineeStatus.IN_TRAINING, 0)
    assert all(row.employer == employer for row in tab.model.rows())

    tab.employer_filter.setCurrentIndex(0)
    cohort = tab.cohort_filter.itemText(2)
    tab.cohort_filter.setCurrentIndex(2)
    wait_loaded(qtbot, tab)
    with demo_database.read() as session:
        places = session.scalar(select(Cohort.planned_places).where(Cohort.name == cohort))
    assert tiles(tab)["started"] == sum(
        status_counts(demo_database, Cohort.name == cohort).values()
    )
    assert tiles(tab)["planned_places"] == places
    assert tab.dashboard is not None and tab.dashboard.filter == DashboardFilter(cohort=cohort)

    tab.cohort_filter.setCurrentIndex(0)
    region = tab.region_filter.itemText(1)
    tab.region_filter.setCurrentIndex(1)
    wait_loaded(qtbot, tab)
    assert tiles(tab)["started"] == sum(
        status_counts(demo_database, IcsArea.region == region).values()
    )
    assert "across every region" in tab.cohort_note.text()  # planned places are whole cohorts


def test_a_selection_with_nobody_shows_sentences_not_empty_axes(
    qtbot: QtBot, database: Database
) -> None:
    tab = open_tab(qtbot, database, ADMIN_ACTOR)
    assert tiles(tab)["started"] == 0
    for card in (tab.sector_card, tab.service_card, tab.ics_card, tab.cohort_card):
        assert card.is_empty()
    assert tab.service_card.empty_label.text() == "No trainees on the programme yet."
    assert tab.attendance_card.empty_label.text().startswith("No trainees in training")
    assert tab.list_count.text() == "Nobody is on the “At risk” list."
    assert not tab.export_button.isEnabled()


def test_filters_that_select_nobody_say_so(qtbot: QtBot, demo_database: Database) -> None:
    tab = open_tab(qtbot, demo_database)
    region = tab.region_filter.itemText(1)
    with demo_database.read() as session:
        elsewhere = session.scalars(
            select(Employer.name)
            .join(IcsArea, Employer.ics_area_id == IcsArea.id)
            .where(IcsArea.region != region)
        ).first()
    tab.region_filter.setCurrentIndex(1)
    tab.employer_filter.setCurrentIndex(tab.employer_filter.findData(elsewhere))
    wait_loaded(qtbot, tab)

    assert tiles(tab)["started"] == 0
    assert tab.ics_card.empty_label.text() == (
        f"No trainees for {region} region · {elsewhere} · all cohorts."
    )
    assert tab.cohort_card.empty_label.text() == tab.ics_card.empty_label.text()
    assert tab.tiles["planned_places"].value() == 0  # no cohort is reached


# -- lists ----------------------------------------------------------------------------------
def test_each_list_shows_its_trainees_and_figure(qtbot: QtBot, demo_database: Database) -> None:
    tab = open_tab(qtbot, demo_database)
    assert tab.dashboard is not None
    for kind in ListKind:
        tab.choose_list(kind)
        expected = tab.dashboard.lists[kind]
        assert [row.trainee_id for row in tab.model.rows()] == [r.trainee_id for r in expected]
        assert f"({len(expected)})" in tab.list_choice.currentText()
    tab.choose_list(ListKind.LOW_ATTENDANCE)
    headers = [tab.model.headerData(n, Qt.Orientation.Horizontal) for n in range(3)]
    assert headers == ["Trainee", "Attendance", "Reason"]
    if tab.model.rowCount():
        figure = tab.model.row_at(0).figure
        assert figure is not None
        assert tab.model.index(0, 1).data() == f"{figure.quantize(Decimal(1))}%"


def test_double_clicking_an_at_risk_row_opens_that_trainee(
    qtbot: QtBot, demo_database: Database
) -> None:
    window = MainWindow(demo_database, TEST_ACTOR)
    qtbot.addWidget(window)
    window.dashboard_tab.as_of = DEMO_DAY
    window.trainees_tab.as_of = DEMO_DAY
    window.show()
    tab = window.dashboard_tab
    wait_loaded(qtbot, tab)
    assert window.tabs.currentWidget() is tab  # the first tab an education lead sees
    assert tab.current_list() is ListKind.AT_RISK and tab.model.rowCount() >= 2
    chosen = tab.model.row_at(1)

    click_row(qtbot, tab, 1, double=True)
    wait_loaded(qtbot, window.trainees_tab)

    assert window.tabs.currentWidget() is window.trainees_tab
    assert window.trainees_tab.current_trainee_id() == chosen.trainee_id
    assert window.trainees_tab.current_trainee().at_risk

    # A filter in the Trainees tab that hides the trainee is cleared; Enter opens too.
    window.trainees_tab.filter_edit.setText("nobody is called this")
    window.tabs.setCurrentWidget(tab)
    other = tab.model.row_at(0)
    with qtbot.waitActive(window):
        window.activateWindow()
    click_row(qtbot, tab, 0)
    qtbot.waitUntil(tab.table.hasFocus, timeout=2000)
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.trainees_tab
    assert window.trainees_tab.current_trainee_id() == other.trainee_id
    assert window.trainees_tab.filter_edit.text() == ""


def test_the_export_writes_the_list_with_its_rows_and_types(
    qtbot: QtBot,
    demo_database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    told: list[str],
) -> None:
    tab = open_tab(qtbot, demo_database)
    kind = next(k for k in (ListKind.LOW_ATTENDANCE, ListKind.BEHIND_OTJ) if tab_list(tab, k))
    tab.choose_list(kind)
    expected = tab.model.rows()
    asked: list[str] = []

    def save_as(_parent, _title, suggested, _filters):  # type: ignore[no-untyped-def]
        asked.append(suggested)
        return str(tmp_path / "attention")  # typed without the extension

    monkeypatch.setattr(messages, "ask_save_path", save_as)
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)

    target = tmp_path / "attention.xlsx"
    assert asked[0].endswith(f"-{DEMO_DAY}.xlsx")
    assert told == [f"{len(expected)} trainees exported to\n{target}"]
    workbook = load_workbook(target, read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    assert len(rows) == len(expected) + 1
    header = rows[0]
    assert [row[header.index("Name")] for row in rows[1:]] == [r.name for r in expected]
    figures = [row[len(header) - 2] for row in rows[1:]]
    assert all(isinstance(value, float | int) for value in figures)  # numbers, not "77%"
    assert figures[0] == pytest.approx(float(expected[0].figure or 0), abs=0.05)


def tab_list(tab: DashboardTab, kind: ListKind) -> tuple[AttentionRow, ...]:
    assert tab.dashboard is not None
    return tab.dashboard.lists[kind]


def test_the_cohort_table_exports_to_csv(
    qtbot: QtBot,
    demo_database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    told: list[str],
) -> None:
    tab = open_tab(qtbot, demo_database)
    target = tmp_path / "cohorts.csv"
    monkeypatch.setattr(messages, "ask_save_path", lambda *_: str(target))
    qtbot.mouseClick(tab.cohorts_button, Qt.MouseButton.LeftButton)

    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert told == [f"8 cohorts exported to\n{target}"]
    assert lines[0].startswith("Cohort,Start date,Planned places,Started")
    assert len(lines) == 9


def test_the_programme_summary_is_saved_and_opened(
    qtbot: QtBot,
    demo_database: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    told: list[str],
) -> None:
    tab = open_tab(qtbot, demo_database)
    opened: list[str] = []
    monkeypatch.setattr(messages, "ask_save_path", lambda *_: str(tmp_path / "summary"))
    monkeypatch.setattr(messages, "open_in_viewer", lambda path: opened.append(path) or True)

    qtbot.mouseClick(tab.summary_button, Qt.MouseButton.LeftButton)

    target = tmp_path / "summary.pdf"
    assert opened == [str(target)] and told == []
    reader = PdfReader(target)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1
    for figure in ("in_training", "completed", "at_risk"):
        assert str(tiles(tab)[figure]) in text


# -- planned places ---------------------------------------------------------------------------
def planned_places(database: Database) -> dict[str, int | None]:
    with database.read() as session:
        return dict(session.execute(select(Cohort.name, Cohort.planned_places)).all())


def test_planned_places_are_saved_and_shown(
    qtbot: QtBot, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = open_tab(qtbot, demo_database)
    assert tab.dashboard is not None
    first, second = tab.dashboard.cohorts[:2]
    before = tiles(tab)["planned_places"] or 0

    def exec_(dialog: PlannedPlacesDialog) -> int:
        dialog.spins[first.cohort_id].setValue(31)
        dialog.spins[second.cohort_id].setValue(NOT_SET)  # not agreed yet
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(PlannedPlacesDialog, "exec", exec_)
    qtbot.mouseClick(tab.planned_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, tab)

    saved = planned_places(demo_database)
    assert saved[first.name] == 31 and saved[second.name] is None
    assert tiles(tab)["planned_places"] == (
        before - (first.planned_places or 0) - (second.planned_places or 0) + 31
    )
    assert "1 cohort has no planned places set" in tab.cohort_note.text()


def test_a_refused_planned_places_change_is_explained_and_the_dialog_stays_open(
    qtbot: QtBot, demo_database: Database, told: list[str]
) -> None:
    gone = CohortLine(
        cohort_id=999_999,
        name="Removed meanwhile",
        start_date=date(2026, 9, 7),
        planned_places=10,
        started=0,
        in_training=0,
    )
    dialog = PlannedPlacesDialog(TabContext(demo_database, TEST_ACTOR), [gone])
    qtbot.addWidget(dialog)
    dialog.spins[gone.cohort_id].setValue(12)

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert told and told[0].startswith("Planned places for Removed meanwhile: No cohort")
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.saved == {}
    assert dialog.spins[gone.cohort_id].value() == 12  # what was typed is kept


# -- who sees it -----------------------------------------------------------------------------
def test_a_mentor_never_sees_the_dashboard(
    qtbot: QtBot, demo_database: Database, told: list[str]
) -> None:
    mentor = demo_sign_in(demo_database, "mentor1")
    window = MainWindow(demo_database, mentor)
    qtbot.addWidget(window)
    window.show()

    dashboard = window.tabs.indexOf(window.dashboard_tab)
    assert not window.tabs.isTabVisible(dashboard)
    assert window.tabs.currentWidget() is window.trainees_tab
    go_to = {action.text(): action for action in window.go_to_tab_actions}
    assert not go_to["Dashboard"].isVisible()
    assert go_to["&Trainees"].shortcut().toString() == "Ctrl+1"  # their first tab
    assert told == []  # nothing was asked of the service, so nothing was refused
    assert window.dashboard_tab.dashboard is None


def test_an_education_lead_after_a_mentor_gets_the_dashboard_back(
    qtbot: QtBot, demo_database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from apdesk.ui.dialogs.sign_in import SignInDialog

    window = MainWindow(demo_database, demo_sign_in(demo_database, "mentor1"))
    qtbot.addWidget(window)
    window.show()
    lead = demo_sign_in(demo_database, "edlead1")
    assert lead.role is Role.EDUCATION_LEAD
    monkeypatch.setattr(SignInDialog, "sign_in", classmethod(lambda *_a, **_k: lead))

    window.switch_user_action.trigger()

    go_to = {action.text(): action for action in window.go_to_tab_actions}
    assert go_to["Dashboard"].shortcut().toString() == "Ctrl+1"
    assert go_to["&Trainees"].shortcut().toString() == "Ctrl+2"
    go_to["Dashboard"].trigger()
    wait_loaded(qtbot, window)
    assert window.tabs.currentWidget() is window.dashboard_tab
    assert tiles(window.dashboard_tab)["started"] == 40


# -- pieces ----------------------------------------------------------------------------------
def test_the_attention_model_passes_the_model_tester(
    qtmodeltester, demo_database: Database
) -> None:  # type: ignore[no-untyped-def]
    dashboard = programme_dashboard(demo_database, TEST_ACTOR, as_of=DEMO_DAY)
    model = AttentionModel()
    model.show_list(ListKind.AT_RISK, dashboard.lists[ListKind.AT_RISK])
    qtmodeltester.check(model, force_py=True)
    model.show_list(ListKind.REVIEW_OVERDUE, dashboard.lists[ListKind.REVIEW_OVERDUE])
    qtmodeltester.check(model, force_py=True)


@pytest.mark.parametrize(
    ("largest", "step"),
    [(1, 1), (4, 1), (5, 2), (9, 5), (20, 5), (21, 10), (433, 200), (1200, 500)],
)
def test_count_axes_step_in_round_numbers(largest: int, step: int) -> None:
    assert tick_step(largest) == step


def test_many_cohorts_are_charted_by_intake_month() -> None:
    def line(number: int, start: date, planned: int | None, started: int) -> CohortLine:
        return CohortLine(number, f"C{number}", start, planned, started, started)

    intakes = by_intake(
        [
            line(1, date(2024, 9, 9), 25, 20),
            line(2, date(2024, 9, 16), None, 5),
            line(3, date(2024, 3, 4), None, 7),
        ]
    )
    assert [(i.name, i.planned_places, i.started) for i in intakes] == [
        ("Mar 2024", None, 7),
        ("Sep 2024", 25, 25),
    ]
