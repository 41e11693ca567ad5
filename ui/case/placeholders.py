"""Stand-ins for the Timeline and Graph views until ``ui/views/`` provides them.

Swap them in ``ui/case/tabs.py`` (the one place tabs are made); nothing else refers to them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout

from .context import CaseContext, CaseTab


class ViewPlaceholder(CaseTab):
    def __init__(self, context: CaseContext, what: str, arrives: str) -> None:
        super().__init__(context)
        text = QLabel(f"<h3>{what}</h3><p>{arrives}</p>")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        text.setAccessibleName(f"{what} (not available yet)")
        layout = QVBoxLayout(self)
        layout.addWidget(text)


class TimelinePlaceholder(ViewPlaceholder):
    def __init__(self, context: CaseContext) -> None:
        super().__init__(context, "Timeline", "The case timeline arrives with the views feature. "
                         "Events are listed, and editable, on the Events tab.")


class GraphPlaceholder(ViewPlaceholder):
    def __init__(self, context: CaseContext) -> None:
        super().__init__(context, "Actor-link graph", "The actor-link graph arrives with the views feature. "
                         "Links are listed, and editable, on the Relationships tab.")
