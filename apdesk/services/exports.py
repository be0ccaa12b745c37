"""Trainee lists as plain records, CSV or an Excel workbook, shared by the CLI and the desktop.

Cells that Excel would read as a formula (starting = + - @ or a tab) are prefixed with ' so a
name like "=HYPERLINK(...)" can never run as one (CSV/formula injection).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from apdesk.services.progress import TraineeProgress

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def trainee_record(row: TraineeProgress) -> dict[str, Any]:
    """One trainee as plain JSON-ready values, the same fields for every output format."""
    a = row.assessment
    otj = a.otj
    return {
        "id": row.trainee_id,
        "name": row.name,
        "uln": row.uln,
        "employer": row.employer,
        "sector": row.sector.label,
        "ics_area": row.ics_area,
        "region": row.region,
        "service_area": row.service_area,
        "cohort": row.cohort,
        "mentor": row.mentor,
        "band": a.band,
        "status": row.status.value,
        "start_date": row.start_date.isoformat(),
        "planned_end_date": row.planned_end_date.isoformat(),
        "attendance_percent": _number(a.attendance.percentage),
        "otj_hours": _number(otj.actual) if otj else None,
        "otj_expected_hours": _number(otj.expected_to_date) if otj else None,
        "otj_required_hours": _number(otj.required) if otj else None,
        "otj_percent_of_plan": _number(otj.percent_of_expected) if otj else None,
        "care_certificate_standards": a.care_certificate.standards_complete,
        "care_certificate_standards_total": a.care_certificate.standards_total,
        "competencies_signed": a.competencies_signed,
        "competencies_total": a.competencies_total,
        "review_due": a.review.next_due.isoformat() if a.review else None,
        "review_overdue": bool(a.review and a.review.overdue),
        "ready_for_next_band": a.band_readiness.ready,
        "ready_for_gateway": bool(a.gateway.checks) and a.gateway.met,
        "at_risk": row.at_risk,
        "risk_reasons": list(a.risks),
    }


def spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return f"'{value}"
    return value


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    flat = {**record, "risk_reasons": "; ".join(record["risk_reasons"])}
    return {key: spreadsheet_safe(value) for key, value in flat.items()}


def write_trainees_csv(records: Sequence[dict[str, Any]], out: TextIO) -> None:
    if not records:
        return
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(_flat(record) for record in records)


def export_trainees(rows: Sequence[TraineeProgress], path: Path) -> int:
    """Write ``rows`` to a .csv (UTF-8 with BOM, so Excel reads it right) or .xlsx file."""
    records = [trainee_record(row) for row in rows]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8-sig") as handle:
            write_trainees_csv(records, handle)
    elif suffix == ".xlsx":
        from openpyxl import Workbook  # only when exporting a workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("Trainees")
        if records:
            sheet.append(list(records[0]))
            for record in records:
                sheet.append(list(_flat(record).values()))
        workbook.save(path)
    else:
        raise ValueError(f"{path.name}: export to a .csv or .xlsx file")
    return len(records)
