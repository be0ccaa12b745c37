"""Shared set-up: no test needs a display, and none touches the user's real data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

pytest_plugins = ["tests.helpers.fixtures"]


@pytest.fixture(autouse=True)
def _isolated_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APDESK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("APDESK_DATABASE_URL", raising=False)
