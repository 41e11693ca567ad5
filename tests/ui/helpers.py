"""Driving the widgets the way an analyst does: edit a cell, press buttons, drop files."""

from __future__ import annotations

import warnings
from pathlib import Path

from PySide6.QtCore import QMimeData, QModelIndex, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QApplication, QComboBox, QLineEdit, QTableView

#: How long any wait in the UI tests may last before it counts as a hang. Not a measure of speed:
#: a worker-thread render on a loaded CI machine can take many times pytest-qt's 5 s default.
#: Every ``qtbot.waitUntil``/``waitSignal``/``waitExposed`` in tests/ui passes ``timeout=WAIT_MS``.
WAIT_MS = 60_000


def column_of(view: QTableView, header: str) -> int:
    model = view.model()
    for column in range(model.columnCount()):
        if model.headerData(column, Qt.Orientation.Horizontal) == header:
            return column
    raise AssertionError(f"no column {header!r}")


def cell(view: QTableView, row: int, header: str) -> QModelIndex:
    return view.model().index(row, column_of(view, header))


def type_into_cell(qtbot, view: QTableView, row: int, header: str, text: str) -> None:
    """Open the cell's editor, type, press Enter: the delegate commits like a keyboard user's edit."""
    index = cell(view, row, header)
    other = view.currentIndex()
    if other != index and view.indexWidget(other) is not None:  # leave the cell being edited first
        qtbot.keyClick(view.indexWidget(other), Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: view.indexWidget(other) is None, timeout=WAIT_MS)
    if view.indexWidget(index) is None:
        view.setCurrentIndex(index)
        view.edit(index)
    editor = view.indexWidget(index)
    assert isinstance(editor, QLineEdit), "no line editor opened"
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.indexWidget(index) is None, timeout=WAIT_MS)  # the delegate commits on a queued call


def choose_in_cell(view: QTableView, row: int, header: str, shown: str) -> None:
    index = cell(view, row, header)
    view.setCurrentIndex(index)
    view.edit(index)
    combo = view.indexWidget(index)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findText(shown))
    view.commitData(combo)
    view.closeEditor(combo, QAbstractItemDelegate.EndEditHint.NoHint)


def drop_files(view: QTableView, paths: list[Path]) -> None:
    """Drag files from the desktop over the table and let go, as a file manager does."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = view.viewport().rect().center()
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    with warnings.catch_warnings():  # PySide marks the only QDragEnterEvent constructor deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(point, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(view.viewport(), enter)
    assert enter.isAccepted(), "the table refused the drag"
    drop = QDropEvent(QPointF(point), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(view.viewport(), drop)
