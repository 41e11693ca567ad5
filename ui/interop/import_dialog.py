"""The Import dialog: a file, its detected format, a CSV column mapping with a live preview, the report.

The format is judged by content (``rrmdesk.interop.importing.detect_file``), as the CLI does.
For CSV the analyst maps each field to a column (with a fallback column and a fixed value),
loads or saves the mapping under the name of its source, and sees the first rows as they would
import, each bad row's error in red in place. The preview reads only the header and the first
rows, so it runs on the main thread each time the mapping changes; the import itself runs on a
``TaskRunner`` worker (own connection, progress, Cancel). Failures go to the ``MessageBridge``;
mapping problems are expected while editing and are shown inline instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from rrmdesk import Progress, RRMDeskError, Store, UsageError
from rrmdesk.interop.csv_import import FIELDS, TARGETS, ColumnMapping, CsvPreview, list_mappings, preview, save_mapping
from rrmdesk.interop.importing import detect_file, import_file
from rrmdesk.interop.report import ImportReport

from ..messages import MessageBridge
from ..screen import fit_to_screen
from ..session import Session
from ..tasks import Task, TaskRunner

PREVIEW_ROWS = 10
FORMAT_NAMES = {"stix": "STIX 2.1 bundle", "misp": "MISP event (JSON)", "csv": "CSV spreadsheet"}
ENCODINGS = ("utf-8", "cp1252", "latin-1")
NOT_MAPPED = "— not imported —"
ERROR_COLOUR = QColor("#b3261e")
#: Mapping table columns.
FIELD, COLUMN, FALLBACK, FIXED = range(4)


def _label(field: str, flag: str) -> str:
    name = field.replace("_", " ")
    return f"{name} *" if flag == "*" else f"{name} (list)" if flag == "+" else name


def _shown(field: str, value: Any) -> str:
    """A preview cell as an analyst reads it: lists joined, a midnight date without its clock."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    text = str(value)
    if field in ("start", "end"):
        day, _, clock = text.partition("T")
        return day if clock in ("", "00:00:00.000Z", "00:00:00Z") else f"{day} {clock[:5]} UTC"
    return text


def _csv_header(path: Path, encoding: str) -> list[str]:
    """The CSV's column names, read by the core's own reader (a mapping that needs no column)."""
    required = {f: "-" for f, flag in FIELDS["actors"].items() if flag == "*"}
    return preview(path, ColumnMapping(target="actors", constants=required, encoding=encoding), limit=1).header


