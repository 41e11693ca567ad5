"""Signed case bundles from the desktop: export, import (verify first) and the partners' keys.

``BundleExchange`` is what the main window's menu actions call, as ``ui.exchange.Exchange`` is
for STIX, MISP and briefings. The dialogs are window-modal and opened without a nested event
loop; the long work (export, verification, import) runs on ``TaskRunner`` workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QWidget

from rrmdesk.bundles.importer import BundleImport

from ..messages import MessageBridge
from ..session import Session
from ..tasks import TaskRunner
from .export_dialog import ExportDialog
from .import_dialog import ImportDialog
from .partners import PartnersDialog
from .provenance import provenance_rows, provenance_widgets

Shown = TypeVar("Shown", bound=QDialog)

__all__ = ["BundleExchange", "ExportDialog", "ImportDialog", "PartnersDialog", "provenance_rows", "provenance_widgets"]


class BundleExchange(QObject):
    """The File-menu bundle actions; ``imported`` gives each case a bundle filled."""

    imported = Signal(str)

    def __init__(self, session: Session, tasks: TaskRunner, bridge: MessageBridge, window: QWidget,
                 current_case: Callable[[], str | None]) -> None:
        super().__init__(window)
        self.session, self.tasks, self.bridge, self.window = session, tasks, bridge, window
        self.current_case = current_case
        self.dialog: QDialog | None = None

    def _open(self, dialog: Shown) -> Shown:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _result, shown=dialog: self._closed(shown))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def export_bundle(self) -> ExportDialog:
        return self._open(ExportDialog(self.session, self.tasks, self.bridge, self.window, self.current_case()))

    def import_bundle(self) -> ImportDialog:
        dialog = ImportDialog(self.session, self.tasks, self.bridge, self.window)
        dialog.imported.connect(self._imported)
        return self._open(dialog)

    def show_partners(self) -> PartnersDialog:
        return self._open(PartnersDialog(self.session, self.bridge, self.window))

    def _imported(self, result: BundleImport) -> None:
        for report in result.reports:
            if report.case_id:
                self.imported.emit(report.case_id)
