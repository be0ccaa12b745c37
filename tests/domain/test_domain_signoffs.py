"""A correction is a new record, never an edit (domain.md, "People and their duties")."""

from __future__ import annotations

import random
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from apdesk.domain.signoffs import SignoffRecord, current_signoffs

R = SignoffRecord


def test_revocation_then_re_sign() -> None:
    records = [
        R(1, 10, date(2024, 1, 5), True),  # competent
        R(2, 10, date(2024, 1, 8), False, revokes_id=1),  # revoked: wrong apprentice
        R(3, 10, date(2024, 2, 1), True),  # observed again and signed
    ]
    assert current_signoffs(records) == {10: records[2]}
    assert current_signoffs(records[:2]) == {}


def test_not_yet_competent_supersedes_an_earlier_sign_off() -> None:
    records = [R(4, 20, date(2024, 1, 5), True), R(5, 20, date(2024, 3, 5), False)]
    assert current_signoffs(records) == {}


def test_revoking_the_latest_falls_back_to_the_one_before() -> None:
    records = [
        R(6, 30, date(2024, 1, 5), True),
        R(7, 30, date(2024, 2, 5), False),
        R(8, 30, date(2024, 2, 6), False, revokes_id=7),
    ]
    assert current_signoffs(records) == {30: records[0]}


def test_items_are_independent() -> None:
    records = [R(1, 1, date(2024, 1, 1), True), R(2, 2, date(2024, 1, 1), True)]
    records.append(R(3, 1, date(2024, 1, 2), True, revokes_id=1))
    assert set(current_signoffs(records)) == {2}


history = st.lists(
    st.tuples(st.integers(1, 3), st.booleans(), st.integers(0, 100)), max_size=30
).map(
    lambda raw: [
        R(
            i + 1,
            item,
            date(2024, 1, 1),
            positive,
            revokes_id=(target % i + 1) if i and target % 4 == 0 else None,
        )
        for i, (item, positive, target) in enumerate(raw)
    ]
)


@settings(database=None)
@given(history, st.randoms(use_true_random=False))
def test_order_of_records_does_not_matter(records: list[SignoffRecord], rnd: random.Random) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    current = current_signoffs(records)
    assert current_signoffs(shuffled) == current
    revoked = {r.revokes_id for r in records}
    for item, record in current.items():
        assert record.item_id == item
        assert record.positive
        assert record.revokes_id is None
        assert record.id not in revoked
