"""Where APDesk keeps its data and finds its reference files.

Per-user folders from platformdirs (no admin rights needed; %LOCALAPPDATA% on Windows, which
roaming profiles do not redirect to a network share, where SQLite locking is unreliable).

An organisation can point every user of a PC at one central database with a settings file,
``apdesk.ini`` (see ``config_file_candidates``)::

    [database]
    url = postgresql+psycopg://apdesk@db-server/apdesk
"""

from __future__ import annotations

import configparser
import os
import sys
from pathlib import Path

from platformdirs import site_config_path, user_data_path, user_log_path

APP_NAME = "APDesk"
DATABASE_URL_VARIABLE = "APDESK_DATABASE_URL"
DATA_DIR_VARIABLE = "APDESK_DATA_DIR"
CONFIG_FILE_VARIABLE = "APDESK_CONFIG"
CONFIG_FILE_NAME = "apdesk.ini"


class ConfigFileError(ValueError):
    """The organisation's settings file cannot be used. Opening nothing is safer than quietly
    opening a private database on this PC while everyone else works in the central one."""


def data_dir(*, create: bool = True) -> Path:
    override = os.environ.get(DATA_DIR_VARIABLE)
    path = Path(override) if override else user_data_path(APP_NAME, appauthor=False)
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = os.environ.get(DATA_DIR_VARIABLE)
    path = Path(override) / "logs" if override else user_log_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path(*, create_folder: bool = True) -> Path:
    return data_dir(create=create_folder) / "apdesk.sqlite3"


def config_file_candidates() -> list[Path]:
    """Where APDesk looks for ``apdesk.ini``; the first that exists is used.

    ``APDESK_CONFIG`` names the one file to use. Otherwise: beside the installed executable
    (an IT team can drop it into the program folder), then the machine-wide settings folder
    (``%PROGRAMDATA%\\APDesk`` on Windows, ``/etc/xdg/APDesk`` on Linux), written by
    administrators and read by every user of the PC.
    """
    override = os.environ.get(CONFIG_FILE_VARIABLE)
    if override:
        return [Path(override)]
    candidates = []
    if getattr(sys, "frozen", False):
        candidates.append(Path(sys.executable).resolve().parent / CONFIG_FILE_NAME)
    candidates.append(site_config_path(APP_NAME, appauthor=False) / CONFIG_FILE_NAME)
    return candidates


def config_file() -> Path | None:
    return next((path for path in config_file_candidates() if path.is_file()), None)


def database_url_from_config(text: str, source: str = CONFIG_FILE_NAME) -> str | None:
    """The ``url`` in the ``[database]`` section of a settings file's text, or None if unset.

    Values are taken literally: a password with ``%`` in it, or a %-encoded URL, is not
    mistaken for configparser's interpolation.
    """
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=source)
    except configparser.Error as error:
        raise ConfigFileError(
            f"The APDesk settings file {source} cannot be read: {error}. Correct it (a "
            "[database] section with a line url = ...) or remove it."
        ) from None
    url = parser.get("database", "url", fallback="").strip()
    return url or None


def _decode_settings(data: bytes, source: Path) -> str:
    """Notepad writes UTF-8 (with or without a BOM); PowerShell 5's Out-File writes UTF-16."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigFileError(
            f"The APDesk settings file {source} is not UTF-8 text; save it as UTF-8."
        ) from None


def configured_database_url() -> str | None:
    """The database the organisation's ``apdesk.ini`` names, or None when there is none."""
    path = config_file()
    if path is None:
        named = os.environ.get(CONFIG_FILE_VARIABLE)
        if named:  # asked for by name: a missing share or a typo must not go unnoticed
            raise ConfigFileError(
                f"{CONFIG_FILE_VARIABLE} names the settings file {named}, which does not exist"
            )
        return None
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigFileError(
            f"APDesk cannot read its settings file {path}: {error.strerror}"
        ) from None
    return database_url_from_config(_decode_settings(data, path), str(path))


def resolve_database_url(given: str | None = None, *, create_folder: bool = True) -> str:
    """The URL to open: ``--database`` beats ``APDESK_DATABASE_URL`` beats ``apdesk.ini``
    beats the per-user file (whose folder is created unless ``create_folder`` is false).

    A bare file path is accepted as well as a SQLAlchemy URL.
    """
    value = (
        given
        or os.environ.get(DATABASE_URL_VARIABLE)
        or configured_database_url()
        or str(default_database_path(create_folder=create_folder))
    )
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def resources_dir() -> Path:
    """The reference-data folder: bundled next to the frozen app, else the source tree's."""
    override = os.environ.get("APDESK_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
