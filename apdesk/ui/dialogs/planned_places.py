"""Planned places per cohort: one spin box per cohort, saved cohort by cohort through the
service (which checks the numbers and writes the audit trail)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.services.dashboard import MAX_PLANNED_PLACES, set_planned_places
from apdesk.services.dashboard_views import CohortLine
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.ui import messages
from apdesk.ui.tab import TabContext

NOT_SET = -1  # the spin box's lowest value, shown as "not set"


class PlannedPlacesDialog(QDialog):
    def __init__(
        self,
        context: TabContext,
        cohorts: Sequence[CohortLine],
        parent: QWidget | None = None,
        *,
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.cohorts = tuple(cohorts)
        self.saved: dict[int, int | None] = {}  # cohort id → places now in the database
        self.setWindowTitle("Planned places per cohort")
        self.setup_ui(note)

    @classmethod
    def edit(
        cls,
        parent: QWidget | None,
        context: TabContext,
        cohorts: Sequence[CohortLine],
        note: str = "",
    ) -> bool:
        """Whether any cohort's planned places changed."""
        dialog = cls(context, cohorts, parent, note=note)
        dialog.exec()
        return bool(dialog.saved)

    def setup_ui(self, note: str) -> None:
        intro = QLabel(
            "How many apprentices each cohort is planned to take. Leave a cohort "
            "<i>not set</i> until the number is agreed; it then counts as 0 in the totals."
            + (f"<br>{note}" if note else "")
        )
        intro.setWordWrap(True)
        grid_widget = QWidget()
        grid = QGridLayout(grid_widget)
        for column, title in enumerate(("Cohort", "Starts", "Started", "Planned places")):
            heading = QLabel(f"<b>{title}</b>")
            grid.addWidget(heading, 0, column)
        self.spins: dict[int, QSpinBox] = {}
        for row, line in enumerate(self.cohorts, start=1):
            name = QLabel(line.name)
            spin = QSpinBox()
            spin.setRange(NOT_SET, MAX_PLANNED_PLACES)
            spin.setSpecialValueText("not set")
            spin.setValue(NOT_SET if line.planned_places is None else line.planned_places)
            spin.setAccessibleName(f"Planned places for {line.name}")
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            name.setBuddy(spin)
            self.spins[line.cohort_id] = spin
            grid.addWidget(name, row, 0)
            grid.addWidget(QLabel(format_day(line.start_date)), row, 1)
            started = QLabel(str(line.started))
            started.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(started, row, 2)
            grid.addWidget(spin, row, 3)
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(len(self.cohorts) + 1, 1)
        scroll = QScrollArea()
        scroll.setWidget(grid_widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(560, min(160 + 34 * len(self.cohorts), 640))

    def places(self, cohort_id: int) -> int | None:
        value = self.spins[cohort_id].value()
        return None if value == NOT_SET else value

    def changes(self) -> list[tuple[CohortLine, int | None]]:
        """Cohorts whose spin box differs from what the database now holds."""
        return [
            (line, self.places(line.cohort_id))
            for line in self.cohorts
            if self.places(line.cohort_id) != self.saved.get(line.cohort_id, line.planned_places)
        ]

    def save(self) -> None:
        """Each cohort in its own transaction; on a refusal stay open with what was typed, and
        the cohorts already saved are not saved twice."""
        for line, places in self.changes():
            try:
                set_planned_places(
                    self.context.database, self.context.actor, line.cohort_id, places
                )
            except (ActionRefusedError, RecordNotFoundError) as error:
                messages.show_refusal(self, f"Planned places for {line.name}", error)
                self.spins[line.cohort_id].setFocus()
                return
            self.saved[line.cohort_id] = places
        self.accept()
