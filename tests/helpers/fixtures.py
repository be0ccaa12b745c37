"""Fixtures for a migrated database with reference data, empty or holding a demo programme."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from apdesk.db.database import Database
from apdesk.domain.enums import Role
from apdesk.services.actors import Actor
from apdesk.services.demo import load_demo_programme
from apdesk.services.startup import open_database

DEMO_DAY = date(2026, 11, 25)
# Signed-in people for tests that call services directly (no password needed there).
TEST_ACTOR = Actor(name="Test Runner", role=Role.EDUCATION_LEAD, username="test.lead")
ADMIN_ACTOR = Actor(name="Test Administrator", role=Role.ADMINISTRATOR, username="test.admin")


@pytest.fixture(scope="session")
def _reference_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated file with reference data loaded, copied for each test (loading is slow)."""
    path = tmp_path_factory.mktemp("reference") / "reference.sqlite3"
    open_database(str(path)).database.close()
    return path


@pytest.fixture(scope="session")
def _demo_database(tmp_path_factory: pytest.TempPathFactory, _reference_database: Path) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copy(_reference_database, path)
    database = Database(f"sqlite:///{path}")
    load_demo_programme(database, TEST_ACTOR, trainees=40, seed=7, today=DEMO_DAY)
    database.close()
    return path


def _copy_and_open(source: Path, target: Path) -> Iterator[Database]:
    shutil.copy(source, target)
    database = open_database(str(target)).database
    yield database
    database.close()


@pytest.fixture
def database(tmp_path: Path, _reference_database: Path) -> Iterator[Database]:
    """An empty APDesk database (schema and reference data, no trainees)."""
    yield from _copy_and_open(_reference_database, tmp_path / "apdesk.sqlite3")


@pytest.fixture
def demo_database(tmp_path: Path, _demo_database: Path) -> Iterator[Database]:
    """A database holding a 40-trainee demo programme, as on 25 Nov 2026."""
    yield from _copy_and_open(_demo_database, tmp_path / "demo.sqlite3")
