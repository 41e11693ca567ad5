"""What a briefing will hold, section by section, worked out before anything is built.

The Briefing dialog shows this as its live outline. The counts come from the core's own
``gather`` (so TLP discipline is the very filter the document will use) and the core's own
choice of chronology rows; only the figures and the .docx are not made. No Qt here: ``survey``
runs on a worker with its own store, ``outline_rows`` on the main thread whenever an option
that does not change the material (language, sections) changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rrmdesk import UsageError, vocab
from rrmdesk.briefing.content import CaseMaterial, Exclusions, default_marking, gather, record_marking
from rrmdesk.briefing.language import Wording
from rrmdesk.briefing.outline import SECTION_NAMES
from rrmdesk.model import Response
from rrmdesk.progress import Progress
from rrmdesk.store import Store


@dataclass(frozen=True)
class SectionFacts:
    """One section's content across the cases: a line for the analyst and its strictest marking."""

    holds: str
    marking: str | None  # None: nothing in it


@dataclass
class Survey:
    """The outcome of reading the cases at one marking: per-section facts and what was left out."""

    case_ids: tuple[str, ...]
    marking: str
    titles: list[str] = field(default_factory=list)
    #: titles of the cases left out whole (marked above the marking)
    withheld: list[str] = field(default_factory=list)
    sections: dict[str, SectionFacts] = field(default_factory=dict)
    excluded: Exclusions | None = None
    #: why nothing can be briefed at this marking ("" when something can)
    refusal: str = ""


@dataclass(frozen=True)
class OutlineRow:
    name: str
    heading: str
    holds: str
    marking: str | None


def _strictest(markings: Iterable[str]) -> str | None:
    found = list(markings)
    return max(found, key=vocab.tlp_rank) if found else None


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _marking_of(materials: Sequence[CaseMaterial], records: str) -> str | None:
    return _strictest(record_marking(m.case, r) for m in materials for r in getattr(m, records))


def _responses(responses: Sequence[Response]) -> str:
    from rrmdesk.briefing.sections import _TAKEN  # the section's own split, so the outline matches it

    recommended = sum(r.status not in _TAKEN for r in responses)
    taken = len(responses) - recommended
    parts = [f"{recommended} recommended"] * bool(recommended) + [f"{taken} under way or done"] * bool(taken)
    return ", ".join(parts)


#: How the analyst's note names each kind of record left out (the core's kind names are wire names).
KIND_NAMES = {"case": ("case", "cases"), "actor": ("actor", "actors"), "event": ("event", "events"),
              "evidence": ("evidence item", "evidence items"), "narrative": ("narrative", "narratives"),
              "relationship": ("relationship", "relationships"), "technique-use": ("technique use", "technique uses"),
              "judgment": ("judgment", "judgments"), "response": ("response", "responses")}


def excluded_text(excluded: Exclusions) -> str:
    """"2 cases, 238 events, 76 actors…" left out: cases first, then most first; empty when nothing was."""
    parts = []
    for kind, count in sorted(excluded.by_kind.items(), key=lambda item: (item[0] != "case", -item[1], item[0])):
        one, many = KIND_NAMES.get(kind, (kind, kind + "s"))
        parts.append(f"{count} {one if count == 1 else many}")
    return ", ".join(parts)


