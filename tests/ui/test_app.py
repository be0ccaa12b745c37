"""The Qt runtime the desktop relies on. (The trainees table's tests moved to
test_trainees_tab.py; the main window's to test_main_window.py.)"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_qt_setters_do_not_leak_references_to_none(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per call until the interpreter
    aborts (shared/design.md). The dependency pin keeps it out; this test proves it."""
    window = QMainWindow()
    qtbot.addWidget(window)
    before = sys.getrefcount(None)
    for n in range(10_000):
        window.setWindowTitle(f"APDesk {n}")
    assert sys.getrefcount(None) >= before - 100
