"""The Dashboard tab: the programme at a glance for education leads and administrators.

Headline counts, charts by sector, service area and ICS area, each cohort's starts against
its planned places, how attendance and OTJ are spread, and lists of trainees who need
attention, each row opening that trainee in the Trainees tab. Filters narrow it all to a
region, employer or cohort. The whole dashboard comes from one service call per refresh or
filter change, never one per chart, made off the GUI thread: the tab says it is working out
the figures, and the rest of the window stays usable meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.services.dashboard import filter_choices, planned_places_notes, programme_dashboard
from apdesk.services.dashboard_views import Dashboard, DashboardFilter, ListKind
from apdesk.services.errors import ActionRefusedError
from apdesk.services.permissions import STAFF_WHO_SEE_EVERYONE
from apdesk.ui import messages
from apdesk.ui.dashboard_exports import (
    export_attention_list_file,
    export_cohort_file,
    export_programme_summary,
)
from apdesk.ui.dialogs.planned_places import PlannedPlacesDialog
from apdesk.ui.models.attention import AttentionModel
from apdesk.ui.tab import Changed, Tab, TabContext
from apdesk.ui.widgets.dashboard_charts import (
    MOST_COHORT_ROWS,
    ChartCard,
    by_intake,
    cohort_chart,
    cohort_title,
    histogram,
    horizontal_bar_chart,
    pie_chart,
    rows_height,
)
from apdesk.ui.widgets.filter_combos import filter_combo, refill
from apdesk.ui.widgets.headline_tiles import HeadlineTile
from apdesk.ui.widgets.item_views import table_view

# (Headline field, caption), in the order a steering group reads them.
TILES: tuple[tuple[str, str], ...] = (
    ("in_training", "In training"),
    ("started", "Started"),
    ("planned_places", "Planned places"),
    ("at_gateway", "At gateway"),
    ("completed", "Completed"),
    ("withdrawn", "Withdrawn"),
    ("at_risk", "At risk"),
    ("on_break", "On a break"),
)
LIST_ORDER: tuple[ListKind, ...] = (
    ListKind.AT_RISK,
    ListKind.BEHIND_OTJ,
    ListKind.LOW_ATTENDANCE,
    ListKind.REVIEW_OVERDUE,
    ListKind.READY_FOR_GATEWAY,
    ListKind.READY_FOR_BAND,
)
COHORT_TITLE = cohort_title("Cohorts")


class _ChartsPanel(QWidget):
    """The charts' scrolling area. Its wrapped headings make Qt ask it for its height for a
    width, which the layout adds up from the charts' preferred (not minimum) heights: the
    area scrolled at 1600 × 900 although every chart fitted. Its minimum is the real need."""

    def heightForWidth(self, _width: int) -> int:
        return self.minimumSizeHint().height()


class DashboardTab(Tab):
    shows = frozenset(Changed) - {Changed.EVERYTHING}  # every figure can move
    trainee_opened = Signal(int)  # a list row was opened: show this trainee

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.as_of: date | None = None  # None: today; tests fix the day
        self.dashboard: Dashboard | None = None
        self.model = AttentionModel()
        self.setup_ui()

    # -- building -----------------------------------------------------------------------
    def setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._filter_bar())
        layout.addLayout(self._tiles())
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self._charts())
        self.splitter.addWidget(self._lists())
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([1100, 460])
        self.splitter.setChildrenCollapsible(False)
        layout.addWidget(self.splitter, 1)

    def _filter_bar(self) -> QHBoxLayout:
        self.region_filter = filter_combo("Region filter", "All regions")
        self.employer_filter = filter_combo("Employer filter", "All employers")
        self.cohort_filter = filter_combo("Cohort filter", "All cohorts")
        bar = QHBoxLayout()
        for caption, combo in (
            ("Re&gion", self.region_filter),
            ("E&mployer", self.employer_filter),
            ("Coho&rt", self.cohort_filter),
        ):
            label = QLabel(caption)
            label.setBuddy(combo)
            bar.addWidget(label)
            bar.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self.filter_changed)
        self.as_of_label = QLabel()
        bar.addWidget(self.as_of_label)
        bar.addStretch(1)
        self.summary_button = self._button("Programme &summary PDF…", self.export_summary)
        bar.addWidget(self.summary_button)
        return bar

    def _button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        return button

    def _tiles(self) -> QHBoxLayout:
        self.tiles: dict[str, HeadlineTile] = {}
        row = QHBoxLayout()
        for field, caption in TILES:
            tile = HeadlineTile(caption)
            self.tiles[field] = tile
            row.addWidget(tile, 1)
        return row

    def _charts(self) -> QWidget:
        self.sector_card = ChartCard("NHS and 3rd sector")
        self.service_card = ChartCard("By service area")
        self.ics_card = ChartCard("By ICS area")
        self.cohort_card = ChartCard(COHORT_TITLE)
        self.attendance_card = ChartCard("Attendance, trainees in training")
        self.otj_card = ChartCard("Off-the-job hours, % of plan to date")
        self.cohort_note = QLabel()
        self.cohort_note.setWordWrap(True)
        self.cohort_note.setStyleSheet("color: #4c6272;")
        small = self.cohort_note.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.cohort_note.setFont(small)
        cohorts = QWidget()
        cohort_layout = QVBoxLayout(cohorts)
        cohort_layout.setContentsMargins(0, 0, 0, 0)
        cohort_layout.addWidget(self.cohort_card, 1)
        cohort_layout.addWidget(self.cohort_note)
        # The cohort actions sit with the cohort chart they change and export.
        self.planned_button = self._button("Pla&nned places…", self.edit_planned_places)
        self.cohorts_button = self._button("Export cohort table…", self.export_cohort_table)
        cohort_actions = QHBoxLayout()
        cohort_actions.addWidget(self.planned_button)
        cohort_actions.addWidget(self.cohorts_button)
        cohort_actions.addStretch(1)
        cohort_layout.addLayout(cohort_actions)

        # Bar charts of names need about 500 pixels each: QtCharts gives axis labels at most
        # 40% of a chart and cuts the rest short. The small charts share the second row.
        names = QHBoxLayout()
        names.setSpacing(10)
        names.addWidget(self.service_card, 1)
        names.addWidget(self.ics_card, 1)
        figures = QHBoxLayout()
        figures.setSpacing(10)
        for card, stretch in (
            (cohorts, 6),
            (self.sector_card, 3),
            (self.attendance_card, 4),
            (self.otj_card, 4),
        ):
            figures.addWidget(card, stretch)
        grid_widget = _ChartsPanel()
        grid = QVBoxLayout(grid_widget)
        grid.setContentsMargins(0, 0, 6, 0)
        grid.setSpacing(10)
        grid.addLayout(names, 1)
        grid.addLayout(figures, 1)
        scroll = QScrollArea()
        scroll.setWidget(grid_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setMinimumWidth(300)
        return scroll

    def _lists(self) -> QWidget:
        self.list_choice = QComboBox()
        self.list_choice.setAccessibleName("Which list")
        for kind in LIST_ORDER:
            self.list_choice.addItem(kind.value, kind)
        self.list_choice.currentIndexChanged.connect(self._show_list)
        choice_label = QLabel("&List")
        choice_label.setBuddy(self.list_choice)
        self.export_button = self._button("E&xport list…", self.export_list)

        self.table = table_view("Trainees needing attention")
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_index)
        open_on_return = QAction(self.table)
        open_on_return.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        open_on_return.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        open_on_return.triggered.connect(lambda: self._open_index(self.table.currentIndex()))
        self.table.addAction(open_on_return)
        self.list_count = QLabel()
        self.list_count.setWordWrap(True)

        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(6, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(choice_label)
        top.addWidget(self.list_choice, 1)
        top.addWidget(self.export_button)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.list_count)
        return panel

    # -- loading ------------------------------------------------------------------------
    @property
    def may_see(self) -> bool:
        """Only staff who see every trainee have a programme to chart."""
        return self.context.actor.role in STAFF_WHO_SEE_EVERYONE

    def set_context(self, context: TabContext) -> None:
        """Someone else signed in or another database: never leave the last one's figures."""
        self.context = context
        for combo in (self.region_filter, self.employer_filter, self.cohort_filter):
            refill(combo, [])
        self.show_dashboard(None)
        super().set_context(context)

    def reload(self) -> None:
        if not self.may_see:
            self.cancel_loading()
            self.show_dashboard(None)
            return
        choices = filter_choices(self.database, self.context.actor)
        refill(self.region_filter, choices.regions)
        refill(self.employer_filter, choices.employers)
        refill(self.cohort_filter, choices.cohorts)
        self.load()

    def current_filter(self) -> DashboardFilter:
        return DashboardFilter(
            region=self.region_filter.currentData(),
            employer=self.employer_filter.currentData(),
            cohort=self.cohort_filter.currentData(),
        )

    def load(self, failed: Callable[[BaseException], None] | None = None) -> None:
        """One service call for the whole tab, off the GUI thread; the figures on screen stay
        until the new ones arrive."""
        database, actor, wanted, as_of = (
            self.database,
            self.context.actor,
            self.current_filter(),
            self.as_of,
        )
        self.load_in_background(
            lambda: programme_dashboard(database, actor, wanted, as_of=as_of),
            self.show_dashboard,
            notice="Working out the programme's figures…",
            failed=failed,
        )

    def filter_changed(self) -> None:
        if self.may_see:
            self.load(failed=self._filter_failed)

    def _filter_failed(self, error: BaseException) -> None:
        if not isinstance(error, ActionRefusedError):
            self.report_error(error)
            return
        # e.g. a cohort renamed since the list was filled
        messages.show_refusal(self, "Filtering the dashboard", error)
        self.refresh_safely()

    # -- showing ------------------------------------------------------------------------
    def show_dashboard(self, dashboard: Dashboard | None) -> None:
        self.dashboard = dashboard
        for button in (
            self.planned_button,
            self.cohorts_button,
            self.summary_button,
            self.export_button,
        ):
            button.setEnabled(dashboard is not None)
        if dashboard is None:
            for tile in self.tiles.values():
                tile.set_value(None)
            self.as_of_label.clear()
            for card in self._cards():
                card.show_empty("Nothing to show yet.")
            self.cohort_note.clear()
            self._show_list()
            return
        headline = dashboard.headline
        for field, tile in self.tiles.items():
            tile.set_value(getattr(headline, field))
        self.tiles["planned_places"].set_value(
            headline.planned_places, "\n".join(planned_places_notes(dashboard))
        )
        self.as_of_label.setText(f"As of {format_day(dashboard.as_of)}")
        self._show_charts(dashboard)
        self._refresh_list_choices(dashboard)
        self._show_list()

    def _cards(self) -> tuple[ChartCard, ...]:
        return (
            self.sector_card,
            self.service_card,
            self.ics_card,
            self.cohort_card,
            self.attendance_card,
            self.otj_card,
        )

    def _show_charts(self, dashboard: Dashboard) -> None:
        nobody = (
            f"No trainees for {dashboard.filter.describe()}."
            if dashboard.filter != DashboardFilter()
            else "No trainees on the programme yet."
        )
        if dashboard.headline.started:
            self.sector_card.show_chart(pie_chart(dashboard.by_sector))
            for card, split in (
                (self.service_card, dashboard.by_service_area),
                (self.ics_card, dashboard.by_ics_area),
            ):
                card.show_chart(horizontal_bar_chart(split))
                card.view.setMinimumHeight(rows_height(len(split)))
        else:
            for card in (self.sector_card, self.service_card, self.ics_card):
                card.show_empty(nobody)
        notes = list(planned_places_notes(dashboard))
        if len(dashboard.cohorts) > MOST_COHORT_ROWS:
            intakes = by_intake(dashboard.cohorts)
            self.cohort_card.set_title(
                cohort_title(f"Intakes ({len(dashboard.cohorts)} cohorts by start month)")
            )
            self.cohort_card.show_chart(cohort_chart(intakes))
            self.cohort_card.view.setMinimumHeight(rows_height(len(intakes)))
        elif dashboard.cohorts:
            self.cohort_card.set_title(COHORT_TITLE)
            self.cohort_card.show_chart(cohort_chart(dashboard.cohorts))
            self.cohort_card.view.setMinimumHeight(rows_height(len(dashboard.cohorts)))
        else:
            self.cohort_card.show_empty(
                nobody
                if dashboard.filter.region or dashboard.filter.employer
                # a cohort filter always names a cohort that exists
                else "No cohorts have been set up yet."
            )
        self.cohort_note.setText("\n".join(notes))
        self.cohort_note.setVisible(bool(notes))
        for card, buckets, figure, what in (
            (self.attendance_card, dashboard.attendance, "Attendance %", "an attendance figure"),
            (self.otj_card, dashboard.otj, "% of OTJ plan to date", "an OTJ plan"),
        ):
            if any(bucket.count for bucket in buckets):
                card.show_chart(histogram(buckets, figure))
            else:
                card.show_empty(f"No trainees in training with {what} yet.")

    def _refresh_list_choices(self, dashboard: Dashboard) -> None:
        for index, kind in enumerate(LIST_ORDER):
            count = len(dashboard.lists.get(kind, ()))
            self.list_choice.setItemText(index, f"{kind.value} ({count:,})")

    def current_list(self) -> ListKind:
        return ListKind(self.list_choice.currentData())

    def choose_list(self, kind: ListKind) -> None:
        self.list_choice.setCurrentIndex(self.list_choice.findData(kind))

    def _show_list(self) -> None:
        kind = self.current_list()
        rows = self.dashboard.lists.get(kind, ()) if self.dashboard else ()
        self.model.show_list(kind, rows)
        header = self.table.horizontalHeader()
        for number, column in enumerate(self.model.columns):
            header.resizeSection(number, column.width)
        self.export_button.setEnabled(bool(rows))
        if self.dashboard is None:
            self.list_count.clear()
        elif rows:
            self.list_count.setText(
                f"{len(rows):,} trainee{'' if len(rows) == 1 else 's'}. "
                "Double-click a row or press Enter to open the trainee."
            )
        else:
            self.list_count.setText(f"Nobody is on the “{kind.value}” list.")

    # -- actions --------------------------------------------------------------------------
    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.trainee_opened.emit(self.model.row_at(index.row()).trainee_id)

    def export_list(self) -> None:
        """The list shown (the filter's trainees) to CSV or Excel."""
        if self.dashboard is not None:
            export_attention_list_file(self, self.dashboard, self.current_list())

    def export_cohort_table(self) -> None:
        if self.dashboard is not None:
            export_cohort_file(self, self.dashboard)

    def export_summary(self) -> None:
        if self.dashboard is not None:
            export_programme_summary(self, self.dashboard)

    def edit_planned_places(self) -> None:
        dashboard = self.dashboard
        if dashboard is None:
            return
        note = ""
        if dashboard.filter != DashboardFilter():
            note = f"Showing the cohorts for {dashboard.filter.describe()}."
        if PlannedPlacesDialog.edit(self, self.context, dashboard.cohorts, note):
            self.refresh_safely()
