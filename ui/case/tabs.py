"""The one place the case workspace's tabs are made, in the order the analyst sees them.

To replace a tab, change its factory here; each factory takes the ``CaseContext`` and returns
a ``CaseTab``. The Timeline and Graph are the ``ui.views`` charts (``charts.py`` hosts them).
"""

from __future__ import annotations

from collections.abc import Callable

from .audit import AuditTab
from .charts import graph_tab, timeline_tab
from .context import CaseContext, CaseTab
from .events import EventsTab
from .evidence import EvidenceTab
from .observables import ObservablesTab
from .overview import OverviewTab
from .parts import ACTORS, NARRATIVES, RESPONSES
from .record_table import RecordTab
from .related import RelatedTab
from .relationships import RelationshipsTab
from .techniques import TechniquesTab

TabFactory = Callable[[CaseContext], CaseTab]

TABS: tuple[tuple[str, TabFactory], ...] = (
    ("Overview", OverviewTab),
    ("Related", RelatedTab),
    ("Timeline", timeline_tab),
    ("Graph", graph_tab),
    ("Actors", lambda context: RecordTab(context, ACTORS)),
    ("Observables", ObservablesTab),
    ("Events", EventsTab),
    ("Narratives", lambda context: RecordTab(context, NARRATIVES)),
    ("Evidence", EvidenceTab),
    ("Relationships", RelationshipsTab),
    ("Techniques", TechniquesTab),
    ("Responses", lambda context: RecordTab(context, RESPONSES)),
    ("Audit", AuditTab),
)


def build_tabs(context: CaseContext) -> list[tuple[str, CaseTab]]:
    return [(title, factory(context)) for title, factory in TABS]
