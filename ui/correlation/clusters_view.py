"""The workspace as clusters of related cases: separate incidents that may be one operation.

Clustering reads every observable of the workspace (seconds on a large one), so it runs on a
worker through the ``TaskRunner`` (progress dialog, Cancel); without a runner it runs in place,
for small workspaces and tests. Each cluster lists its cases, best linked first, and what they
share; double-click a case to open it (``caseActivated``).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from rrmdesk import RRMDeskError, Store
from rrmdesk.correlation import Cluster, clusters
from rrmdesk.correlation.clusters import THRESHOLD, NoiseSeen

from ..screen import fit_to_screen
from ..tasks import TaskRunner

CaseRole = Qt.ItemDataRole.UserRole + 1


def _item(text: str, case_id: str = "") -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    if case_id:
        item.setData(case_id, CaseRole)
    return item


def case_links(cluster: Cluster, case_id: str) -> str:
    """What ties one case into its cluster: how many cases it links to, and the values it shares."""
    partners: set[str] = set()
    values: list[str] = []
    for link in cluster.links:
        if case_id in (link.case_a, link.case_b):
            partners.add(link.case_b if case_id == link.case_a else link.case_a)
            values.extend(value for _, value in link.shared if value not in values)
    more = f" and {len(values) - 5} more" if len(values) > 5 else ""
    return f"linked to {len(partners)} · shares {', '.join(values[:5])}{more}"


def cluster_rows(found: list[Cluster]) -> QStandardItemModel:
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels(["Cluster / case", "Shared"])
    for number, cluster in enumerate(found, 1):
        shared = ", ".join(value for _, value, _ in cluster.shared[:6])
        top = [_item(f"Cluster {number}: {len(cluster.cases)} cases, score {cluster.score:.2f}"), _item(shared)]
        font = top[0].font()
        font.setBold(True)
        top[0].setFont(font)
        for case_id, title in cluster.cases:
            row = [_item(title, case_id), _item(case_links(cluster, case_id), case_id)]
            row[0].setToolTip(f"{case_id}\nDouble-click to open this case")
            top[0].appendRow(row)
        model.appendRow(top)
    return model


class ClustersView(QWidget):
    """Clusters of related cases across the workspace; emits ``caseActivated(case_id)``."""

    caseActivated = Signal(str)

    def __init__(self, store: Store, runner: TaskRunner | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.runner = store, runner
        self.setAccessibleName("Clusters of related cases")
        self.threshold = QDoubleSpinBox(self)
        self.threshold.setRange(0.1, 100.0)
        self.threshold.setSingleStep(0.5)
        self.threshold.setValue(THRESHOLD)
        self.threshold.setToolTip("Least score that links two cases (a value shared by two cases scores 1)")
        self.find_button = QPushButton("Find clusters", self)
        self.find_button.clicked.connect(self.refresh)
        self.tree = QTreeView(self)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setModel(cluster_rows([]))
        self.tree.doubleClicked.connect(self._activated)
        self.tree.activated.connect(self._activated)
        self.status = QLabel("Press Find clusters to group related cases.", self)
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Link threshold:", self))
        bar.addWidget(self.threshold)
        bar.addWidget(self.find_button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        self.found: list[Cluster] = []

    def refresh(self) -> None:
        threshold = self.threshold.value()
        self.find_button.setEnabled(False)
        if self.runner is None:
            try:
                self._show(clusters(self.store, threshold))
            except RRMDeskError as exc:
                self._failed(exc)
            return
        self.runner.run("Finding clusters of related cases",
                        lambda own, progress: clusters(own, threshold, progress=progress),
                        on_done=self._show, store=self.store, on_error=self._failed)

    def clear(self) -> None:
        self.found = []
        self.tree.setModel(cluster_rows([]))
        self.status.setText("Press Find clusters to group related cases.")

    def _show(self, result: tuple[list[Cluster], NoiseSeen]) -> None:
        self.found, seen = result
        self.tree.setModel(cluster_rows(self.found))
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        noisy = sorted(seen.values.items(), key=lambda item: -item[1][0])[:5]
        left_out = ", ".join(f"{value} ({cases})" for (_, value), (cases, _) in noisy)
        count = len(self.found)
        self.status.setText(f"{count} cluster{'s' if count != 1 else ''}."
                            + (" Double-click a case to open it in the main window." if count else "")
                            + (f" Not scored (noise): {left_out}." if left_out else ""))
        self.find_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(exc.text() if isinstance(exc, RRMDeskError) else f"Clustering failed: {type(exc).__name__}")
        self.find_button.setEnabled(True)

    def _activated(self, index: QModelIndex) -> None:
        case_id = index.data(CaseRole)
        if case_id:
            self.caseActivated.emit(case_id)


class ClustersDialog(QDialog):
    """The clusters view in its own window beside the main one (Workspace ▸ Clusters of related cases).

    Not modal: the analyst double-clicks case after case and reads each in the main window.
    """

    def __init__(self, store: Store, runner: TaskRunner | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clusters of related cases")
        self.view = ClustersView(store, runner, self)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(close)
        fit_to_screen(self, 900, 600)
        self.finished.connect(self.view.clear)  # closed (or the workspace locked): drop the case titles

    def show_workspace(self, store: Store) -> None:
        """Show (or bring forward) the window and cluster the workspace of ``store``."""
        self.view.store = store
        self.show()
        self.raise_()
        self.activateWindow()
        self.view.refresh()
