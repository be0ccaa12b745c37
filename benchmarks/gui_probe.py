"""The GUI side of the benchmarks, run in a fresh process per measurement so a start is cold.

    python -m benchmarks.gui_probe bare STARTED
    python -m benchmarks.gui_probe start STARTED DATABASE
    python -m benchmarks.gui_probe session STARTED DATABASE ROUNDS

STARTED is the parent's ``time.perf_counter()`` just before it started this process; on
Linux that clock (CLOCK_MONOTONIC) is shared by all processes, so the time printed includes
the interpreter's own start. The last line printed is ``RESULT {json}``.

The app starts through ``apdesk.app.main`` (see ``run_app``). "Ready" means the event loop
has nothing left to do: no worker thread or tab still loading, no posted events. A dialog the
app tries to show, or an unexpected error, ends the process with exit code 3 and a traceback
rather than waiting for someone to click.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

USERNAME = "edlead1"  # an education lead sees every tab and every trainee
PASSWORD = "apdesk-demo"
SETTLE_TIMEOUT_S = 600.0


def peak_rss_mb() -> float:
    """This process's peak resident memory.

    VmHWM, not getrusage's ru_maxrss: Linux carries ru_maxrss over from the parent across
    fork and exec, so a child of a large benchmark process would report the parent's size.
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024  # kB


def finish(result: dict[str, Any]) -> None:
    print("RESULT " + json.dumps(result), flush=True)
    # No teardown: closing the window would save its settings (changing the next start)
    # and the order Qt and Python free things in at exit is not what is being measured.
    os._exit(0)


def bare(started: float) -> None:
    """The floor of a start: an interpreter, Qt, and an empty main window on screen."""
    from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: TID251

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    settle(app)
    finish({"seconds": time.perf_counter() - started, "rss_mb": peak_rss_mb()})


def tabs_loading() -> bool:
    """A tab's data still on its way (its result may be queued for the GUI thread)."""
    return any(getattr(tab, "loading", False) for tab in _watched_tabs)


def background_work() -> bool:
    """Any work off the GUI thread: a tab's load, the start-up's quick check, a backup."""
    from PySide6.QtCore import QThreadPool  # noqa: TID251

    if threading.active_count() > 1 or QThreadPool.globalInstance().activeThreadCount() > 0:
        return True
    return tabs_loading()


_watched_tabs: list[Any] = []


def settle(
    app: Any, until: Callable[[], bool] = lambda: True, busy: Callable[[], bool] = background_work
) -> None:
    """Process events until ``busy()`` is over and ``until()`` holds, and nothing is queued."""
    deadline = time.perf_counter() + SETTLE_TIMEOUT_S
    quiet = 0
    while quiet < 2:  # twice: a finished load may post the events that show its result
        app.processEvents()
        if busy() or not until():
            quiet = 0
            if time.perf_counter() > deadline:
                raise TimeoutError("the window did not settle")
            time.sleep(0.0005)
        else:
            quiet += 1


