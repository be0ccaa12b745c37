"""Trainee import files for tests: valid rows to spoil one field at a time."""

from __future__ import annotations

import csv
from pathlib import Path

from apdesk.domain.identifiers import uln_check_digit
from tests.helpers.builders import SmallProgramme

HEADERS = [
    "first_name", "last_name", "employee_number", "employer", "uln", "service_area",
    "cohort", "mentor", "contracted_hours", "start_date", "planned_end_date",
    "maths_level2", "english_level2", "band",
]  # fmt: skip


def valid_uln(serial: int) -> str:
    while True:
        first_nine = str(300_000_000 + serial)
        digit = uln_check_digit(first_nine)
        if digit is not None:
            return f"{first_nine}{digit}"
        serial += 1_000


def good_row(programme: SmallProgramme, n: int) -> dict[str, str]:
    return {
        "first_name": f"Trainee{n}",
        "last_name": "Example",
        "employee_number": f"ESR{n:05d}",
        "employer": programme.employer,
        "uln": valid_uln(n),
        "service_area": programme.service_area,
        "cohort": programme.cohort,
        "mentor": programme.mentor_username,
        "contracted_hours": "37.5",
        "start_date": "09/09/2024",
        "planned_end_date": "2026-09-08",
        "maths_level2": "achieved",
        "english_level2": "working towards",
        "band": "3",
    }


def write_csv(path: Path, rows: list[dict[str, str]], headers: list[str] = HEADERS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        writer.writerows(rows)
    return path
