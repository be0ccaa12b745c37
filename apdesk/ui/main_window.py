"""The main window: one tab per area of work, the menus, and the wiring between tabs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QToolBar, QWidget

from apdesk import __version__
from apdesk.domain.enums import Role
from apdesk.paths import data_dir, log_dir
from apdesk.services.accounts import needs_first_administrator
from apdesk.services.actors import Actor
from apdesk.services.backup import backup_database
from apdesk.services.demo import load_demo_programme
from apdesk.services.errors import ActionRefusedError
from apdesk.services.exports import export_trainees
from apdesk.services.programme import count_trainees
from apdesk.services.progress import list_trainee_progress, trainee_progress
from apdesk.services.startup import (
    DatabaseDamagedError,
    DatabaseUnavailableError,
    OpenedDatabase,
    find_damage,
    open_database,
)
from apdesk.ui import messages
from apdesk.ui.attendance import AttendanceTab
from apdesk.ui.automatic_backup import back_up_automatically
from apdesk.ui.background import (
    BackgroundLoad,
    OperationCancelled,
    join_background_loads,
    run_in_background,
)
from apdesk.ui.bands import BandsTab
from apdesk.ui.care_certificate import CareCertificateTab
from apdesk.ui.dashboard import DashboardTab
from apdesk.ui.dialogs.audit_trail import AuditTrailDialog
from apdesk.ui.dialogs.change_password import ChangePasswordDialog
from apdesk.ui.dialogs.damaged_database import recover_damaged_database
from apdesk.ui.dialogs.restore_backup import restore_from_backup
from apdesk.ui.dialogs.sign_in import FirstAdministratorDialog, SignInDialog
from apdesk.ui.dialogs.user_accounts import UserAccountsDialog
from apdesk.ui.portfolio_export import export_portfolio
from apdesk.ui.practice import SupervisedPracticeTab
from apdesk.ui.subject_access import export_subject_access
from apdesk.ui.tab import Changed, Tab, TabContext
from apdesk.ui.trainees import TraineesTab

if TYPE_CHECKING:  # the UI passes the open database to services; it never queries it
    from apdesk.db.database import Database

LAST_DATABASE_KEY = "database/last_url"
# Tabs a role has no business in; the services refuse the actions anyway.
# The Dashboard's title has no Alt+ letter: every letter of it is taken elsewhere (Ctrl+1).
DASHBOARD = "Dashboard"
HIDDEN_TABS: dict[Role, frozenset[str]] = {
    Role.APPRENTICE: frozenset({DASHBOARD, "&Attendance"}),
    Role.MENTOR: frozenset({DASHBOARD, "&Attendance"}),
}


def who_signs_in(parent: QWidget | None, database: Database) -> Actor | None:
    """A new database first gets its administrator; otherwise someone signs in."""
    if needs_first_administrator(database):
        return FirstAdministratorDialog.create(parent, database)
    return SignInDialog.sign_in(parent, database)


class MainWindow(QMainWindow):
    def __init__(
        self,
        database: Database,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        automatic_backups: bool = False,  # the app's window backs up on close; tests' do not
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.actor = actor
        self.automatic_backups = automatic_backups
        self.settings = QSettings()
        self._page_check = BackgroundLoad[DatabaseDamagedError | None](
            self._database_checked, self._page_check_failed, owner=self
        )
        self._after_page_check: Callable[[], object] | None = None
        self._checked_database: Database | None = None
        self.setup_ui()
        self.restore_state()

    # -- building -----------------------------------------------------------------------
    def setup_ui(self) -> None:
        self.setWindowTitle("APDesk")
        context = TabContext(self.database, self.actor)
        self.trainees_tab = TraineesTab(context)
        self.dashboard_tab = DashboardTab(context)
        self.dashboard_tab.trainee_opened.connect(self.open_trainee)
        self.all_tabs: list[tuple[str, Tab]] = [
            (DASHBOARD, self.dashboard_tab),
            ("&Trainees", self.trainees_tab),
            ("&Attendance", AttendanceTab(context)),
            ("Supervised &practice", SupervisedPracticeTab(context)),
            ("Care &Certificate", CareCertificateTab(context)),
            ("&Bands", BandsTab(context)),
        ]
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        for title, tab in self.all_tabs:
            self.tabs.addTab(tab, title)
            tab.data_changed.connect(self.broadcast)
        self.setCentralWidget(self.tabs)
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self.database_label = QLabel()
        self.user_label = QLabel()
        self.statusBar().addWidget(self.database_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self._show_database()
        self._apply_role()

    def _action(
        self, text: str, slot: object, shortcut: QKeySequence | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.open_action = self._action("&Open database…", self.choose_database_file, keys.Open)
        self.connect_action = self._action(
            "Connect to a database &server…", self.choose_database_url
        )
        self.backup_action = self._action("&Back up database…", self.back_up, "Ctrl+Shift+B")
        self.restore_action = self._action("&Restore from backup…", self.restore_backup)
        self.export_action = self._action("&Export trainees…", self.export, "Ctrl+E")
        self.portfolio_action = self._action(
            "Export evidence &portfolio…", self.export_portfolio, "Ctrl+Shift+P"
        )
        # No shortcuts here: the Trainees tab's own buttons carry Ctrl+I and Ctrl+N.
        self.import_action = self._action("&Import trainees…", self.import_trainees)
        self.add_trainee_action = self._action("&Add trainee…", self.add_trainee)
        self.quit_action = self._action("&Quit", self.close, keys.Quit)
        self.find_action = self._action("&Find trainee", self.find_trainee, keys.Find)
        self.refresh_action = self._action("&Refresh", self.refresh, keys.Refresh)
        self.about_action = self._action("&About APDesk", self.show_about)
        self.data_folder_action = self._action("Open &data folder", self.open_data_folder)
        self.switch_user_action = self._action("&Switch user…", self.switch_user, "Ctrl+Shift+U")
        self.change_password_action = self._action("Change &password…", self.change_password)
        self.accounts_action = self._action("&User accounts…", self.manage_accounts)
        self.audit_action = self._action("&Audit trail…", self.show_audit_trail)
        self.subject_access_action = self._action(
            "&Subject access export…", self.export_subject_access
        )
        self.where_action = self._action("&Where is my data?", self.show_where)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addActions([self.open_action, self.connect_action])
        file_menu.addSeparator()
        file_menu.addActions(
            [self.import_action, self.export_action, self.portfolio_action, self.backup_action]
        )
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        self.edit_menu = self.menuBar().addMenu("&Edit")
        self.edit_menu.addActions([self.add_trainee_action, self.find_action])
        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(self.refresh_action)
        view_menu.addSeparator()
        self.go_to_tab_actions: list[QAction] = []  # Ctrl+1… numbered per role: _apply_role
        for title, tab in self.all_tabs:
            go = self._action(title, lambda _checked=False, t=tab: self.tabs.setCurrentWidget(t))
            view_menu.addAction(go)
            self.go_to_tab_actions.append(go)
        self.view_menu = view_menu
        account_menu = self.menuBar().addMenu("&Account")
        account_menu.addActions([self.switch_user_action, self.change_password_action])
        tools_menu = self.menuBar().addMenu("T&ools")
        tools_menu.addActions([self.accounts_action, self.audit_action])
        tools_menu.addSeparator()
        tools_menu.addAction(self.subject_access_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addActions([self.where_action, self.data_folder_action])
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)

    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar("Main toolbar")
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.addActions([self.refresh_action, self.export_action, self.backup_action])
        self.addToolBar(self.toolbar)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.toolbar.toggleViewAction())

    def _apply_role(self) -> None:
        """Show what the signed-in person's role uses; the services still check every action."""
        role = self.actor.role
        self.user_label.setText(f"Signed in: {self.actor.label}")
        hidden = HIDDEN_TABS.get(role, frozenset()) if role else frozenset()
        shown = [title not in hidden for title, _tab in self.all_tabs]
        for index, visible in enumerate(shown):
            self.tabs.setTabVisible(index, visible)
        # Ctrl+1 is always the first tab this person sees, Ctrl+2 the next, and so on.
        number = 0
        for go, visible in zip(self.go_to_tab_actions, shown, strict=True):
            go.setVisible(visible)
            number += visible
            go.setShortcut(QKeySequence(f"Ctrl+{number}") if visible else QKeySequence())
        if not self.tabs.isTabVisible(self.tabs.currentIndex()):
            self.tabs.setCurrentIndex(shown.index(True))
        staff = role in (Role.EDUCATION_LEAD, Role.ADMINISTRATOR)
        self.accounts_action.setEnabled(role is Role.ADMINISTRATOR)
        self.audit_action.setEnabled(staff)
        self.subject_access_action.setEnabled(role is Role.ADMINISTRATOR)
        self.backup_action.setEnabled(role is Role.ADMINISTRATOR)
        self.restore_action.setEnabled(role is Role.ADMINISTRATOR)
        self.import_action.setEnabled(staff)
        self.add_trainee_action.setEnabled(staff)
        self.export_action.setEnabled(staff)

    def _set_actor(self, actor: Actor) -> None:
        self.actor = actor
        context = TabContext(self.database, actor)
        for _title, tab in self.all_tabs:
            tab.set_context(context)
        self._apply_role()

    def _show_database(self) -> None:
        self.database_label.setText(f"Database: {self.database.display_name}")
        self.setWindowTitle(f"APDesk — {self.database.display_name}")

    # -- cross-tab wiring ---------------------------------------------------------------
    def broadcast(self, kind: str) -> None:
        """One tab changed something: every tab that shows it reloads (now or when shown)."""
        for _title, tab in self.all_tabs:
            tab.on_data_changed(kind)

    def refresh(self) -> None:
        self.broadcast(Changed.EVERYTHING)

    # -- is the database sound? -------------------------------------------------------------
    def check_database_in_background(self, then: Callable[[], object] | None = None) -> None:
        """SQLite's quick check reads every page (seconds on a large file), so it runs while
        the window is already in use; damage found is explained and the latest good backup
        offered, as when opening. ``then`` runs once the database has passed."""
        database = self._checked_database = self.database
        self._after_page_check = then
        self._page_check.start(lambda: find_damage(database))

    @property
    def checking_database(self) -> bool:
        return self._page_check.busy

    def _database_checked(self, damage: DatabaseDamagedError | None) -> None:
        if self._checked_database is not self.database:
            return  # another database was opened meanwhile (and checked as it opened)
        if damage is not None and not self._recover_from(damage):
            return
        self._run_after_page_check()

    def _page_check_failed(self, error: BaseException) -> None:
        """A bug in the check itself (damage is reported as problems, not raised)."""
        sys.excepthook(type(error), error, error.__traceback__)
        self._run_after_page_check()

    def _run_after_page_check(self) -> None:
        then, self._after_page_check = self._after_page_check, None
        if then is not None:
            then()

    def _recover_from(self, damage: DatabaseDamagedError) -> bool:
        """Offer the damaged database's latest good backup; False when the window closed."""
        join_background_loads()  # the tabs' loads hold the damaged file open: let them end
        self.database.close()  # as File → Restore does: nothing here holds the old pages
        opened = recover_damaged_database(self, damage)
        if opened is not None and self._work_on(opened):  # it closes what nobody signed in to
            return True
        # Backing up a damaged file on closing could push a good backup out of the set.
        self.automatic_backups = False
        self.close()
        return False

    # -- first start ----------------------------------------------------------------------
    def offer_first_steps(self) -> None:
        """An empty database is offered the demo programme (or an import) so it is never blank.

        Only an administrator sets a database up, so only they are asked.
        """
        if self.actor.role is not Role.ADMINISTRATOR or count_trainees(self.database):
            return
        choice = messages.choose(
            self,
            "An empty database",
            f"{self.database.display_name} holds no trainees yet.\n\nLoad a demo programme "
            "(60 fictional apprentices across the northern ICS areas) to explore APDesk, or "
            "import your trainees from a spreadsheet?",
            ["Load demo programme", "Import trainees…", "Start empty"],
        )
        if choice == 0:
            self.load_demo()
        elif choice == 1:
            self.import_trainees()

    def load_demo(self) -> None:
        try:
            run_in_background(
                self,
                "Demo programme",
                "Creating 60 apprentices with a year of registers and sign-offs…",
                lambda progress: load_demo_programme(self.database, self.actor, progress=progress),
            )
        except OperationCancelled:
            return
        except ActionRefusedError as error:
            messages.show_refusal(self, "Loading the demo programme", error)
            return
        self.broadcast(Changed.EVERYTHING)

    def import_trainees(self) -> None:
        self.tabs.setCurrentWidget(self.trainees_tab)
        self.trainees_tab.import_trainees()

    def open_trainee(self, trainee_id: int) -> None:
        """Show one trainee in the Trainees tab (e.g. a dashboard row opened)."""
        self.tabs.setCurrentWidget(self.trainees_tab)  # a table out of date reloads as shown
        self.trainees_tab.open_trainee(trainee_id)  # now, or once its rows arrive

    def add_trainee(self) -> None:
        self.tabs.setCurrentWidget(self.trainees_tab)
        self.trainees_tab.add_trainee()

    # -- file menu ------------------------------------------------------------------------
    def choose_database_file(self) -> None:
        path = messages.ask_open_path(
            self, "Open an APDesk database", "APDesk databases (*.sqlite3 *.db);;All files (*)"
        )
        if path:
            self.switch_database(path)

    def choose_database_url(self) -> None:
        url = messages.ask_text(
            self,
            "Connect to a database server",
            "Database address, e.g. postgresql+psycopg://user@server/apdesk",
        )
        if url:
            self.switch_database(url)

    def switch_database(self, url: str) -> None:
        if not self._tabs_can_close():
            return
        try:
            opened = open_database(url)
        except (DatabaseUnavailableError, RuntimeError, ValueError) as error:
            messages.show_error(self, "APDesk cannot open that database", str(error))
            return
        self._work_on(opened)

    def _work_on(self, opened: OpenedDatabase) -> bool:
        """Switch to ``opened`` once someone signs in to it; False when nobody did."""
        actor = who_signs_in(self, opened.database)  # accounts belong to each database
        if actor is None:
            opened.database.close()
            return False
        previous, self.database = self.database, opened.database
        self._set_actor(actor)
        previous.close()
        self.settings.setValue(LAST_DATABASE_KEY, self.database.url)
        self._show_database()
        self.offer_first_steps()
        return True

    def restore_backup(self) -> None:
        if not self._tabs_can_close():
            return
        restored = restore_from_backup(self, self.database, self.actor)
        # The restored file has its own accounts: without a sign-in nobody may see it.
        if restored is not None and not self._work_on(restored):
            self.close()

    def back_up(self) -> None:
        suggested = str(Path.home() / f"apdesk-backup-{date.today():%Y-%m-%d}.sqlite3")
        path = messages.ask_save_path(self, "Back up the database", suggested, "SQLite (*.sqlite3)")
        if not path:
            return
        try:
            target = run_in_background(
                self,
                "Backup",
                "Copying the database…",
                lambda progress: backup_database(self.database, self.actor, Path(path), progress),
            )
        except OperationCancelled:
            return
        except ActionRefusedError as error:
            messages.show_refusal(self, "The backup", error)
            return
        messages.show_information(self, "Backup", f"The database was copied to\n{target}")

    def export(self) -> None:
        suggested = str(Path.home() / f"apdesk-trainees-{date.today():%Y-%m-%d}.xlsx")
        path = messages.ask_save_path(
            self, "Export trainees", suggested, "Excel workbook (*.xlsx);;CSV, UTF-8 (*.csv)"
        )
        if not path:
            return
        target = Path(path)
        try:
            count = run_in_background(
                self,
                "Export",
                "Working out every trainee's progress…",
                lambda _progress: export_trainees(
                    list_trainee_progress(self.database, self.actor), target
                ),
            )
        except OperationCancelled:
            return
        except (OSError, ValueError) as error:
            messages.show_refusal(self, "The export", error)
            return
        messages.show_information(self, "Export", f"{count} trainees exported to\n{target}")

    def export_portfolio(self) -> None:
        """The current tab's trainee; an apprentice's own record wherever they are."""
        tab = self.tabs.currentWidget()
        trainee_id = tab.current_trainee_id() if isinstance(tab, Tab) else None
        if trainee_id is None:
            trainee_id = self.trainees_tab.current_trainee_id()
        if trainee_id is None:
            messages.show_information(
                self,
                "Evidence portfolio",
                "Choose a trainee first: select them in the Trainees tab, then export.",
            )
            return
        try:
            trainee = trainee_progress(self.database, self.actor, trainee_id)
        except (ActionRefusedError, LookupError) as error:
            messages.show_refusal(self, "The portfolio export", error)
            return
        export_portfolio(
            self, TabContext(self.database, self.actor), trainee_id, trainee.name, trainee.uln
        )

    # -- account and tools -----------------------------------------------------------------
    def switch_user(self) -> None:
        """Shared PCs: the next person signs in without restarting APDesk."""
        if not self._tabs_can_close():
            return
        actor = SignInDialog.sign_in(self, self.database)
        if actor is not None:
            self._set_actor(actor)

    def change_password(self) -> None:
        if ChangePasswordDialog.change(self, self.database, self.actor):
            messages.show_information(self, "Password", "Your password has been changed.")

    def manage_accounts(self) -> None:
        if UserAccountsDialog.manage(self, self.database, self.actor):
            self.broadcast(Changed.EVERYTHING)  # mentor lists and names may have changed

    def export_subject_access(self) -> None:
        """Everything held on the current tab's trainee (data protection; administrators)."""
        tab = self.tabs.currentWidget()
        trainee_id = tab.current_trainee_id() if isinstance(tab, Tab) else None
        if trainee_id is None:
            trainee_id = self.trainees_tab.current_trainee_id()
        export_subject_access(self, TabContext(self.database, self.actor), trainee_id)

    def show_audit_trail(self) -> None:
        AuditTrailDialog.browse(self, self.database, self.actor)

    # -- edit and help ----------------------------------------------------------------------
    def find_trainee(self) -> None:
        self.tabs.setCurrentWidget(self.trainees_tab)
        self.trainees_tab.filter_edit.setFocus()
        self.trainees_tab.filter_edit.selectAll()

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir())))

    def show_where(self) -> None:
        messages.show_information(
            self,
            "Where is my data?",
            f"Database: {self.database.display_name}\nData folder: {data_dir()}\nLogs: {log_dir()}",
        )

    def show_about(self) -> None:
        messages.show_information(
            self,
            "About APDesk",
            f"APDesk {__version__}\nAssistant Practitioner apprenticeships: trainees, "
            "day release, supervised practice, Care Certificate and band progression.",
        )

    def _tabs_can_close(self) -> bool:
        """Every tab agrees to be left (none is holding unsaved work the person wants)."""
        return all(tab.can_close() for _title, tab in self.all_tabs)

    # -- window state -----------------------------------------------------------------------
    def restore_state(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        last = int(self.settings.value("main_window/tab", 0))
        if 0 <= last < self.tabs.count() and self.tabs.isTabVisible(last):
            self.tabs.setCurrentIndex(last)  # never a tab this person's role does not see

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._tabs_can_close():
            event.ignore()
            return
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/tab", self.tabs.currentIndex())
        if self.automatic_backups:
            back_up_automatically(self, self.database, "Closing APDesk")
        super().closeEvent(event)
