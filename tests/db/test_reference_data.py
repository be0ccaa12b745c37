"""The reference files load into the database, reload when edited, and say clearly what is
wrong with a broken file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from apdesk.db.database import Database
from apdesk.db.models import (
    ApprenticeshipStandard,
    CareCertificateCriterion,
    CareCertificateOutcome,
    CareCertificateStandard,
    CareCertificateVersion,
    Competency,
    IcsArea,
    Ksb,
    ServiceArea,
)
from apdesk.db.reference_data import ReferenceDataError
from apdesk.paths import resources_dir
from apdesk.services.startup import open_database


def _standards(database: Database, version: str) -> dict[int, str]:
    with database.read() as session:
        rows = session.execute(
            select(CareCertificateStandard.number, CareCertificateStandard.title)
            .join(CareCertificateVersion)
            .where(CareCertificateVersion.code == version)
        )
        return dict(rows.all())


def test_both_care_certificate_versions_are_loaded(database: Database) -> None:
    old, new = _standards(database, "2015"), _standards(database, "2025")
    assert sorted(old) == list(range(1, 16))
    assert sorted(new) == list(range(1, 17))
    assert old[4] == "Equality and diversity"
    assert new[4] == "Equality, diversity, inclusion and human rights"
    assert new[9] == "Awareness of mental health and dementia"
    assert new[16] == "Awareness of learning disability and autism"


def test_every_standard_has_criteria_and_some_need_observed_practice(database: Database) -> None:
    with database.read() as session:
        per_standard = session.execute(
            select(CareCertificateStandard.id, func.count(CareCertificateCriterion.id))
            .join(
                CareCertificateOutcome,
                CareCertificateOutcome.standard_id == CareCertificateStandard.id,
            )
            .join(
                CareCertificateCriterion,
                CareCertificateCriterion.outcome_id == CareCertificateOutcome.id,
            )
            .group_by(CareCertificateStandard.id)
        ).all()
        observed = session.scalar(
            select(func.count()).where(CareCertificateCriterion.requires_observation.is_(True))
        )
        first = session.scalars(
            select(CareCertificateCriterion).where(CareCertificateCriterion.code == "1.1a")
        ).first()
    assert len(per_standard) == 31 and all(count > 0 for _, count in per_standard)
    assert observed and observed > 50
    assert first is not None and first.text


def test_st0215_versions_ksbs_and_the_competency_framework(database: Database) -> None:
    with database.read() as session:
        versions = set(session.scalars(select(ApprenticeshipStandard.version)))
        ksbs = session.scalar(select(func.count(Ksb.id)))
        competencies = session.scalars(select(Competency)).all()
        unmapped = [c.code for c in competencies if not c.ksbs]
        areas = dict(session.execute(select(IcsArea.name, IcsArea.region)).all())
    assert versions == {"1.0", "1.1"}
    assert ksbs and ksbs > 40
    assert len(competencies) >= 20 and unmapped == []
    assert len(areas) == 7
    assert areas["Greater Manchester"] == "North West"
    assert areas["West Yorkshire"] == "North East and Yorkshire"


@pytest.fixture
def editable_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "resources"
    shutil.copytree(resources_dir(), folder)
    monkeypatch.setenv("APDESK_RESOURCES", str(folder))
    return folder


def test_an_edited_file_reloads_in_place(editable_resources: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    first = open_database(str(path))
    first.database.close()
    assert "care_certificate_2015.yaml" in first.reference_files_loaded
    again = open_database(str(path))
    assert again.reference_files_loaded == ()
    again.database.close()

    areas = editable_resources / "areas.yaml"
    areas.write_text(areas.read_text().replace("name: GP\n", "name: GP surgery\n"))
    reopened = open_database(str(path))
    assert reopened.reference_files_loaded == ("areas.yaml",)
    with reopened.database.read() as session:
        areas = set(session.scalars(select(IcsArea.name)))
        services = set(session.scalars(select(ServiceArea.name)))
    assert len(areas) == 7  # matched by name: nothing duplicated
    assert {"GP surgery", "GP"} <= services  # a rename adds; the old name may still be in use
    reopened.database.close()


def test_a_broken_file_is_named(editable_resources: Path, tmp_path: Path) -> None:
    framework = editable_resources / "competency_framework_mh_ap.yaml"
    framework.write_text(framework.read_text().replace("ksbs: [", "ksbs: [Z99, ", 1))
    with pytest.raises(
        ReferenceDataError, match=r"competency_framework_mh_ap.yaml.*unknown KSB Z99"
    ):
        open_database(str(tmp_path / "b.sqlite3"))
