"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 12:50:34.276559
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from apdesk.db.append_only import install_append_only_triggers

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "apprenticeship_standards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("version", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("approved_for_delivery", sa.Date(), nullable=True),
        sa.Column("otj_minimum_hours", sa.Numeric(precision=7, scale=1), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apprenticeship_standards")),
        sa.UniqueConstraint(
            "code", "version", name=op.f("uq_apprenticeship_standards_code_version")
        ),
    )
    op.create_table(
        "care_certificate_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_certificate_versions")),
        sa.UniqueConstraint("code", name=op.f("uq_care_certificate_versions_code")),
    )
    op.create_table(
        "education_providers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("hei", "fe", name="kind", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("ukprn", sa.String(length=8), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_education_providers")),
        sa.UniqueConstraint("name", name=op.f("uq_education_providers_name")),
        sa.UniqueConstraint("ukprn", name=op.f("uq_education_providers_ukprn")),
    )
    op.create_table(
        "ics_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=80), nullable=False),
        sa.Column("former_stp_name", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ics_areas")),
        sa.UniqueConstraint("name", name=op.f("uq_ics_areas_name")),
    )
    op.create_table(
        "organisation_settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_organisation_settings")),
    )
    op.create_table(
        "reference_data_loads",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_reference_data_loads")),
    )
    op.create_table(
        "service_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("is_mental_health", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_areas")),
        sa.UniqueConstraint("name", name=op.f("uq_service_areas_name")),
    )
    op.create_table(
        "care_certificate_standards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["care_certificate_versions.id"],
            name=op.f("fk_care_certificate_standards_version_id_care_certificate_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_certificate_standards")),
        sa.UniqueConstraint(
            "version_id", "number", name=op.f("uq_care_certificate_standards_version_id_number")
        ),
    )
    op.create_table(
        "cohorts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("day_release_weekday", sa.Integer(), nullable=False),
        sa.Column("programme", sa.String(length=160), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("planned_places", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "day_release_weekday BETWEEN 0 AND 6", name=op.f("ck_cohorts_day_release_weekday")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["education_providers.id"],
            name=op.f("fk_cohorts_provider_id_education_providers"),
        ),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["apprenticeship_standards.id"],
            name=op.f("fk_cohorts_standard_id_apprenticeship_standards"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohorts")),
        sa.UniqueConstraint("name", name=op.f("uq_cohorts_name")),
    )
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohorts_provider_id"), ["provider_id"], unique=False)

    op.create_table(
        "competency_frameworks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("version", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["apprenticeship_standards.id"],
            name=op.f("fk_competency_frameworks_standard_id_apprenticeship_standards"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency_frameworks")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_competency_frameworks_code_version")),
    )
    op.create_table(
        "employers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column(
            "sector",
            sa.Enum(
                "nhs",
                "third_sector",
                name="sector",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("ics_area_id", sa.Integer(), nullable=False),
        sa.Column("ods_code", sa.String(length=10), nullable=True),
        sa.ForeignKeyConstraint(
            ["ics_area_id"], ["ics_areas.id"], name=op.f("fk_employers_ics_area_id_ics_areas")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_employers")),
        sa.UniqueConstraint("name", name=op.f("uq_employers_name")),
    )
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_employers_ics_area_id"), ["ics_area_id"], unique=False)

    op.create_table(
        "ksbs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "knowledge",
                "skill",
                "behaviour",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["apprenticeship_standards.id"],
            name=op.f("fk_ksbs_standard_id_apprenticeship_standards"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ksbs")),
        sa.UniqueConstraint("standard_id", "code", name=op.f("uq_ksbs_standard_id_code")),
    )
    op.create_table(
        "care_certificate_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["care_certificate_standards.id"],
            name=op.f("fk_care_certificate_outcomes_standard_id_care_certificate_standards"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_certificate_outcomes")),
        sa.UniqueConstraint(
            "standard_id", "code", name=op.f("uq_care_certificate_outcomes_standard_id_code")
        ),
    )
    op.create_table(
        "competency_groups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("framework_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["competency_frameworks.id"],
            name=op.f("fk_competency_groups_framework_id_competency_frameworks"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency_groups")),
        sa.UniqueConstraint(
            "framework_id", "code", name=op.f("uq_competency_groups_framework_id_code")
        ),
    )
    op.create_table(
        "day_release_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("module", sa.String(length=160), nullable=False),
        sa.Column("hours", sa.Numeric(precision=4, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_day_release_sessions_cohort_id_cohorts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_day_release_sessions")),
        sa.UniqueConstraint(
            "cohort_id",
            "session_date",
            "module",
            name=op.f("uq_day_release_sessions_cohort_id_session_date_module"),
        ),
    )
    with op.batch_alter_table("day_release_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_day_release_sessions_cohort_id"), ["cohort_id"], unique=False
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("full_name", sa.String(length=160), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "apprentice",
                "mentor",
                "education_lead",
                "administrator",
                name="role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("job_title", sa.String(length=120), nullable=True),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("professional_registration", sa.String(length=80), nullable=True),
        sa.Column("mentor_trained_on", sa.Date(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=True),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_users_employer_id_employers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_employer_id"), ["employer_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=160), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("entity", sa.String(length=60), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("trainee_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.Text(), nullable=True),
        sa.Column("after", sa.Text(), nullable=True),
        sa.Column("previous_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_audit_log_actor_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("entry_hash", name=op.f("uq_audit_log_entry_hash")),
        sa.UniqueConstraint("previous_hash", name=op.f("uq_audit_log_previous_hash")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_occurred_at"), ["occurred_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_trainee_id"), ["trainee_id"], unique=False)

    op.create_table(
        "care_certificate_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outcome_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("requires_observation", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outcome_id"],
            ["care_certificate_outcomes.id"],
            name=op.f("fk_care_certificate_criteria_outcome_id_care_certificate_outcomes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_certificate_criteria")),
        sa.UniqueConstraint(
            "outcome_id", "code", name=op.f("uq_care_certificate_criteria_outcome_id_code")
        ),
    )
    with op.batch_alter_table("care_certificate_criteria", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_care_certificate_criteria_outcome_id"), ["outcome_id"], unique=False
        )

    op.create_table(
        "competencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["competency_groups.id"],
            name=op.f("fk_competencies_group_id_competency_groups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competencies")),
        sa.UniqueConstraint("group_id", "code", name=op.f("uq_competencies_group_id_code")),
    )
    with op.batch_alter_table("competencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competencies_group_id"), ["group_id"], unique=False)

    op.create_table(
        "trainees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=80), nullable=False),
        sa.Column("last_name", sa.String(length=80), nullable=False),
        sa.Column("employee_number", sa.String(length=40), nullable=False),
        sa.Column("employer_id", sa.Integer(), nullable=False),
        sa.Column("uln", sa.String(length=10), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("service_area_id", sa.Integer(), nullable=False),
        sa.Column("care_pathway", sa.String(length=120), nullable=True),
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("contracted_hours_per_week", sa.Numeric(precision=4, scale=1), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("planned_end_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "in_training",
                "break_in_learning",
                "withdrawn",
                "at_gateway",
                "completed",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "maths_status",
            sa.Enum(
                "not_started",
                "working_towards",
                "achieved",
                "exempt",
                name="maths_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("maths_evidence_on", sa.Date(), nullable=True),
        sa.Column(
            "english_status",
            sa.Enum(
                "not_started",
                "working_towards",
                "achieved",
                "exempt",
                name="english_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("english_evidence_on", sa.Date(), nullable=True),
        sa.Column("lived_experience", sa.Boolean(), nullable=True),
        sa.Column("standard_id", sa.Integer(), nullable=False),
        sa.Column("care_certificate_version_id", sa.Integer(), nullable=False),
        sa.Column("competency_framework_id", sa.Integer(), nullable=False),
        sa.Column("foundation_degree_credits", sa.Integer(), nullable=False),
        sa.Column("foundation_degree_awarded_on", sa.Date(), nullable=True),
        sa.Column("employer_confirmed_gateway_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["users.id"], name=op.f("fk_trainees_account_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["care_certificate_version_id"],
            ["care_certificate_versions.id"],
            name=op.f("fk_trainees_care_certificate_version_id_care_certificate_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["cohort_id"], ["cohorts.id"], name=op.f("fk_trainees_cohort_id_cohorts")
        ),
        sa.ForeignKeyConstraint(
            ["competency_framework_id"],
            ["competency_frameworks.id"],
            name=op.f("fk_trainees_competency_framework_id_competency_frameworks"),
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"], ["employers.id"], name=op.f("fk_trainees_employer_id_employers")
        ),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["users.id"], name=op.f("fk_trainees_mentor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["service_area_id"],
            ["service_areas.id"],
            name=op.f("fk_trainees_service_area_id_service_areas"),
        ),
        sa.ForeignKeyConstraint(
            ["standard_id"],
            ["apprenticeship_standards.id"],
            name=op.f("fk_trainees_standard_id_apprenticeship_standards"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainees")),
        sa.UniqueConstraint("account_id", name=op.f("uq_trainees_account_id")),
        sa.UniqueConstraint(
            "employer_id", "employee_number", name=op.f("uq_trainees_employer_id_employee_number")
        ),
    )
    with op.batch_alter_table("trainees", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trainees_cohort_id"), ["cohort_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trainees_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trainees_mentor_id"), ["mentor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_trainees_service_area_id"), ["service_area_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trainees_uln"), ["uln"], unique=False)

    op.create_table(
        "attendance_marks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "present",
                "late",
                "authorised_absence",
                "sickness",
                "unauthorised_absence",
                "annual_leave",
                name="status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("minutes_attended", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_attendance_marks_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["day_release_sessions.id"],
            name=op.f("fk_attendance_marks_session_id_day_release_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["trainees.id"], name=op.f("fk_attendance_marks_trainee_id_trainees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_marks")),
        sa.UniqueConstraint(
            "session_id", "trainee_id", name=op.f("uq_attendance_marks_session_id_trainee_id")
        ),
    )
    with op.batch_alter_table("attendance_marks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_marks_trainee_id"), ["trainee_id"], unique=False
        )

    op.create_table(
        "band_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=3), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_name", sa.String(length=160), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_band_history_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["trainees.id"], name=op.f("fk_band_history_trainee_id_trainees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_band_history")),
    )
    with op.batch_alter_table("band_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_band_history_trainee_id"), ["trainee_id"], unique=False
        )

    op.create_table(
        "breaks_in_learning",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["trainees.id"], name=op.f("fk_breaks_in_learning_trainee_id_trainees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breaks_in_learning")),
    )
    with op.batch_alter_table("breaks_in_learning", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_breaks_in_learning_trainee_id"), ["trainee_id"], unique=False
        )

    op.create_table(
        "care_certificate_signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("criterion_id", sa.Integer(), nullable=False),
        sa.Column("revokes_id", sa.Integer(), nullable=True),
        sa.Column(
            "evidence_type",
            sa.Enum(
                "observed_in_practice",
                "knowledge",
                name="evidence_type",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=False),
        sa.Column("signer_name", sa.String(length=160), nullable=False),
        sa.Column("signer_role", sa.String(length=80), nullable=False),
        sa.Column("signer_registration", sa.String(length=80), nullable=True),
        sa.Column("meaning", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["criterion_id"],
            ["care_certificate_criteria.id"],
            name=op.f("fk_care_certificate_signoffs_criterion_id_care_certificate_criteria"),
        ),
        sa.ForeignKeyConstraint(
            ["revokes_id"],
            ["care_certificate_signoffs.id"],
            name=op.f("fk_care_certificate_signoffs_revokes_id_care_certificate_signoffs"),
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"], ["users.id"], name=op.f("fk_care_certificate_signoffs_signer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["trainees.id"],
            name=op.f("fk_care_certificate_signoffs_trainee_id_trainees"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_certificate_signoffs")),
    )
    with op.batch_alter_table("care_certificate_signoffs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_care_certificate_signoffs_trainee_id"), ["trainee_id"], unique=False
        )

    op.create_table(
        "competency_ksbs",
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("ksb_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competencies.id"],
            name=op.f("fk_competency_ksbs_competency_id_competencies"),
        ),
        sa.ForeignKeyConstraint(
            ["ksb_id"], ["ksbs.id"], name=op.f("fk_competency_ksbs_ksb_id_ksbs")
        ),
        sa.PrimaryKeyConstraint("competency_id", "ksb_id", name=op.f("pk_competency_ksbs")),
    )
    op.create_table(
        "competency_signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.Integer(), nullable=False),
        sa.Column("revokes_id", sa.Integer(), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "competent",
                "not_yet_competent",
                name="outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("setting", sa.String(length=160), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("signer_id", sa.Integer(), nullable=False),
        sa.Column("signer_name", sa.String(length=160), nullable=False),
        sa.Column("signer_role", sa.String(length=80), nullable=False),
        sa.Column("signer_registration", sa.String(length=80), nullable=True),
        sa.Column("meaning", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("revocation_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["competency_id"],
            ["competencies.id"],
            name=op.f("fk_competency_signoffs_competency_id_competencies"),
        ),
        sa.ForeignKeyConstraint(
            ["revokes_id"],
            ["competency_signoffs.id"],
            name=op.f("fk_competency_signoffs_revokes_id_competency_signoffs"),
        ),
        sa.ForeignKeyConstraint(
            ["signer_id"], ["users.id"], name=op.f("fk_competency_signoffs_signer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["trainees.id"], name=op.f("fk_competency_signoffs_trainee_id_trainees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency_signoffs")),
    )
    with op.batch_alter_table("competency_signoffs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_competency_signoffs_trainee_id"), ["trainee_id"], unique=False
        )

    op.create_table(
        "otj_activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "theory",
                "practical_training",
                "learning_support",
                "assignment_writing",
                "revision",
                "english_maths",
                "progress_review",
                "induction",
                "exam",
                "not_required_by_standard",
                name="kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("hours", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_otj_activities_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["trainees.id"], name=op.f("fk_otj_activities_trainee_id_trainees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_otj_activities")),
    )
    with op.batch_alter_table("otj_activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_otj_activities_trainee_id"), ["trainee_id"], unique=False
        )

    op.create_table(
        "progress_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("apprentice_comments", sa.Text(), nullable=False),
        sa.Column("employer_comments", sa.Text(), nullable=False),
        sa.Column("provider_comments", sa.Text(), nullable=False),
        sa.Column("apprentice_signed_at", sa.DateTime(), nullable=True),
        sa.Column("employer_signatory", sa.String(length=160), nullable=True),
        sa.Column("employer_signed_at", sa.DateTime(), nullable=True),
        sa.Column("provider_signatory", sa.String(length=160), nullable=True),
        sa.Column("provider_signed_at", sa.DateTime(), nullable=True),
        sa.Column("otj_reviewed", sa.Boolean(), nullable=False),
        sa.Column("otj_hours_at_review", sa.Numeric(precision=7, scale=1), nullable=True),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["trainees.id"], name=op.f("fk_progress_reviews_trainee_id_trainees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_reviews")),
    )
    with op.batch_alter_table("progress_reviews", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_progress_reviews_trainee_id"), ["trainee_id"], unique=False
        )

    op.create_table(
        "rpl_reductions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Numeric(precision=6, scale=1), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trainee_id"], ["trainees.id"], name=op.f("fk_rpl_reductions_trainee_id_trainees")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rpl_reductions")),
    )
    with op.batch_alter_table("rpl_reductions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rpl_reductions_trainee_id"), ["trainee_id"], unique=False
        )

    # Sign-offs and the audit log refuse UPDATE and DELETE from here on.
    install_append_only_triggers(
        op.get_bind(),
        ("competency_signoffs", "care_certificate_signoffs", "band_history", "audit_log"),
    )


def downgrade() -> None:
    with op.batch_alter_table("rpl_reductions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rpl_reductions_trainee_id"))

    op.drop_table("rpl_reductions")
    with op.batch_alter_table("progress_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_progress_reviews_trainee_id"))

    op.drop_table("progress_reviews")
    with op.batch_alter_table("otj_activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_otj_activities_trainee_id"))

    op.drop_table("otj_activities")
    with op.batch_alter_table("competency_signoffs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competency_signoffs_trainee_id"))

    op.drop_table("competency_signoffs")
    op.drop_table("competency_ksbs")
    with op.batch_alter_table("care_certificate_signoffs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_certificate_signoffs_trainee_id"))

    op.drop_table("care_certificate_signoffs")
    with op.batch_alter_table("breaks_in_learning", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breaks_in_learning_trainee_id"))

    op.drop_table("breaks_in_learning")
    with op.batch_alter_table("band_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_band_history_trainee_id"))

    op.drop_table("band_history")
    with op.batch_alter_table("attendance_marks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_marks_trainee_id"))

    op.drop_table("attendance_marks")
    with op.batch_alter_table("trainees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trainees_uln"))
        batch_op.drop_index(batch_op.f("ix_trainees_service_area_id"))
        batch_op.drop_index(batch_op.f("ix_trainees_mentor_id"))
        batch_op.drop_index(batch_op.f("ix_trainees_employer_id"))
        batch_op.drop_index(batch_op.f("ix_trainees_cohort_id"))

    op.drop_table("trainees")
    with op.batch_alter_table("competencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competencies_group_id"))

    op.drop_table("competencies")
    with op.batch_alter_table("care_certificate_criteria", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_certificate_criteria_outcome_id"))

    op.drop_table("care_certificate_criteria")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_trainee_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_occurred_at"))

    op.drop_table("audit_log")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_employer_id"))

    op.drop_table("users")
    with op.batch_alter_table("day_release_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_day_release_sessions_cohort_id"))

    op.drop_table("day_release_sessions")
    op.drop_table("competency_groups")
    op.drop_table("care_certificate_outcomes")
    op.drop_table("ksbs")
    with op.batch_alter_table("employers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_employers_ics_area_id"))

    op.drop_table("employers")
    op.drop_table("competency_frameworks")
    with op.batch_alter_table("cohorts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohorts_provider_id"))

    op.drop_table("cohorts")
    op.drop_table("care_certificate_standards")
    op.drop_table("service_areas")
    op.drop_table("reference_data_loads")
    op.drop_table("organisation_settings")
    op.drop_table("ics_areas")
    op.drop_table("education_providers")
    op.drop_table("care_certificate_versions")
    op.drop_table("apprenticeship_standards")
