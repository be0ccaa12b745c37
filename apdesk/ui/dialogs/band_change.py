"""Record a band change: the band, when it takes effect, why, and, when the readiness checklist
is not met, a deliberate "record despite unmet checks" with the checks listed.

The dialog checks what it can as the person types (OK stays disabled until the change could
be recorded); the service is still the judge and its refusal is shown by the tab, which
reopens this dialog with everything that was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.checks import Check
from apdesk.services.bands import BANDS, MAX_DAYS_AHEAD, MIN_OVERRIDE_REASON, BandView
from apdesk.ui.dialogs.signing import run_modal, text_box
from apdesk.ui.widgets.validated_fields import date_edit, from_qdate, to_qdate

UnmetChecks = Callable[[str, date], tuple[Check, ...]]
"""(band, effective from) → the checks a move to that band would be recorded despite."""

ERROR_STYLE = "color: #b42318;"
HINT_STYLE = "color: #57606a;"


@dataclass(frozen=True)
class BandChangeRequest:
    band: str
    effective_from: date
    reason: str
    override_readiness: bool


def _rank(band: str) -> int:
    return int(band) if band.isdigit() else 0


class BandChangeDialog(QDialog):
    def __init__(
        self,
        view: BandView,
        unmet_checks: UnmetChecks,
        *,
        today: date,
        initial: BandChangeRequest | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.view = view
        self._unmet_checks = unmet_checks
        self._unmet_cache: dict[tuple[str, date], tuple[Check, ...]] = {}
        self.today = today
        latest = view.latest
        self.earliest = max(view.start_date, latest.effective_from) if latest else view.start_date
        self.latest_allowed = today + timedelta(days=MAX_DAYS_AHEAD)
        self.setWindowTitle(f"Record band change – {view.name}")
        self.setup_ui()
        self._fill(initial)
        self._update()

    def setup_ui(self) -> None:
        self.intro = QLabel(self._intro_text())
        self.intro.setWordWrap(True)

        self.band_combo = QComboBox()
        self.band_combo.setAccessibleName("New band")
        for band in BANDS:
            self.band_combo.addItem(f"Band {band}", band)
        self.direction_label = QLabel()
        self.direction_label.setStyleSheet(HINT_STYLE)

        self.date_edit = date_edit(self.earliest, "Effective from")
        self.date_edit.setDateRange(to_qdate(self.earliest), to_qdate(self.latest_allowed))
        date_hint = QLabel(
            f"From {format_day(self.earliest)} to {format_day(self.latest_allowed)} "
            f"(up to {MAX_DAYS_AHEAD} days ahead)"
        )
        date_hint.setStyleSheet(HINT_STYLE)

        self.reason_edit = text_box(
            "Why, in a sentence: e.g. Year one complete; Care Certificate achieved",
            "Reason",
            lines=4,
        )

        self.readiness_box = QGroupBox()
        self.unmet_label = QLabel()
        self.unmet_label.setWordWrap(True)
        self.override_check = QCheckBox(
            "Record despite &unmet checks (say why in the reason, at least "
            f"{MIN_OVERRIDE_REASON} characters)"
        )
        self.override_check.setAccessibleName("Record despite unmet checks")
        box_layout = QVBoxLayout(self.readiness_box)
        box_layout.addWidget(self.unmet_label)
        box_layout.addWidget(self.override_check)

        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(ERROR_STYLE)
        self.problem_label.setAccessibleName("What is stopping the change")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Record")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Band:", self.band_combo)
        form.addRow("", self.direction_label)
        form.addRow("&Effective from:", self.date_edit)
        form.addRow("", date_hint)
        form.addRow("Rea&son:", self.reason_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.readiness_box)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

        QWidget.setTabOrder(self.band_combo, self.date_edit)
        QWidget.setTabOrder(self.date_edit, self.reason_edit)
        QWidget.setTabOrder(self.reason_edit, self.override_check)
        QWidget.setTabOrder(self.override_check, self.buttons)

        self.band_combo.currentIndexChanged.connect(self._update)
        self.date_edit.dateChanged.connect(self._update)
        self.reason_edit.textChanged.connect(self._update)
        self.override_check.toggled.connect(self._update)

    def _intro_text(self) -> str:
        view = self.view
        who = f"<b>{escape(view.name)}</b> ({escape(view.cohort)})"
        latest = view.latest
        if latest is None:
            return f"{who} has no band recorded yet: record the band on entry."
        text = f"{who} is on Band {escape(view.current_band or '–')}"
        if view.current_band is not None:
            since = max(e.effective_from for e in view.history if e.effective_from <= view.as_of)
            text += f" since {format_day(since)}"
        if latest.effective_from > view.as_of:
            text += f"; Band {escape(latest.band)} is due from {format_day(latest.effective_from)}"
        return text + "."

    def _fill(self, initial: BandChangeRequest | None) -> None:
        if initial is not None:
            self.band_combo.setCurrentIndex(max(self.band_combo.findData(initial.band), 0))
            self.date_edit.setDate(to_qdate(initial.effective_from))
            self.reason_edit.setPlainText(initial.reason)
            self.override_check.setChecked(initial.override_readiness)
            return
        latest = self.view.latest
        suggested = self.view.readiness.next_band
        if suggested not in BANDS:
            suggested = next((b for b in BANDS if latest is None or b != latest.band), BANDS[0])
        self.band_combo.setCurrentIndex(self.band_combo.findData(suggested))
        default = self.view.start_date if latest is None else self.today
        self.date_edit.setDate(to_qdate(min(max(default, self.earliest), self.latest_allowed)))

    # -- reading what was chosen --------------------------------------------------------

    def band(self) -> str:
        return str(self.band_combo.currentData())

    def effective_from(self) -> date:
        return from_qdate(self.date_edit.date())

    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def unmet(self) -> tuple[Check, ...]:
        """The checks this change would be recorded despite (asked once per band and date)."""
        key = (self.band(), self.effective_from())
        if key not in self._unmet_cache:
            self._unmet_cache[key] = self._unmet_checks(*key)
        return self._unmet_cache[key]

    def request(self) -> BandChangeRequest:
        return BandChangeRequest(
            band=self.band(),
            effective_from=self.effective_from(),
            reason=self.reason(),
            override_readiness=bool(self.unmet()) and self.override_check.isChecked(),
        )

    def problem(self) -> str | None:
        """The first thing stopping the change, in words; None when it can be recorded."""
        latest = self.view.latest
        band, day = self.band(), self.effective_from()
        if latest is not None and band == latest.band:
            return f"{self.view.name} is already on Band {band}: choose another band"
        if not self.earliest <= day <= self.latest_allowed:
            return (
                f"Choose a date from {format_day(self.earliest)} to "
                f"{format_day(self.latest_allowed)}"
            )
        if not self.reason():
            return "Give a reason for the band change"
        if self.unmet():
            if not self.override_check.isChecked():
                return (
                    f"Not every check for Band {band} is met: tick “Record despite unmet "
                    "checks” to record it anyway"
                )
            if len(self.reason()) < MIN_OVERRIDE_REASON:
                return (
                    "Say why you are recording despite unmet checks: at least "
                    f"{MIN_OVERRIDE_REASON} characters ({len(self.reason())} so far)"
                )
        return None

    # -- keeping the form honest --------------------------------------------------------

    def _update(self) -> None:
        latest = self.view.latest
        band = self.band()
        if latest is None:
            self.direction_label.setText("The band on entry to the apprenticeship")
        elif band == latest.band:
            self.direction_label.setText(f"Already Band {band}")
        elif _rank(band) > _rank(latest.band):
            self.direction_label.setText(f"↑ A move up from Band {latest.band}")
        else:
            self.direction_label.setText(
                f"↓ A step down from Band {latest.band}: say why, e.g. withdrawal from a post"
            )
        unmet = self.unmet()
        resize = self.readiness_box.isHidden() == bool(unmet)
        self.readiness_box.setVisible(bool(unmet))
        if unmet:
            self.readiness_box.setTitle(
                f"Not yet met for Band {band} on {format_day(self.effective_from())}"
            )
            self.unmet_label.setText(
                "<br>".join(
                    f"<span style='color:#b42318'>✗</span> <b>{escape(c.name)}</b>: "
                    f"{escape(c.reason)}"
                    for c in unmet
                )
            )
        problem = self.problem()
        self.problem_label.setText(problem or "")
        self.ok_button.setEnabled(problem is None)
        if resize:
            self.adjustSize()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        view: BandView,
        unmet_checks: UnmetChecks,
        *,
        today: date,
        initial: BandChangeRequest | None = None,
    ) -> BandChangeRequest | None:
        """Show the dialog; the change asked for, or None if the person cancelled."""
        dialog = cls(view, unmet_checks, today=today, initial=initial, parent=parent)
        return run_modal(dialog, dialog.request)
