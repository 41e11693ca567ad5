"""The case's exchanges from the desktop: the Import and Briefing dialogs, STIX/MISP export.

Each reads or writes only the file the analyst picked; exports are built in memory first, so a
failed export leaves no partial file, and each export is recorded in the audit trail as the
CLI records it. Signed bundles have their own dialogs in ``ui.bundles``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from rrmdesk import Progress, Store, UsageError

from .interop import ImportDialog, run_import_dialog
from .messages import MessageBridge
from .session import Session
from .tasks import TaskRunner


def _write(destination: Path, data: bytes) -> None:
    try:
        destination.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {destination}: {exc.strerror or exc}", "choose another folder") from exc


class Exchange(QObject):
    """The File-menu exchanges of the open case; ``imported`` gives the case an import filled."""

    imported = Signal(str)
    #: the workspace gained cases or records (an import the analyst has not opened yet)
    changed = Signal()

    def __init__(self, session: Session, tasks: TaskRunner, bridge: MessageBridge, window: QWidget,
                 current_case: Callable[[], str | None]) -> None:
        super().__init__(window)
        self.session, self.tasks, self.bridge, self.window = session, tasks, bridge, window
        self.current_case = current_case

    def _case(self) -> str | None:
        case_id = self.current_case()
        if case_id is None:
            self.bridge.note("Open a case first.")
        return case_id

    # -- import ------------------------------------------------------------------------------

    def import_file(self) -> None:
        self.import_path(None)

    def import_path(self, path: Path | None) -> ImportDialog:
        """The Import dialog: format detected, CSV mapping with a live preview, then the full report."""
        dialog = run_import_dialog(self.window, self.session, self.tasks, self.bridge, path, self.current_case())
        dialog.imported.connect(lambda _case_id: self.changed.emit())
        dialog.open_case.connect(self.imported)
        return dialog

    # -- exports -----------------------------------------------------------------------------

    def export_stix(self) -> None:
        self._export("STIX 2.1 bundle", "json", self.export_stix_to)

    def export_misp(self) -> None:
        self._export("MISP event", "json", self.export_misp_to)

    def briefing(self) -> None:
        """The Briefing dialog: cases, language, marking, sections and a live outline, then save."""
        from .briefing import run_briefing_dialog

        run_briefing_dialog(self.window, self.session, self.tasks, self.bridge, self.current_case())

    def _export(self, what: str, suffix: str, write: Callable[[str, Path], None]) -> None:
        case_id = self._case()
        if case_id is None:
            return
        path, _ = QFileDialog.getSaveFileName(self.window, f"Save the {what}", f"case.{suffix}",
                                              f"{what} (*.{suffix})")
        if path:
            write(case_id, Path(path))

    def export_stix_to(self, case_id: str, destination: Path) -> None:
        from rrmdesk.interop.stix_export import export_case

        ministry = str(self.session.workspace.config.get("ministry", ""))

        def work(store: Store, progress: Progress) -> int:
            bundle = export_case(store, case_id, ministry=ministry, progress=progress)
            _write(destination, json.dumps(bundle, ensure_ascii=False, indent=1).encode("utf-8"))
            store.record_event("export", case_id, {"format": "stix", "objects": len(bundle["objects"])})
            return len(bundle["objects"])

        self.tasks.run("Exporting STIX 2.1", work, lambda n: self.bridge.note(f"Wrote {n} STIX objects to {destination}"),
                       store=self.session.store)

    def export_misp_to(self, case_id: str, destination: Path) -> None:
        from rrmdesk.interop.misp import export_misp

        def work(store: Store, progress: Progress) -> int:
            event = export_misp(store, case_id, progress=progress)
            _write(destination, json.dumps(event, ensure_ascii=False, indent=1).encode("utf-8"))
            count = len(event["Event"]["Attribute"]) + len(event["Event"]["Object"])
            store.record_event("export", case_id, {"format": "misp", "objects": count})
            return count

        self.tasks.run("Exporting MISP", work, lambda n: self.bridge.note(f"Wrote {n} MISP attributes and objects to {destination}"),
                       store=self.session.store)
