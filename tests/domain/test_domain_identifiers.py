"""ULN and UKPRN checks (domain.md, "Identifiers")."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apdesk.domain.identifiers import TEMPORARY_ULN, check_ukprn, check_uln, uln_check_digit


def test_known_valid_uln() -> None:
    # 9×10 + 2×9 + 7×8 + 6×7 + 3×6 + 0×5 + 8×4 + 6×3 + 8×2 + 6×1 = 296; 296 mod 11 = 10 ✓
    result = check_uln("9276308686")
    assert result.valid
    assert not result.temporary
    assert result.message == "ULN 9276308686 is valid"


def test_spaces_are_ignored() -> None:
    assert check_uln(" 92763 08686 ").valid


def test_known_invalid_uln() -> None:
    # 1×10 + 2×9 + … + 9×2 + 0×1 = 240; 240 mod 11 = 9 ≠ 10
    result = check_uln("1234567890")
    assert not result.valid
    assert result.message == "ULN 1234567890 fails its check digit"


def test_temporary_uln_is_accepted_with_a_warning() -> None:
    # 9999999999 fails the arithmetic (9 × 55 = 495 ≡ 0 mod 11) but is the agreed placeholder.
    result = check_uln(TEMPORARY_ULN)
    assert result.valid
    assert result.temporary
    assert "temporary" in result.message
    assert "replace it" in result.message


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "ULN must be 10 digits"),
        ("927630868", "ULN 927630868 must be 10 digits"),
        ("92763086861", "ULN 92763086861 must be 10 digits"),
        ("92763O8686", "ULN 92763O8686 must be 10 digits"),  # letter O, not zero
        ("٩٢٧٦٣٠٨٦٨٦", "ULN ٩٢٧٦٣٠٨٦٨٦ must be 10 digits"),  # non-ASCII digits
    ],
)
def test_uln_must_be_ten_digits(value: str, message: str) -> None:
    result = check_uln(value)
    assert not result.valid
    assert result.message == message


def test_uln_cannot_start_with_zero() -> None:
    # 0276308686 would need its own check digit anyway, but the leading-zero rule comes first.
    result = check_uln("0276308686")
    assert not result.valid
    assert result.message == "ULN 0276308686 cannot start with 0"


def test_check_digit_worked_example() -> None:
    # First nine of 9276308686: Σ = 290, 290 mod 11 = 4, check digit 10 − 4 = 6.
    assert uln_check_digit("927630868") == 6


def test_no_check_digit_when_remainder_is_zero() -> None:
    # 200000001: 2×10 + 1×2 = 22 ≡ 0 mod 11, so it would need a check digit of 10.
    assert uln_check_digit("200000001") is None


def test_check_digit_needs_nine_digits() -> None:
    with pytest.raises(ValueError, match="9 digits"):
        uln_check_digit("12345")


first_nine = st.tuples(st.integers(1, 9), st.lists(st.integers(0, 9), min_size=8, max_size=8)).map(
    lambda t: str(t[0]) + "".join(map(str, t[1]))
)


@settings(database=None)
@given(first_nine)
def test_every_built_uln_validates(nine: str) -> None:
    digit = uln_check_digit(nine)
    if digit is None:
        # No tenth digit can work: every completion must fail.
        assert not any(check_uln(nine + str(d)).valid for d in range(10))
        return
    result = check_uln(nine + str(digit))
    assert result.valid
    assert not result.temporary


@settings(database=None)
@given(first_nine, st.integers(0, 9), st.integers(1, 9))
def test_changing_one_digit_breaks_a_uln(nine: str, position: int, delta: int) -> None:
    digit = uln_check_digit(nine)
    if digit is None:
        return
    uln = nine + str(digit)
    changed = uln[:position] + str((int(uln[position]) + delta) % 10) + uln[position + 1 :]
    result = check_uln(changed)
    # Weights 1–10 and a change of 1–9 are both non-zero mod the prime 11, so the sum always
    # moves. The one exception is landing on the temporary ULN (e.g. 9999999998 → …99).
    assert not result.valid or result.temporary


def test_ukprn() -> None:
    assert check_ukprn("10012345").valid
    assert check_ukprn(" 1001 2345 ").valid
    assert check_ukprn("99999999").valid
    assert check_ukprn("01234567").message == "UKPRN 01234567 must be between 10000000 and 99999999"
    assert check_ukprn("1234567").message == "UKPRN 1234567 must be 8 digits"
    assert check_ukprn("").message == "UKPRN must be 8 digits"
    assert not check_ukprn("100000000").valid
