"""The closed vocabularies of the programme, shared by every layer.

Values are stored in the database as these strings, so never rename a value; add a new one.
"""

from __future__ import annotations

from enum import StrEnum


class _WordedEnum(StrEnum):
    """An enum whose label for people is its value in words: "break_in_learning" → "Break in
    learning"."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Sector(StrEnum):
    NHS = "nhs"
    THIRD_SECTOR = "third_sector"  # NHS-commissioned voluntary sector (PIVO) provider

    @property
    def label(self) -> str:
        return {Sector.NHS: "NHS", Sector.THIRD_SECTOR: "3rd sector"}[self]


class ProviderKind(StrEnum):
    HEI = "hei"  # university
    FE = "fe"  # further-education college


class TraineeStatus(_WordedEnum):
    IN_TRAINING = "in_training"
    BREAK_IN_LEARNING = "break_in_learning"
    WITHDRAWN = "withdrawn"
    AT_GATEWAY = "at_gateway"
    COMPLETED = "completed"


class Level2Status(_WordedEnum):
    """Maths or English at Level 2 (GCSE 4/C or functional skills): an entry and gateway rule."""

    NOT_STARTED = "not_started"
    WORKING_TOWARDS = "working_towards"
    ACHIEVED = "achieved"
    EXEMPT = "exempt"  # prior achievement accepted under the funding rules

    @property
    def label(self) -> str:
        if self is Level2Status.EXEMPT:
            return "Exempt (prior achievement)"
        return super().label

    @property
    def is_met(self) -> bool:
        return self in (Level2Status.ACHIEVED, Level2Status.EXEMPT)


class Role(_WordedEnum):
    APPRENTICE = "apprentice"
    MENTOR = "mentor"
    EDUCATION_LEAD = "education_lead"
    ADMINISTRATOR = "administrator"


class AttendanceStatus(_WordedEnum):
    PRESENT = "present"
    LATE = "late"
    AUTHORISED_ABSENCE = "authorised_absence"
    SICKNESS = "sickness"
    UNAUTHORISED_ABSENCE = "unauthorised_absence"
    ANNUAL_LEAVE = "annual_leave"

    @property
    def attended(self) -> bool:
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class OtjActivityKind(_WordedEnum):
    """Kinds of learning an apprentice logs; the OTJ rule decides which count."""

    THEORY = "theory"  # teaching of theory, e.g. day release, lectures, online learning
    PRACTICAL_TRAINING = "practical_training"  # shadowing, mentoring, industry visits
    LEARNING_SUPPORT = "learning_support"
    ASSIGNMENT_WRITING = "assignment_writing"
    REVISION = "revision"
    ENGLISH_MATHS = "english_maths"  # never counts towards OTJ
    PROGRESS_REVIEW = "progress_review"  # never counts towards OTJ
    INDUCTION = "induction"  # initial assessment / onboarding, never counts
    EXAM = "exam"  # never counts
    NOT_REQUIRED_BY_STANDARD = "not_required_by_standard"  # never counts


class CompetencyOutcome(StrEnum):
    COMPETENT = "competent"
    NOT_YET_COMPETENT = "not_yet_competent"


class EvidenceType(StrEnum):
    """How a Care Certificate criterion was evidenced."""

    OBSERVED_IN_PRACTICE = "observed_in_practice"
    KNOWLEDGE = "knowledge"


class KsbKind(StrEnum):
    KNOWLEDGE = "knowledge"
    SKILL = "skill"
    BEHAVIOUR = "behaviour"
