"""What every tab shares: its dependencies handed in, a signal announcing what it changed,
refreshing only when it is shown after something it displays has changed, and loading data
that takes a while (every trainee's figures) off the GUI thread with a "Loading…" note."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError
from apdesk.ui import messages
from apdesk.ui.background import BackgroundLoad
from apdesk.ui.widgets.loading_notice import LoadingNotice

if TYPE_CHECKING:
    from apdesk.db.database import Database

T = TypeVar("T")


class Changed(StrEnum):
    """What a user action changed, so each tab reloads only what it shows."""

    TRAINEES = "trainees"
    ATTENDANCE = "attendance"
    SIGNOFFS = "signoffs"
    BANDS = "bands"
    REVIEWS = "reviews"
    EVERYTHING = "everything"  # another database was opened, demo data loaded


@dataclass(frozen=True)
class TabContext:
    database: Database
    actor: Actor


class Tab(QWidget):
    """Base of every tab. Subclasses build their widgets in ``setup_ui`` and load in ``reload``."""

    data_changed = Signal(str)  # a Changed value
    loaded = Signal()  # a background load arrived and is on screen
    shows: frozenset[Changed] = frozenset()  # the kinds of change this tab displays

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._stale = True
        self._background = BackgroundLoad[Any](self._arrived, self._fetch_failed, owner=self)
        self._show_loaded: Callable[[Any], None] = lambda _result: None
        self._load_failed: Callable[[BaseException], None] = self.report_error
        self.loading_notice = LoadingNotice(self)

    @property
    def database(self) -> Database:
        return self.context.database

    def reload(self) -> None:
        """Fetch from the services and show. Subclasses override."""

    def refresh(self) -> None:
        self._stale = False
        self.reload()

    def on_data_changed(self, kind: str) -> None:
        if kind == Changed.EVERYTHING or kind in self.shows:
            if self.isVisible():
                self.refresh_safely()
            else:
                self._stale = True

    def set_context(self, context: TabContext) -> None:
        self.cancel_loading()  # whatever comes back was fetched for the last person
        self.context = context
        self.on_data_changed(Changed.EVERYTHING)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh_safely()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.loading_notice.place()

    def refresh_safely(self) -> None:
        """Refresh from inside a Qt event: an exception must not escape into Qt (PySide6 can
        abort when several overrides fail in one event), so it is reported here instead."""
        try:
            self.refresh()
        except Exception as error:
            self.report_error(error)

    def report_error(self, error: BaseException) -> None:
        """A refusal in the person's words; anything else is a bug for the log."""
        if isinstance(error, ActionRefusedError):
            messages.show_refusal(self, "Showing this tab", error)
        else:
            sys.excepthook(type(error), error, error.__traceback__)

    # -- loading off the GUI thread ---------------------------------------------------------
    @property
    def loading(self) -> bool:
        """A background load is on its way; the tab shows what it had until it arrives."""
        return self._background.busy

    def load_in_background(
        self,
        fetch: Callable[[], T],
        show: Callable[[T], None],
        *,
        notice: str = "Loading…",
        notice_over: QWidget | None = None,
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fetch`` on a worker thread, then ``show`` its result here.

        ``fetch`` must not touch widgets: capture the database, actor and day before calling.
        A newer load supersedes one still running; only the newest is shown.
        """
        self._show_loaded = show
        self._load_failed = failed or self.report_error
        self.loading_notice.show_text(notice, notice_over)
        self._background.start(fetch)

    def cancel_loading(self) -> None:
        self._background.cancel()
        self.loading_notice.dismiss()

    def _arrived(self, result: object) -> None:
        self.loading_notice.dismiss()
        self._show_loaded(result)
        self.loaded.emit()

    def _fetch_failed(self, error: BaseException) -> None:
        self.loading_notice.dismiss()
        self._load_failed(error)

    def current_trainee_id(self) -> int | None:
        """The trainee this tab is showing, for actions on "the current trainee"."""
        return None

    def can_close(self) -> bool:
        """False keeps the window open (e.g. the person chose to keep unsaved changes)."""
        return True

    def announce(self, kind: Changed) -> None:
        self.data_changed.emit(kind.value)
