"""Run long work (imports, demo data, exports) off the GUI thread behind a progress dialog
that can be cancelled. The work reports progress through a callback; cancelling makes that
callback raise, so the service's transaction rolls back and nothing half-done is saved."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
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
