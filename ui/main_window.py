"""The main window: assembles the navigator, the case workspace and the inspector, and the actions.

It holds no case logic of its own: panels do their work, the window wires their signals, owns
lock/unlock, and routes every message through the ``MessageBridge``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

import rrmdesk
from rrmdesk import Case, RRMDeskError, SearchHit, Store, UnlockError
from rrmdesk.bundles.identity import PublicIdentity

from . import settings, tlp
from .actions import create_actions
from .bundles import BundleExchange, provenance_widgets
from .case.context import CaseContext
from .case.evidence import EvidenceTab
from .case.workspace import CaseWorkspace
from .correlation import ClustersDialog
from .exchange import Exchange
from .idle import IdleWatcher
from .inspector import Inspector
from .messages import MessageBridge
from .navigator import Navigator
from .new_case import NewCaseDialog
from .preferences import PreferencesDialog
from .session import Session
from .settings import Preferences
from .tasks import TaskRunner
from .undo import Editor
from .recover import RecoverDialog
from .screen import fit_to_screen
from .unlock import UnlockDialog

APP_NAME = "RRM Desk"
OPEN_FIRST_CASE_MS = 100


class LockedPage(QWidget):
    def __init__(self, *buttons: QPushButton) -> None:
        super().__init__()
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Workspace locked")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        for button in buttons:
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.set_reason("")

    def set_reason(self, reason: str) -> None:
        self.message.setText(f"<h2>The workspace is locked</h2><p>{reason}</p>"
                             "<p>Case content is hidden and the database is closed.</p>")


class MainWindow(QMainWindow):
    def __init__(self, session: Session, bridge: MessageBridge, preferences: Preferences,
                 unlock_at_start: bool = False) -> None:
        """``unlock_at_start`` begins unlocking (keyring or RRMDESK_PASSPHRASE) before the panels are
        built, so the key derivation runs on a worker while the window assembles itself."""
        super().__init__()
        self.session, self.bridge, self.preferences = session, bridge, preferences
        bridge.window = self
        self.tasks = TaskRunner(bridge, self)
        self._unlocking = False
        unlock_button = QPushButton("Unlock…")
        unlock_button.setAccessibleName("Unlock workspace")
        unlock_button.clicked.connect(lambda: self.unlock())
        recover_button = QPushButton("Use the recovery key…")
        recover_button.setAccessibleName("Recover with the recovery key")
        recover_button.setToolTip("For a lost keyring entry or a forgotten passphrase")
        recover_button.clicked.connect(lambda: self.show_recover())
        self.locked_page = LockedPage(unlock_button, recover_button)
        if unlock_at_start and (not session.needs_passphrase or session.automation_passphrase()):
            self.unlock(use_environment=True)
        self.undo_group = QUndoGroup(self)
        self.editor = Editor(session, bridge, self.undo_group)
        self.context = CaseContext(session, self.editor, bridge, self.tasks, preferences)
        self.unlock_dialog: UnlockDialog | None = None
        self.dialog: QWidget | None = None
        self.clusters: ClustersDialog | None = None
        self._reopen: str | None = None

        self.navigator = Navigator(session, bridge)
        self.workspace = CaseWorkspace(self.context)
        self.inspector = Inspector()
        self.splitter = QSplitter()
        self.splitter.addWidget(self.navigator)
        self.splitter.addWidget(self.workspace)
        self.splitter.addWidget(self.inspector)
        self.splitter.setStretchFactor(0, 1)  # a wider window widens the case list a little,
        self.splitter.setStretchFactor(1, 4)  # and the case most
        self.splitter.setChildrenCollapsible(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.locked_page)
        self.setCentralWidget(self.stack)

        self.exchange = Exchange(session, self.tasks, bridge, self,
                                 lambda: self.workspace.case.id if self.workspace.case else None)
        self.exchange.imported.connect(self._imported)
        self.exchange.changed.connect(self.refresh)
        self.bundles = BundleExchange(session, self.tasks, bridge, self, self.exchange.current_case)
        self.bundles.imported.connect(self._imported)
        self.inspector.provenance = lambda object_id: provenance_widgets(self.session.store, object_id)
        self.actions = create_actions(self)
        self.actions["undo"] = self.undo_group.createUndoAction(self, "&Undo")
        self.actions["undo"].setShortcuts(QKeySequence.StandardKey.Undo)
        self.actions["redo"] = self.undo_group.createRedoAction(self, "&Redo")
        self.actions["redo"].setShortcuts(QKeySequence.StandardKey.Redo)
        self._build_menus()
        self._build_status_bar()

        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock_after_idle)
        self.navigator.open_case.connect(self.open_case)
        self.navigator.open_hit.connect(self.open_hit)
        self.navigator.new_case.connect(self.new_case)
        self.workspace.case_changed.connect(self._case_changed)
        self.workspace.selected.connect(self.inspector.show_record)
        self.workspace.open_case.connect(self.open_case)
        self.bridge.status.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.session.unlocked.connect(self._unlocked)
        self._fit_to_screen()
        self._show_locked("Unlocking…" if self._unlocking else "")

    def _fit_to_screen(self) -> None:
        """1500×900 where there is room; on a smaller screen (a 1366×768 laptop), nine tenths of it."""
        width, _ = fit_to_screen(self, 1500, 900)
        navigator, inspector = width * 28 // 100, width * 18 // 100  # the case in the middle gets the rest
        self.splitter.setSizes([navigator, width - navigator - inspector, inspector])

    # -- assembly ----------------------------------------------------------------------

    def _build_menus(self) -> None:
        a = self.actions
        menus = (
            ("&Workspace", ("lock", "unlock", "recover", None, "import", "import_bundle", "partners", None, "clusters", None, "preferences",
                            None, "quit")),
            ("&Case", ("new_case", None, "export_stix", "export_misp", "export_bundle", "briefing")),
            ("&Edit", ("undo", "redo", None, "add_item", "remove_item", "add_evidence", "save_evidence", None,
                       "search", "refresh")),
            ("&Help", ("about",)),
        )
        for title, names in menus:
            menu = self.menuBar().addMenu(title)
            for name in names:
                if name is None:
                    menu.addSeparator()
                else:
                    menu.addAction(a[name])
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in ("new_case", "add_item", "undo", "redo", "add_evidence", None, "import", "export_bundle",
                     "briefing", None, "lock"):
            if name is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(a[name])

    def _build_status_bar(self) -> None:
        self.tlp_badge = tlp.TlpBadge()
        self.tlp_badge.setObjectName("statusTlp")
        self.analyst_label = QLabel()
        self.analyst_label.setAccessibleName("Analyst")
        self.statusBar().addPermanentWidget(self.analyst_label)
        self.statusBar().addPermanentWidget(self.tlp_badge)

    # -- lock and unlock -----------------------------------------------------------------

    def start(self) -> None:
        """At start-up: unlock with the keyring, RRMDESK_PASSPHRASE, or by asking."""
        self.unlock(use_environment=True)

    def unlock(self, use_environment: bool = False) -> None:
        if not self.session.is_locked or self._unlocking:
            return
        passphrase = self.session.automation_passphrase() if use_environment else None
        if self.session.needs_passphrase and passphrase is None:
            self.ask_passphrase()
            return
        self._unlocking = True
        self.locked_page.set_reason("Unlocking…")
        self.tasks.run("Unlocking", lambda _p: self.session.open_store(passphrase), self._adopt,
                       on_error=self._unlock_failed, quiet=True)

    def ask_passphrase(self, error: UnlockError | None = None) -> None:
        if self.unlock_dialog is not None and self.unlock_dialog.isVisible():
            return
        self.unlock_dialog = UnlockDialog(self.session, self.tasks, self.bridge, self)
        self.unlock_dialog.unlocked.connect(self._adopt)
        self.unlock_dialog.wants_recovery.connect(self.show_recover)
        if error is not None:
            self.unlock_dialog.show_error(error)
        self.unlock_dialog.open()

    def show_recover(self) -> None:
        """The recovery key dialog; once recovered, the workspace is unlocked with it."""
        if not self.session.is_locked:
            return
        if self.unlock_dialog is not None:
            self.unlock_dialog.close()
        dialog = RecoverDialog(self.session, self.tasks, self.bridge, self)
        dialog.recovered.connect(self._recovered)
        self.dialog = dialog
        dialog.open()

    def _recovered(self, identity: PublicIdentity | None, store: Store) -> None:
        self._adopt(store)
        back = f" The ministry identity is back: {identity.fingerprint_line}" if identity is not None else ""
        self.bridge.note(f"Recovered: the workspace unlocks by {self.session.workspace.method} again.{back}")

    def _adopt(self, store: Store) -> None:
        self._unlocking = False
        if self.session.is_locked:
            self.session.adopt(store)
        else:
            store.close()

    def _unlock_failed(self, exc: BaseException) -> None:
        self._unlocking = False
        self.locked_page.set_reason(exc.message if isinstance(exc, RRMDeskError) else "")
        if isinstance(exc, UnlockError) and self.session.needs_passphrase:
            self.ask_passphrase(exc)
        else:
            self.bridge.error(exc)

    def _unlocked(self) -> None:
        self.stack.setCurrentWidget(self.splitter)
        self.actions["lock"].setEnabled(True)
        self.actions["unlock"].setEnabled(False)
        self.actions["recover"].setEnabled(False)
        self._set_content_actions(True)
        self.navigator.apply_filter()
        if self._reopen:
            try:
                self.workspace.open(self._reopen)
            except RRMDeskError:
                pass  # the case is gone (another window archived it away): start from the list
            self._reopen = None
        else:
            # a moment later, so the list paints first (widget repaints queue behind zero timers)
            QTimer.singleShot(OPEN_FIRST_CASE_MS, self.navigator, self.navigator.select_first)
        self.idle.set_minutes(self.preferences.get(settings.IDLE_LOCK_MINUTES))
        self._show_profile()
        self.bridge.note(f"Unlocked {self.session.workspace.path}")

    def lock_now(self, reason: str = "Locked on request.") -> None:
        """Close the store and hide every piece of case content."""
        if self.session.is_locked:
            return
        self.tasks.cancel_all()
        self._reopen = self.workspace.case.id if self.workspace.case else None
        self.workspace.close_case()
        self.navigator.clear()
        self.inspector.show_record(None)
        self.editor.clear()
        if self.dialog is not None:
            self.dialog.close()
        self.session.lock()
        self._show_locked(reason)

    def lock_after_idle(self) -> None:
        if self.session.is_locked:
            return
        minutes = self.preferences.get(settings.IDLE_LOCK_MINUTES)
        self.lock_now(f"Locked after {minutes} idle minute{'s' if minutes != 1 else ''}.")
        if self.session.needs_passphrase:
            self.ask_passphrase()

    def _show_locked(self, reason: str) -> None:
        self.locked_page.set_reason(reason)
        self.stack.setCurrentWidget(self.locked_page)
        self.actions["lock"].setEnabled(False)
        self.actions["unlock"].setEnabled(True)
        self.actions["recover"].setEnabled(True)
        self._set_content_actions(False)
        self.tlp_badge.set_tlp(None)
        self.statusBar().showMessage("Locked")
        self.setWindowTitle(f"{APP_NAME} — locked")

    def _set_content_actions(self, enabled: bool) -> None:
        for name in ("new_case", "add_item", "remove_item", "add_evidence", "save_evidence", "search", "refresh",
                     "import", "export_stix", "export_misp", "briefing", "clusters", "import_bundle", "export_bundle",
                     "partners"):
            self.actions[name].setEnabled(enabled)

    # -- cases -------------------------------------------------------------------------------

    def open_case(self, case_id: str) -> None:
        if self.workspace.case is not None and self.workspace.case.id == case_id:
            return
        try:
            self.workspace.open(case_id)
        except RRMDeskError as exc:
            self.bridge.error(exc)
            return
        self.navigator.follow(case_id)

    def open_hit(self, hit: SearchHit) -> None:
        """Open the case of a search hit and select the object that matched."""
        self.open_case(hit.case_id)
        if hit.object_id != hit.case_id and not self.workspace.select(hit.object_id):
            self.bridge.note("That object is no longer in the case.")
        elif hit.object_id == hit.case_id:
            self.workspace.tabs.setCurrentIndex(0)

    def _case_changed(self, case: Case | None) -> None:
        self.inspector.names = self.workspace.object_names if case else {}
        self.inspector.show_record(case)
        self.tlp_badge.set_tlp(case.tlp if case else None)
        if case is None:
            self.setWindowTitle(f"{APP_NAME} — {self.session.workspace.path.name}")
        else:
            self.setWindowTitle(f"{APP_NAME} — [{tlp.label(case.tlp)}] {case.title}")

    def _imported(self, case_id: str) -> None:
        self.navigator.apply_filter()
        self.workspace.open(case_id)

    def new_case(self) -> None:
        dialog = NewCaseDialog(self.preferences.get(settings.DEFAULT_TLP), self)
        dialog.accepted.connect(lambda: self._create_case(dialog))
        self.dialog = dialog
        dialog.open()

    def _create_case(self, dialog: NewCaseDialog) -> None:
        try:
            case = self.session.add(dialog.case(self.session.store.analyst))
        except RRMDeskError as exc:
            self.bridge.error(exc)
            return
        self.navigator.apply_filter()
        self.workspace.open(case.id)
        self.workspace.tabs.setCurrentIndex(0)
        self.bridge.note(f"Created case “{case.title}”")

    # -- edit actions ----------------------------------------------------------------------

    def add_item(self) -> None:
        if self.workspace.case is not None:
            self.workspace.current_tab().add()

    def remove_item(self) -> None:
        if self.workspace.case is not None:
            self.workspace.current_tab().remove()

    def _evidence_tab(self) -> EvidenceTab | None:
        if self.workspace.case is None:
            self.bridge.note("Open a case first.")
            return None
        tab = self.workspace.tab("Evidence")
        self.workspace.tabs.setCurrentWidget(tab)
        return tab  # type: ignore[return-value]

    def add_evidence(self) -> None:
        tab = self._evidence_tab()
        if tab is not None:
            tab.add()

    def save_evidence(self) -> None:
        tab = self._evidence_tab()
        if tab is not None:
            tab.save_current()

    def focus_search(self) -> None:
        self.navigator.search.setFocus()
        self.navigator.search.selectAll()

    def refresh(self) -> None:
        if self.session.is_locked:
            return
        self.navigator.apply_filter()
        if self.workspace.case is not None:
            self.workspace.open(self.workspace.case.id)

    # -- dialogs --------------------------------------------------------------------------

    def show_preferences(self) -> None:
        workspace = self.session.workspace
        dialog = PreferencesDialog(self.preferences, workspace.analyst, workspace.config.get("ministry", ""), self)
        language = self.preferences.get(settings.CHART_LANGUAGE)
        dialog.accepted.connect(lambda: self._preferences_changed(language))
        self.dialog = dialog
        dialog.open()

    def _preferences_changed(self, chart_language_before: str) -> None:
        try:
            self.session.set_profile(self.preferences.get(settings.ANALYST), self.preferences.get(settings.MINISTRY))
        except RRMDeskError as exc:
            self.bridge.error(exc)
        if not self.session.is_locked:
            self.idle.set_minutes(self.preferences.get(settings.IDLE_LOCK_MINUTES))
            if self.workspace.case is not None and self.preferences.get(settings.CHART_LANGUAGE) != chart_language_before:
                self.workspace.open(self.workspace.case.id)  # its charts are drawn again, in the new language
        self._show_profile()

    def _show_profile(self) -> None:
        workspace = self.session.workspace
        ministry = workspace.config.get("ministry", "")
        self.analyst_label.setText(f"{workspace.analyst}" + (f" · {ministry}" if ministry else ""))

    def show_clusters(self) -> None:
        """The workspace's clusters of related cases, beside the window: activating a case opens it here."""
        if self.session.is_locked:
            return
        if self.clusters is None:
            self.clusters = ClustersDialog(self.session.store, self.tasks, self)
            self.clusters.view.caseActivated.connect(self.open_case)
            self.session.locked.connect(self.clusters.close)  # case titles leave the screen with the key
        self.clusters.show_workspace(self.session.store)

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, f"About {APP_NAME}",
                          f"<h3>{APP_NAME} {rrmdesk.__version__}</h3>"
                          "<p>Offline, encrypted case management for analysts of the G7 Rapid Response "
                          "Mechanism tracking foreign interference in democratic processes.</p>"
                          "<p>Techniques from the DISARM framework (CC BY-SA 4.0). "
                          "Nothing leaves this computer: RRM Desk never uses the network.</p>",
                          QMessageBox.StandardButton.Ok, self)
        self.dialog = box
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.tasks.cancel_all()
        self.idle.stop()
        self.session.lock()
        event.accept()
