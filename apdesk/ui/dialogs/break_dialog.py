"""Start or end a break in learning. An ongoing break pauses the OTJ clock and the review
schedule; a break that is over can be recorded afterwards with its last day."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from apdesk.services.reviews import (
    BreakRecord,
    add_break_in_learning,
    break_problems,
    end_break_in_learning,
)
from apdesk.ui.tab import TabContext
from apdesk.ui.widgets.validated_fields import (
    OptionalDateEdit,
    ValidatedDialog,
    date_edit,
    from_qdate,
    to_qdate,
)


class BreakDialog(ValidatedDialog):
    """``ongoing`` None: start (or record) a break; otherwise end that ongoing break."""

    def __init__(
        self,
        context: TabContext,
        trainee_id: int,
        trainee_name: str,
        ongoing: BreakRecord | None = None,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.trainee_id = trainee_id
        self.ongoing = ongoing
        self.today = today or date.today()
        self.saved = False
        if ongoing is None:
            self.action_name = "Starting the break"
            self.setWindowTitle(f"Break in learning: {trainee_name}")
        else:
            self.action_name = "Ending the break"
            self.setWindowTitle(f"End the break in learning: {trainee_name}")
        self.setup_ui()
        self.finish_setup()

    @classmethod
    def ask_start(
        cls, parent: QWidget | None, context: TabContext, trainee_id: int, trainee_name: str
    ) -> bool:
        """Whether a break was recorded."""
        dialog = cls(context, trainee_id, trainee_name, None, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted

    @classmethod
    def ask_end(
        cls,
        parent: QWidget | None,
        context: TabContext,
        trainee_id: int,
        trainee_name: str,
        ongoing: BreakRecord,
    ) -> bool:
        """Whether the break was ended."""
        dialog = cls(context, trainee_id, trainee_name, ongoing, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def setup_ui(self) -> None:
        self.resize(480, 260)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        if self.ongoing is None:
            intro = QLabel(
                "While a break lasts, the OTJ clock and the review schedule pause and the "
                "planned end moves later. Leave the last day blank while the break goes on."
            )
            self.start_date = self.add_row(
                form, "start_date", "&First day", date_edit(self.today, "First day of the break")
            )
            self.end_date = self.add_row(
                form, "end_date", "&Last day", OptionalDateEdit("Last day of the break")
            )
            self.reason = self.add_row(
                form, "reason", "&Reason", QLineEdit(placeholderText="e.g. Maternity leave")
            )
        else:
            intro = QLabel(
                f"{self.ongoing.describe()}.\nThe trainee returns to training the day after "
                "the last day."
            )
            self.last_day = self.add_row(
                form, "end_date", "&Last day", date_edit(self.today, "Last day of the break")
            )
            self.last_day.setMinimumDate(to_qdate(self.ongoing.start_date))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addStretch(1)
        self.footer(layout)

    def check(self) -> tuple[dict[str, str], dict[str, str]]:
        if self.ongoing is None:
            problems = break_problems(
                start_date=from_qdate(self.start_date.date()),
                end_date=self.end_date.value(),
                reason=self.reason.text(),
                today=self.today,
            )
        else:
            problems = break_problems(
                start_date=self.ongoing.start_date,
                end_date=from_qdate(self.last_day.date()),
                reason=self.ongoing.reason,
                today=self.today,
            )
        return problems, {}

    def save(self) -> None:
        database, actor = self.context.database, self.context.actor
        if self.ongoing is None:
            add_break_in_learning(
                database,
                actor,
                trainee_id=self.trainee_id,
                start_date=from_qdate(self.start_date.date()),
                end_date=self.end_date.value(),
                reason=self.reason.text(),
                today=self.today,
            )
        else:
            end_break_in_learning(
                database,
                actor,
                trainee_id=self.trainee_id,
                end_date=from_qdate(self.last_day.date()),
                today=self.today,
            )
        self.saved = True
