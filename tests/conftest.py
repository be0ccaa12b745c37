"""Shared set-up: no test needs a display, and none touches the user's real data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# No display needed: Qt draws offscreen, on one 1920 × 1080 screen like a trust PC's.
_SCREEN = Path(__file__).parent / "helpers" / "offscreen_screen.json"
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREEN}")

pytest_plugins = ["tests.helpers.fixtures"]


@pytest.fixture(autouse=True)
def _isolated_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("APDESK_DATA_DIR", str(data))
    monkeypatch.delenv("APDESK_DATABASE_URL", raising=False)
    # An organisation's apdesk.ini on this machine (e.g. /etc/xdg/APDesk) must not steer tests.
    settings = tmp_path_factory.mktemp("settings") / "apdesk.ini"
    settings.touch()
    monkeypatch.setenv("APDESK_CONFIG", str(settings))
