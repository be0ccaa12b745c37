"""Work off the GUI thread.

Long work (imports, demo data, exports) runs behind a progress dialog that can be cancelled:
the work reports progress through a callback; cancelling makes that callback raise, so the
service's transaction rolls back and nothing half-done is saved.

A tab's data (every trainee's progress, the dashboard) loads with ``BackgroundLoad``: the
window stays usable while it comes, and the tab fills in when it arrives.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

T = TypeVar("T")
Progress = Callable[[int, int], None]  # (done, total); total 0 when unknown


class OperationCancelled(Exception):
    """The person cancelled; the work stopped and saved nothing."""


class _Relay(QObject):
    progressed = Signal(int, int)
    finished = Signal()


def run_in_background(
    parent: QWidget | None, title: str, label: str, work: Callable[[Progress], T]
) -> T:
    """Run ``work(progress)`` on a worker thread, keeping the window responsive.

    Returns its result, re-raises its exception here, or raises OperationCancelled.
    """
    cancelled = threading.Event()
    relay = _Relay()
    outcome: dict[str, object] = {}

    def report(done: int, total: int) -> None:
        if cancelled.is_set():
            raise OperationCancelled
        relay.progressed.emit(done, total)

    def run() -> None:
        try:
            outcome["result"] = work(report)
        except BaseException as error:  # handed back to the GUI thread below
            outcome["error"] = error
        relay.finished.emit()

    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(400)  # quick work never flashes a dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def on_cancel() -> None:
        cancelled.set()
        dialog.setLabelText("Cancelling…")

    loop = QEventLoop()
    relay.progressed.connect(on_progress)
    relay.finished.connect(loop.quit)
    dialog.canceled.connect(on_cancel)
    worker = threading.Thread(target=run, name=f"apdesk: {title}", daemon=True)
    worker.start()
    loop.exec()
    worker.join()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]


# -- loading a tab's data without blocking the window ------------------------------------


@dataclass(frozen=True)
class _Finished:
    load: weakref.ReferenceType[BackgroundLoad[Any]]
    generation: int
    result: object
    error: BaseException | None


class _Deliveries(QObject):
    """Lives on the GUI thread for the whole run, so a worker always has a live object to
    signal; the tab it was loading for may be gone by then (hence the weak reference)."""

    finished = Signal(object)  # a _Finished

    def __init__(self) -> None:
        super().__init__()
        # Queued: the worker emits, the GUI thread's event loop delivers.
        self.finished.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def deliver(self, finished: _Finished) -> None:
        load = finished.load()
        if load is not None:
            load._arrived(finished)


_deliveries: _Deliveries | None = None
_workers: set[threading.Thread] = set()
_workers_lock = threading.Lock()


GUI_SWITCH_INTERVAL_S = 0.001


def _deliveries_relay() -> _Deliveries:
    global _deliveries
    if _deliveries is None:  # made on the GUI thread: the first load starts there
        _deliveries = _Deliveries()
        # A worker running Python holds the GIL for up to the switch interval (5 ms by
        # default) each time the GUI thread wants it back: measured at 10,000 trainees, a
        # filter keystroke during a load took up to 330 ms at 5 ms and under 80 ms at 1 ms.
        sys.setswitchinterval(min(sys.getswitchinterval(), GUI_SWITCH_INTERVAL_S))
    return _deliveries


class BackgroundLoad(Generic[T]):
    """Fetch on a worker thread, show on the GUI thread; only the newest fetch is shown.

    ``start`` while an earlier fetch is still running supersedes it: the earlier result is
    dropped when it arrives, so a slow old load never overwrites a newer one. The fetch must
    not touch widgets; it gets everything it needs (database, actor, day) captured up front,
    and the services give each call its own session and pooled connection.
    """

    def __init__(
        self,
        show: Callable[[T], None],
        failed: Callable[[BaseException], None],
        owner: QObject | None = None,
    ) -> None:
        self._show = show
        self._failed = failed
        self._owner = owner  # results for a widget Qt has since deleted are dropped
        self._generation = 0
        self._running: int | None = None  # the generation whose result is awaited

    @property
    def busy(self) -> bool:
        return self._running is not None

    def start(self, fetch: Callable[[], T]) -> None:
        self._generation += 1
        self._running = generation = self._generation
        relay = _deliveries_relay()
        me = weakref.ref(self)

        def run() -> None:
            try:
                finished = _Finished(me, generation, fetch(), None)
            except BaseException as error:  # shown on the GUI thread, never lost here
                finished = _Finished(me, generation, None, error)
            try:
                relay.finished.emit(finished)
            except RuntimeError:
                pass  # the application is closing: Qt has deleted the relay, nobody is waiting
            finally:
                with _workers_lock:
                    _workers.discard(threading.current_thread())

        worker = threading.Thread(target=run, name="apdesk: loading", daemon=True)
        with _workers_lock:
            _workers.add(worker)
        worker.start()

    def cancel(self) -> None:
        """Drop whatever is on its way (e.g. another person signed in meanwhile)."""
        self._generation += 1
        self._running = None

    def _arrived(self, finished: _Finished) -> None:
        if finished.generation != self._running:
            return  # superseded or cancelled
        self._running = None
        if self._owner is not None and not shiboken6.isValid(self._owner):
            return
        # Called from a Qt slot, which must never raise: PySide6 may abort.
        try:
            if finished.error is not None:
                self._failed(finished.error)
            else:
                self._show(finished.result)  # type: ignore[arg-type]
        except Exception as error:
            try:
                self._failed(error)
            except Exception:
                sys.excepthook(*sys.exc_info())


def background_loads_running() -> int:
    """How many worker threads are still fetching (tests and shutdown wait for none)."""
    with _workers_lock:
        return sum(1 for worker in _workers if worker.is_alive())


def join_background_loads(timeout: float = 60.0) -> None:
    """Wait for every worker to finish its fetch, e.g. before the database is closed."""
    with _workers_lock:
        workers = list(_workers)
    for worker in workers:
        worker.join(timeout)


def finish_background_loads(rounds: int = 10) -> None:
    """Let every worker finish and its result be shown (tests, the self-test, shutdown).

    A result shown may start another load (a trainee opened while the table was loading),
    hence the rounds.
    """
    for _round in range(rounds):
        join_background_loads()
        QCoreApplication.processEvents()
        if not background_loads_running():
            return
