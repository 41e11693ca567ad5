"""The left-hand panel: filter and sort the workspace's cases, or search everything.

The case list is lazy (``CaseListModel``); typing in the search box switches to ranked
full-text hits with snippets, and opening a hit opens its case at that object.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from rrmdesk import CaseFilter, RRMDeskError, SearchHit, vocab

from .messages import MessageBridge
from .models.cases import CaseListModel
from .models.search import SearchResultsModel
from .session import Session

SEARCH_DELAY_MS = 250
SEARCH_LIMIT = 50


class SearchHitDelegate(QStyledItemDelegate):
    """A hit as three lines: what it is (bold), which case (muted), the matching snippet."""

    def _document(self, option: QStyleOptionViewItem, hit: SearchHit) -> QTextDocument:
        muted = option.palette.color(QPalette.ColorRole.PlaceholderText).name()
        kind = hit.kind.replace("-", " ").capitalize()
        where = "" if hit.kind == "case" else f"<br><span style='color:{muted}'>in {escape(hit.case_title)}</span>"
        snippet = "" if hit.snippet.strip("[]…") == hit.title else f"<br>{escape(hit.snippet)}"
        document = QTextDocument()
        document.setDefaultFont(option.font)
        document.setDocumentMargin(4)
        document.setHtml(f"<b>{kind}: {escape(hit.title)}</b>{where}{snippet}")
        document.setTextWidth(option.rect.width())
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        hit = index.data(SearchResultsModel.HitRole)
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        document = self._document(option, hit)
        painter.save()
        painter.translate(option.rect.topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = option.state & QStyle.StateFlag.State_Selected
        text = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(text))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        option = QStyleOptionViewItem(option)
        self.initStyleOption(option, index)
        width = option.widget.viewport().width() if option.widget else 300
        option.rect.setWidth(width)
        document = self._document(option, index.data(SearchResultsModel.HitRole))
        return QSize(width, int(document.size().height()))


class Navigator(QWidget):
    open_case = Signal(str)
    open_hit = Signal(object)
    new_case = Signal()
    #: below this width the case list drops its Modified column (the row's tooltip has the date):
    #: on a laptop screen the title column was left two letters wide
    NARROW = 420

    def __init__(self, session: Session, bridge: MessageBridge) -> None:
        super().__init__()
        self.session, self.bridge = session, bridge
        self.setAccessibleName("Case navigator")
        self.setMinimumWidth(300)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search all cases (Ctrl+F)")
        self.search.setAccessibleName("Search all cases")
        self.search.setClearButtonEnabled(True)
        self.status = self._filter_combo("Status", vocab.CASE_STATUS)
        self.tlp = self._filter_combo("TLP", vocab.TLP)
        self.severity = self._filter_combo("Severity", vocab.SEVERITY)
        self.country = QLineEdit()
        self.country.setPlaceholderText("Country (FR)")
        self.country.setAccessibleName("Filter by target country")
        self.country.setMaxLength(2)
        self.technique = QLineEdit()
        self.technique.setPlaceholderText("Technique (T0097)")
        self.technique.setAccessibleName("Filter by DISARM technique")
        self.new_button = QPushButton("New case…")
        self.new_button.setToolTip("Create a case (Ctrl+N)")
        self.new_button.clicked.connect(self.new_case)

        self.cases = CaseListModel(session, self)
        self.case_view = QTableView()
        self.case_view.setModel(self.cases)
        self.case_view.setAccessibleName("Cases")
        self.case_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.case_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.case_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.case_view.setWordWrap(False)
        self.case_view.verticalHeader().hide()
        self.case_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.case_view.horizontalHeader().setSortIndicator(4, Qt.SortOrder.DescendingOrder)
        self.case_view.setSortingEnabled(True)
        self.case_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.case_view.horizontalHeader().setMinimumSectionSize(40)
        metrics, padding = self.case_view.fontMetrics(), 16
        for column, widest in ((1, [level.upper() for level in vocab.TLP]), (2, vocab.CASE_STATUS),
                               (4, ["2025-01-15"])):
            self.case_view.setColumnWidth(column, max(map(metrics.horizontalAdvance, widest)) + padding)
        self.case_view.setColumnHidden(3, True)  # severity: in the row's tooltip and the case header
        self.case_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.case_view.activated.connect(self._case_activated)
        self.case_view.selectionModel().currentRowChanged.connect(self._case_activated)

        self.results = SearchResultsModel(self)
        self.result_view = QListView()
        self.result_view.setModel(self.results)
        self.result_view.setAccessibleName("Search results")
        self.result_view.setItemDelegate(SearchHitDelegate(self.result_view))
        self.result_view.setAlternatingRowColors(True)
        self.result_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.result_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.result_view.activated.connect(self._hit_activated)

        self.count = QLabel()
        self.count.setObjectName("caseCount")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.case_view)
        self.stack.addWidget(self.result_view)

        filters = QGridLayout()
        for column, (text, widget) in enumerate((("Status", self.status), ("TLP", self.tlp), ("Severity", self.severity))):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label, 0, column)
            filters.addWidget(widget, 1, column)
        filters.addWidget(self.country, 2, 0)
        filters.addWidget(self.technique, 2, 1, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 4)
        layout.addWidget(self.new_button)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.count)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.run_search)
        for combo in (self.status, self.tlp, self.severity):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        for line in (self.country, self.technique):
            line.editingFinished.connect(self.apply_filter)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.case_view.setColumnHidden(4, event.size().width() < self.NARROW)

    @staticmethod
    def _filter_combo(name: str, values: tuple[str, ...]) -> QComboBox:
        combo = QComboBox()
        combo.addItem("any", None)
        for value in values:
            combo.addItem(value, value)
        combo.setAccessibleName(f"Filter by {name}")
        return combo

    def where(self) -> CaseFilter:
        return CaseFilter(status=self.status.currentData(), tlp=self.tlp.currentData(),
                          severity=self.severity.currentData(), country=self.country.text().strip().upper() or None,
                          technique=self.technique.text().strip().upper() or None)

    def apply_filter(self) -> None:
        """Show the cases matching the filters, from the first page."""
        if self.session.is_locked:
            return
        where = self.where()
        self.cases.reload(where)
        if self.cases.canFetchMore():
            self.cases.fetchMore()
        total = self.session.store.count_cases(where)
        self.count.setText(f"{total:,} case{'s' if total != 1 else ''}"
                           + (" match the filters" if where != CaseFilter() else " in this workspace"))

    def select_first(self) -> None:
        """Open the first case of the list (the most recently changed, unless sorted otherwise)."""
        if self.cases.rowCount() and not self.case_view.currentIndex().isValid():
            self.case_view.selectRow(0)

    def follow(self, case_id: str) -> None:
        """Highlight the case on screen, however it was opened (search hit, related case, cluster);
        if the list does not show it (filtered out, not fetched yet), highlight nothing."""
        row = self.cases.row_of(case_id)
        if row == self.case_view.currentIndex().row() and row >= 0:
            return
        if row >= 0:
            self.case_view.selectRow(row)  # opening the open case again is a no-op
        else:
            self.case_view.selectionModel().clearCurrentIndex()
            self.case_view.clearSelection()

    def clear(self) -> None:
        self.cases.clear()
        self.results.set_hits([])
        self.search.clear()
        self.count.clear()

    def run_search(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        if not text or self.session.is_locked:
            self.stack.setCurrentIndex(0)
            self.results.set_hits([])
            return
        try:
            hits = self.session.store.search(text, limit=SEARCH_LIMIT)
        except RRMDeskError as exc:  # no words to search for: keep the list, say why
            self.bridge.note(exc.message)
            return
        self.results.set_hits(hits)
        self.stack.setCurrentIndex(1)
        self.count.setText(f"{len(hits)} hit{'s' if len(hits) != 1 else ''}, best first"
                           + (" (first 50)" if len(hits) == SEARCH_LIMIT else ""))

    def _case_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_case.emit(self.cases.case_id(index.row()))

    def _hit_activated(self, index: QModelIndex) -> None:
        hit: SearchHit | None = index.data(SearchResultsModel.HitRole)
        if hit is not None:
            self.open_hit.emit(hit)
