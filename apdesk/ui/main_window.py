"""The main window: one tab per area of work, wired to the services in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

from apdesk import __version__
from apdesk.services.actors import Actor
from apdesk.ui import messages
from apdesk.ui.tab import Changed, Tab, TabContext
from apdesk.ui.trainees import TraineesTab

if TYPE_CHECKING:  # the UI passes the open database to services; it never queries it
    from apdesk.db.database import Database


class MainWindow(QMainWindow):
    def __init__(self, database: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.actor = actor
        self.setWindowTitle("APDesk")
        self.settings = QSettings()
        self.setup_ui()
        self.restore_state()

    def setup_ui(self) -> None:
        context = TabContext(self.database, self.actor)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.trainees_tab = TraineesTab(context)
        self.all_tabs: list[Tab] = [self.trainees_tab]
        for tab, title in zip(self.all_tabs, ("&Trainees",), strict=True):
            self.tabs.addTab(tab, title)
            tab.data_changed.connect(self.broadcast)
        self.setCentralWidget(self.tabs)

        file_menu = self.menuBar().addMenu("&File")
        refresh = QAction("&Refresh", self, shortcut=QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addActions([refresh, quit_action])
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About APDesk", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

        self.database_label = QLabel(f"Database: {self.database.display_name}")
        self.user_label = QLabel(f"Signed in: {self.actor.name}")
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)

    def broadcast(self, kind: str) -> None:
        """One tab changed something: every tab that shows it reloads (now or when shown)."""
        for tab in self.all_tabs:
            tab.on_data_changed(kind)

    def refresh(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.broadcast(Changed.EVERYTHING)
        finally:
            QGuiApplication.restoreOverrideCursor()

    def show_about(self) -> None:
        messages.show_information(
            self,
            "About APDesk",
            f"APDesk {__version__}\nAssistant Practitioner apprenticeships: trainees, "
            "day release, supervised practice, Care Certificate and band progression.",
        )

    def restore_state(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        self.tabs.setCurrentIndex(int(self.settings.value("main_window/tab", 0)))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/tab", self.tabs.currentIndex())
        super().closeEvent(event)
