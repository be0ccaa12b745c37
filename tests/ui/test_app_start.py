"""Starting the app: which database opens, and what a person sees when something fails."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from apdesk import app
from apdesk.ui import messages


def test_a_remembered_database_that_fails_falls_back_to_the_persons_own(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, _t, text: errors.append(text))

    opened = app._open("postgresql+psycopg://nobody@127.0.0.1:1/gone", fall_back=True)

    assert "will open the database in your data folder instead" in errors[0]
    assert opened.database.url.endswith("apdesk.sqlite3")
    opened.database.close()


def test_a_database_asked_for_by_name_is_not_swapped_silently(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(messages, "show_error", lambda *_: pytest.fail("no dialog expected"))
    with pytest.raises(app.DatabaseUnavailableError):
        app._open("postgresql+psycopg://nobody@127.0.0.1:1/gone", fall_back=False)


def test_an_unexpected_error_is_logged_and_explained(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, _t, text: shown.append(text))
    try:
        raise KeyError("trainee 42")
    except KeyError as error:
        with caplog.at_level(logging.ERROR):
            app.report_unexpected_error(KeyError, error, error.__traceback__)

    assert "KeyError" in shown[0] and "apdesk.log" in shown[0]
    assert caplog.records[0].exc_info is not None
