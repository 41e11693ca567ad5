"""The case's audit trail and whether the workspace's hash chain is intact."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from rrmdesk import Case, ChainReport, Progress, Store

from ..models.audit import AuditModel
from .context import CaseContext, CaseTab
from .record_table import MAX_COLUMN_WIDTH, make_table


class AuditTab(CaseTab):
    def __init__(self, context: CaseContext) -> None:
        super().__init__(context)
        self.model = AuditModel(self)
        self.view = make_table(self.model, "Audit entries")
        self.chain = QLabel("Audit chain not checked yet.")
        self.chain.setObjectName("chainStatus")
        self.chain.setAccessibleName("Audit chain status")
        self.verify_button = QPushButton("Verify chain")
        self.verify_button.setToolTip("Recompute every hash of the workspace's audit chain")
        self.verify_button.clicked.connect(self.verify)
        top = QHBoxLayout()
        top.addWidget(self.chain, 1)
        top.addWidget(self.verify_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        self._names: dict[str, str] = {}
        context.session.saved.connect(self._changed)
        context.session.removed.connect(lambda _id, case_id: self._changed_case(case_id))

    def load(self, case: Case, names: dict[str, str]) -> None:
        super().load(case, names)
        self._names = names
        self._refresh()
        self.verify()

    def clear(self) -> None:
        super().clear()
        self.model.set_entries([], {})
        self.chain.setText("Audit chain not checked yet.")

    def _refresh(self) -> None:
        if self.case is None or self.context.session.is_locked:
            return
        entries = self.context.session.store.audit_entries(self.case.id)
        self.model.set_entries(entries, self._names)
        for column in range(self.model.columnCount() - 1):
            self.view.resizeColumnToContents(column)
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), MAX_COLUMN_WIDTH))
        if entries:  # fitting samples the first rows; the last entry has the widest number
            widest = self.view.fontMetrics().horizontalAdvance(str(entries[-1].seq)) + 16
            self.view.setColumnWidth(0, max(self.view.columnWidth(0), widest))
        self.view.scrollToBottom()

    def _changed(self, record: object) -> None:
        case_id = getattr(record, "case_id", None) or getattr(record, "id", None)
        self._names[getattr(record, "id", "")] = getattr(record, "label", "")
        self._changed_case(case_id)

    def _changed_case(self, case_id: str | None) -> None:
        if self.case is not None and case_id == self.case.id:
            self._refresh()

    def verify(self) -> None:
        if self.context.session.is_locked:
            return
        self.chain.setText("Checking the audit chain…")

        def work(store: Store, progress: Progress) -> ChainReport:
            return store.verify_audit()

        self.context.tasks.run("Verifying the audit chain", work, self._show_report, store=self.context.session.store)

    def _show_report(self, report: ChainReport) -> None:
        if report.ok:
            self.chain.setText(f"<b style='color:#1a8f2e'>✔ Audit chain intact</b>: {report.entries:,} entries in this workspace.")
        else:
            self.chain.setText(f"<b style='color:#d01919'>✘ Audit chain broken</b> at entry {report.first_broken}: "
                               f"{report.reason}. Do not trust changes after it; keep this copy for investigation.")
