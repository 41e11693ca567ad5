"""What a briefing may say: the records of each case that are releasable at the briefing's marking.

TLP discipline is applied here, once, before any section is written, so no section can leak a
record by accident. A record's marking is the stricter of its own ``tlp`` and its case's (a record
without one is "as the case"); a record above the briefing's marking is left out and counted, and
anything that would name a left-out record (an event's actor, a relationship's end) drops that
reference, so nothing more restricted reaches the document even indirectly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .. import vocab
from ..errors import UsageError
from ..model import (
    Actor,
    Case,
    CaseRecord,
    Event,
    Evidence,
    Judgment,
    Narrative,
    Relationship,
    Response,
    TechniqueUse,
)
from ..progress import Progress
from ..store import Store

#: The kinds a briefing draws on, in the order they are read (observables are not briefed).
BRIEFED_PARTS: tuple[type[CaseRecord], ...] = (
    Actor, Narrative, Evidence, Event, Relationship, TechniqueUse, Judgment, Response,
)


@dataclass
class CaseMaterial:
    """One case's releasable records, with lookups the sections share."""

    case: Case
    actors: list[Actor] = field(default_factory=list)
    narratives: list[Narrative] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    techniques: list[TechniqueUse] = field(default_factory=list)
    judgments: list[Judgment] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)

    def name_of(self, object_id: str) -> str | None:
        """The display name of an included actor, narrative or evidence item, else None."""
        return self._names().get(object_id)

    def _names(self) -> dict[str, str]:
        cached = self.__dict__.get("_name_cache")
        if cached is None:
            cached = {r.id: r.label for r in (*self.actors, *self.narratives, *self.evidence, *self.events)}
            self.__dict__["_name_cache"] = cached
        return cached

    def technique_codes(self) -> Counter[str]:
        """Every DISARM code the case records, with how many events show it (0: case-level only)."""
        counts: Counter[str] = Counter({use.code: 0 for use in self.techniques})
        for event in self.events:
            counts.update(event.techniques)
        return counts


@dataclass
class Exclusions:
    """What was left out and why: the note to the analyst, never printed in the document."""

    marking: str
    by_kind: Counter[str] = field(default_factory=Counter)
    withheld_cases: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def message(self) -> str:
        """One line for the analyst, or an empty string when nothing was left out."""
        if not self.total:
            return ""
        parts = ", ".join(f"{n} {kind}{'' if n == 1 else 's'}" for kind, n in sorted(self.by_kind.items()))
        return (f"{self.total} item{'' if self.total == 1 else 's'} marked above TLP:{self.marking.upper()} "
                f"left out of the briefing ({parts}).")


def record_marking(case: Case, record: CaseRecord) -> str:
    """A record's effective TLP: its own marking, never less strict than its case's."""
    return vocab.stricter_tlp(case.tlp, record.tlp) if record.tlp else case.tlp


def default_marking(cases: Sequence[Case]) -> str:
    """The strictest of the cases' markings: by default a briefing carries what its cases carry."""
    return max((case.tlp for case in cases), key=vocab.tlp_rank)


def gather(store: Store, case_ids: Sequence[str], marking: str,
           progress: Progress | None = None) -> tuple[list[CaseMaterial], Exclusions]:
    """Read the cases and keep what is releasable at ``marking``.

    Raises UsageError when no case at all can be briefed at that marking, since an empty
    briefing would mislead the reader about the state of the file.
    """
    if not case_ids:
        raise UsageError("no case to brief", "name one or more cases; see 'rrmdesk case list'")
    marking = vocab.choose(marking, vocab.TLP, "TLP marking")
    limit = vocab.tlp_rank(marking)
    progress = progress or Progress()
    exclusions = Exclusions(marking)
    materials: list[CaseMaterial] = []
    cases = [store.get_case(case_id) for case_id in dict.fromkeys(case_ids)]
    steps = len(cases) * len(BRIEFED_PARTS)
    for number, case in enumerate(cases):
        if vocab.tlp_rank(case.tlp) > limit:
            exclusions.withheld_cases.append(case.id)
            exclusions.by_kind["case"] += 1
            for kind, count in store.counts(case.id).items():
                if count and kind != "observable":
                    exclusions.by_kind[kind] += count
            progress.update((number + 1) * len(BRIEFED_PARTS), steps, "reading cases")
            continue
        material = CaseMaterial(case)
        left_out: set[str] = set()
        for step, cls in enumerate(BRIEFED_PARTS):
            kept = []
            for record in store.parts(case.id, cls):
                if vocab.tlp_rank(record_marking(case, record)) > limit:
                    exclusions.by_kind[cls.KIND] += 1
                    left_out.add(record.id)
                else:
                    kept.append(record)
            setattr(material, _FIELD[cls], kept)
            progress.update(number * len(BRIEFED_PARTS) + step + 1, steps, "reading cases")
        _drop_dangling(material, left_out, exclusions)
        materials.append(material)
    if not materials:
        strictest = default_marking(cases).upper()
        raise UsageError(f"every case named is marked above TLP:{marking.upper()}",
                         f"produce the briefing at TLP:{strictest} (--tlp {strictest.lower()}) "
                         "if its readers may see it")
    return materials, exclusions


_FIELD = {Actor: "actors", Narrative: "narratives", Evidence: "evidence", Event: "events",
          Relationship: "relationships", TechniqueUse: "techniques", Judgment: "judgments",
          Response: "responses"}


def _drop_dangling(material: CaseMaterial, left_out: set[str], exclusions: Exclusions) -> None:
    """Remove references to left-out records, and relationships that would name one.

    A relationship to something a briefing never shows (an observable) is simply not briefed;
    only one that touches a record left out for its marking counts as an exclusion.
    """
    actors = {a.id for a in material.actors}
    narratives = {n.id for n in material.narratives}
    evidence = {e.id for e in material.evidence}
    events = {e.id for e in material.events}
    kept_ids = actors | narratives | evidence | events
    for event in material.events:
        event.actor_ids = [i for i in event.actor_ids if i in actors]
        event.narrative_ids = [i for i in event.narrative_ids if i in narratives]
        event.evidence_ids = [i for i in event.evidence_ids if i in evidence]
    for actor in material.actors:
        if actor.attributed_to and actor.attributed_to not in actors:
            actor.attributed_to = ""
            actor.attribution_confidence = None
    related = []
    for relationship in material.relationships:
        if relationship.source_id in kept_ids and relationship.target_id in kept_ids:
            relationship.evidence_ids = [i for i in relationship.evidence_ids if i in evidence]
            related.append(relationship)
        elif {relationship.source_id, relationship.target_id} & left_out:
            exclusions.by_kind[Relationship.KIND] += 1
    material.relationships = related
