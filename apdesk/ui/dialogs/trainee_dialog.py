"""Add or edit a trainee: a grouped form checked by the same rules as the import, as typed.

A field's problem shows under it once the person has been there (an edit shows them all at
once); the Save button stays off until nothing stops the save. A refusal from the service
(someone else took the employee number a moment ago) is shown the same way, and what was
typed stays in the form. So does a save refused because someone else saved the trainee
while this form was open: a bar then says who and when, and offers to reload their version.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import add_months
from apdesk.domain.enums import Level2Status, TraineeStatus
from apdesk.services.choices import (
    Choice,
    cohort_choices,
    employer_choices,
    mentor_choices,
    service_area_choices,
)
from apdesk.services.concurrency import ConflictError
from apdesk.services.errors import ActionRefusedError
from apdesk.services.trainees import (
    MAX_FOUNDATION_DEGREE_CREDITS,
    TraineeDetails,
    add_trainee,
    care_certificate_versions,
    check_trainee_details,
    suggested_care_certificate_version,
    trainee_details,
    update_trainee,
)
from apdesk.ui import messages
from apdesk.ui.tab import TabContext
from apdesk.ui.widgets.conflict_bar import ConflictBar
from apdesk.ui.widgets.validated_fields import (
    OptionalDateEdit,
    ValidatedDialog,
    date_edit,
    from_qdate,
    to_qdate,
)


def _combo(choices: list[Choice], placeholder: str | None) -> QComboBox:
    combo = QComboBox()
    if placeholder is not None:
        combo.addItem(placeholder, None)
    for choice in choices:
        combo.addItem(
            f"{choice.label} ({choice.detail})" if choice.detail else choice.label, choice.id
        )
    return combo


def _level2_combo() -> QComboBox:
    combo = QComboBox()
    for value in Level2Status:
        combo.addItem(value.label, value.value)
    return combo


def _choose(combo: QComboBox, value: object, missing_label: str) -> None:
    """Select the item holding ``value``, adding it when the list no longer offers it."""
    index = combo.findData(value)
    if index < 0:
        combo.addItem(missing_label, value)
        index = combo.count() - 1
    combo.setCurrentIndex(index)


class TraineeDialog(ValidatedDialog):
    action_name = "Saving the trainee"

    def __init__(
        self, context: TabContext, trainee_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.trainee_id = trainee_id
        self.saved_id: int | None = None
        self.loaded_version: int | None = None  # the record's version this form started from
        self.setup_ui()
        if trainee_id is None:
            self.setWindowTitle("Add a trainee")
            self._start_changed()
        else:
            existing = trainee_details(context.database, context.actor, trainee_id)
            self.setWindowTitle(f"Edit {existing.full_name}")
            self.set_details(existing)
        self.finish_setup(show_all=trainee_id is not None)  # an edit shows every problem

    @classmethod
    def ask(
        cls, parent: QWidget | None, context: TabContext, trainee_id: int | None = None
    ) -> int | None:
        """The saved trainee's id, or None when the person cancelled."""
        dialog = cls(context, trainee_id, parent)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        return dialog.saved_id if accepted else None

    # -- building ---------------------------------------------------------------------
    def setup_ui(self) -> None:
        database = self.context.database
        self.resize(1000, 660)
        person = self._group("Person")
        self.first_name = self.add_row(person, "first_name", "&First name", QLineEdit())
        self.last_name = self.add_row(person, "last_name", "&Last name", QLineEdit())
        self.uln = self.add_row(
            person, "uln", "&ULN", QLineEdit(placeholderText="10 digits, e.g. 9276308686")
        )
        self.email = self.add_row(
            person, "email", "E-&mail", QLineEdit(placeholderText="name@example.nhs.uk")
        )
        self.lived_experience = self.add_row(
            person, "lived_experience", "Lived experience", QComboBox()
        )
        for text, value in (("Not stated", None), ("Yes", True), ("No", False)):
            self.lived_experience.addItem(text, value)

        employment = self._group("Employment")
        self.employer = self.add_row(
            employment,
            "employer_id",
            "Em&ployer",
            _combo(employer_choices(database), "Choose an employer…"),
        )
        self.employee_number = self.add_row(
            employment, "employee_number", "Employee &number", QLineEdit()
        )
        self.employee_number.setToolTip("ESR assignment number; a second post has a suffix: -2")
        self.service_area = self.add_row(
            employment,
            "service_area_id",
            "Service &area",
            _combo(service_area_choices(database), "Choose a service area…"),
        )
        self.care_pathway = self.add_row(employment, "care_pathway", "Care pathway", QLineEdit())
        self.hours = self.add_row(
            employment,
            "contracted_hours_per_week",
            "Contracted &hours",
            QDoubleSpinBox(decimals=1, minimum=0, maximum=99.9, suffix=" h a week"),
        )
        self.hours.setValue(37.5)
        self.mentor = self.add_row(
            employment, "mentor_id", "Men&tor", _combo(mentor_choices(database), "No mentor yet")
        )

        programme = self._group("Programme")
        self.cohort = self.add_row(
            programme, "cohort_id", "&Cohort", _combo(cohort_choices(database), "Choose a cohort…")
        )
        self.start_date = self.add_row(
            programme, "start_date", "&Start date", date_edit(date.today(), "Start date")
        )
        self.planned_end_date = self.add_row(
            programme,
            "planned_end_date",
            "Planned en&d",
            date_edit(date.today(), "Planned end of the practical period"),
        )
        self.planned_end_date.setToolTip("End of the practical period, before the gateway")
        self.status = self.add_row(programme, "status", "Status", QComboBox())
        for value in TraineeStatus:
            self.status.addItem(value.label, value.value)
        self.care_certificate = self.add_row(
            programme, "care_certificate_version", "Care Certificate", QComboBox()
        )
        self.care_certificate.addItem("By start date", None)
        for choice in care_certificate_versions(database):
            self.care_certificate.addItem(choice.label, choice.code)

        entry = self._group("Entry requirements")
        self.maths = self.add_row(entry, "maths_status", "Maths Level 2", _level2_combo())
        self.maths_evidence = self.add_row(
            entry, "maths_evidence_on", "Maths evidence", OptionalDateEdit("Maths evidence date")
        )
        self.english = self.add_row(entry, "english_status", "English Level 2", _level2_combo())
        self.english_evidence = self.add_row(
            entry,
            "english_evidence_on",
            "English evidence",
            OptionalDateEdit("English evidence date"),
        )

        gateway = self._group("Gateway")
        self.credits = self.add_row(
            gateway,
            "foundation_degree_credits",
            "Degree credits",
            QSpinBox(minimum=0, maximum=MAX_FOUNDATION_DEGREE_CREDITS + 120, singleStep=20),
        )
        self.degree_awarded = self.add_row(
            gateway,
            "foundation_degree_awarded_on",
            "Degree awarded",
            OptionalDateEdit("Foundation degree awarded date"),
        )
        self.employer_confirmed = self.add_row(
            gateway,
            "employer_confirmed_gateway_on",
            "Employer confirmed",
            OptionalDateEdit("Employer's gateway confirmation date"),
        )

        columns = QHBoxLayout()
        for groups in ((person, employment), (programme, entry, gateway)):
            column = QVBoxLayout()
            for group in groups:
                column.addWidget(group.parentWidget())
            column.addStretch(1)
            columns.addLayout(column, 1)
        body = QWidget()
        body.setLayout(columns)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.conflict_bar = ConflictBar("&Reload saved record", "What you typed is still here")
        self.conflict_bar.reload_requested.connect(self.reload_saved_record)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.conflict_bar)
        self.footer(layout)
        self.start_date.dateChanged.connect(self._start_changed)
        self.first_name.setFocus()

    def _group(self, title: str) -> QFormLayout:
        box = QGroupBox(title, self)  # parented now; laid out in its column below
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return form

    # -- values -----------------------------------------------------------------------
    def details(self) -> TraineeDetails:
        """What the form holds now, as the services take it."""
        return TraineeDetails(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            employee_number=self.employee_number.text(),
            employer_id=self.employer.currentData(),
            uln=self.uln.text() or None,
            email=self.email.text() or None,
            service_area_id=self.service_area.currentData(),
            care_pathway=self.care_pathway.text() or None,
            cohort_id=self.cohort.currentData(),
            mentor_id=self.mentor.currentData(),
            contracted_hours_per_week=Decimal(f"{self.hours.value():.1f}"),
            start_date=from_qdate(self.start_date.date()),
            planned_end_date=from_qdate(self.planned_end_date.date()),
            status=TraineeStatus(self.status.currentData()),
            maths_status=Level2Status(self.maths.currentData()),
            maths_evidence_on=self.maths_evidence.value(),
            english_status=Level2Status(self.english.currentData()),
            english_evidence_on=self.english_evidence.value(),
            care_certificate_version=self.care_certificate.currentData(),
            lived_experience=self.lived_experience.currentData(),
            foundation_degree_credits=self.credits.value(),
            foundation_degree_awarded_on=self.degree_awarded.value(),
            employer_confirmed_gateway_on=self.employer_confirmed.value(),
            version=self.loaded_version,
        )

    def set_details(self, details: TraineeDetails) -> None:
        self.loaded_version = details.version
        self.first_name.setText(details.first_name)
        self.last_name.setText(details.last_name)
        self.employee_number.setText(details.employee_number)
        self.uln.setText(details.uln or "")
        self.email.setText(details.email or "")
        self.care_pathway.setText(details.care_pathway or "")
        _choose(self.employer, details.employer_id, "Employer no longer listed")
        _choose(self.service_area, details.service_area_id, "Service area no longer listed")
        _choose(self.cohort, details.cohort_id, "Cohort no longer listed")
        _choose(self.mentor, details.mentor_id, "Current mentor (account deactivated)")
        _choose(self.status, details.status.value, details.status.label)
        _choose(self.maths, details.maths_status.value, details.maths_status.value)
        _choose(self.english, details.english_status.value, details.english_status.value)
        version = details.care_certificate_version
        _choose(self.care_certificate, version, version or "By start date")
        _choose(self.lived_experience, details.lived_experience, "Not stated")
        if details.contracted_hours_per_week is not None:
            self.hours.setValue(float(details.contracted_hours_per_week))
        if details.start_date is not None:
            self.start_date.setDate(to_qdate(details.start_date))
        if details.planned_end_date is not None:
            self.planned_end_date.setDate(to_qdate(details.planned_end_date))
        self.maths_evidence.set_value(details.maths_evidence_on)
        self.english_evidence.set_value(details.english_evidence_on)
        self.credits.setValue(details.foundation_degree_credits)
        self.degree_awarded.set_value(details.foundation_degree_awarded_on)
        self.employer_confirmed.set_value(details.employer_confirmed_gateway_on)

    # -- checking and saving ----------------------------------------------------------
    def _start_changed(self) -> None:
        """A new trainee's planned end follows the start (two years) until set by hand, and
        the Care Certificate choice says which version the start date means."""
        start = from_qdate(self.start_date.date())
        suggested = suggested_care_certificate_version(start)
        self.care_certificate.setItemText(0, f"By start date ({suggested})")
        if self.trainee_id is None and "planned_end_date" not in self._touched:
            quiet, self._quiet = self._quiet, True
            end = add_months(start, 24) - timedelta(days=1)
            self.planned_end_date.setDate(to_qdate(end))
            self._quiet = quiet

    def check(self) -> tuple[dict[str, str], dict[str, str]]:
        database, actor = self.context.database, self.context.actor
        try:
            check = check_trainee_details(database, actor, self.details(), self.trainee_id)
        except ActionRefusedError as refusal:  # e.g. signed in without the role to save
            return {"permission": str(refusal)}, {}
        return check.errors, check.warnings

    def save(self) -> None:
        details = self.details()
        database, actor = self.context.database, self.context.actor
        if self.trainee_id is None:
            self.saved_id = add_trainee(database, actor, details)
        else:
            try:
                update_trainee(database, actor, self.trainee_id, details)
            except ConflictError as conflict:
                self.conflict_bar.show_conflict(str(conflict))
                raise
            self.saved_id = self.trainee_id

    def reload_saved_record(self) -> None:
        """After a conflict: replace what was typed with the record as saved now, if the
        person agrees, so their changes can be made again on top of the other person's."""
        assert self.trainee_id is not None
        if not messages.ask(
            self,
            "Reload saved record",
            "Replace what you typed with the record as it is saved now?\n\n"
            "Copy anything you want to keep first.",
        ):
            return
        database, actor = self.context.database, self.context.actor
        saved = trainee_details(database, actor, self.trainee_id)
        quiet, self._quiet = self._quiet, True
        self.set_details(saved)
        self._quiet = quiet
        self.setWindowTitle(f"Edit {saved.full_name}")
        self.conflict_bar.clear()
        self.validate()
