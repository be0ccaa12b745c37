"""What every tab shares: its dependencies handed in, a signal announcing what it changed,
and refreshing only when it is shown after something it displays has changed."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from apdesk.services.actors import Actor
from apdesk.services.errors import ActionRefusedError
from apdesk.ui import messages

if TYPE_CHECKING:
    from apdesk.db.database import Database


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
    shows: frozenset[Changed] = frozenset()  # the kinds of change this tab displays

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._stale = True

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
        self.context = context
        self.on_data_changed(Changed.EVERYTHING)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh_safely()

    def refresh_safely(self) -> None:
        """Refresh from inside a Qt event: an exception must not escape into Qt (PySide6 can
        abort when several overrides fail in one event), so it is reported here instead."""
        try:
            self.refresh()
        except ActionRefusedError as error:
            messages.show_refusal(self, "Showing this tab", error)
        except Exception:
            sys.excepthook(*sys.exc_info())

    def current_trainee_id(self) -> int | None:
        """The trainee this tab is showing, for actions on "the current trainee"."""
        return None

    def can_close(self) -> bool:
        """False keeps the window open (e.g. the person chose to keep unsaved changes)."""
        return True

    def announce(self, kind: Changed) -> None:
        self.data_changed.emit(kind.value)
