"""Fixtures for a migrated database with reference data, empty or holding a demo programme.

By default every database is a SQLite file. With ``APDESK_TEST_DATABASE_URL`` set to a
PostgreSQL server (any database on it that the user may connect to, e.g.
``postgresql+psycopg://apdesk@127.0.0.1:5432/postgres``), the same fixtures give fresh
PostgreSQL databases instead, and tests marked ``sqlite_only`` are skipped.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Protocol

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from apdesk.db.database import Database
from apdesk.domain.enums import Role
from apdesk.services.actors import Actor
from apdesk.services.demo import load_demo_programme
from apdesk.services.startup import open_database

DEMO_DAY = date(2026, 11, 25)
# Signed-in people for tests that call services directly (no password needed there).
TEST_ACTOR = Actor(name="Test Runner", role=Role.EDUCATION_LEAD, username="test.lead")
ADMIN_ACTOR = Actor(name="Test Administrator", role=Role.ADMINISTRATOR, username="test.admin")

TEST_DATABASE_URL_VARIABLE = "APDESK_TEST_DATABASE_URL"


def postgresql_test_server() -> str | None:
    """The PostgreSQL server the tests run against, or None for SQLite files."""
    return os.environ.get(TEST_DATABASE_URL_VARIABLE) or None


class DatabaseStore(Protocol):
    """Makes whole databases for tests: empty ones, and fast copies of a prepared one."""

    def new(self, name: str, folder: Path) -> str: ...

    def copy(self, template_url: str, name: str, folder: Path) -> str: ...

    def discard(self, url: str) -> None: ...


class SqliteFiles:
    def new(self, name: str, folder: Path) -> str:
        return f"sqlite:///{folder / f'{name}.sqlite3'}"

    def copy(self, template_url: str, name: str, folder: Path) -> str:
        target = folder / f"{name}.sqlite3"
        shutil.copy(make_url(template_url).database or "", target)
        return f"sqlite:///{target}"

    def discard(self, url: str) -> None:
        """The file goes with pytest's temporary folder."""


class PostgresqlDatabases:
    """One database per test on a real server, copied from a prepared template database
    (``CREATE DATABASE … TEMPLATE`` copies files, far faster than migrating and loading)."""

    def __init__(self, server_url: str) -> None:
        self._server = make_url(server_url)
        if not self._server.drivername.startswith("postgresql"):
            raise pytest.UsageError(
                f"{TEST_DATABASE_URL_VARIABLE} must name a PostgreSQL server, not {server_url!r}"
            )
        # CREATE and DROP DATABASE cannot run inside a transaction.
        self._admin: Engine = create_engine(
            self._server, isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        # The process id keeps two test runs against one server apart.
        self._prefix = f"apdesk_test_{os.getpid()}"
        self._numbers = itertools.count(1)
        self._made: set[str] = set()

    def _url(self, database: str) -> URL:
        return self._server.set(database=database)

    def _create(self, template: str | None) -> str:
        name = f"{self._prefix}_{next(self._numbers)}"
        statement = f'CREATE DATABASE "{name}"'
        if template is not None:
            statement += f' TEMPLATE "{template}"'
        with self._admin.connect() as connection:
            connection.execute(text(statement))
        self._made.add(name)
        return self._url(name).render_as_string(hide_password=False)

    def new(self, name: str, folder: Path) -> str:
        return self._create(template=None)

    def copy(self, template_url: str, name: str, folder: Path) -> str:
        return self._create(template=make_url(template_url).database)

    def discard(self, url: str) -> None:
        name = make_url(url).database
        # FORCE: a test may leave a connection open (a window's database, a failed session).
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._made.discard(name or "")

    def discard_all(self) -> None:
        for name in sorted(self._made):
            self.discard(self._url(name).render_as_string(hide_password=False))
        self._admin.dispose()


@pytest.fixture(scope="session")
def database_store() -> Iterator[DatabaseStore]:
    server_url = postgresql_test_server()
    if server_url is None:
        yield SqliteFiles()
        return
    store = PostgresqlDatabases(server_url)
    try:
        yield store
    finally:
        store.discard_all()


@pytest.fixture(scope="session")
def _reference_database(
    tmp_path_factory: pytest.TempPathFactory, database_store: DatabaseStore
) -> str:
    """One migrated database with reference data loaded, copied for each test (loading is slow)."""
    url = database_store.new("reference", tmp_path_factory.mktemp("reference"))
    open_database(url).database.close()
    return url


@pytest.fixture(scope="session")
def _demo_database(
    tmp_path_factory: pytest.TempPathFactory,
    database_store: DatabaseStore,
    _reference_database: str,
) -> str:
    url = database_store.copy(_reference_database, "demo", tmp_path_factory.mktemp("demo"))
    database = Database(url)
    load_demo_programme(database, TEST_ACTOR, trainees=40, seed=7, today=DEMO_DAY)
    database.close()
    return url


def _copy_and_open(
    store: DatabaseStore, template_url: str, name: str, folder: Path
) -> Iterator[Database]:
    url = store.copy(template_url, name, folder)
    database = open_database(url).database
    yield database
    database.close()
    store.discard(url)


@pytest.fixture
def new_database_url(tmp_path: Path, database_store: DatabaseStore) -> Iterator[str]:
    """The address of a brand-new, empty database (no tables), as a first start sees it."""
    url = database_store.new("new", tmp_path)
    yield url
    database_store.discard(url)


@pytest.fixture
def database(
    tmp_path: Path, database_store: DatabaseStore, _reference_database: str
) -> Iterator[Database]:
    """An empty APDesk database (schema and reference data, no trainees)."""
    yield from _copy_and_open(database_store, _reference_database, "apdesk", tmp_path)


@pytest.fixture
def demo_database(
    tmp_path: Path, database_store: DatabaseStore, _demo_database: str
) -> Iterator[Database]:
    """A database holding a 40-trainee demo programme, as on 25 Nov 2026."""
    yield from _copy_and_open(database_store, _demo_database, "demo", tmp_path)


def pytest_report_header(config: pytest.Config) -> str:
    server = postgresql_test_server()
    if server is None:
        return "databases: SQLite files"
    return f"databases: PostgreSQL at {make_url(server).render_as_string(hide_password=True)}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Against PostgreSQL, skip what only means something for a SQLite file, saying why."""
    if postgresql_test_server() is None:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.args[0] if marker.args else "tests SQLite itself"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {why}"))
