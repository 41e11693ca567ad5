"""Evidence: drop files to add them (hashed into the encrypted store on a worker), view, save out.

Bytes never pass through a plaintext temporary file: viewing reads them into memory, and
"Save a copy" writes only where the analyst chooses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rrmdesk import Evidence, EvidenceError, Progress, RRMDeskError, Store, UsageError
from rrmdesk.clock import utc_now

from ..models.columns import human_size
from ..screen import fit_to_screen
from .context import CaseContext
from .parts import EVIDENCE
from .record_table import RecordTab, make_table

PREVIEW_LIMIT = 32 * 1024 * 1024
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/csv")


class DropTable(QTableView):
    """A table that takes files dropped from the desktop."""

    files_dropped = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)

    @staticmethod
    def _files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
        mime = event.mimeData()
        return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._files(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._files(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._files(event)
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)
        else:
            super().dropEvent(event)


def read_evidence(evidence_id: str, limit: int) -> Any:
    """Worker: the evidence bytes, at most ``limit`` of them, in memory only."""

    def work(store: Store, progress: Progress) -> bytes:
        record = store.get(evidence_id)
        total = min(record.size, limit)  # type: ignore[attr-defined]
        chunks, done = [], 0
        for chunk in store.evidence_chunks(evidence_id):
            chunks.append(chunk)
            done += len(chunk)
            progress.update(min(done, total), total, "reading evidence")
            if done >= limit:
                break
        return b"".join(chunks)[:limit]

    return work


class EvidenceViewer(QDialog):
    """Shows text and images inside RRM Desk; other types are saved out to be opened elsewhere."""

    def __init__(self, record: Evidence, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Evidence: {record.title}")
        self.setAccessibleName("Evidence viewer")
        layout = QVBoxLayout(self)
        facts = QLabel(f"{record.filename} · {record.media_type} · {human_size(record.size)}<br>"
                       f"<small>SHA-256 {record.sha256}</small>")
        facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(facts)
        pixmap = QPixmap()
        if record.media_type.startswith("image/") and pixmap.loadFromData(data):
            image = QLabel()
            image.setPixmap(pixmap)
            image.setAccessibleName("Evidence image")
            scroll = QScrollArea()
            scroll.setWidget(image)
            layout.addWidget(scroll, 1)
        elif record.media_type.startswith(TEXT_TYPES):
            text = QPlainTextEdit(data.decode("utf-8", errors="replace"))
            text.setReadOnly(True)
            text.setAccessibleName("Evidence text")
            layout.addWidget(text, 1)
        else:
            layout.addWidget(QLabel(f"RRM Desk cannot show {record.media_type} files itself.\n"
                                    "Use “Save a copy…” and open the copy with the right program."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 760, 560)


class UrlEvidenceDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add URL evidence")
        self.url, self.title, self.source = QLineEdit(), QLineEdit(), QLineEdit()
        self.url.setPlaceholderText("https://…  (defanged hxxp[:]// addresses are kept as typed)")
        self.title.setPlaceholderText("What the page shows")
        self.source.setPlaceholderText("Where it came from (optional)")
        form = QFormLayout(self)
        for text, line, name in (("&URL", self.url, "URL"), ("&Title", self.title, "Evidence title"),
                                 ("&Source", self.source, "Source")):
            line.setAccessibleName(name)
            form.addRow(text, line)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(520)

    def evidence(self, case_id: str, analyst: str) -> Evidence:
        """The evidence as entered; UsageError (with a hint) when the URL or title is missing."""
        url = self.url.text().strip()
        if not url:
            raise UsageError("the URL is empty", "paste the address of the page")
        return Evidence(case_id=case_id, kind="url", url=url, title=self.title.text().strip() or url,
                        source=self.source.text().strip(), captured_at=utc_now(), captured_by=analyst)


class EvidenceTab(RecordTab):
    def __init__(self, context: CaseContext) -> None:
        super().__init__(context, EVIDENCE)
        self.add_button.setText("Add files…")
        self.add_button.setToolTip("Add evidence files (Insert), or drop files onto the table; each is hashed and stored encrypted")
        self.view_button.clicked.connect(self.view_current)
        self.save_button.clicked.connect(self.save_current)
        self.view.activated.connect(lambda _index: self.view_current())
        self.viewer: EvidenceViewer | None = None
        self.url_dialog: UrlEvidenceDialog | None = None

    def _make_view(self) -> QTableView:
        view = make_table(self.model, "Evidence (drop files here)", DropTable())
        view.files_dropped.connect(self.add_files)
        return view

    def extra_buttons(self) -> tuple[QPushButton, ...]:
        self.url_button = QPushButton("Add URL…")
        self.url_button.setToolTip("Record a web page as evidence (its address, not a copy)")
        self.url_button.clicked.connect(self.add_url)
        self.view_button = QPushButton("View")
        self.view_button.setToolTip("Show a text or image evidence file inside RRM Desk (Enter)")
        self.save_button = QPushButton("Save a copy…")
        self.save_button.setToolTip("Write the evidence file to a folder you choose (Ctrl+Shift+S)")
        return self.url_button, self.view_button, self.save_button

    def empty_text(self) -> str:
        return "No evidence yet. Drop files onto this table, or use “Add files…” (Insert)."

    def _update_empty(self) -> None:
        super()._update_empty()
        has = self.model.rowCount() > 0
        self.view_button.setEnabled(has)
        self.save_button.setEnabled(has)

    def clear(self) -> None:
        if self.viewer is not None:
            self.viewer.close()
            self.viewer = None
        super().clear()

    def add(self) -> None:
        if self.case is None:
            return
        paths, _ = QFileDialog.getOpenFileNames(self, "Add evidence files")
        self.add_files([Path(p) for p in paths])

    def add_url(self) -> None:
        if self.case is None:
            return
        self.url_dialog = UrlEvidenceDialog(self)
        self.url_dialog.accepted.connect(self._add_url_from_dialog)
        self.url_dialog.open()

    def _add_url_from_dialog(self) -> None:
        if self.case is None or self.url_dialog is None:
            return
        try:
            record = self.url_dialog.evidence(self.case.id, self.context.session.store.analyst)
        except RRMDeskError as exc:
            self.context.bridge.error(exc)
            return
        if self.context.editor.add(record):
            self.select(record.id)

    def add_files(self, paths: list[Path]) -> None:
        """Hash and store each file on a worker; the table shows it when it is in."""
        if self.case is None:
            return
        case_id = self.case.id
        for path in paths:
            self.context.tasks.run(
                f"Adding {path.name}",
                lambda store, progress, p=path: store.add_evidence_file(case_id, p, progress),
                self.context.session.announce,
                store=self.context.session.store,
            )

    def _current_file(self) -> Evidence | None:
        record = self.current_record()
        if record is None:
            return None
        if record.kind != "file":
            self.context.bridge.error(EvidenceError(f"“{record.title}” is a {record.kind}, not a file",
                                                    "its content is shown in the inspector"))
            return None
        return record

    def view_current(self) -> None:
        record = self._current_file()
        if record is None:
            return
        self.context.tasks.run(f"Opening {record.filename}", read_evidence(record.id, PREVIEW_LIMIT),
                               lambda data, r=record: self._show(r, data), store=self.context.session.store)

    def _show(self, record: Evidence, data: bytes) -> None:
        self.viewer = EvidenceViewer(record, data, self)
        self.viewer.open()

    def save_current(self) -> None:
        record = self._current_file()
        if record is None:
            return
        target, _ = QFileDialog.getSaveFileName(self, "Save a copy of the evidence", record.filename)
        if target:
            self.save_to(record, Path(target))

    def save_to(self, record: Evidence, target: Path) -> None:
        self.context.tasks.run(
            f"Saving {record.filename}",
            lambda store, progress: store.save_evidence(record.id, target, progress),
            lambda written: self.context.bridge.note(f"Saved {human_size(written)} to {target}"),
            store=self.context.session.store,
        )
