"""Waiting for what a tab (or the main window) loads off the GUI thread.

Tabs fetch their data on a worker thread and fill in when it arrives, so a test that looks at
a table right after showing or refreshing a tab waits for it first: ``wait_loaded(qtbot, tab)``.
"""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from apdesk.ui.background import finish_background_loads
from apdesk.ui.main_window import MainWindow
from apdesk.ui.tab import Tab

TIMEOUT_MS = 30_000  # far beyond any test database's load; a hang fails rather than waits


def _busy(waited: Tab | MainWindow) -> bool:
    if isinstance(waited, MainWindow):
        return waited.checking_database or any(tab.loading for _t, tab in waited.all_tabs)
    return waited.loading


def wait_loaded(qtbot: QtBot, *waited: Tab | MainWindow) -> None:
    """Until every given tab (or every tab of a window, and its database check) has loaded."""
    qtbot.waitUntil(lambda: not any(_busy(each) for each in waited), timeout=TIMEOUT_MS)


def settle_background_loads() -> None:
    """Let every worker finish and hand over its result, so none outlives its test."""
    finish_background_loads()