def run_app(started: float, database_path: str, then: Callable[[Any, Any], None]) -> None:
    """Start APDesk through ``apdesk.app.main`` itself, so the benchmark follows whatever the
    real start-up does; only the sign-in dialog is answered (edlead1, the demo password) and
    the daily backup skipped (on an ordinary day it has been made). When the app reaches its
    event loop, wait until its first tab's data is on screen (the start-up time), then until
    all background work is done, then call ``then(app, window)`` instead of running the loop.
    """
    phases: dict[str, float] = {}
    began = started

    def phase(name: str) -> None:
        nonlocal began
        now = time.perf_counter()
        phases[name] = now - began
        began = now

    import apdesk.app
    from apdesk.services.accounts import sign_in

    phase("Python and APDesk's imports")
    made: dict[str, Any] = {}

    def create_application(argv: Any) -> Any:
        app = real_create_application(argv)
        app.exec = lambda: reached_event_loop(app)
        return app

    def open_database(*arguments: Any, **options: Any) -> Any:
        phase("QApplication and settings")
        opened = real_open_database(*arguments, **options)
        phase("open_database")
        return opened

    def who_signs_in(_parent: Any, database: Any) -> Any:
        actor = sign_in(database, USERNAME, PASSWORD)
        phase("sign_in")
        return actor

    def main_window(*arguments: Any, **options: Any) -> Any:
        window = made["window"] = real_main_window(*arguments, **options)
        _watched_tabs.extend(tab for _title, tab in getattr(window, "all_tabs", ()))
        phase("MainWindow built")
        return window

    def reached_event_loop(app: Any) -> int:
        phase("window shown")
        # Usable: the tabs' data on screen. Where the tabs cannot say whether they are
        # loading, wait for every worker thread instead.
        loading = tabs_loading if _watched_tabs else background_work
        settle(app, busy=loading)
        phase("first tab's data loaded")
        window = made["window"]
        window.ready_after = time.perf_counter() - started
        window.start_phases = dict(phases)
        settle(app)  # e.g. the quick check of every page, which runs once the window is up
        window.idle_after = time.perf_counter() - started
        then(app, window)
        return 0

    _fail_on_any_dialog()
    real_create_application = apdesk.app.create_application
    real_open_database = apdesk.app.open_database
    real_main_window = apdesk.app.MainWindow
    apdesk.app.create_application = create_application
    apdesk.app.open_database = open_database
    apdesk.app.who_signs_in = who_signs_in
    apdesk.app.MainWindow = main_window
    apdesk.app.back_up_if_due = lambda _window, _database: None
    apdesk.app.report_unexpected_error = _fail
    apdesk.app.main(["apdesk-gui", "--database", database_path])
    raise RuntimeError("apdesk.app.main returned before its event loop")


def _fail(kind: type[BaseException], error: BaseException, trace: Any) -> None:
    """An error, or a dialog nobody is there to answer: fail now, not at the timeout."""
    traceback.print_exception(kind, error, trace)
    sys.stderr.flush()
    os._exit(3)


def _fail_on_any_dialog() -> None:
    from apdesk.ui import messages

    def dialog(name: str) -> Callable[..., Any]:
        def refuse(*arguments: Any, **_options: Any) -> Any:
            message = " / ".join(str(a) for a in arguments[1:])
            _fail(RuntimeError, RuntimeError(f"messages.{name}: {message}"), None)

        return refuse

    for name in ("ask", "show_error", "show_information", "show_refusal", "choose"):
        setattr(messages, name, dialog(name))


def start(started: float, database_path: str) -> None:
    def report(_app: Any, window: Any) -> None:
        finish(
            {
                "seconds": window.ready_after,
                "background_done": window.idle_after,
                "rss_mb": peak_rss_mb(),
                "tab": window.tabs.tabText(window.tabs.currentIndex()).replace("&", ""),
                "phases": window.start_phases,
            }
        )

    run_app(started, database_path, report)


def session(started: float, database_path: str, rounds: int) -> None:
    """Start, tour every tab ``rounds`` times, type into the Trainees filter, report RSS."""

    def measure(app: Any, window: Any) -> None:
        result: dict[str, Any] = {"start_s": window.ready_after}
        result.update(tab_switches(app, window, rounds))
        result.update(filter_keystrokes(app, window))
        result["rss_mb"] = peak_rss_mb()
        finish(result)

    run_app(started, database_path, measure)


