"""The selected trainee in full: why they are at risk first, then progress, the gateway
checklist, breaks in learning and progress reviews, with the actions that change them.

The figures come from the table's own row (one TraineeProgress, already assessed), so
selecting a trainee costs two small queries: their reviews and their breaks.

Only an education lead records reviews and breaks, so only they see those buttons; everyone
else reads the same panel (the services refuse the actions anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.bands import BandReadiness
from apdesk.domain.calendar import format_day
from apdesk.domain.enums import Role, TraineeStatus
from apdesk.domain.units import format_hours
from apdesk.services.progress import TraineeProgress
from apdesk.services.reviews import PACING, BreakRecord, ReviewRecord, list_breaks, list_reviews
from apdesk.ui.dialogs.break_dialog import BreakDialog
from apdesk.ui.dialogs.review_dialog import ReviewDialog
from apdesk.ui.portfolio_export import export_portfolio
from apdesk.ui.tab import Changed, TabContext
from apdesk.ui.widgets.validated_fields import ERROR_COLOUR, WARNING_COLOUR

RISK_STYLE = (
    f"QLabel {{ background: #fde7e9; border-left: 4px solid {ERROR_COLOUR}; padding: 6px; }}"
)
MET, UNMET = "✓", "✗"


def _label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _lines(items: Sequence[str], colour: str | None = None) -> str:
    style = f' style="color:{colour}"' if colour else ""
    return "".join(f"<div{style}>{escape(item)}</div>" for item in items)


class TraineeDetailPanel(QScrollArea):
    changed = Signal(str)  # a Changed value, after a review or break was saved here

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.trainee: TraineeProgress | None = None
        self.reviews: list[ReviewRecord] = []
        self.breaks: list[BreakRecord] = []
        self.as_of = date.today()
        self.setup_ui()
        self.set_context(context)
        self.show_trainee(None)

    def setup_ui(self) -> None:
        self.setWidgetResizable(True)
        self.setMinimumWidth(360)
        body = QWidget()
        layout = QVBoxLayout(body)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.title.setWordWrap(True)
        self.subtitle = _label()
        self.risks = _label()
        self.risks.setStyleSheet(RISK_STYLE)
        self.risks.setAccessibleName("Reasons this trainee is at risk")
        self.portfolio_button = QPushButton("Export evidence &portfolio…")
        self.portfolio_button.setToolTip(
            "Save this trainee's evidence portfolio as a PDF for end-point assessment"
        )
        self.portfolio_button.clicked.connect(self.export_portfolio)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(self._buttons(self.portfolio_button))
        layout.addWidget(self.risks)

        self.progress_box = QGroupBox("Progress")
        progress = QFormLayout(self.progress_box)
        self.attendance = _label()
        self.otj = _label()
        self.care_certificate = _label()
        self.competencies = _label()
        self.band = _label()
        self.next_review = _label()
        for title, widget in (
            ("Attendance", self.attendance),
            ("OTJ hours", self.otj),
            ("Care Certificate", self.care_certificate),
            ("Competencies", self.competencies),
            ("Band", self.band),
            ("Next review", self.next_review),
        ):
            progress.addRow(title, widget)
        self.otj_toggle = QToolButton(text="Show the OTJ &calculation", checkable=True)
        self.otj_toggle.setAccessibleName("Show the OTJ calculation")
        self.otj_toggle.toggled.connect(self._toggle_calculation)
        self.otj_calculation = _label()
        self.otj_calculation.hide()
        progress.addRow(self.otj_toggle)
        progress.addRow(self.otj_calculation)
        layout.addWidget(self.progress_box)

        self.gateway_box = QGroupBox("Gateway")
        self.gateway = _label()
        QVBoxLayout(self.gateway_box).addWidget(self.gateway)
        layout.addWidget(self.gateway_box)

        self.breaks_box = QGroupBox("Breaks in learning")
        breaks = QVBoxLayout(self.breaks_box)
        self.breaks_text = _label()
        self.start_break_button = QPushButton("Start &break…")
        self.start_break_button.clicked.connect(self.start_break)
        self.end_break_button = QPushButton("E&nd break…")
        self.end_break_button.clicked.connect(self.end_break)
        breaks.addWidget(self.breaks_text)
        breaks.addLayout(self._buttons(self.start_break_button, self.end_break_button))
        layout.addWidget(self.breaks_box)

        self.reviews_box = QGroupBox("Progress reviews")
        reviews = QVBoxLayout(self.reviews_box)
        self.reviews_text = _label()
        self.reviews_text.setAccessibleName("Progress reviews")
        self.record_review_button = QPushButton("Record revie&w…")
        self.record_review_button.clicked.connect(self.record_review)
        reviews.addWidget(self.reviews_text)
        reviews.addLayout(self._buttons(self.record_review_button))
        layout.addWidget(self.reviews_box)
        layout.addStretch(1)
        self.setWidget(body)

    def set_context(self, context: TabContext) -> None:
        """Someone else signed in: show the actions their role allows."""
        self.context = context
        may_pace = self.may_record
        for button in (self.start_break_button, self.end_break_button, self.record_review_button):
            button.setVisible(may_pace)

    @property
    def may_record(self) -> bool:
        """True when the signed-in person may record reviews and breaks."""
        role: Role | None = self.context.actor.role
        return role in PACING

    @staticmethod
    def _buttons(*buttons: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        return row

    # -- showing ------------------------------------------------------------------------
    def show_trainee(self, trainee: TraineeProgress | None, as_of: date | None = None) -> None:
        self.trainee = trainee
        self.as_of = as_of or date.today()
        sections = (self.progress_box, self.gateway_box, self.breaks_box, self.reviews_box)
        for section in sections:
            section.setVisible(trainee is not None)
        self.portfolio_button.setVisible(trainee is not None)
        if trainee is None:
            self.title.setText("No trainee selected")
            self.subtitle.setText("Choose a trainee in the table to see their progress here.")
            self.risks.hide()
            self.reviews, self.breaks = [], []
            return
        database, actor = self.context.database, self.context.actor
        self.reviews = list_reviews(database, actor, trainee.trainee_id)
        self.breaks = list_breaks(database, actor, trainee.trainee_id)
        self.title.setText(trainee.name)
        self.subtitle.setText(self._subtitle(trainee))
        self._show_risks(trainee)
        self._show_progress(trainee)
        self._show_gateway(trainee)
        self._show_breaks(trainee)
        self._show_reviews()

    def _subtitle(self, trainee: TraineeProgress) -> str:
        parts = [
            f"<b>{escape(trainee.status.label)}</b>",
            escape(trainee.cohort),
            f"{escape(trainee.employer)} ({escape(trainee.sector.label)})",
            escape(trainee.service_area),
        ]
        uln = f"ULN {escape(trainee.uln)}" if trainee.uln else "No ULN yet"
        mentor = f"Mentor {escape(trainee.mentor)}" if trainee.mentor else "No mentor assigned"
        dates = f"{format_day(trainee.start_date)} – {format_day(trainee.planned_end_date)}"
        return " · ".join(parts) + f"<br>{uln} · {mentor} · {dates}"

    def _show_risks(self, trainee: TraineeProgress) -> None:
        risks = trainee.assessment.risks
        self.risks.setVisible(bool(risks))
        if risks:
            items = "".join(f"<li>{escape(reason)}</li>" for reason in risks)
            self.risks.setText(
                f'<b style="color:{ERROR_COLOUR}">At risk</b>'
                f'<ul style="margin:0 0 0 -20px">{items}</ul>'
            )

    def _show_progress(self, trainee: TraineeProgress) -> None:
        assessment = trainee.assessment
        self.attendance.setText(escape(assessment.attendance.describe()))
        otj, plan = assessment.otj, assessment.otj_plan
        if otj is None:
            problem = assessment.otj_problem or "no plan"
            self.otj.setText(f'<span style="color:{ERROR_COLOUR}">{escape(problem)}</span>')
        else:
            colour = ERROR_COLOUR if otj.behind else "inherit"
            self.otj.setText(
                f"<b>{format_hours(otj.actual)}</b> done of {format_hours(otj.required)} "
                f'required<div style="color:{colour}">{escape(otj.reason)}</div>'
            )
        calculation = ""
        if plan is not None:
            calculation += _lines(plan.explanation)
            calculation += _lines(plan.warnings, WARNING_COLOUR)
        calculation += _lines(assessment.otj_exclusions)
        self.otj_calculation.setText(calculation or "No calculation: there is no OTJ plan.")
        warnings = len(plan.warnings) if plan is not None else 0
        self.otj_toggle.setText(
            "Show the OTJ &calculation"
            + (f" ({warnings} warning{'s' * (warnings > 1)})" if warnings else "")
        )
        certificate = assessment.care_certificate
        self.care_certificate.setText(
            f"{certificate.standards_complete} of {certificate.standards_total} standards "
            f"complete ({certificate.signed} of {certificate.total} criteria signed off)"
        )
        self.competencies.setText(
            f"{assessment.competencies_signed} of {assessment.competencies_total} signed off"
        )
        band = assessment.band or "not recorded"
        readiness = assessment.band_readiness
        self.band.setText(f"Band {escape(band)}" + self._readiness(readiness))
        review = assessment.review
        if review is None:
            self.next_review.setText(f"None owed while {escape(trainee.status.label.lower())}")
        else:
            colour = ERROR_COLOUR if review.overdue else "inherit"
            self.next_review.setText(f'<span style="color:{colour}">{escape(review.reason)}</span>')

    @staticmethod
    def _readiness(readiness: BandReadiness) -> str:
        if readiness.next_band is None:
            return ""
        checklist = readiness.checklist
        if readiness.ready:
            return f"; ready for Band {escape(readiness.next_band)}"
        return (
            f"; Band {escape(readiness.next_band)}: {checklist.met_count} of "
            f"{len(checklist.checks)} checks met"
        )

    def _toggle_calculation(self, shown: bool) -> None:
        self.otj_calculation.setVisible(shown)

    def _show_gateway(self, trainee: TraineeProgress) -> None:
        checks = trainee.assessment.gateway.checks
        if not checks:
            self.gateway.setText("No gateway checklist: there is no OTJ plan.")
            return
        rows = []
        for check in checks:
            mark, colour = (MET, "#1b6e20") if check.met else (UNMET, ERROR_COLOUR)
            rows.append(
                f'<tr><td style="color:{colour}; font-weight:bold">{mark}</td>'
                f"<td>{escape(check.reason)}</td></tr>"
            )
        met = trainee.assessment.gateway.met_count
        self.gateway.setText(
            f"{met} of {len(checks)} met<table cellspacing='2'>{''.join(rows)}</table>"
        )

    def _show_breaks(self, trainee: TraineeProgress) -> None:
        if self.breaks:
            self.breaks_text.setText(_lines([b.describe() for b in self.breaks]))
        else:
            self.breaks_text.setText("None recorded.")
        ongoing = self.ongoing_break()
        self.start_break_button.setEnabled(
            ongoing is None and trainee.status is TraineeStatus.IN_TRAINING
        )
        self.end_break_button.setEnabled(ongoing is not None)

    def _show_reviews(self) -> None:
        if not self.reviews:
            self.reviews_text.setText("None scheduled or held yet.")
            return
        rows = []
        for review in sorted(self.reviews, key=lambda r: r.due_date, reverse=True):
            late = review.days_overdue(self.as_of)
            text = escape(review.describe(self.as_of))
            if late:
                text = f'<b style="color:{ERROR_COLOUR}">{text}</b>'
            elif review.held:
                signed = ", ".join(
                    escape(name)
                    for name in (review.employer_signatory, review.provider_signatory)
                    if name
                )
                otj = (
                    f"; OTJ {format_hours(review.otj_hours_at_review)}"
                    if review.otj_hours_at_review is not None
                    else ""
                )
                text += f'<span style="color:#555"> · signed by {signed}{otj}</span>'
            rows.append(f"<div>{text}</div>")
        self.reviews_text.setText("".join(rows))

    def ongoing_break(self) -> BreakRecord | None:
        return next((b for b in self.breaks if b.ongoing), None)

    # -- actions ------------------------------------------------------------------------
    def export_portfolio(self) -> None:
        if self.trainee is not None:
            trainee = self.trainee
            export_portfolio(self, self.context, trainee.trainee_id, trainee.name, trainee.uln)

    def record_review(self) -> None:
        if self.trainee is None or not self.may_record:
            return
        if ReviewDialog.ask(self, self.context, self.trainee, self.reviews) is not None:
            self.changed.emit(Changed.REVIEWS.value)

    def start_break(self) -> None:
        if self.trainee is None or not self.may_record:
            return
        trainee = self.trainee
        if BreakDialog.ask_start(self, self.context, trainee.trainee_id, trainee.name):
            self.changed.emit(Changed.TRAINEES.value)

    def end_break(self) -> None:
        ongoing = self.ongoing_break()
        if self.trainee is None or ongoing is None or not self.may_record:
            return
        trainee = self.trainee
        if BreakDialog.ask_end(self, self.context, trainee.trainee_id, trainee.name, ongoing):
            self.changed.emit(Changed.TRAINEES.value)
