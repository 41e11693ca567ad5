"""The window's actions, each made by a small decorated factory (Picard's ``actions.py``).

A factory takes the main window and returns a ``QAction`` wired to one of its slots. The
factories are collected in a module-level table of *functions*; the live actions belong to the
window that made them (no global object registry). Actions for features still being built are
in the menus already, disabled, with a tooltip saying what brings them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from .main_window import MainWindow

ActionFactory = Callable[["MainWindow"], QAction]
_FACTORIES: dict[str, ActionFactory] = {}


def action(name: str) -> Callable[[ActionFactory], ActionFactory]:
    def register(factory: ActionFactory) -> ActionFactory:
        _FACTORIES[name] = factory
        return factory

    return register


def _make(window: "MainWindow", text: str, slot: Callable[[], object] | None, shortcut: QKeySequence | str | None = None,
          tip: str = "") -> QAction:
    made = QAction(text, window)
    if shortcut is not None:
        made.setShortcut(QKeySequence(shortcut))
    made.setToolTip(tip or text.replace("&", "").rstrip("…"))
    made.setStatusTip(made.toolTip())
    if slot is not None:
        made.triggered.connect(slot)
    return made


@action("new_case")
def _new_case(window: "MainWindow") -> QAction:
    return _make(window, "&New case…", window.new_case, QKeySequence.StandardKey.New, "Create a case")


@action("add_item")
def _add_item(window: "MainWindow") -> QAction:
    return _make(window, "&Add to this tab", window.add_item, "Insert", "Add an actor, event, file… to the current tab")


@action("remove_item")
def _remove_item(window: "MainWindow") -> QAction:
    return _make(window, "&Remove selected", window.remove_item, "Ctrl+Delete", "Remove the selected object (Undo brings it back)")


@action("add_evidence")
def _add_evidence(window: "MainWindow") -> QAction:
    return _make(window, "Add &evidence files…", window.add_evidence, "Ctrl+E", "Hash and store evidence files in the case")


@action("save_evidence")
def _save_evidence(window: "MainWindow") -> QAction:
    return _make(window, "&Save evidence copy…", window.save_evidence, "Ctrl+Shift+S", "Write the selected evidence file out")


@action("search")
def _search(window: "MainWindow") -> QAction:
    return _make(window, "&Find…", window.focus_search, QKeySequence.StandardKey.Find, "Search all cases")


@action("refresh")
def _refresh(window: "MainWindow") -> QAction:
    return _make(window, "Re&load", window.refresh, QKeySequence.StandardKey.Refresh, "Reload the case list and the open case")


@action("lock")
def _lock(window: "MainWindow") -> QAction:
    return _make(window, "&Lock now", window.lock_now, "Ctrl+L", "Close the database and hide all case content")


@action("unlock")
def _unlock(window: "MainWindow") -> QAction:
    return _make(window, "&Unlock…", window.unlock, None, "Unlock the workspace")


@action("recover")
def _recover(window: "MainWindow") -> QAction:
    return _make(window, "&Recover with the recovery key…", window.show_recover, None,
                 "For a lost keyring entry or a forgotten passphrase")


@action("preferences")
def _preferences(window: "MainWindow") -> QAction:
    return _make(window, "&Preferences…", window.show_preferences, "Ctrl+,")


@action("about")
def _about(window: "MainWindow") -> QAction:
    return _make(window, "&About RRM Desk", window.show_about)


@action("quit")
def _quit(window: "MainWindow") -> QAction:
    return _make(window, "&Quit", window.close, "Ctrl+Q")


@action("import")
def _import(window: "MainWindow") -> QAction:
    return _make(window, "&Import…", window.exchange.import_file, "Ctrl+I",
                 "Import a STIX 2.1 bundle, a MISP event or a CSV file")


@action("export_stix")
def _export_stix(window: "MainWindow") -> QAction:
    return _make(window, "Export &STIX…", window.exchange.export_stix, None, "Save the open case as a STIX 2.1 bundle")


@action("export_misp")
def _export_misp(window: "MainWindow") -> QAction:
    return _make(window, "Export &MISP…", window.exchange.export_misp, None, "Save the open case as a MISP event")


@action("briefing")
def _briefing(window: "MainWindow") -> QAction:
    return _make(window, "&Briefing…", window.exchange.briefing, "Ctrl+B", "Choose what goes into a briefing and save it as .docx")


@action("clusters")
def _clusters(window: "MainWindow") -> QAction:
    return _make(window, "&Clusters of related cases…", window.show_clusters, "Ctrl+Shift+R",
                 "Group the workspace's cases that share accounts, domains, actors or techniques")


@action("export_bundle")
def _export_bundle(window: "MainWindow") -> QAction:
    return _make(window, "Export signed &bundle…", window.bundles.export_bundle, None,
                 "Send cases to partner ministries as a signed bundle")


@action("import_bundle")
def _import_bundle(window: "MainWindow") -> QAction:
    return _make(window, "Import si&gned bundle…", window.bundles.import_bundle, None,
                 "Verify a partner's signed bundle, then merge it")


@action("partners")
def _partners(window: "MainWindow") -> QAction:
    return _make(window, "&Partners…", window.bundles.show_partners, None,
                 "Partner ministries: keys, fingerprints, trust, revoke")


def create_actions(window: "MainWindow") -> dict[str, QAction]:
    return {name: factory(window) for name, factory in _FACTORIES.items()}
