"""The organisation's apdesk.ini: which database every user of a PC opens, and what happens
when the file is wrong."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from apdesk import app, paths
from apdesk.paths import (
    CONFIG_FILE_VARIABLE,
    DATABASE_URL_VARIABLE,
    ConfigFileError,
    config_file_candidates,
    configured_database_url,
    database_url_from_config,
    resolve_database_url,
)
from apdesk.ui import messages
from apdesk.ui.main_window import LAST_DATABASE_KEY

CENTRAL = "postgresql+psycopg://apdesk@db-server.trust.nhs.uk/apdesk"


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An apdesk.ini that APDesk is pointed at (written by each test)."""
    path = tmp_path / "ProgramData" / "APDesk" / "apdesk.ini"
    path.parent.mkdir(parents=True)
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(path))
    return path


# -- reading the file's text ---------------------------------------------------------------


def test_the_database_section_names_the_url() -> None:
    text = f"; written by IT\n[database]\nurl = {CENTRAL}\n"
    assert database_url_from_config(text) == CENTRAL


def test_percent_signs_are_taken_literally() -> None:
    # A %-encoded password must not be read as configparser interpolation.
    text = "[database]\nurl = postgresql+psycopg://apdesk:p%40ss%25word@db/apdesk\n"
    assert database_url_from_config(text) == "postgresql+psycopg://apdesk:p%40ss%25word@db/apdesk"


@pytest.mark.parametrize(
    "text",
    ["", "[other]\nkey = value\n", "[database]\n", "[database]\nurl =\n", "[database]\nurl =   \n"],
)
def test_a_file_without_a_url_leaves_the_choice_to_the_next_source(text: str) -> None:
    assert database_url_from_config(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("url = sqlite:///x.db\n", "File contains no section headers"),
        ("[database]\nurl = a\nurl = b\n", "option 'url' in section 'database' already exists"),
        ("[database\nurl = a\n", "File contains no section headers"),
    ],
)
def test_a_malformed_file_is_refused_naming_it_and_the_fault(text: str, expected: str) -> None:
    with pytest.raises(ConfigFileError) as refused:
        database_url_from_config(text, r"C:\ProgramData\APDesk\apdesk.ini")
    message = str(refused.value)
    assert r"C:\ProgramData\APDesk\apdesk.ini" in message
    assert expected in message


# -- finding and decoding the file ---------------------------------------------------------


def test_without_a_file_nothing_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONFIG_FILE_VARIABLE, raising=False)
    monkeypatch.setattr(paths, "config_file_candidates", lambda: [Path("/nonexistent/a.ini")])
    assert configured_database_url() is None


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16"], ids=["utf8", "notepad-bom", "powershell-utf16"]
)
def test_the_encodings_windows_tools_write_are_read(settings_file: Path, encoding: str) -> None:
    settings_file.write_text(f"[database]\r\nurl = {CENTRAL}\r\n", encoding=encoding)
    assert configured_database_url() == CENTRAL


def test_a_file_that_is_not_text_is_refused(settings_file: Path) -> None:
    settings_file.write_bytes(b"[database]\nurl = caf\xe9\n")
    with pytest.raises(ConfigFileError, match="not UTF-8 text"):
        configured_database_url()


def test_a_settings_file_named_but_missing_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONFIG_FILE_VARIABLE, str(tmp_path / "share" / "apdesk.ini"))
    with pytest.raises(ConfigFileError, match="does not exist"):
        resolve_database_url()


def test_the_machine_wide_folder_is_searched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CONFIG_FILE_VARIABLE, raising=False)
    monkeypatch.delattr(sys, "frozen", raising=False)
    candidates = config_file_candidates()
    assert len(candidates) == 1
    assert candidates[0].name == "apdesk.ini" and candidates[0].parent.name == "APDesk"


def test_an_installed_bundle_looks_beside_its_executable_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CONFIG_FILE_VARIABLE, raising=False)
    program = tmp_path / "Programs" / "APDesk"
    program.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program / "APDesk.exe"))
    beside = program / "apdesk.ini"
    beside.write_text(f"[database]\nurl = {CENTRAL}\n", encoding="utf-8")

    assert config_file_candidates()[0] == beside
    assert configured_database_url() == CENTRAL


# -- the order of the sources --------------------------------------------------------------


def test_the_settings_file_beats_the_personal_database(settings_file: Path) -> None:
    settings_file.write_text(f"[database]\nurl = {CENTRAL}\n", encoding="utf-8")
    assert resolve_database_url() == CENTRAL


def test_the_environment_and_the_command_line_beat_the_settings_file(
    settings_file: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings_file.write_text(f"[database]\nurl = {CENTRAL}\n", encoding="utf-8")
    monkeypatch.setenv(DATABASE_URL_VARIABLE, "postgresql+psycopg://me@test-server/apdesk")
    assert resolve_database_url() == "postgresql+psycopg://me@test-server/apdesk"
    assert resolve_database_url(str(tmp_path / "mine.sqlite3")) == (
        f"sqlite:///{tmp_path / 'mine.sqlite3'}"
    )


def test_a_broken_settings_file_does_not_stop_an_explicit_choice(
    settings_file: Path, tmp_path: Path
) -> None:
    settings_file.write_text("this is not a settings file\n", encoding="utf-8")
    assert resolve_database_url(str(tmp_path / "mine.sqlite3")).endswith("mine.sqlite3")
    with pytest.raises(ConfigFileError):
        resolve_database_url()


def test_a_bare_path_in_the_settings_file_is_a_sqlite_file(
    settings_file: Path, tmp_path: Path
) -> None:
    settings_file.write_text(f"[database]\nurl = {tmp_path / 'ward.sqlite3'}\n", encoding="utf-8")
    assert resolve_database_url() == f"sqlite:///{tmp_path / 'ward.sqlite3'}"


# -- the app -------------------------------------------------------------------------------


@pytest.fixture
def own_settings(tmp_path: Path) -> None:
    """Window settings in a temporary folder, never the user's (as in tests/ui)."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings")
    )


def test_the_settings_file_beats_the_database_remembered_from_last_time(
    qtbot: QtBot, own_settings: None, settings_file: Path, tmp_path: Path
) -> None:
    app.create_application(["apdesk-gui"])
    QSettings().setValue(LAST_DATABASE_KEY, f"sqlite:///{tmp_path / 'old.sqlite3'}")
    settings_file.write_text("[database]\n", encoding="utf-8")  # no central database yet
    assert app._last_database() == f"sqlite:///{tmp_path / 'old.sqlite3'}"

    settings_file.write_text(f"[database]\nurl = {CENTRAL}\n", encoding="utf-8")
    assert app._last_database() is None


def test_the_app_explains_a_broken_settings_file_and_stops(
    qtbot: QtBot, own_settings: None, settings_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings_file.write_text("[database]\nurl = a\nurl = b\n", encoding="utf-8")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, title, text: shown.append((title, text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main() installs its own
    monkeypatch.setattr(app, "configure_logging", lambda: None)

    assert app.main(["apdesk-gui"]) == 2

    [(title, text)] = shown
    assert title == "APDesk cannot open the database"
    assert str(settings_file) in text and "already exists" in text
