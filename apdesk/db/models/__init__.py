"""All mapped classes; importing this module registers every table on ``Base.metadata``."""

from apdesk.db.models.attendance import AttendanceMark, DayReleaseSession
from apdesk.db.models.audit import (
    AuditEntry,
    OrganisationSetting,
    PortfolioExport,
    ReferenceDataLoad,
)
from apdesk.db.models.base import Base
from apdesk.db.models.frameworks import (
    ApprenticeshipStandard,
    CareCertificateCriterion,
    CareCertificateOutcome,
    CareCertificateStandard,
    CareCertificateVersion,
    Competency,
    CompetencyFramework,
    CompetencyGroup,
    Ksb,
    competency_ksbs,
)
from apdesk.db.models.organisation import (
    Cohort,
    EducationProvider,
    Employer,
    IcsArea,
    ServiceArea,
    User,
)
from apdesk.db.models.signoffs import CompetencySignoff, CriterionSignoff
from apdesk.db.models.trainees import (
    BandChange,
    LearningBreak,
    OtjActivity,
    ProgressReview,
    RplReduction,
    Trainee,
)

__all__ = [
    "ApprenticeshipStandard",
    "AttendanceMark",
    "AuditEntry",
    "BandChange",
    "Base",
    "CareCertificateCriterion",
    "CareCertificateOutcome",
    "CareCertificateStandard",
    "CareCertificateVersion",
    "Cohort",
    "Competency",
    "CompetencyFramework",
    "CompetencyGroup",
    "CompetencySignoff",
    "CriterionSignoff",
    "DayReleaseSession",
    "EducationProvider",
    "Employer",
    "IcsArea",
    "Ksb",
    "LearningBreak",
    "OrganisationSetting",
    "OtjActivity",
    "PortfolioExport",
    "ProgressReview",
    "ReferenceDataLoad",
    "RplReduction",
    "ServiceArea",
    "Trainee",
    "User",
    "competency_ksbs",
]
