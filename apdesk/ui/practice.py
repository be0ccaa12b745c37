"""The Supervised practice tab: a mentor picks the apprentice they observed (only their own
apprentices are listed), finds the competency and records a sign-off with their password; a
mistake is corrected by revoking it with a reason. Everyone else reads: an apprentice their
own framework, staff anyone's; the sign-off controls exist only for mentors.

Sign-offs are append-only, so the side panel always shows the full history of the selected
competency, revocations included, and what the tree shows is read back from that history.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from apdesk.domain.calendar import format_day
from apdesk.domain.enums import KsbKind, Role
from apdesk.services.choices import trainee_choices
from apdesk.services.errors import ActionRefusedError, RecordNotFoundError
from apdesk.services.signatures import SignerDetails, signer_details
from apdesk.services.supervised_practice import (
    CompetencyView,
    FrameworkView,
    GroupView,
    SignoffEntry,
    competency_history,
    competency_tree,
    revoke_competency_signoff,
    sign_off_competency,
)
from apdesk.ui import messages
from apdesk.ui.dialogs.competency_signoff import (
    CompetencySignoffDialog,
    RevocationRequest,
    RevokeSignoffDialog,
    SignoffRequest,
)
from apdesk.ui.dialogs.signing import ask_until_saved
from apdesk.ui.models.competencies import (
    COMPETENCY_ID_ROLE,
    ROW_ROLE,
    STATUS_FOREGROUND,
    STATUS_SYMBOL,
    WIDTHS,
    CompetencyTreeModel,
)
from apdesk.ui.tab import Changed, Tab, TabContext
from apdesk.ui.widgets.item_views import fill_trainee_picker
from apdesk.ui.widgets.trainee_picker import PickerItems, TraineePicker, picker_items

CLOSED_STYLE = "background: #fff1d6; color: #5c3300; padding: 4px 8px;"
REVOKED_COLOUR = "#6b6b6b"
REVOCATION_COLOUR = "#b00020"


def _local_time(moment: datetime) -> str:
    local = moment.astimezone()  # stored in UTC, shown in the PC's time zone
    return f"{format_day(local.date())} {local:%H:%M}"


def _signer(entry: SignoffEntry) -> str:
    registration = f", {entry.signer_registration}" if entry.signer_registration else ""
    return f"{entry.signer_name} ({entry.signer_role}{registration})"


def history_html(entries: list[SignoffEntry]) -> str:
    """The history, oldest first; revoked records struck through and labelled, not hidden."""
    if not entries:
        return "<p><i>Nothing recorded yet.</i></p>"
    parts = []
    for entry in entries:
        signed = f"Signed by {escape(_signer(entry))} on {_local_time(entry.signed_at)}"
        if entry.is_revocation:
            parts.append(
                f'<p style="color:{REVOCATION_COLOUR}"><b>Record {entry.signoff_id}: '
                f"REVOCATION of record {entry.revokes_id}</b><br>"
                f"Reason: {escape(entry.revocation_reason or '')}<br>"
                f"“{escape(entry.meaning)}”. {signed}</p>"
            )
            continue
        heading = (
            f"Record {entry.signoff_id}: observed {format_day(entry.observed_on)}"
            f" — “{escape(entry.meaning)}”"
        )
        details = [
            f"Setting: {escape(entry.setting) or '–'}",
            f"Evidence: {escape(entry.evidence) or '–'}",
            signed,
        ]
        if entry.revoked_by_id is not None:
            parts.append(
                f'<p style="color:{REVOKED_COLOUR}"><b>REVOKED by record {entry.revoked_by_id}'
                f"</b><br><s>{heading}</s><br>" + "<br>".join(details) + "</p>"
            )
        else:
            parts.append(f"<p><b>{heading}</b><br>" + "<br>".join(details) + "</p>")
    return "".join(parts)


def competency_html(competency: CompetencyView) -> str:
    status = competency.status
    colour = STATUS_FOREGROUND[status].name()
    last = ""
    if competency.last_signoff is not None:
        signoff = competency.last_signoff
        registration = f" ({signoff.signer_registration})" if signoff.signer_registration else ""
        last = (
            f"<br>Latest standing assessment: observed {format_day(signoff.observed_on)}, "
            f"{escape(signoff.signer_name)}{escape(registration)}"
        )
    kinds = {KsbKind.KNOWLEDGE: "knowledge", KsbKind.SKILL: "skill", KsbKind.BEHAVIOUR: "behaviour"}
    ksbs = "".join(
        f"<li><b>{escape(ksb.code)}</b> ({kinds[ksb.kind]}): {escape(ksb.text)}</li>"
        for ksb in competency.ksbs
    )
    return (
        f"<h3>{escape(competency.code)} {escape(competency.title)}</h3>"
        f'<p><b style="color:{colour}">{STATUS_SYMBOL[status]} {status.value}</b>{last}</p>'
        f"<p>{escape(competency.description)}</p>"
        f"<p><b>KSBs (ST0215)</b></p><ul>{ksbs or '<li>None mapped</li>'}</ul>"
    )


def group_html(group: GroupView) -> str:
    return (
        f"<h3>{escape(group.code)} {escape(group.title)}</h3>"
        f"<p>{group.signed} of {group.total} competencies signed off. "
        "Choose a competency to see its description, KSBs and history.</p>"
    )


class SupervisedPracticeTab(Tab):
    shows = frozenset({Changed.SIGNOFFS, Changed.TRAINEES})

    def __init__(self, context: TabContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.framework: FrameworkView | None = None
        self.history: list[SignoffEntry] = []
        self._announcing = False
        self.model = CompetencyTreeModel()
        self.setup_ui()

    def setup_ui(self) -> None:
        self.picker = TraineePicker()
        self.picker.trainee_changed.connect(self._trainee_chosen)
        picker_label = QLabel("Tra&inee:")
        picker_label.setBuddy(self.picker)
        self.summary_label = QLabel("Choose a trainee to see their competencies")
        self.summary_label.setAccessibleName("Progress")
        font = self.summary_label.font()
        font.setBold(True)
        self.summary_label.setFont(font)
        self.closed_label = QLabel()
        self.closed_label.setStyleSheet(CLOSED_STYLE)
        self.closed_label.hide()

        self.sign_button = QPushButton("&Sign off…")
        self.sign_button.setAccessibleName("Sign off the selected competency")
        self.sign_button.setToolTip("Record what you observed (Ctrl+Return)")
        self.sign_button.clicked.connect(self.sign_off)
        self.revoke_button = QPushButton("Re&voke…")
        self.revoke_button.setAccessibleName("Revoke the standing sign-off")
        self.revoke_button.setToolTip("Withdraw the standing sign-off, giving a reason")
        self.revoke_button.clicked.connect(self.revoke)
        self.sign_shortcuts: list[QShortcut] = []
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.sign_off)
            self.sign_shortcuts.append(shortcut)

        top = QHBoxLayout()
        top.addWidget(picker_label)
        top.addWidget(self.picker, 2)
        top.addStretch(1)
        top.addWidget(self.sign_button)
        top.addWidget(self.revoke_button)
        # The summary gets its own line so the tab still fits a small (800 px) screen.
        summary = QHBoxLayout()
        summary.addWidget(self.summary_label)
        summary.addWidget(self.closed_label)
        summary.addStretch(1)

        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Competencies")
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setWordWrap(False)
        self.tree.setSelectionBehavior(QTreeView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QTreeView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate(WIDTHS):
            header.resizeSection(column, width)
        self.tree.selectionModel().currentRowChanged.connect(self._show_current)
        tree_label = QLabel("Compete&ncy framework")
        tree_label.setBuddy(self.tree)

        self.details_view = QTextBrowser()
        self.details_view.setAccessibleName("Competency details")
        self.details_view.setOpenLinks(False)
        details_label = QLabel("Detai&ls")
        details_label.setBuddy(self.details_view)
        self.history_view = QTextBrowser()
        self.history_view.setAccessibleName("Sign-off history")
        self.history_view.setOpenLinks(False)
        history_label = QLabel("Histor&y, oldest first")
        history_label.setBuddy(self.history_view)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(tree_label)
        left_layout.addWidget(self.tree)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(details_label)
        right_layout.addWidget(self.details_view, 2)
        right_layout.addWidget(history_label)
        right_layout.addWidget(self.history_view, 3)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(summary)
        layout.addWidget(splitter, 1)

        self.setTabOrder(self.picker, self.sign_button)
        self.setTabOrder(self.sign_button, self.revoke_button)
        self.setTabOrder(self.revoke_button, self.tree)
        self.setTabOrder(self.tree, self.details_view)
        self.setTabOrder(self.details_view, self.history_view)
        self._apply_role()
        self._show_current()

    # -- who is signed in --------------------------------------------------------------------
    @property
    def signs(self) -> bool:
        """Mentors sign; everyone else only reads (the services refuse them regardless)."""
        return self.context.actor.role is Role.MENTOR

    def _apply_role(self) -> None:
        for button in (self.sign_button, self.revoke_button):
            button.setVisible(self.signs)
        for shortcut in self.sign_shortcuts:
            shortcut.setEnabled(self.signs)

    def set_context(self, context: TabContext) -> None:
        """Someone else signed in: their controls, their trainees."""
        self.framework = None  # the last person's trainee may be hidden from the next
        self.model.set_framework(None)
        super().set_context(context)
        self._apply_role()
        self._show_current()

    # -- loading -----------------------------------------------------------------------------
    def current_trainee_id(self) -> int | None:
        return self.picker.trainee_id()

    def reload(self) -> None:
        database, actor = self.database, self.context.actor
        self.load_in_background(
            lambda: picker_items(trainee_choices(database, actor)),
            self._choices_arrived,
            notice="Loading trainees…",
        )

    def _choices_arrived(self, items: PickerItems) -> None:
        fill_trainee_picker(self.picker, items, self.context.actor)
        self._load_framework(self.current_competency_id())

    def on_data_changed(self, kind: str) -> None:
        if not self._announcing:  # this tab already shows what it just saved
            super().on_data_changed(kind)

    def _trainee_chosen(self, _trainee_id: int) -> None:
        self._load_framework(None)

    def _load_framework(self, keep_competency_id: int | None) -> None:
        trainee_id = self.picker.trainee_id()
        try:
            self.framework = (
                competency_tree(self.database, self.context.actor, trainee_id)
                if trainee_id is not None
                else None
            )
        except (RecordNotFoundError, ActionRefusedError):  # gone, or no longer theirs to see
            self.framework = None
        self.model.set_framework(self.framework)
        self.tree.expandAll()
        framework = self.framework
        if framework is None:
            self.summary_label.setText("Choose a trainee to see their competencies")
            self.closed_label.hide()
        else:
            self.summary_label.setText(framework.summary)
            self.closed_label.setText(framework.signing_closed or "")
            self.closed_label.setVisible(framework.signing_closed is not None)
        index = QModelIndex()
        if keep_competency_id is not None:
            index = self.model.competency_index(keep_competency_id)
        if not index.isValid() and self.model.rowCount() > 0:
            index = self.model.index(0, 0, self.model.index(0, 0))
        if index.isValid():
            self.tree.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.tree.scrollTo(index)
        self._show_current()

    def current_competency(self) -> CompetencyView | None:
        row = self.tree.currentIndex().siblingAtColumn(0).data(ROW_ROLE)
        return row if isinstance(row, CompetencyView) else None

    def current_competency_id(self) -> int | None:
        value = self.tree.currentIndex().siblingAtColumn(0).data(COMPETENCY_ID_ROLE)
        return int(value) if value is not None else None

    def _show_current(self, *_: object) -> None:
        competency = self.current_competency()
        framework = self.framework
        if competency is not None and framework is not None:
            self.history = competency_history(
                self.database, self.context.actor, framework.trainee_id, competency.competency_id
            )
            self.details_view.setHtml(competency_html(competency))
            self.history_view.setHtml(history_html(self.history))
        else:
            self.history = []
            group = self.tree.currentIndex().siblingAtColumn(0).data(ROW_ROLE)
            self.details_view.setHtml(group_html(group) if isinstance(group, GroupView) else "")
            self.history_view.clear()
        closed = framework.signing_closed if framework is not None else None
        self.sign_button.setEnabled(competency is not None and closed is None)
        self.sign_button.setToolTip(closed or "Record what you observed (Ctrl+Return)")
        self.revoke_button.setEnabled(
            competency is not None and competency.last_signoff is not None
        )

    # -- actions -----------------------------------------------------------------------------
    def _signer(self) -> SignerDetails | None:
        """How the signed-in mentor's signature will read, or None (said) if it cannot."""
        try:
            return signer_details(self.database, self.context.actor)
        except ActionRefusedError as error:
            messages.show_refusal(self, "Sign-off", error)
            return None

    def _may_sign_now(self) -> bool:
        """A mentor, and no signing dialog already open (its keys must not open another)."""
        return self.signs and QApplication.activeModalWidget() is None

    def sign_off(self) -> None:
        competency, framework = self.current_competency(), self.framework
        if competency is None or framework is None or not self._may_sign_now():
            return
        if not self.sign_button.isEnabled():
            return
        signer = self._signer()
        if signer is None:
            return

        def ask(initial: SignoffRequest | None, refusal: str | None) -> SignoffRequest | None:
            return CompetencySignoffDialog.ask(
                self,
                trainee_name=framework.trainee_name,
                competency=competency,
                signer=signer,
                earliest=framework.start_date,
                today=date.today(),
                initial=initial,
                refusal=refusal,
            )

        def save(values: SignoffRequest) -> SignoffEntry:
            return sign_off_competency(
                self.database,
                self.context.actor,
                trainee_id=framework.trainee_id,
                competency_id=competency.competency_id,
                password=values.password,
                outcome=values.outcome,
                observed_on=values.observed_on,
                setting=values.setting,
                evidence=values.evidence,
            )

        saved, refused = ask_until_saved(self, "Sign-off", ask, save)
        self._after(competency.competency_id, saved, refused)

    def revoke(self) -> None:
        competency, framework = self.current_competency(), self.framework
        if competency is None or framework is None or competency.last_signoff is None:
            return
        if not self._may_sign_now():
            return
        signer = self._signer()
        if signer is None:
            return
        signoff = competency.last_signoff

        def ask(initial: RevocationRequest | None, refusal: str | None) -> RevocationRequest | None:
            return RevokeSignoffDialog.ask(
                self,
                trainee_name=framework.trainee_name,
                competency=competency,
                signoff=signoff,
                signer=signer,
                initial=initial,
                refusal=refusal,
            )

        def save(values: RevocationRequest) -> SignoffEntry:
            return revoke_competency_signoff(
                self.database,
                self.context.actor,
                signoff_id=signoff.signoff_id,
                password=values.password,
                reason=values.reason,
            )

        saved, refused = ask_until_saved(self, "Revocation", ask, save)
        self._after(competency.competency_id, saved, refused)

    def _after(self, competency_id: int, saved: SignoffEntry | None, refused: bool) -> None:
        if saved is None:  # cancelled
            if refused:  # the refusal may have been news from another PC: show it
                self._load_framework(competency_id)
            return
        self._load_framework(competency_id)
        self._announcing = True
        try:
            self.announce(Changed.SIGNOFFS)
        finally:
            self._announcing = False
