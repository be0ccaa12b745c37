"""Where APDesk keeps its data and finds its reference files.

Per-user folders from platformdirs (no admin rights needed; %LOCALAPPDATA% on Windows, which
roaming profiles do not redirect to a network share, where SQLite locking is unreliable).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_path, user_log_path

APP_NAME = "APDesk"
DATABASE_URL_VARIABLE = "APDESK_DATABASE_URL"
DATA_DIR_VARIABLE = "APDESK_DATA_DIR"


def data_dir() -> Path:
    override = os.environ.get(DATA_DIR_VARIABLE)
    path = Path(override) if override else user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = os.environ.get(DATA_DIR_VARIABLE)
    path = Path(override) / "logs" if override else user_log_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    return data_dir() / "apdesk.sqlite3"


def resolve_database_url(given: str | None = None) -> str:
    """The URL to open: ``--database`` beats ``APDESK_DATABASE_URL`` beats the per-user file.

    A bare file path is accepted as well as a SQLAlchemy URL.
    """
    value = given or os.environ.get(DATABASE_URL_VARIABLE) or str(default_database_path())
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
