"""Every change is logged in a hash chain: each entry hashes its content and its predecessor."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from sqlalchemy import select

from apdesk.db.database import Database
from apdesk.db.models import AuditEntry
from apdesk.services.audit import GENESIS_HASH, entry_hash
from apdesk.services.trainee_import import import_trainees
from tests.helpers.builders import add_small_programme
from tests.helpers.fixtures import TEST_ACTOR
from tests.helpers.import_files import good_row, write_csv


def test_entries_form_an_unbroken_chain(database: Database, tmp_path: Path) -> None:
    programme = add_small_programme(database)
    for batch in range(2):  # two transactions: the chain continues across them
        rows = [good_row(programme, batch * 10 + n) for n in range(3)]
        import_trainees(database, write_csv(tmp_path / f"{batch}.csv", rows), TEST_ACTOR)

    with database.read() as session:
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()

    assert len(entries) == 6
    assert entries[0].previous_hash == GENESIS_HASH
    for earlier, later in pairwise(entries):
        assert later.previous_hash == earlier.entry_hash
    assert all(entry.entry_hash == entry_hash(entry) for entry in entries)
    assert '"employee_number": "ESR00000"' in (entries[0].after or "")
