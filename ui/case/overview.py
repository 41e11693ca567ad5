"""The case at a glance: title, marking, status, targets, summary, key judgments, lessons."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from rrmdesk import Case, vocab
from rrmdesk.model import CASE_PARTS

from .context import CaseContext, CaseTab
from .parts import JUDGMENTS
from .record_table import RecordTab


class CommitTextEdit(QPlainTextEdit):
    """A multi-line field that saves when the analyst leaves it, like a line edit's Enter."""

    committed = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.committed.emit()


def _plural(kind: str, count: int) -> str:
    word = kind.replace("technique-use", "technique").replace("-", " ")
    if count == 1:
        return f"1 {word}"
    return f"{count} {word if word.endswith('evidence') else word + 's'}"


class OverviewTab(CaseTab):
    def __init__(self, context: CaseContext) -> None:
        super().__init__(context)
        self.title_edit = QLineEdit()
        self.status = self._combo("Status", vocab.CASE_STATUS)
        self.severity = self._combo("Severity", vocab.SEVERITY)
        self.tlp = self._combo("TLP marking", vocab.TLP)
        self.countries = QLineEdit()
        self.countries.setPlaceholderText("ISO 3166 codes, e.g. FR, DE")
        self.targets = QLineEdit()
        self.targets.setPlaceholderText("Elections, institutions, communities; comma-separated")
        self.summary = CommitTextEdit()
        self.summary.setPlaceholderText("What happened, who is behind it, why it matters")
        self.lessons = CommitTextEdit()
        self.lessons.setPlaceholderText("What to do differently next time")
        self.counts = QLabel()
        self.counts.setObjectName("caseCounts")
        self.counts.setWordWrap(True)
        self.judgments = RecordTab(context, JUDGMENTS)
        self.judgments.selected.connect(self.selected)

        for widget, name in ((self.title_edit, "Case title"), (self.countries, "Target countries"),
                             (self.targets, "Targets"), (self.summary, "Summary"), (self.lessons, "Lessons learned")):
            widget.setAccessibleName(name)
        self.summary.setMinimumHeight(90)
        self.lessons.setMinimumHeight(70)

        self.title_edit.editingFinished.connect(lambda: self._commit("title", self.title_edit.text()))
        self.countries.editingFinished.connect(lambda: self._commit("target_countries", _split(self.countries.text())))
        self.targets.editingFinished.connect(lambda: self._commit("targets", _split(self.targets.text())))
        self.summary.committed.connect(lambda: self._commit("summary", self.summary.toPlainText()))
        self.lessons.committed.connect(lambda: self._commit("lessons", self.lessons.toPlainText()))
        for combo, field in ((self.status, "status"), (self.severity, "severity"), (self.tlp, "tlp")):
            combo.activated.connect(lambda _i, c=combo, f=field: self._commit(f, c.currentText()))

        form = QFormLayout()
        form.addRow("&Title", self.title_edit)
        marks = QHBoxLayout()
        for text, combo in (("&Status", self.status), ("Se&verity", self.severity), ("TL&P", self.tlp)):
            label = QLabel(text)
            label.setBuddy(combo)
            marks.addWidget(label)
            marks.addWidget(combo)
            marks.addSpacing(12)
        marks.addStretch(1)
        form.addRow("", marks)
        form.addRow("Target &countries", self.countries)
        form.addRow("Tar&gets", self.targets)
        form.addRow("S&ummary", self.summary)
        form.addRow("", self.counts)

        judgments_box = QGroupBox("Key judgments (ICD 203 likelihood, analytic confidence)")
        QVBoxLayout(judgments_box).addWidget(self.judgments)
        self.judgments.setMinimumHeight(180)
        lessons_box = QGroupBox("Lessons learned")
        QVBoxLayout(lessons_box).addWidget(self.lessons)

        page = QWidget()
        column = QVBoxLayout(page)
        column.addLayout(form)
        column.addWidget(judgments_box, 1)
        column.addWidget(lessons_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(page)
        QVBoxLayout(self).addWidget(scroll)
        context.session.saved.connect(self._saved)
        context.session.removed.connect(lambda *_: self._show_counts())

    @staticmethod
    def _combo(name: str, values: tuple[str, ...]) -> QComboBox:
        combo = QComboBox()
        combo.addItems(list(values))
        combo.setAccessibleName(name)
        return combo

    def load(self, case: Case, names: dict[str, str]) -> None:
        super().load(case, names)
        self._show(case)
        self.judgments.load(case, names)

    def clear(self) -> None:
        super().clear()
        self.judgments.clear()
        for widget in (self.title_edit, self.countries, self.targets, self.summary, self.lessons):
            widget.clear()
        self.counts.clear()

    def select(self, object_id: str) -> bool:
        return object_id == (self.case.id if self.case else None) or self.judgments.select(object_id)

    def add(self) -> None:
        self.judgments.add()

    def remove(self) -> None:
        self.judgments.remove()

    def _show(self, case: Case) -> None:
        self.title_edit.setText(case.title)
        self.title_edit.setCursorPosition(0)
        self.status.setCurrentText(case.status)
        self.severity.setCurrentText(case.severity)
        self.tlp.setCurrentText(case.tlp)
        self.countries.setText(", ".join(case.target_countries))
        self.targets.setText(", ".join(case.targets))
        if self.summary.toPlainText() != case.summary:
            self.summary.setPlainText(case.summary)
        if self.lessons.toPlainText() != case.lessons:
            self.lessons.setPlainText(case.lessons)
        self._show_counts()

    def _show_counts(self) -> None:
        if self.case is None or self.context.session.is_locked:
            return
        counts = self.context.session.store.counts(self.case.id)
        shown = [_plural(cls.KIND, counts[cls.KIND]) for cls in CASE_PARTS if counts[cls.KIND]]
        self.counts.setText("This case holds " + (", ".join(shown) if shown else "nothing yet") + ".")

    def _saved(self, record: Any) -> None:
        if self.case is None:
            return
        if isinstance(record, Case) and record.id == self.case.id:
            self.case = record
            self._show(record)
        elif getattr(record, "case_id", None) == self.case.id:
            self._show_counts()

    def _commit(self, field: str, value: Any) -> None:
        if self.case is None or getattr(self.case, field) == value:
            return
        if not self.context.editor.edit(self.case, field, value):
            self._show(self.case)  # refused: show the stored value again


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]
