"""The Observables tab: the case's accounts, URLs, domains, e-mails, phones and hashes.

"Add observable" asks for the value as pasted (defanged is fine): the core classifies it and
normalises it for that kind, which is what correlates. A placeholder edited in place afterwards
would keep the placeholder's kind, and a URL normalised as a domain would never meet its twin.

Each value that another case holds too carries a "↔ N" marker (``RelatedMarkerDelegate``);
a click on it opens that case. The markers are recomputed when the case opens and whenever an
observable changes anywhere, since a value added to another case makes this one's related.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QInputDialog, QLineEdit

from rrmdesk import Case, Observable, RRMDeskError

from ..correlation import ObservableMarkers, RelatedMarkerDelegate
from .context import CaseContext
from .parts import OBSERVABLES
from .record_table import RecordTab

VALUE_COLUMN = [column.field for column in OBSERVABLES.columns].index("value")


class ObservablesTab(RecordTab):
    def __init__(self, context: CaseContext) -> None:
        super().__init__(context, OBSERVABLES)
        self.marker: RelatedMarkerDelegate | None = None
        self.dialog: QInputDialog | None = None
        self._pending = QTimer(self)  # many saves in a row (an import): recompute once
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.refresh_markers)
        context.session.saved.connect(lambda record: self._changed(isinstance(record, Observable)))
        context.session.removed.connect(lambda object_id, _case: self._changed(object_id.startswith("observable--")))

    def add(self) -> None:
        if self.case is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Add observable")
        dialog.setLabelText("Account handle, URL, domain, e-mail, phone number or file hash.\n"
                            "Paste it as found: defanged forms such as hxxps:// or example[.]org are fine.")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.resize(520, dialog.sizeHint().height())
        dialog.textValueSelected.connect(self._add_value)
        self.dialog = dialog
        dialog.open()

    def _add_value(self, text: str) -> None:
        if self.case is None or not text.strip():
            return
        try:
            record = Observable(case_id=self.case.id, value=text.strip())
        except RRMDeskError as exc:
            self.context.bridge.error(exc)
            return
        if self.context.editor.add(record):
            self.select(record.id)
            self.view.setFocus()

    def empty_text(self) -> str:
        return ("No observables yet. Use “Add observable” (Insert) and paste an account, URL, domain, e-mail, "
                "phone number or file hash; a ↔ N marker shows a value that N other cases hold too.")

    def load(self, case: Case, names: dict[str, str]) -> None:
        markers = ObservableMarkers(self.context.session.store, case.id)
        if self.marker is None:
            self.marker = RelatedMarkerDelegate(markers, self.view)
            self.marker.caseActivated.connect(self.open_case)
            self.view.setItemDelegateForColumn(VALUE_COLUMN, self.marker)
        else:
            self.marker.markers = markers
        super().load(case, names)

    def clear(self) -> None:
        self._pending.stop()
        if self.marker is not None:
            self.marker.markers.related, self.marker.markers.titles = {}, {}
        super().clear()

    def refresh_markers(self) -> None:
        if self.marker is not None and self.case is not None:
            self.marker.markers.refresh()
            if self.model.rowCount():
                self._fit_columns()  # a new marker widens its cell
            self.view.viewport().update()

    def _changed(self, relevant: bool) -> None:
        if relevant and self.case is not None:
            self._pending.start()
