"""Record a progress review: which scheduled review it was, when it was held, what each of
the three parties said, their sign-offs, and that the OTJ hours were looked at together."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.units import format_hours
from apdesk.services.progress import TraineeProgress
from apdesk.services.reviews import ReviewRecord, record_review, review_problems
from apdesk.ui.tab import TabContext
from apdesk.ui.widgets.validated_fields import (
    ValidatedDialog,
    date_edit,
    from_qdate,
    to_qdate,
)

UNSCHEDULED = -1  # the review combo's item for a review that was not on the schedule


def _comments(accessible_name: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(accessible_name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(62)
    return edit


class ReviewDialog(ValidatedDialog):
    action_name = "Recording the review"

    def __init__(
        self,
        context: TabContext,
        trainee: TraineeProgress,
        reviews: Sequence[ReviewRecord],
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.trainee = trainee
        self.today = today or date.today()
        self.saved_id: int | None = None
        self.setWindowTitle(f"Progress review: {trainee.name}")
        self.setup_ui([review for review in reviews if not review.held])
        self.finish_setup()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        context: TabContext,
        trainee: TraineeProgress,
        reviews: Sequence[ReviewRecord],
    ) -> int | None:
        """The recorded review's id, or None when the person cancelled."""
        dialog = cls(context, trainee, reviews, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.saved_id if accepted else None

    def setup_ui(self, scheduled: Sequence[ReviewRecord]) -> None:
        self.resize(560, 640)
        when_box = QGroupBox("The review")
        when = QFormLayout(when_box)
        self.review = self.add_row(when, "review_id", "&Review", QComboBox())
        for review in scheduled:
            self.review.addItem(review.describe(self.today), review.review_id)
        self.review.addItem("A review not on the schedule", UNSCHEDULED)
        self.due_date = self.add_row(
            when, "due_date", "D&ue date", date_edit(self.today, "Due date")
        )
        self.held_on = self.add_row(
            when, "held_on", "&Held on", date_edit(self.today, "Date the review was held")
        )
        self.held_on.setMaximumDate(to_qdate(self.today))

        said_box = QGroupBox("What each party said")
        said = QFormLayout(said_box)
        self.apprentice_comments = self.add_row(
            said, "apprentice_comments", "Apprentice", _comments("Apprentice's comments")
        )
        self.employer_comments = self.add_row(
            said, "employer_comments", "Employer", _comments("Employer's comments")
        )
        self.provider_comments = self.add_row(
            said, "provider_comments", "Provider", _comments("Provider's comments")
        )

        signed_box = QGroupBox("Sign-off (all three must sign)")
        signed = QFormLayout(signed_box)
        self.apprentice_signed = self.add_row(
            signed,
            "apprentice_signed",
            "Apprentice",
            QCheckBox(f"{self.trainee.name} has &signed the review"),
            needed="the apprentice's signature",
        )
        self.apprentice_signed.setAccessibleName("The apprentice has signed the review")
        self.employer_signatory = self.add_row(
            signed,
            "employer_signatory",
            "E&mployer",
            QLineEdit(placeholderText="Name of the employer's signatory"),
            needed="the employer's signatory",
        )
        self.provider_signatory = self.add_row(
            signed,
            "provider_signatory",
            "&Provider",
            QLineEdit(placeholderText="Name of the provider's signatory"),
            needed="the provider's signatory",
        )
        otj = self.trainee.assessment.otj
        figure = (
            f"{format_hours(otj.actual)} counted, {format_hours(otj.expected_to_date)} expected"
            if otj is not None
            else "no OTJ plan yet"
        )
        self.otj_reviewed = self.add_row(
            signed,
            "otj_reviewed",
            "OTJ hours",
            QCheckBox(f"Reviewed &together ({figure})"),
            needed="the OTJ review",
        )
        self.otj_reviewed.setAccessibleName("OTJ hours reviewed together")

        layout = QVBoxLayout(self)
        started = QLabel(f"Apprenticeship started {format_day(self.trainee.start_date)}.")
        layout.addWidget(started)
        for box in (when_box, said_box, signed_box):
            layout.addWidget(box)
        layout.addStretch(1)
        self.footer(layout)
        self.review.currentIndexChanged.connect(self._review_chosen)
        self._review_chosen()
        self.held_on.setFocus()

    def _review_chosen(self) -> None:
        """A scheduled review keeps its due date; only an unscheduled one takes one here."""
        chosen = self.review.currentData()
        self.due_date.setEnabled(chosen == UNSCHEDULED)

    def check(self) -> tuple[dict[str, str], dict[str, str]]:
        problems = review_problems(
            started_on=self.trainee.start_date,
            held_on=from_qdate(self.held_on.date()),
            apprentice_signed=self.apprentice_signed.isChecked(),
            employer_signatory=self.employer_signatory.text(),
            provider_signatory=self.provider_signatory.text(),
            otj_reviewed=self.otj_reviewed.isChecked(),
            today=self.today,
            apprentice_comments=self.apprentice_comments.toPlainText(),
            employer_comments=self.employer_comments.toPlainText(),
            provider_comments=self.provider_comments.toPlainText(),
        )
        return problems, {}

    def save(self) -> None:
        chosen = self.review.currentData()
        self.saved_id = record_review(
            self.context.database,
            self.context.actor,
            trainee_id=self.trainee.trainee_id,
            review_id=None if chosen == UNSCHEDULED else chosen,
            due_date=from_qdate(self.due_date.date()) if chosen == UNSCHEDULED else None,
            held_on=from_qdate(self.held_on.date()),
            apprentice_comments=self.apprentice_comments.toPlainText(),
            employer_comments=self.employer_comments.toPlainText(),
            provider_comments=self.provider_comments.toPlainText(),
            apprentice_signed=self.apprentice_signed.isChecked(),
            employer_signatory=self.employer_signatory.text(),
            provider_signatory=self.provider_signatory.text(),
            otj_reviewed=self.otj_reviewed.isChecked(),
            today=self.today,
        )
