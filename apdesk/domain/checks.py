"""A named yes/no rule together with the sentence that explains it.

Every readiness rule in APDesk (band progression, gateway) is a list of these, so the
screen and the printed portfolio can show *why* someone is or is not ready, not just a tick.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One rule: ``name`` is the short label, ``reason`` the sentence for the user."""

    name: str
    met: bool
    reason: str


@dataclass(frozen=True)
class Checklist:
    """An ordered set of checks; met only when every check is met."""

    checks: tuple[Check, ...]

    @property
    def met(self) -> bool:
        return all(check.met for check in self.checks)

    @property
    def unmet_reasons(self) -> tuple[str, ...]:
        return tuple(check.reason for check in self.checks if not check.met)

    @property
    def met_count(self) -> int:
        return sum(1 for check in self.checks if check.met)
