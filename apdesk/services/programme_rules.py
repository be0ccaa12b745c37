"""The programme's policy thresholds, read from resources/programme_rules.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

from apdesk.domain.bands import DEFAULT_BAND_RULES, BandRules, band_rules_from_dict
from apdesk.paths import resources_dir


@dataclass(frozen=True)
class ProgrammeRules:
    bands: BandRules = field(default_factory=lambda: DEFAULT_BAND_RULES)
    gateway_required_credits: int = 240
    attendance_alert_percent: Decimal = Decimal(85)
    otj_behind_percent: Decimal = Decimal(90)
    # How long a withdrawn apprentice's records are kept before they may be anonymised: the
    # trust's decision, set in the YAML file (see its comment for the sources behind 6).
    retention_years_after_withdrawal: int = 6


def load_programme_rules(path: Path | None = None) -> ProgrammeRules:
    return _load(path or resources_dir() / "programme_rules.yaml")


@cache
def _load(path: Path) -> ProgrammeRules:
    if not path.exists():
        return ProgrammeRules()
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    defaults = ProgrammeRules()
    try:
        return ProgrammeRules(
            bands=band_rules_from_dict(data["bands"]) if "bands" in data else defaults.bands,
            gateway_required_credits=int(
                data.get("gateway_required_credits", defaults.gateway_required_credits)
            ),
            attendance_alert_percent=Decimal(
                str(data.get("attendance_alert_percent", defaults.attendance_alert_percent))
            ),
            otj_behind_percent=Decimal(
                str(data.get("otj_behind_percent", defaults.otj_behind_percent))
            ),
            retention_years_after_withdrawal=_retention_years(
                data.get(
                    "retention_years_after_withdrawal", defaults.retention_years_after_withdrawal
                )
            ),
        )
    except (ValueError, ArithmeticError) as error:
        raise ValueError(f"{path.name}: {error}") from error


def _retention_years(value: object) -> int:
    # bool is an int to Python: "true" in the YAML must not become one year.
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(
            f"retention_years_after_withdrawal must be a whole number of years, at least 1 "
            f"(found {value!r})"
        )
    return value