def tab_switches(app: Any, window: Any, rounds: int) -> dict[str, Any]:
    """Each visible tab, shown from an empty tab; the floor is showing that empty tab.

    The first visit to a tab includes loading its data; later visits show it unchanged.
    """
    from PySide6.QtWidgets import QWidget  # noqa: TID251

    tabs = window.tabs
    shown = [index for index in range(tabs.count()) if tabs.isTabVisible(index)]
    empty = tabs.addTab(QWidget(), "Empty")
    switches: dict[str, list[float]] = {tabs.tabText(i).replace("&", ""): [] for i in shown}
    floor: list[float] = []
    tabs.setCurrentIndex(empty)
    settle(app)
    for _round in range(rounds):
        for index in shown:
            switches[tabs.tabText(index).replace("&", "")].append(_timed_switch(app, tabs, index))
            floor.append(_timed_switch(app, tabs, empty))
    return {"tab_switches": switches, "tab_floor": floor}


def _timed_switch(app: Any, tabs: Any, index: int) -> float:
    began = time.perf_counter()
    tabs.setCurrentIndex(index)
    settle(app)
    return time.perf_counter() - began


def _typing_plan(words: list[str], keystrokes: int) -> list[str]:
    """Type the first letters of each word, then delete them, until enough keys are pressed."""
    plan: list[str] = []
    while len(plan) < keystrokes:
        for word in words:
            letters = [c for c in word.casefold() if c.isalpha()][:5] or ["a"]
            plan += letters + ["\b"] * len(letters)
    return plan[:keystrokes]


def filter_keystrokes(app: Any, window: Any, keystrokes: int = 20) -> dict[str, Any]:
    """Keys typed into the Trainees filter, each timed until the table shows its result;
    the floor is the same substring test over the same rows' text in a list comprehension."""
    from PySide6.QtCore import Qt  # noqa: TID251
    from PySide6.QtTest import QTest  # noqa: TID251

    tab = window.trainees_tab
    window.tabs.setCurrentWidget(tab)
    settle(app, lambda: tab.model.rowCount() > 0)
    model, proxy, edit = tab.model, tab.proxy, tab.filter_edit
    rows = model.rowCount()
    texts = _search_texts(model)
    words = [model.index(0, 0).data().split()[-1], model.index(rows - 1, 1).data().split()[0]]
    edit.setFocus()

    def filtered(expected: str) -> Callable[[], bool]:
        if not hasattr(proxy, "current_filter"):
            return lambda: True
        return lambda: proxy.current_filter.text == expected  # waits out any debounce

    times, needles, shown = [], [], []
    for key in _typing_plan(words, keystrokes):
        began = time.perf_counter()
        if key == "\b":
            QTest.keyClick(edit, Qt.Key.Key_Backspace)
        else:
            QTest.keyClick(edit, key)
        needle = edit.text().strip().casefold()
        settle(app, filtered(needle))
        times.append(time.perf_counter() - began)
        needles.append(needle)
        shown.append(proxy.rowCount())
    floor = []
    for needle in needles:
        began = time.perf_counter()
        [needle in text for text in texts]  # the least a filter over these rows can do
        floor.append(time.perf_counter() - began)
    return {
        "keystrokes": times,
        "keystroke_floor": floor,
        "rows": rows,
        "shown_min": min(shown),
        "shown_max": max(shown),
        "typed": "".join("⌫" if key == "\b" else key for key in _typing_plan(words, keystrokes)),
    }


def _search_texts(model: Any) -> list[str]:
    """The text the filter searches, per row: the model's own if it keeps one."""
    try:
        from apdesk.ui.models.trainees import SEARCH_ROLE
    except ImportError:
        SEARCH_ROLE = None  # the model keeps no search text: build it from the cells
    texts = []
    for row in range(model.rowCount()):
        text = model.index(row, 0).data(SEARCH_ROLE) if SEARCH_ROLE is not None else None
        if not isinstance(text, str):
            cells = (model.index(row, c).data() for c in range(model.columnCount()))
            text = "\n".join(str(cell) for cell in cells).casefold()
        texts.append(text)
    return texts


def main(argv: list[str]) -> None:
    mode, started = argv[0], float(argv[1])
    if mode == "bare":
        bare(started)
    elif mode == "start":
        start(started, argv[2])
    elif mode == "session":
        session(started, argv[2], int(argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
