"""The Briefing dialog: choose what goes into a briefing, watch the outline, then save it.

The left side gathers ``BriefingOptions``; the right side is the live outline, worked out by the
core's own ``gather`` on a worker whenever the cases or the marking change (a quiet task: it
takes a few milliseconds for a case, longer for a large situation report). Language and section
switches only re-draw it. "Save briefing…" builds the document on a worker (progress and
Cancel), then asks where to write it: nothing touches the disk before the analyst has chosen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QSplitter, QVBoxLayout, QWidget)

from rrmdesk import Progress, Store, vocab
from rrmdesk.briefing.content import default_marking
from rrmdesk.briefing.document import MAX_CLASSIFICATION, Briefing, BriefingOptions
from rrmdesk.briefing.outline import SECTION_NAMES
from rrmdesk.model import Case

from .. import tlp
from ..screen import fit_to_screen
from ..settings import LANGUAGES
from ..messages import MessageBridge
from ..session import Session
from ..tasks import TaskRunner
from .outline import Survey, excluded_text, section_label, survey
from .outline_panel import OutlinePanel

ROLE_ID = Qt.ItemDataRole.UserRole
#: Options that change what is read from the store are surveyed again after this pause, so typing
#: or ticking several cases in a row starts one read, not one per click.
SURVEY_DELAY_MS = 150
DEFAULT_TEMPLATE = "Default template (A4, Arial)"


def suggested_name(titles: list[str], language: str) -> str:
    """A file name from the case title ("russian-interference-…-fr.docx"); a sitrep says so."""
    stem = "situation-report" if len(titles) > 1 else "".join(
        ch if ch.isalnum() else "-" for ch in (titles[0] if titles else "briefing").lower())
    stem = "-".join(part for part in stem.split("-") if part)[:60].rstrip("-") or "briefing"
    return f"{stem}-{language}.docx"


class BriefingDialog(QDialog):
    """Options on the left, the live outline on the right, "Save briefing…" at the bottom."""

    def __init__(self, session: Session, tasks: TaskRunner, bridge: MessageBridge, parent: QWidget | None,
                 case_id: str | None = None) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.bridge = session, tasks, bridge
        self.setWindowTitle("Briefing")
        self.setAccessibleName("Briefing")
        fit_to_screen(self, 1180, 720)
        workspace = session.workspace
        self._cases: dict[str, Case] = {c.id: c for c in session.store.list_cases(order="title")}
        self._survey: Survey | None = None
        self._marking_chosen = False
        self._template: Path | None = None
        self.briefing: Briefing | None = None
        self.save_dialog: QFileDialog | None = None
        #: set when the dialog closes: a worker's late result is then dropped, never written
        self.closed = False
        self.finished.connect(self._closing)
        session.locked.connect(self.reject)  # a locked workspace shows nothing, this dialog included

        self.cases = QListWidget()
        self.cases.setAccessibleName("Cases")
        self.cases.setWordWrap(True)
        self.cases.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cases.setMinimumHeight(150)
        ordered = sorted(self._cases.values(), key=lambda c: (c.id != case_id, c.title.casefold()))
        for case in ordered:
            item = QListWidgetItem(f"{tlp.label(case.tlp)}  {case.title}")
            item.setData(ROLE_ID, case.id)
            item.setToolTip(f"{case.title}\n{case.id}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if case.id == case_id else Qt.CheckState.Unchecked)
            self.cases.addItem(item)
        self.cases_hint = QLabel("Tick one case for a briefing note, several for a situation report.")
        self.cases_hint.setWordWrap(True)

        self.language = QComboBox()
        self.language.setAccessibleName("Language")
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.marking = QComboBox()
        self.marking.setAccessibleName("TLP marking")
        for index, value in enumerate(vocab.TLP):
            self.marking.addItem(tlp.label(value), value)
            self.marking.setItemData(index, tlp.colour(value), Qt.ItemDataRole.ForegroundRole)
            self.marking.setItemData(index, QColor(tlp.BACKGROUND), Qt.ItemDataRole.BackgroundRole)
        self.marking_badge = tlp.TlpBadge()
        self.marking_hint = QLabel()
        self.marking_hint.setWordWrap(True)
        marking_row = QHBoxLayout()
        marking_row.addWidget(self.marking)
        marking_row.addWidget(self.marking_badge)
        marking_row.addStretch(1)
        self.classification = QLineEdit(workspace.classification)
        self.classification.setAccessibleName("Classification line")
        self.classification.setMaxLength(MAX_CLASSIFICATION)
        self.classification.setPlaceholderText("none (set a default in the profile)")
        self.template = QLineEdit(DEFAULT_TEMPLATE)
        self.template.setReadOnly(True)
        self.template.setAccessibleName("Template")
        choose = QPushButton("Choose…")
        choose.setAccessibleName("Choose a template")
        choose.clicked.connect(self._choose_template)
        self.template_reset = QPushButton("Default")
        self.template_reset.setAccessibleName("Use the default template")
        self.template_reset.clicked.connect(lambda: self.set_template(None))
        self.template_reset.setEnabled(False)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template, 1)
        template_row.addWidget(choose)
        template_row.addWidget(self.template_reset)
        self.template_warning = QLabel()
        self.template_warning.setObjectName("templateWarning")
        self.template_warning.setWordWrap(True)
        self.template_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.template_warning.setAccessibleName("Template warning")
        self.template_warning.hide()
        self.version = QLineEdit("1.0")
        self.version.setAccessibleName("Version")
        self.version.setMaxLength(40)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setAccessibleName("Date")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")

        self.sections: dict[str, QCheckBox] = {}
        sections_box = QGroupBox("Sections")
        grid = QGridLayout(sections_box)
        half = (len(SECTION_NAMES) + 1) // 2
        for number, name in enumerate(SECTION_NAMES):
            box = QCheckBox()
            box.setChecked(True)
            box.setObjectName(f"section-{name}")
            box.toggled.connect(self._redraw)
            self.sections[name] = box
            grid.addWidget(box, number % half, number // half)

        choices = QWidget()
        form = QFormLayout(choices)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Cases", self.cases)
        form.addRow("", self.cases_hint)
        form.addRow("Language", self.language)
        form.addRow("Produce at", marking_row)
        form.addRow("", self.marking_hint)
        form.addRow("Classification", self.classification)
        form.addRow("Template", template_row)
        form.addRow("", self.template_warning)
        form.addRow("Version", self.version)
        form.addRow("Date", self.date)
        form.addRow(sections_box)

        self.outline = OutlinePanel()
        outline_box = QGroupBox("Outline: what the briefing will hold")
        QVBoxLayout(outline_box).addWidget(self.outline)
        splitter = QSplitter()
        splitter.addWidget(choices)
        splitter.addWidget(outline_box)
        splitter.setSizes([520, 660])
        splitter.setChildrenCollapsible(False)

        self.note = QLabel()
        self.note.setObjectName("analystNote")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setAccessibleName("Note to the analyst")
        self.note.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton("Save briefing…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)

        self._survey_timer = QTimer(self)
        self._survey_timer.setSingleShot(True)
        self._survey_timer.setInterval(SURVEY_DELAY_MS)
        self._survey_timer.timeout.connect(self._start_survey)
        self.cases.itemChanged.connect(self._cases_changed)
        self.marking.activated.connect(self._marking_picked)
        self.marking.currentIndexChanged.connect(self._marking_changed)
        self.language.currentIndexChanged.connect(self._redraw)
        self._label_sections()
        self._cases_changed()

    # -- what the analyst chose ------------------------------------------------------------------

    def selected_cases(self) -> list[str]:
        return [self.cases.item(i).data(ROLE_ID) for i in range(self.cases.count())
                if self.cases.item(i).checkState() == Qt.CheckState.Checked]

    def chosen_language(self) -> str:
        return self.language.currentData()

    def chosen_marking(self) -> str:
        return self.marking.currentData()

    def left_out(self) -> frozenset[str]:
        return frozenset(name for name, box in self.sections.items() if not box.isChecked())

    def options(self) -> BriefingOptions:
        workspace = self.session.workspace
        return BriefingOptions(
            marking=self.chosen_marking(), language=self.chosen_language(),
            classification=self.classification.text().strip(), ministry=workspace.ministry,
            analyst=self.session.store.analyst, version=self.version.text().strip() or "1.0",
            date=self.date.date().toString("yyyy-MM-dd"), template=self._template, without=self.left_out())

    def set_template(self, path: Path | None) -> None:
        """Use ``path`` as the template (None: the default); an unusable one is flagged at once."""
        self._template = path
        self.template.setText(path.name if path else DEFAULT_TEMPLATE)
        self.template.setToolTip(str(path) if path else "")
        self.template_reset.setEnabled(path is not None)
        self.template_warning.hide()
        if path is None:
            return

        def check(progress: Progress) -> list[str]:
            from rrmdesk.briefing.template import open_template

            return open_template(path).warnings

        self.tasks.run("Checking the template", check, lambda warnings: self._template_checked(path, warnings),
                       quiet=True)

    # -- keeping the outline live ----------------------------------------------------------------

    def _cases_changed(self, *_args: object) -> None:
        chosen = [self._cases[c] for c in self.selected_cases()]
        if chosen and not self._marking_chosen:
            self.marking.setCurrentIndex(self.marking.findData(default_marking(chosen)))
        self._update_hint()
        self._schedule_survey()

    def _marking_picked(self, _index: int) -> None:
        self._marking_chosen = True  # from now on the analyst's choice stands when cases change

    def _marking_changed(self, _index: int) -> None:
        self.marking_badge.set_tlp(self.chosen_marking())
        self.marking_badge.setToolTip(f"The briefing is produced at {tlp.label(self.chosen_marking())}")
        self._update_hint()
        self._schedule_survey()

    def _update_hint(self) -> None:
        chosen = [self._cases[c] for c in self.selected_cases()]
        if not chosen:
            self.marking_hint.setText("")
            return
        strictest = default_marking(chosen)
        if strictest == self.chosen_marking():
            text = "The strictest marking of the chosen cases: everything releasable is included."
        elif vocab.tlp_rank(self.chosen_marking()) < vocab.tlp_rank(strictest):
            text = (f"Below the cases' {tlp.label(strictest)}: anything marked above "
                    f"{tlp.label(self.chosen_marking())} is left out.")
        else:
            text = f"Stricter than the cases need ({tlp.label(strictest)}): readers may share it less widely."
        self.marking_hint.setText(text)

    def _schedule_survey(self) -> None:
        self.save_button.setEnabled(bool(self.selected_cases()))
        if not self.selected_cases():
            self._survey_timer.stop()
            self._survey = None
            self.outline.show_survey(None, self.chosen_language(), self.left_out())
            self.outline.show_pending("Tick at least one case.")
            return
        self.outline.show_pending("Updating the outline…")
        self._survey_timer.start()

    def _start_survey(self) -> None:
        cases, marking = tuple(self.selected_cases()), self.chosen_marking()

        def work(store: Store, progress: Progress) -> Survey:
            return survey(store, cases, marking, progress)

        self.tasks.run("Reading the cases", work, self._surveyed, store=self.session.store, quiet=True)

    def _closing(self, _result: int) -> None:
        self.closed = True
        self._survey_timer.stop()

    def _surveyed(self, result: Survey) -> None:
        if self.closed:
            return
        if (result.case_ids, result.marking) != (tuple(self.selected_cases()), self.chosen_marking()):
            return  # the analyst changed the choice since; the newer survey is on its way
        self._survey = result
        self.save_button.setEnabled(not result.refusal)
        self._redraw()

    def _redraw(self, *_args: object) -> None:
        self._label_sections()
        if self._survey is not None:
            self.outline.show_survey(self._survey, self.chosen_language(), self.left_out())

    def _label_sections(self) -> None:
        for name, box in self.sections.items():
            box.setText(section_label(name, self.chosen_language()))

    def _choose_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a Word template", "",
                                              "Word templates (*.docx *.dotx);;All files (*)")
        if path:
            self.set_template(Path(path))

    def _template_checked(self, path: Path, warnings: list[str]) -> None:
        if self.closed or path != self._template:
            return
        self.template_warning.setText("\n".join(f"⚠ {line}." for line in warnings))
        self.template_warning.setVisible(bool(warnings))

    # -- building and saving ---------------------------------------------------------------------

    def save(self) -> None:
        """Build the briefing on a worker; when it is ready, ask where to write it."""
        from rrmdesk.briefing import build_briefing

        cases, options = self.selected_cases(), self.options()
        self.save_button.setEnabled(False)
        self.note.hide()

        def work(store: Store, progress: Progress) -> Briefing:
            return build_briefing(store, cases, options, progress)

        self.tasks.run("Building the briefing", work, lambda b: self._built(b, cases),
                       store=self.session.store, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if not self.closed:
            self.save_button.setEnabled(bool(self.selected_cases()))
        self.bridge.error(exc)

    def _built(self, briefing: Briefing, cases: list[str]) -> None:
        """Ask where the built briefing goes; the dialog is window-modal and non-blocking."""
        if self.closed:
            self.bridge.note("The Briefing dialog was closed; the briefing was not saved.")
            return
        self.briefing = briefing
        titles = [self._cases[c].title for c in cases if c in self._cases]
        dialog = QFileDialog(self, "Save the briefing")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter("Word document (*.docx)")
        dialog.setDefaultSuffix("docx")
        dialog.selectFile(suggested_name(titles, briefing.language))
        dialog.fileSelected.connect(lambda path: self._write(briefing, cases, Path(path)))
        dialog.rejected.connect(self._not_saved)
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.save_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: QFileDialog) -> None:
        if self.save_dialog is dialog:
            self.save_dialog = None
        dialog.deleteLater()

    def _not_saved(self) -> None:
        self.save_button.setEnabled(True)
        self.bridge.note("The briefing was not saved.")

    def _write(self, briefing: Briefing, cases: list[str], destination: Path) -> None:
        def work(progress: Progress) -> Path:
            briefing.save(destination, overwrite=True)  # the save dialog asked before replacing
            return destination

        self.tasks.run("Saving the briefing", work, lambda path: self._saved(briefing, cases, path),
                       on_error=self._failed, quiet=True)

    def _saved(self, briefing: Briefing, cases: list[str], destination: Path) -> None:
        """Record the briefing in the audit trail, as ``rrmdesk brief`` does, and tell the analyst."""
        self.session.store.record_event("brief", cases[0], {
            "marking": briefing.marking, "language": briefing.language, "excluded": briefing.excluded.total,
            "cases": cases,
        })
        self.bridge.note(f"Saved the briefing to {destination}")
        if self.closed:
            return
        lines = [f"Saved the briefing to {destination}."]
        for_you = [f"⚠ {line}." for line in briefing.warnings]
        if briefing.excluded.total:
            for_you.insert(0, f"Marked above {tlp.label(briefing.marking)} and left out: "
                              f"{excluded_text(briefing.excluded)}.")
        if for_you:
            lines += ["For you, not in the document:", *for_you]
        self.note.setText("\n".join(lines))
        self.note.show()
        self.save_button.setEnabled(True)