class ImportDialog(QDialog):
    """Choose, check and import one file; ``imported`` and ``open_case`` carry the case id."""

    imported = Signal(str)
    open_case = Signal(str)

    def __init__(self, session: Session, tasks: TaskRunner, bridge: MessageBridge, parent: QWidget | None = None,
                 case_id: str | None = None) -> None:
        super().__init__(parent)
        self.session, self.tasks, self.bridge, self.case_id = session, tasks, bridge, case_id
        self.path: Path | None = None
        self.fmt: str | None = None
        self.header: list[str] = []
        self.mapping: ColumnMapping | None = None
        self.report: ImportReport | None = None
        self.task: Task | None = None
        self._loading = False
        self.setWindowTitle("Import STIX 2.1, MISP or CSV")
        self.setAccessibleName("Import")
        fit_to_screen(self, 1100, 860)

        # -- file and format ----------------------------------------------------------------
        self.file_edit = QLineEdit(readOnly=True, placeholderText="No file chosen")
        self.choose_button = QPushButton("Choose…")
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)
        self.format_label = QLabel("—")
        self.into_case = QCheckBox("Into the open case" if case_id else "Into the open case (no case is open)")
        self.into_case.setEnabled(bool(case_id))
        self.into_case.setToolTip("Unchecked: the import opens a new case (a STIX bundle exported by RRM Desk "
                                  "goes back into its own case).")
        top = QFormLayout()
        top.addRow("File:", file_row)
        top.addRow("Format:", self.format_label)
        top.addRow("", self.into_case)

        # -- CSV: target, saved mappings, options, mapping table -------------------------------
        self.target = QComboBox()
        for target in TARGETS:
            self.target.addItem(f"Each row is one of the {target}", target)
        self.target.currentIndexChanged.connect(self._target_changed)
        self.saved = QComboBox()
        self.saved.setMinimumWidth(160)
        self.saved.activated.connect(self._load_chosen)
        self.save_name = QLineEdit(placeholderText="source name, e.g. fiat")
        self.save_button = QPushButton("Save mapping")
        self.save_button.clicked.connect(self.save_current)
        saved_row = QHBoxLayout()
        saved_row.addWidget(self.saved, 1)
        saved_row.addWidget(QLabel("Save as:"))
        saved_row.addWidget(self.save_name, 1)
        saved_row.addWidget(self.save_button)
        self.separator = QLineEdit(",", maxLength=3)
        self.separator.setMaximumWidth(60)
        self.date_format = QLineEdit(placeholderText="automatic (ISO, 11/7/2018 month first, 7.11.2018, …)")
        self.encoding = QComboBox()
        self.encoding.addItems(ENCODINGS)
        self.encoding.setEditable(True)
        options = QHBoxLayout()
        options.addWidget(QLabel("List separator:"))
        options.addWidget(self.separator)
        options.addSpacing(12)
        options.addWidget(QLabel("Date format:"))
        options.addWidget(self.date_format, 1)
        options.addSpacing(12)
        options.addWidget(QLabel("Encoding:"))
        options.addWidget(self.encoding)
        self.separator.textChanged.connect(self._changed)
        self.date_format.textChanged.connect(self._changed)
        self.encoding.currentTextChanged.connect(self._encoding_changed)

        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName("Column mapping")
        self.table.setHorizontalHeaderLabels(["Field", "Column", "If empty, use", "Same value for every row"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(FIELD, QHeaderView.ResizeMode.ResizeToContents)
        for column in (COLUMN, FALLBACK, FIXED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

        csv_form = QFormLayout()
        csv_form.addRow("Rows:", self.target)
        csv_form.addRow("Saved mapping:", saved_row)
        csv_form.addRow(options)
        csv_layout = QVBoxLayout()
        csv_layout.addLayout(csv_form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOUR.name()};")
        self.preview_title = QLabel(f"Preview of the first {PREVIEW_ROWS} rows")
        self.preview_table = QTableWidget(0, 0)
        self.preview_table.setAccessibleName("Preview")
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.verticalHeader().hide()
        self.preview_table.setWordWrap(False)
        self.preview_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        preview_pane = QWidget()
        preview_layout = QVBoxLayout(preview_pane)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.problem)
        preview_layout.addWidget(self.preview_title)
        preview_layout.addWidget(self.preview_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(preview_pane)
        splitter.setSizes([400, 320])
        csv_layout.addWidget(splitter, 1)
        self.csv_box = QGroupBox("CSV column mapping")
        self.csv_box.setLayout(csv_layout)
        self.csv_box.hide()

        # -- report ------------------------------------------------------------------------
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        bold = QFont(self.summary.font())
        bold.setBold(True)
        self.summary.setFont(bold)
        self.report_view = QPlainTextEdit(readOnly=True)
        self.report_view.setAccessibleName("Import report")
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        report_layout = QVBoxLayout()
        report_layout.addWidget(self.summary)
        report_layout.addWidget(self.report_view)
        self.report_box = QGroupBox("Import report")
        self.report_box.setLayout(report_layout)
        self.report_box.hide()

        # -- buttons -----------------------------------------------------------------------
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.import_button.setDefault(True)
        self.open_button = self.buttons.addButton("Open the case", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.hide()
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.import_button.clicked.connect(self.start_import)
        self.open_button.clicked.connect(self._open_case)
        self.close_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.csv_box, 1)
        layout.addWidget(self.report_box, 1)
        layout.addStretch(0)
        layout.addWidget(self.buttons)
        self._fill_table()

    # -- the file ------------------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import STIX 2.1, MISP or CSV",
                                              filter="Interchange files (*.json *.csv);;All files (*)")
        if path:
            self.set_path(Path(path))

    def set_path(self, path: Path) -> None:
        """Take ``path``, detect its format and set the dialog up for it; a bad file is reported once."""
        self.path, self.fmt, self.report = Path(path), None, None
        self.file_edit.setText(str(path))
        self.report_box.hide()
        self.open_button.hide()
        self.csv_box.hide()
        try:
            self.fmt = detect_file(self.path)
        except RRMDeskError as exc:
            self.format_label.setText("Cannot import this file")
            self.import_button.setEnabled(False)
            self.bridge.error(exc)
            return
        self.format_label.setText(FORMAT_NAMES[self.fmt])
        if self.fmt == "csv":
            self.csv_box.show()
            self._refresh_saved()
            self._read_header()
        else:
            self.import_button.setEnabled(True)

    # -- CSV mapping -----------------------------------------------------------------------------

    @property
    def target_name(self) -> str:
        return str(self.target.currentData())

    def _read_header(self) -> None:
        assert self.path is not None
        try:
            self.header = _csv_header(self.path, self.encoding.currentText())
        except RRMDeskError as exc:
            self.header = []
            self._show_problem(exc.text())
        self._fill_table()

    def _encoding_changed(self, _text: str) -> None:
        if self.path is not None and self.fmt == "csv" and not self._loading:
            self._read_header()

    def _target_changed(self) -> None:
        if not self._loading:
            self._fill_table()

    def _fill_table(self, mapping: ColumnMapping | None = None) -> None:
        """One row per field of the target, its combos listing the file's columns."""
        self._loading = True
        fields = FIELDS[self.target_name]
        self.table.setRowCount(len(fields))
        for row, (field, flag) in enumerate(fields.items()):
            item = QTableWidgetItem(_label(field, flag))
            item.setData(Qt.ItemDataRole.UserRole, field)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, FIELD, item)
            columns = (mapping.columns.get(field, "") if mapping else "").split("|")
            for col, chosen in ((COLUMN, columns[0]), (FALLBACK, columns[1] if len(columns) > 1 else "")):
                combo = QComboBox()
                combo.addItem(NOT_MAPPED, "")
                for name in self.header:
                    combo.addItem(name, name)
                if chosen and combo.findData(chosen.strip()) < 0:  # a saved mapping naming a column this file lacks
                    combo.addItem(chosen.strip(), chosen.strip())
                combo.setCurrentIndex(max(combo.findData(chosen.strip()), 0))
                combo.currentIndexChanged.connect(self._changed)
                self.table.setCellWidget(row, col, combo)
            fixed = QLineEdit(mapping.constants.get(field, "") if mapping else "")
            fixed.setFrame(False)
            fixed.textChanged.connect(self._changed)
            self.table.setCellWidget(row, FIXED, fixed)
        self._loading = False
        self._changed()

    def column_combo(self, field: str, which: int = COLUMN) -> QComboBox:
        """The combo choosing the column (or fallback column) of ``field``."""
        widget = self.table.cellWidget(self._row_of(field), which)
        assert isinstance(widget, QComboBox)
        return widget

    def fixed_edit(self, field: str) -> QLineEdit:
        widget = self.table.cellWidget(self._row_of(field), FIXED)
        assert isinstance(widget, QLineEdit)
        return widget

    def _row_of(self, field: str) -> int:
        return list(FIELDS[self.target_name]).index(field)

    def current_mapping(self) -> ColumnMapping:
        """The mapping the widgets say; UsageError while it is incomplete."""
        columns: dict[str, str] = {}
        constants: dict[str, str] = {}
        for field in FIELDS[self.target_name]:
            chosen = [c for c in (self.column_combo(field).currentData(), self.column_combo(field, FALLBACK).currentData()) if c]
            if chosen:
                columns[field] = "|".join(dict.fromkeys(chosen))
            value = self.fixed_edit(field).text().strip()
            if value:
                constants[field] = value
        missing = [f for f, flag in FIELDS[self.target_name].items() if flag == "*" and f not in columns and f not in constants]
        if missing:  # said in the dialog's words; the core's message names the CLI's --map
            raise UsageError(f"Choose the column that holds the {' and the '.join(missing)}.",
                             "or type a value under 'Same value for every row'")
        return ColumnMapping(target=self.target_name, columns=columns, constants=constants,
                             date_format=self.date_format.text().strip(), separator=self.separator.text(),
                             encoding=self.encoding.currentText().strip() or "utf-8")

    def _changed(self, *_args: Any) -> None:
        """Re-check the mapping and re-compute the preview after every edit."""
        if self._loading or self.path is None or self.fmt != "csv" or not self.header:
            return
        try:
            self.mapping = self.current_mapping()
            shown = preview(self.path, self.mapping, limit=PREVIEW_ROWS)
        except RRMDeskError as exc:
            self.mapping = None
            self._show_problem(exc.text())
            return
        self._show_problem("")
        self._show_preview(shown)
        self.import_button.setEnabled(self.report is None)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        if text:
            self.preview_table.clearContents()
            self.preview_table.setRowCount(0)
            self.import_button.setEnabled(False)

    def _show_preview(self, shown: CsvPreview) -> None:
        assert self.mapping is not None
        fields = [f for f in FIELDS[self.mapping.target] if f in self.mapping.columns or f in self.mapping.constants]
        table = self.preview_table
        table.clearSpans()
        table.clearContents()
        table.setColumnCount(1 + len(fields))
        table.setHorizontalHeaderLabels(["Line", *(f.replace("_", " ") for f in fields)])
        table.setRowCount(len(shown.rows))
        bad = 0
        for row, item in enumerate(shown.rows):
            line = QTableWidgetItem(str(item.line))
            line.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 0, line)
            if item.error:
                bad += 1
                error = QTableWidgetItem(f"✗ {item.error}")
                error.setForeground(ERROR_COLOUR)
                error.setToolTip(item.error)
                line.setForeground(ERROR_COLOUR)
                table.setItem(row, 1, error)
                if len(fields) > 1:
                    table.setSpan(row, 1, 1, len(fields))
                continue
            for col, field in enumerate(fields, start=1):
                text = _shown(field, item.values.get(field))
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                table.setItem(row, col, cell)
        table.resizeColumnsToContents()
        for col in range(1, table.columnCount()):
            table.setColumnWidth(col, min(table.columnWidth(col), 260))
        self.preview_title.setText(
            f"Preview of the first {len(shown.rows)} rows: {len(shown.rows) - bad} ready"
            + (f", {bad} would be rejected (in red)" if bad else ""))

    def preview_errors(self) -> dict[int, str]:
        """Line number -> error of the rows the preview shows as rejected."""
        out: dict[int, str] = {}
        for row in range(self.preview_table.rowCount()):
            line, cell = self.preview_table.item(row, 0), self.preview_table.item(row, 1)
            if line is not None and cell is not None and cell.text().startswith("✗ "):
                out[int(line.text())] = cell.text()[2:]
        return out

    # -- saved mappings ----------------------------------------------------------------------------

    def _refresh_saved(self, select: str = "") -> None:
        try:
            names = list(list_mappings(self.session.store))
        except RRMDeskError as exc:
            self.bridge.error(exc)
            names = []
        self.saved.clear()
        self.saved.addItem("— choose to load —" if names else "— none saved yet —", "")
        for name in names:
            self.saved.addItem(name, name)
        self.saved.setCurrentIndex(max(self.saved.findData(select), 0))

    def _load_chosen(self, index: int) -> None:
        name = self.saved.itemData(index)
        if name:
            self.load_mapping(name)

    def load_mapping(self, name: str) -> None:
        """Put the saved mapping ``name`` into the widgets (the preview follows)."""
        mapping = list_mappings(self.session.store).get(name)
        if mapping is None:
            return
        self._loading = True
        self.target.setCurrentIndex(self.target.findData(mapping.target))
        self.separator.setText(mapping.separator)
        self.date_format.setText(mapping.date_format)
        encoding_changed = mapping.encoding != self.encoding.currentText()
        self.encoding.setCurrentText(mapping.encoding)
        self.save_name.setText(name)
        self._loading = False
        if encoding_changed:
            assert self.path is not None
            try:
                self.header = _csv_header(self.path, mapping.encoding)
            except RRMDeskError as exc:
                self.header = []
                self._show_problem(exc.text())
        self._fill_table(mapping)

    def save_current(self) -> None:
        name = self.save_name.text().strip()
        try:
            mapping = self.current_mapping()
            save_mapping(self.session.store, name, mapping)
        except RRMDeskError as exc:
            self.bridge.error(exc)
            return
        self._refresh_saved(select=name)
        self.bridge.note(f"Saved the CSV mapping {name!r}.")

    # -- importing ---------------------------------------------------------------------------------

    def start_import(self) -> None:
        if self.path is None or self.fmt is None or (self.fmt == "csv" and self.mapping is None):
            return
        path, fmt, mapping = self.path, self.fmt, self.mapping if self.fmt == "csv" else None
        case_id = self.case_id if self.into_case.isChecked() else None

        def work(store: Store, progress: Progress) -> ImportReport:
            return import_file(store, path, fmt=fmt, case_id=case_id, mapping=mapping, progress=progress)

        self.import_button.setEnabled(False)
        self.choose_button.setEnabled(False)
        self.task = self.tasks.run(f"Importing {path.name}", work, self._imported, store=self.session.store,
                                   on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.choose_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.bridge.error(exc)

    def _imported(self, report: ImportReport) -> None:
        self.task, self.report = None, report
        self.choose_button.setEnabled(True)
        self.into_case.setEnabled(False)
        self.csv_box.hide()
        lines = report.lines()
        self.summary.setText(self._summary(report))
        self.report_view.setPlainText("\n".join(lines))
        self.report_box.show()
        self.open_button.setVisible(bool(report.case_id))
        self.open_button.setDefault(True)
        self.bridge.note(lines[0])
        if report.case_id:
            self.imported.emit(report.case_id)

    @staticmethod
    def _summary(report: ImportReport) -> str:
        parts = [f"{report.total_added} added", f"{report.total_updated} updated"]
        if report.unchanged:
            parts.append(f"{sum(report.unchanged.values())} unchanged")
        parts.append(f"{report.total_kept} kept as received")
        parts.append(f"{report.conflict_count} conflicts")
        parts.append(f"{report.rejected_count} rejected")
        return f"{FORMAT_NAMES.get(report.format.split()[0], report.format)} · " + " · ".join(parts)

    def _open_case(self) -> None:
        if self.report is not None and self.report.case_id:
            self.open_case.emit(self.report.case_id)
            self.accept()
