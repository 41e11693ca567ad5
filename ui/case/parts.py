"""What each kind of case object looks like as a table: its columns and a fresh record to add.

Declared once here, so the tables, the inspector and the tests agree on names and order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rrmdesk import (
    Actor,
    Event,
    Evidence,
    Judgment,
    Narrative,
    Observable,
    Relationship,
    Response,
    TechniqueUse,
    vocab,
)
from rrmdesk.clock import utc_now
from rrmdesk.disarm import default_catalog
from rrmdesk.model import Record

from ..models.columns import Column, human_size


def _technique_name(record: Record) -> str:
    technique = default_catalog().get(record.code)  # type: ignore[attr-defined]
    return technique.name if technique else "(not in the DISARM catalog)"


def _technique_tactic(record: Record) -> str:
    catalog = default_catalog()
    technique = catalog.get(record.code)  # type: ignore[attr-defined]
    if technique is None:
        return ""
    tactic = {t.id: t for t in catalog.tactics()}.get(technique.tactic)
    return f"{tactic.id} {tactic.name}" if tactic else technique.tactic


def _grade(record: Record) -> str:
    reliability, credibility = getattr(record, "reliability", None), getattr(record, "credibility", None)
    return f"{reliability or '?'}{credibility or '?'}" if reliability or credibility else ""


@dataclass(frozen=True)
class Part:
    title: str
    kind: type[Record]
    columns: tuple[Column, ...]
    #: a new record for the case with placeholder values the analyst then edits in place
    new: Callable[[str], Record] | None
    noun: str
    #: the column rows are sorted by when the case opens (-1: the store's order, e.g. events by start)
    sort_by: int = -1


RELIABILITY = Column("reliability", "Reliability", "choice", vocab.RELIABILITY, optional=True,
                     tip="Admiralty scale: A completely reliable … F cannot be judged")
CREDIBILITY = Column("credibility", "Credibility", "choice", vocab.CREDIBILITY, optional=True,
                     tip="Admiralty scale: 1 confirmed … 6 cannot be judged")
TLP = Column("tlp", "TLP", "choice", vocab.TLP, optional=True, tip="Empty: as the case")

ACTORS = Part("Actors", Actor, (
    Column("name", "Name"),
    Column("kind", "Kind", "choice", vocab.ACTOR_KIND),
    Column("country", "Country", tip="ISO 3166 two-letter code"),
    Column("platform", "Platform"),
    Column("handle", "Handle"),
    Column("aliases", "Aliases", "list", tip="Comma-separated"),
    Column("attributed_to", "Attributed to", "ref", optional=True, refers_to=("actor",)),
    Column("attribution_confidence", "Confidence", "choice", vocab.CONFIDENCE, optional=True),
    Column("description", "Description"),
), lambda case_id: Actor(case_id=case_id, name="New actor"), "actor", sort_by=0)

OBSERVABLES = Part("Observables", Observable, (
    Column("value", "Value", tip="As seen; defanged forms (hxxp, [.]) are fine"),
    Column("kind", "Kind", "choice", vocab.OBSERVABLE_KIND),
    Column("normalized", "Normalised", editable=False, tip="The form that is compared with other cases"),
    Column("note", "Note"),
    TLP,
), None, "observable", sort_by=0)  # added by pasting a value (ObservablesTab.add): its kind follows from it

EVENTS = Part("Events", Event, (
    Column("start", "Start (UTC)", "time", tip="ISO 8601, e.g. 2024-03-01 or 2024-03-01T14:30Z"),
    Column("end", "End (UTC)", "time", optional=True),
    Column("title", "Title"),
    Column("key", "Key", "bool", tip="A key event, highlighted on the timeline and in briefings"),
    Column("platform", "Platform"),
    Column("location", "Location"),
    Column("actor_ids", "Actors", "refs", editable=False),
    Column("techniques", "Techniques", "list", tip="DISARM T-codes, comma-separated"),
    Column("grade", "Grade", show=_grade, tip="Admiralty grade: reliability and credibility"),
    RELIABILITY,
    CREDIBILITY,
    Column("description", "Description"),
), lambda case_id: Event(case_id=case_id, title="New event", start=utc_now()), "event")

NARRATIVES = Part("Narratives", Narrative, (
    Column("title", "Title"),
    Column("language", "Language"),
    Column("first_seen", "First seen (UTC)", "time", optional=True),
    Column("description", "Description"),
), lambda case_id: Narrative(case_id=case_id, title="New narrative"), "narrative", sort_by=0)

EVIDENCE = Part("Evidence", Evidence, (
    Column("title", "Title"),
    Column("kind", "Kind", editable=False),
    Column("filename", "File or URL", show=lambda r: r.filename or r.url or "(text excerpt)"),  # type: ignore[attr-defined]
    Column("media_type", "Type", editable=False),
    Column("size", "Size", show=lambda r: human_size(r.size) if r.kind == "file" else ""),  # type: ignore[attr-defined]
    Column("sha256", "SHA-256", show=lambda r: r.sha256[:16] + "…" if r.sha256 else "",  # type: ignore[attr-defined]
           tip="The first 16 hex digits; the inspector shows all 64"),
    Column("source", "Source"),
    Column("captured_at", "Captured (UTC)", "time", optional=True),
    Column("captured_by", "Captured by"),
    RELIABILITY,
    CREDIBILITY,
    TLP,
), None, "evidence file")

RELATIONSHIPS = Part("Relationships", Relationship, (
    Column("source_id", "Source", "ref"),
    Column("type", "Relationship", tip="Lower-case words joined by hyphens, e.g. amplifies"),
    Column("target_id", "Target", "ref"),
    Column("confidence", "Confidence", "choice", vocab.CONFIDENCE, optional=True),
    Column("first_seen", "First seen (UTC)", "time", optional=True),
    Column("last_seen", "Last seen (UTC)", "time", optional=True),
    Column("description", "Description"),
), None, "relationship")

TECHNIQUES = Part("Techniques", TechniqueUse, (
    Column("code", "Code", editable=False),
    Column("name", "Technique", show=_technique_name),
    Column("tactic", "Tactic", show=_technique_tactic),
    Column("note", "Note"),
), None, "technique", sort_by=0)

RESPONSES = Part("Responses", Response, (
    Column("action", "Action"),
    Column("countermeasure", "Countermeasure", tip="DISARM countermeasure code, e.g. C00009"),
    Column("party", "Responsible"),
    Column("status", "Status", "choice", vocab.RESPONSE_STATUS),
    Column("date", "Date (UTC)", "time", optional=True),
), lambda case_id: Response(case_id=case_id, action="New response"), "response")

JUDGMENTS = Part("Key judgments", Judgment, (
    Column("statement", "Judgment"),
    Column("likelihood", "Likelihood", "choice", vocab.LIKELIHOOD, tip="ICD 203 estimative language"),
    Column("confidence", "Confidence", "choice", vocab.CONFIDENCE),
    Column("basis", "Basis"),
), lambda case_id: Judgment(case_id=case_id, statement="New judgment"), "judgment")
