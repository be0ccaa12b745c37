"""Load the reference files in resources/ into the database, and reload them when they change.

Each file is matched to existing rows by its natural codes (standard number, criterion code,
KSB code…), so reloading an edited file updates wording in place and adds new entries. Rows
are never deleted: sign-offs point at them. Each file's SHA-256 is remembered, so unchanged
files cost one query at start-up.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from apdesk.db.models import (
    ApprenticeshipStandard,
    Base,
    CareCertificateCriterion,
    CareCertificateOutcome,
    CareCertificateStandard,
    CareCertificateVersion,
    Competency,
    CompetencyFramework,
    CompetencyGroup,
    IcsArea,
    Ksb,
    ReferenceDataLoad,
    ServiceArea,
)
from apdesk.domain.enums import KsbKind

Row = TypeVar("Row", bound=Base)


class ReferenceDataError(ValueError):
    """A reference file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class ReferenceFile:
    path: Path
    loader: Callable[[Session, Mapping[str, Any], str], None]
    order: int  # frameworks need their standard loaded first


def discover(resources: Path) -> list[ReferenceFile]:
    found = [ReferenceFile(p, _load_areas, 0) for p in resources.glob("areas.yaml")]
    found += [ReferenceFile(p, _load_standard, 1) for p in resources.glob("st[0-9]*_v*.yaml")]
    found += [
        ReferenceFile(p, _load_framework, 2) for p in resources.glob("competency_framework_*.yaml")
    ]
    found += [
        ReferenceFile(p, _load_care_certificate, 3)
        for p in resources.glob("care_certificate_*.yaml")
    ]
    return sorted(found, key=lambda f: (f.order, f.path.name))


def load_changed_files(session: Session, resources: Path) -> list[str]:
    """Load every reference file whose content changed since it was last loaded."""
    loaded = {row.name: row.sha256 for row in session.scalars(select(ReferenceDataLoad))}
    changed: list[str] = []
    for reference in discover(resources):
        content = reference.path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if loaded.get(reference.path.name) == digest:
            continue
        import yaml  # only when something needs loading: keeps start-up fast

        try:
            data = yaml.safe_load(content)
        except yaml.YAMLError as error:
            raise ReferenceDataError(f"{reference.path.name}: not valid YAML ({error})") from error
        if not isinstance(data, Mapping):
            raise ReferenceDataError(f"{reference.path.name}: expected a mapping at the top")
        try:
            reference.loader(session, data, reference.path.name)
        except (KeyError, TypeError) as error:
            raise ReferenceDataError(
                f"{reference.path.name}: missing or bad entry {error}"
            ) from error
        session.merge(ReferenceDataLoad(name=reference.path.name, sha256=digest))
        changed.append(reference.path.name)
    session.flush()
    return changed


def _upsert(session: Session, model: type[Row], keys: Mapping[str, Any], **values: Any) -> Row:
    row = session.scalars(select(model).filter_by(**keys)).one_or_none()
    if row is None:
        row = model(**keys, **values)
        session.add(row)
    else:
        for name, value in values.items():
            setattr(row, name, value)
    session.flush()
    return row


def _load_areas(session: Session, data: Mapping[str, Any], source: str) -> None:
    for region in data["regions"]:
        for area in region["ics_areas"]:
            _upsert(
                session,
                IcsArea,
                {"name": area["name"]},
                region=region["name"],
                former_stp_name=area.get("former_stp"),
            )
    for service in data["service_areas"]:
        _upsert(
            session,
            ServiceArea,
            {"name": service["name"]},
            is_mental_health=bool(service.get("mental_health", False)),
        )


def _load_standard(session: Session, data: Mapping[str, Any], source: str) -> None:
    minimum = data.get("otj_minimum_hours")
    standard = _upsert(
        session,
        ApprenticeshipStandard,
        {"code": data["standard"], "version": str(data["version"])},
        title=data["title"],
        level=int(data["level"]),
        approved_for_delivery=_optional_date(data.get("approved_for_delivery"), source),
        otj_minimum_hours=None if minimum is None else Decimal(str(minimum)),
    )
    for entry in data["ksbs"]:
        try:
            kind = KsbKind(entry["kind"])
        except ValueError as error:
            raise ReferenceDataError(
                f"{source}: KSB {entry['code']} has kind {entry['kind']!r}"
            ) from error
        _upsert(
            session,
            Ksb,
            {"standard_id": standard.id, "code": str(entry["code"])},
            kind=kind,
            text=entry["text"],
        )


def _load_framework(session: Session, data: Mapping[str, Any], source: str) -> None:
    standard = session.scalars(
        select(ApprenticeshipStandard).filter_by(
            code=data["standard"], version=str(data["standard_version"])
        )
    ).one_or_none()
    if standard is None:
        raise ReferenceDataError(
            f"{source}: standard {data['standard']} v{data['standard_version']} is not loaded"
        )
    ksbs = {ksb.code: ksb for ksb in standard.ksbs}
    framework = _upsert(
        session,
        CompetencyFramework,
        {"code": data["code"], "version": str(data["version"])},
        title=data["title"],
        standard_id=standard.id,
    )
    for group_position, group_data in enumerate(data["groups"], start=1):
        group = _upsert(
            session,
            CompetencyGroup,
            {"framework_id": framework.id, "code": str(group_data["code"])},
            title=group_data["title"],
            position=group_position,
        )
        for position, entry in enumerate(group_data["competencies"], start=1):
            unknown = [code for code in entry.get("ksbs", []) if code not in ksbs]
            if unknown:
                raise ReferenceDataError(
                    f"{source}: competency {entry['code']} maps to unknown KSB {', '.join(unknown)}"
                )
            competency = _upsert(
                session,
                Competency,
                {"group_id": group.id, "code": str(entry["code"])},
                title=entry["title"],
                description=entry.get("description", ""),
                position=position,
            )
            competency.ksbs = [ksbs[code] for code in entry.get("ksbs", [])]


def _load_care_certificate(session: Session, data: Mapping[str, Any], source: str) -> None:
    version = _upsert(
        session,
        CareCertificateVersion,
        {"code": str(data["version"])},
        title=data["title"],
        published=_optional_date(data.get("published"), source),
    )
    for standard_data in data["standards"]:
        standard = _upsert(
            session,
            CareCertificateStandard,
            {"version_id": version.id, "number": int(standard_data["number"])},
            title=standard_data["title"],
        )
        if not standard_data["outcomes"]:
            raise ReferenceDataError(f"{source}: standard {standard.number} has no outcomes")
        for outcome_position, outcome_data in enumerate(standard_data["outcomes"], start=1):
            outcome = _upsert(
                session,
                CareCertificateOutcome,
                {"standard_id": standard.id, "code": str(outcome_data["code"])},
                title=outcome_data["title"],
                position=outcome_position,
            )
            if not outcome_data["criteria"]:
                raise ReferenceDataError(f"{source}: outcome {outcome.code} has no criteria")
            for position, entry in enumerate(outcome_data["criteria"], start=1):
                _upsert(
                    session,
                    CareCertificateCriterion,
                    {"outcome_id": outcome.id, "code": str(entry["code"])},
                    text=entry["text"],
                    requires_observation=bool(entry["observed"]),
                    position=position,
                )


def _optional_date(value: Any, source: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ReferenceDataError(f"{source}: {value!r} is not a date (YYYY-MM-DD)") from error
