"""The part of a case a chart needs, read once into plain records.

Renderers take a ``CaseSnapshot`` instead of a ``Store`` so a worker thread can draw from a copy
while the analyst keeps editing, and so tests and the briefing can build one without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Actor, Case, Event, Evidence, Narrative, Relationship
from ..progress import Progress
from ..store import Store


@dataclass(frozen=True)
class CaseSnapshot:
    case: Case
    actors: list[Actor] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)

    def labels(self) -> dict[str, str]:
        """id -> the name shown for every object in the snapshot."""
        found: dict[str, str] = {}
        for records in (self.actors, self.narratives, self.events, self.evidence):
            for record in records:
                found[record.id] = record.label
        return found


def load_snapshot(store: Store, case_id: str, progress: Progress | None = None) -> CaseSnapshot:
    """Read what charts draw from one case (NotFoundError/UsageError for a bad id)."""
    case = store.get_case(case_id)
    kinds = (Actor, Narrative, Event, Evidence, Relationship)
    parts = []
    for done, cls in enumerate(kinds, start=1):
        parts.append(store.parts(case.id, cls))
        if progress:
            progress.update(done, len(kinds), "reading the case")
    actors, narratives, events, evidence, relationships = parts
    return CaseSnapshot(case, actors, narratives, events, evidence, relationships)  # type: ignore[arg-type]
