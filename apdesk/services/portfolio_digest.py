"""The records a portfolio covers, their SHA-256 digest, and what changed between two sets.

The digest covers only what was *recorded* (details, register counts, sign-offs, reviews,
band decisions), never what is worked out on a date (OTJ due to date, "overdue by 3 days"),
so re-checking an untouched portfolio next year still matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from apdesk.domain.calendar import format_day
from apdesk.services.portfolio_views import Portfolio, SignoffLine

QR_PREFIX = "APDESK-PORTFOLIO:"

Facts = dict[str, Any]
_MISSING = object()  # a section or field one side does not have (unlike a blank value)


def portfolio_facts(portfolio: Portfolio) -> Facts:
    """The portfolio's records as plain JSON values, sections in print order."""
    return _plain(
        {
            "Apprentice": asdict(portfolio.apprentice),
            "Breaks in learning": [
                {
                    "key": f"break {b.break_id}",
                    "label": f"from {format_day(b.start_date)}",
                    **asdict(b),
                }
                for b in portfolio.breaks
            ],
            "Day-release register": [
                {"key": m.module, **asdict(m)} for m in portfolio.attendance.modules
            ],
            "Off-the-job learning log": {
                "entries": portfolio.attendance.otj.logged_entries,
                "hours": portfolio.attendance.otj.logged_hours,
            },
            "Care Certificate": [
                {"key": c.code, "records": _records(c.records)}
                for s in portfolio.care_certificate.standards
                for o in s.outcomes
                for c in o.criteria
                if c.records
            ],
            "Progress reviews": [
                {
                    "key": f"review {r.review_id}",
                    "label": f"due {format_day(r.due_date)}",
                    **_without(asdict(r), "state"),
                }
                for r in portfolio.reviews
            ],
            "Supervised practice": [
                {"key": c.code, "records": _records(c.records)}
                for g in portfolio.supervised_practice.groups
                for c in g.competencies
                if c.records
            ],
            "Band progression": [
                {
                    "key": f"record {b.record_id}",
                    "label": f"Band {b.band} from {format_day(b.effective_from)}",
                    **asdict(b),
                }
                for b in portfolio.bands.history
            ],
        }
    )


def digest_of(facts: Facts) -> str:
    """SHA-256 of the facts as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def describe_changes(before: Facts, after: Facts) -> list[str]:
    """One sentence per difference, e.g. "Supervised practice › MH1.2: record 57 added
    (Revocation on 25 Nov 2026 signed by Sam Mentor)"."""
    changes: list[str] = []
    for section in _keys_in_order(before, after):
        _compare(section, before.get(section, _MISSING), after.get(section, _MISSING), changes)
    return changes


# -- helpers ---------------------------------------------------------------------------------


def _records(lines: Iterable[SignoffLine]) -> list[dict[str, Any]]:
    return [
        {
            "key": f"record {line.record_id}",
            "label": (
                f"{line.outcome} on {format_day(line.assessed_on)} signed by {line.signature.name}"
            ),
            # Who revoked it later is a record of its own; listing it here too would report
            # one revocation as two changes.
            **_without(asdict(line), "revoked_by_id"),
        }
        for line in lines
    ]


def _without(values: dict[str, Any], *names: str) -> dict[str, Any]:
    return {key: value for key, value in values.items() if key not in names}


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _keys_in_order(*maps: Mapping[str, Any]) -> list[str]:
    keys: list[str] = []
    for mapping in maps:
        keys.extend(key for key in mapping if key not in keys)
    return keys


def _words(value: Any) -> str:
    if value is None or value == "":
        return "blank"
    return repr(value) if isinstance(value, str) else str(value)


def _compare(path: str, old: Any, new: Any, changes: list[str]) -> None:
    if old == new:
        return
    if old is _MISSING or new is _MISSING:
        changes.append(f"{path}: {'added' if old is _MISSING else 'no longer present'}")
    elif isinstance(old, list) and isinstance(new, list) and _keyed(old) and _keyed(new):
        _compare_keyed(path, old, new, changes)
    elif isinstance(old, dict) and isinstance(new, dict):
        for field in _keys_in_order(old, new):
            if field in ("key", "label"):
                continue
            inner = path if field == "records" else f"{path}, {field.replace('_', ' ')}"
            _compare(inner, old.get(field, _MISSING), new.get(field, _MISSING), changes)
    else:
        changes.append(f"{path}: was {_words(old)}, now {_words(new)}")


def _keyed(items: list[Any]) -> bool:
    return all(isinstance(item, dict) and "key" in item for item in items)


def _compare_keyed(path: str, old: list[dict], new: list[dict], changes: list[str]) -> None:
    before = {item["key"]: item for item in old}
    after = {item["key"]: item for item in new}
    for key in _keys_in_order(before, after):
        if key not in after:
            changes.append(f"{path} › {key}: removed{_label(before[key])}")
        elif key not in before:
            changes.append(f"{path} › {key}: added{_label(after[key])}")
        else:
            _compare(f"{path} › {key}", before[key], after[key], changes)


def _label(item: dict[str, Any]) -> str:
    if "label" in item:
        return f" ({item['label']})"
    records = item.get("records")
    if records:
        return " (" + "; ".join(f"{r['key']}: {r['label']}" for r in records) + ")"
    return ""