def survey(store: Store, case_ids: Sequence[str], marking: str, progress: Progress | None = None) -> Survey:
    """Read the cases as ``build_briefing`` will at ``marking`` and describe every section."""
    from rrmdesk.briefing.sections import ACTOR_ROWS, BLUF_JUDGMENTS, CHRONOLOGY_ROWS, chosen_events

    result = Survey(tuple(case_ids), marking)
    try:
        materials, excluded = gather(store, case_ids, marking, progress)
    except UsageError:
        cases = [store.get_case(case_id) for case_id in case_ids]
        if not cases:
            raise
        result.refusal = (f"Every chosen case is marked above TLP:{marking.upper()}, so nothing can be briefed at "
                          f"that marking. Produce it at TLP:{default_marking(cases).upper()} if its readers may "
                          "see that.")
        return result
    result.excluded = excluded
    result.titles = [m.case.title for m in materials]
    result.withheld = [store.get_case(case_id).title for case_id in excluded.withheld_cases]
    case_marking = _strictest(m.case.tlp for m in materials)
    several = len(materials) > 1
    in_cases = (lambda n: f" in {_plural(n, 'case')}") if several else (lambda n: "")

    judgments = sum(len(m.judgments) for m in materials)
    bluf_judgments = sum(min(len(m.judgments), BLUF_JUDGMENTS) for m in materials)
    events = sum(len(m.events) for m in materials)
    shown_events, chosen_by = 0, set()
    for material in materials:
        shown, rule = chosen_events(material.events, CHRONOLOGY_ROWS)
        shown_events += len(shown)
        chosen_by.add(rule)
    if shown_events == events:
        chronology = _plural(events, "event")
    elif chosen_by == {"chronology_key"}:
        chronology = f"{shown_events} key events of {events}"
    else:
        which = "key" if chosen_by - {""} == {"chronology_key"} else "key or best documented"
        chronology = f"{shown_events} of {events} events ({which} events of the long chronologies)"
    if sum(len(m.events) >= 2 for m in materials):
        chronology += ", with the timeline figure"
    actors = sum(len(m.actors) for m in materials)
    shown_actors = sum(min(len(m.actors), ACTOR_ROWS) for m in materials)
    actors_text = (f"{shown_actors} of {actors} actors, the most central" if shown_actors < actors
                   else _plural(actors, "actor"))
    if any(m.relationships for m in materials):
        actors_text += ", with the actor-link figure"
    codes = sum(len(m.technique_codes()) for m in materials)
    narratives = sum(len(m.narratives) for m in materials)
    responses = [r for m in materials for r in m.responses]
    lessons = [m for m in materials if m.case.lessons.strip()]
    evidence = sum(len(m.evidence) for m in materials)
    sources = {(item.source or "", item.url or "") for m in materials for item in m.evidence
               if item.source or item.url}

    def facts(text: str, level: str | None, count: int = 1) -> SectionFacts:
        return SectionFacts(text if count else "none recorded", level if count else None)

    result.sections = {
        "contents": SectionFacts("the section headings, as links", None),
        "bluf": SectionFacts(
            f"the summary{'' if not several else ' of each case'}"
            + (f" and {_plural(bluf_judgments, 'most confident judgment')}" if bluf_judgments else ""),
            _strictest(filter(None, (case_marking, _marking_of(materials, "judgments"))))),
        "judgments": facts(_plural(judgments, "key judgment") + in_cases(sum(bool(m.judgments) for m in materials)),
                           _marking_of(materials, "judgments"), judgments),
        "chronology": facts(chronology, _marking_of(materials, "events"), events),
        "actors": facts(actors_text, _strictest(filter(None, (_marking_of(materials, "actors"),
                                                              _marking_of(materials, "relationships")))), actors),
        "techniques": facts(_plural(codes, "DISARM technique"), _marking_of(materials, "techniques") or case_marking,
                            codes),
        "narratives": facts(_plural(narratives, "narrative"), _marking_of(materials, "narratives"), narratives),
        "responses": facts(_responses(responses), _marking_of(materials, "responses"), len(responses)),
        "lessons": facts("the lessons learned" + in_cases(len(lessons)), case_marking, len(lessons)),
        "evidence": facts(_plural(evidence, "item") + " with SHA-256, capture time and grade",
                          _marking_of(materials, "evidence"), evidence),
        "sources": SectionFacts(_plural(len(sources), "source") + " and the DISARM attribution",
                                _marking_of(materials, "evidence")),
    }
    return result


def outline_rows(result: Survey, language: str, without: Iterable[str] = ()) -> list[OutlineRow]:
    """The sections the briefing will hold, in document order, headed as the document heads them."""
    wording = Wording(language)
    left_out = set(without)
    rows = [OutlineRow("title", wording["situation_report" if len(result.titles) > 1 else "briefing_note"],
                       "; ".join(result.titles), result.marking)]
    for name in SECTION_NAMES:
        if name in left_out or name not in result.sections:
            continue
        section = result.sections[name]
        rows.append(OutlineRow(name, wording[name], section.holds, section.marking))
    return rows


def section_label(name: str, language: str) -> str:
    """A section's heading as the briefing writes it in ``language``."""
    return Wording(language)[name]

