"""Validation of the learner (ULN) and provider (UKPRN) numbers on the learner record.

A wrong ULN is the commonest reason a learner-record return is rejected, so it is caught at
entry with a message the user can act on ("ULN 1234567890 fails its check digit").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TEMPORARY_ULN = "9999999999"
"""Accepted by learner-record validation while a real ULN is obtained."""

_ULN_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
_TEN_DIGITS = re.compile(r"[0-9]{10}")
_NINE_DIGITS = re.compile(r"[0-9]{9}")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")


@dataclass(frozen=True)
class IdentifierCheck:
    """Outcome of checking an identifier; ``message`` is shown to the user as it is."""

    valid: bool
    message: str
    temporary: bool = False


def _without_spaces(value: str) -> str:
    return "".join(value.split())


def uln_check_digit(first_nine: str) -> int | None:
    """The tenth digit that makes ``first_nine`` a valid ULN, or None when no digit can.

    r = Σ(digit × weight 10…2) mod 11; r = 0 would need a check digit of 10, so those nine
    digits can never begin a ULN. Otherwise the check digit is 10 − r.
    """
    if not _NINE_DIGITS.fullmatch(first_nine):
        raise ValueError(f"ULN check digit needs exactly 9 digits, not {first_nine!r}")
    r = sum(int(d) * w for d, w in zip(first_nine, _ULN_WEIGHTS, strict=False)) % 11
    return None if r == 0 else 10 - r


def check_uln(value: str) -> IdentifierCheck:
    """Check a Unique Learner Number: 10 digits, first not 0, weighted sum mod 11 is 10."""
    uln = _without_spaces(value)
    if not uln:
        return IdentifierCheck(False, "ULN must be 10 digits")
    if not _TEN_DIGITS.fullmatch(uln):
        return IdentifierCheck(False, f"ULN {uln} must be 10 digits")
    if uln == TEMPORARY_ULN:
        return IdentifierCheck(
            True,
            f"ULN {TEMPORARY_ULN} is the temporary ULN: replace it with the learner's real ULN",
            temporary=True,
        )
    if uln[0] == "0":
        return IdentifierCheck(False, f"ULN {uln} cannot start with 0")
    total = sum(int(d) * w for d, w in zip(uln, _ULN_WEIGHTS, strict=True))
    if total % 11 != 10:
        return IdentifierCheck(False, f"ULN {uln} fails its check digit")
    return IdentifierCheck(True, f"ULN {uln} is valid")


def check_ukprn(value: str) -> IdentifierCheck:
    """Check a UK Provider Reference Number: 8 digits, 10000000–99999999, no check digit."""
    ukprn = _without_spaces(value)
    if not ukprn:
        return IdentifierCheck(False, "UKPRN must be 8 digits")
    if not _EIGHT_DIGITS.fullmatch(ukprn):
        return IdentifierCheck(False, f"UKPRN {ukprn} must be 8 digits")
    if ukprn[0] == "0":
        return IdentifierCheck(False, f"UKPRN {ukprn} must be between 10000000 and 99999999")
    return IdentifierCheck(True, f"UKPRN {ukprn} is valid")
