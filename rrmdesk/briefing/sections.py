"""The sections of a briefing, one function each, in the order a minister reads them.

Where a section has a figure, the figure comes first (the picture, then the detail), so a table
that runs over a page break does not leave half a page empty before a figure that did not fit.

Every function takes the composer and the ``Brief`` (releasable case material, options, figures)
and writes its part. With several cases (a situation report) each section covers every case,
under a sub-heading per case, and leaves out cases with nothing to say in it. Long material is
cut to what a reader can take in, with a note saying how much was left to the case file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

from .. import vocab
from ..disarm import Catalog, default_catalog
from ..errors import UsageError
from ..model import Event, Response
from .composer import Composer
from .content import CaseMaterial
from .markings import add_contents, banner_text
from .outline import SECTION_NAMES
from .template import Style

if TYPE_CHECKING:
    from .document import BriefingOptions

CHRONOLOGY_ROWS = 40
#: Actors beyond this many are left to the case file (the most central are kept).
ACTOR_ROWS = 25
KEY_NODES = 5
BLUF_JUDGMENTS = 3
_TAKEN = ("in-progress", "done", "cancelled")


@dataclass
class CaseFigures:
    """A case's rendered figures (PNG bytes) and graph metrics, or why a figure is missing."""

    timeline: bytes | None = None
    graph: bytes | None = None
    #: actor id -> (number of links, betweenness centrality)
    centrality: dict[str, tuple[int, float]] = field(default_factory=dict)
    timeline_problem: str = ""
    graph_problem: str = ""


@dataclass
class Brief:
    """Everything the sections draw on."""

    materials: list[CaseMaterial]
    options: "BriefingOptions"
    marking: str
    produced: str
    figures: Mapping[str, CaseFigures] = field(default_factory=dict)
    catalog: Catalog = field(default_factory=default_catalog)

    @property
    def several(self) -> bool:
        return len(self.materials) > 1

    def title(self, wording) -> str:
        if self.several:
            return wording.text("situation_report_title", count=len(self.materials))
        return self.materials[0].case.title


def _per_case(c: Composer, brief: Brief, has: Callable[[CaseMaterial], bool],
              write: Callable[[CaseMaterial], None]) -> None:
    """Write ``write(material)`` for each case that ``has`` something, under its own sub-heading."""
    wanted = [m for m in brief.materials if has(m)]
    if not wanted:
        c.note(c.wording["none_recorded"])
        return
    for material in wanted:
        if brief.several:
            c.heading(material.case.title, 2)
        write(material)


# -- title block ------------------------------------------------------------------------------


def title_block(c: Composer, brief: Brief) -> None:
    w, options = c.wording, brief.options
    kind = w["situation_report"] if brief.several else w["briefing_note"]
    c.paragraph(kind.upper(), Style.LABEL)
    c.paragraph(brief.title(w), Style.TITLE)
    facts = []
    if options.ministry:
        facts.append((w["ministry"], options.ministry))
    if options.analyst:
        facts.append((w["analyst"], options.analyst))
    facts.append((w["date"], w.date(brief.produced)))
    facts.append((w["version"], options.version))
    if brief.several:
        facts.append((w["cases"], "\n".join(f"{m.case.title} ({m.case.id})" for m in brief.materials)))
    else:
        case = brief.materials[0].case
        facts.append((w["case"], case.id))
        facts.append((w["severity"], w.severity(case.severity)))
        targets = _targets(case, w)
        if targets:
            facts.append((w["targets"], targets))
    facts.append((w["marking"], banner_text(options.classification, brief.marking)))
    _facts_table(c, facts)
    c.labelled("handling", f"TLP:{brief.marking.upper()}. {w.handling(brief.marking)}", Style.NOTE)


def _targets(case, w) -> str:
    """Countries, then elections and institutions: "FR, DE; EU elections" (French: " ; ")."""
    groups = [", ".join(case.target_countries)] * bool(case.target_countries) + case.targets
    return ("; " if w.code == "en" else "\u00a0; ").join(groups)


def _facts_table(c: Composer, facts: Sequence[tuple[str, str]]) -> None:
    table = c.document.add_table(rows=0, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    widths = (Cm(4.0), Cm(c.text_width_cm - 4.0))
    for column, width in zip(table.columns, widths):
        column.width = width
    for label, value in facts:
        row = table.add_row()
        for cell, text, style, width in zip(row.cells, (label, value), (Style.LABEL, Style.TABLE_TEXT), widths):
            cell.width = width
            lines = text.split("\n")
            c.style(cell.paragraphs[0], style).add_run(lines[0])
            for line in lines[1:]:
                c.style(cell.add_paragraph(line), style)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    table._tbl.tblPr.append(borders)
    c.paragraph("", Style.TABLE_TEXT)


# -- contents and BLUF ------------------------------------------------------------------------


def contents(c: Composer, brief: Brief) -> None:
    c.contents_anchor = add_contents(c.document, c.wording)


def _ranked_judgments(material: CaseMaterial):
    """Highest confidence first, then the firmest likelihood (furthest from even chance)."""
    def key(judgment):
        firmness = abs(vocab.LIKELIHOOD.index(judgment.likelihood) - vocab.LIKELIHOOD.index("roughly-even-chance"))
        return (-vocab.CONFIDENCE.index(judgment.confidence), -firmness)
    return sorted(material.judgments, key=key)


def bluf(c: Composer, brief: Brief) -> None:
    w = c.wording
    c.heading(w["bluf"])

    def write(material: CaseMaterial) -> None:
        case = material.case
        for text in _paragraphs(case.summary) or [case.title]:
            c.paragraph(text, Style.BLUF)
        for judgment in _ranked_judgments(material)[:BLUF_JUDGMENTS]:
            worded = w.judgment(judgment.statement, judgment.likelihood, judgment.confidence)
            c.paragraph("\u2022 " + worded, Style.BLUF)
        facts = w.text("summary_severity", severity=w.severity(case.severity))
        if _targets(case, w):
            facts += " " + w.text("summary_targets", targets=_targets(case, w))
        c.paragraph(facts, Style.BLUF).runs[0].italic = True
        c.paragraph("", Style.TABLE_TEXT)

    _per_case(c, brief, lambda m: True, write)


def judgments(c: Composer, brief: Brief) -> None:
    w = c.wording
    c.heading(w["judgments"])

    def write(material: CaseMaterial) -> None:
        for number, judgment in enumerate(_ranked_judgments(material), 1):
            paragraph = c.paragraph("", Style.JUDGMENT)
            paragraph.add_run(f"{number}.\t").bold = True
            paragraph.add_run(w.judgment(judgment.statement, judgment.likelihood, judgment.confidence))
            if judgment.basis:
                c.labelled("basis", judgment.basis, Style.NOTE).paragraph_format.left_indent = Cm(0.75)

    _per_case(c, brief, lambda m: bool(m.judgments), write)


# -- chronology and actors --------------------------------------------------------------------


def chosen_events(events: Sequence[Event], limit: int = CHRONOLOGY_ROWS) -> tuple[list[Event], str]:
    """The events a chronology table shows, and which rule chose them ("" when all are shown).

    Beyond ``limit`` rows a table stops informing: the analyst's key events are shown if any,
    otherwise the events with the most evidence, actors and techniques behind them.
    """
    if len(events) <= limit:
        return list(events), ""
    key = [e for e in events if e.key]
    if key:
        return sorted(key, key=lambda e: (e.start, e.id))[:limit], "chronology_key"
    def documented(event: Event) -> tuple:
        return -(len(event.evidence_ids) + len(event.actor_ids) + len(event.techniques)), event.start, event.id

    weight = sorted(events, key=documented)
    return sorted(weight[:limit], key=lambda e: (e.start, e.id)), "chronology_documented"


def chronology(c: Composer, brief: Brief) -> None:
    w = c.wording
    c.heading(w["chronology"])

    def write(material: CaseMaterial) -> None:
        if not material.events:
            c.note(w["no_events"])
            return
        figures = brief.figures.get(material.case.id, CaseFigures())
        c.figure(figures.timeline, w["figure_timeline"], _missing(w, figures.timeline_problem))
        shown, rule = chosen_events(material.events, brief.options.table_rows)
        rows = [[w.date_time(e.start, "\n"), e.title, ", ".join(filter(None, map(material.name_of, e.actor_ids))),
                 e.platform, w.grade(e.reliability, e.credibility)] for e in shown]
        c.table([w["col_date"], w["col_event"], w["col_actors"], w["col_platform"], w["col_grade"]], rows,
                [2.9, 6.6, 3.6, 2.2, 2.0])
        if rule:
            c.note(w.text("chronology_limited", shown=w.number(len(shown)), total=w.number(len(material.events)),
                          which=w[rule]))

    _per_case(c, brief, lambda m: True, write)


def _missing(w, problem: str, otherwise: str = "") -> str:
    """What stands in for a figure: why drawing failed, else ``otherwise`` (a label key), else nothing."""
    if problem:
        return w.text("figure_missing_error", reason=problem)
    return w[otherwise] if otherwise else ""


def actors(c: Composer, brief: Brief) -> None:
    w = c.wording
    c.heading(w["actors"])

    def write(material: CaseMaterial) -> None:
        if not material.actors:
            c.note(w["no_actors"])
            return
        figures = brief.figures.get(material.case.id, CaseFigures())
        centrality = figures.centrality if any(links for links, _ in figures.centrality.values()) else {}
        kind_order = {kind: i for i, kind in enumerate(vocab.ACTOR_KIND)}
        ordered = sorted(material.actors, key=lambda a: (tuple(-v for v in centrality.get(a.id, (0, 0.0))),
                                                         kind_order[a.kind], a.name.casefold()))
        limit = min(brief.options.table_rows, ACTOR_ROWS)
        shown = ordered[:limit]
        headers = [w["col_actor"], w["col_kind"], w["col_country"], w["col_account"], w["col_attribution"]]
        widths = [4.6, 2.6, 1.8, 3.6, 4.2]
        if centrality:
            headers += [w["col_links"], w["col_betweenness"]]
            widths = [4.0, 2.4, 1.7, 2.9, 3.4, 1.3, 2.9]
        rows = []
        for actor in shown:
            attributed = ""
            if actor.attributed_to:
                name = material.name_of(actor.attributed_to) or ""
                attributed = w.text("attributed", name=name, confidence=w.confidence(actor.attribution_confidence)) \
                    if actor.attribution_confidence else name
            account = " ".join(filter(None, (actor.platform, actor.handle)))
            row = [actor.name, w.actor_kind(actor.kind), actor.country, account, attributed]
            if centrality:
                links, betweenness = centrality.get(actor.id, (0, 0.0))
                row += [str(links), f"{betweenness:.2f}"]
            rows.append(row)
        c.figure(figures.graph, w["figure_graph"], _missing(w, figures.graph_problem, "graph_no_links"))
        brokers = sorted((a for a in material.actors if centrality.get(a.id, (0, 0.0))[1] > 0),
                         key=lambda a: (-centrality[a.id][1], a.name.casefold()))[:KEY_NODES]
        if brokers:
            nodes = ", ".join(f"{a.name} ({centrality[a.id][1]:.2f})" for a in brokers)
            c.paragraph(w.text("key_nodes", nodes=nodes))
        c.table(headers, rows, widths)
        if len(ordered) > limit:
            c.note(w.text("actors_limited", shown=w.number(len(shown)), total=w.number(len(ordered))))

    _per_case(c, brief, lambda m: True, write)


# -- techniques, narratives, responses, lessons -----------------------------------------------


def techniques(c: Composer, brief: Brief) -> None:
    w = c.wording
    c.heading(w["techniques"])
    catalog = brief.catalog

    def write(material: CaseMaterial) -> None:
        counts = material.technique_codes()
        notes = {use.code: use.note for use in material.techniques if use.note}
        groups: dict[str, list[str]] = {}
        for code in sorted(counts):
            technique = catalog.get(code)
            groups.setdefault(technique.tactic if technique else "", []).append(code)
        tactics = {t.id: t for t in catalog.tactics()}
        for tactic_id in sorted(groups, key=lambda t: (t == "", t)):
            tactic = tactics.get(tactic_id)
            c.heading(f"{tactic.id} {tactic.name}" if tactic else w["unknown_techniques"], 3)
            for code in groups[tactic_id]:
                technique = catalog.get(code)
                lead = f"{code} {technique.name}" if technique else code
                seen = counts[code]
                details = [w.text("in_events", count=seen) if seen > 1 else w["in_one_event"] if seen else ""]
                details.append(notes.get(code, ""))
                text = "; ".join(d for d in details if d)
                c.bullet(f"\u2014 {text}" if text else "", lead=lead)

    _per_case(c, brief, lambda m: bool(m.technique_codes()), write)


def narratives(c: Composer, brief: Brief) -> None:
    w = c.wording
    c.heading(w["narratives"])

    def write(material: CaseMaterial) -> None:
        seen: dict[str, int] = {}
        for event in material.events:
            for narrative_id in event.narrative_ids:
                seen[narrative_id] = seen.get(narrative_id, 0) + 1
        for narrative in sorted(material.narratives, key=lambda n: (n.first_seen or "~", n.title)):
            details = []
            if narrative.first_seen:
                details.append(w.text("first_seen", date=w.date(narrative.first_seen)))
            count = seen.get(narrative.id, 0)
            if count:
                details.append(w.text("in_events", count=count) if count > 1 else w["in_one_event"])
            said = f"\u2014 {narrative.description}" if narrative.description else ""
            seen_when = f"({'; '.join(details)})" if details else ""
            c.bullet(" ".join(part for part in (said, seen_when) if part), lead=narrative.title)

    _per_case(c, brief, lambda m: bool(m.narratives), write)


def responses(c: Composer, brief: Brief) -> None:
    w = c.wording
    c.heading(w["responses"])

    def write(material: CaseMaterial) -> None:
        taken = [r for r in material.responses if r.status in _TAKEN]
        recommended = [r for r in material.responses if r.status not in _TAKEN]
        level = 3 if brief.several else 2
        for key, group in (("responses_recommended", recommended), ("responses_taken", taken)):
            if not group:
                continue
            c.heading(w[key], level)
            rows = [[r.action, _countermeasure(brief.catalog, r), r.party, w.response_status(r.status),
                     w.date(r.date) if r.date else ""] for r in group]
            c.table([w["col_action"], w["col_countermeasure"], w["col_party"], w["col_status"], w["date"]],
                    rows, [6.0, 5.0, 3.0, 2.0, 2.4])

    _per_case(c, brief, lambda m: bool(m.responses), write)


def _countermeasure(catalog: Catalog, response: Response) -> str:
    if not response.countermeasure:
        return ""
    try:
        return f"{response.countermeasure} {catalog.countermeasure(response.countermeasure).name}"
    except UsageError:
        return response.countermeasure


def _paragraphs(text: str) -> list[str]:
    return [" ".join(line.split()) for line in re.split(r"\n\s*\n", text or "") if line.strip()]


def lessons(c: Composer, brief: Brief) -> None:
    w = c.wording
    c.heading(w["lessons"])

    def write(material: CaseMaterial) -> None:
        for line in material.case.lessons.splitlines():
            text = line.strip()
            if not text:
                continue
            if text[0] in "-*\u2022":
                c.bullet(text[1:].strip())
            else:
                c.paragraph(text)

    _per_case(c, brief, lambda m: bool(m.case.lessons.strip()), write)


# -- annexes ----------------------------------------------------------------------------------


def defang(url: str) -> str:
    """Printed links are defanged (hxxps://example[.]com) so nobody follows one by accident."""
    text = re.sub(r"^http", "hxxp", url.strip(), flags=re.IGNORECASE)
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "", text
    host, slash, path = rest.partition("/")
    host = host.replace(".", "[.]")
    return f"{scheme}{sep}{host}{slash}{path}"


def evidence(c: Composer, brief: Brief) -> None:
    w = c.wording
    c.new_page_section()
    c.heading(w["evidence"])

    def write(material: CaseMaterial) -> None:
        rows = []
        for number, item in enumerate(material.evidence, 1):
            where = item.filename or (defang(item.url) if item.url else "")
            captured = w.date_time(item.captured_at, "\n") if item.captured_at else ""
            if item.captured_by:
                captured = f"{captured}\n{w.text('by', who=item.captured_by)}".strip()
            digest = f"{item.sha256[:32]}\n{item.sha256[32:]}" if item.sha256 else "\u2014"
            rows.append([str(number), f"{item.title}\n{where}".strip(), captured,
                         w.grade(item.reliability, item.credibility, long=True), digest])
        c.table([w["col_number"], w["col_item"], w["col_captured"], w["col_grade"], w["col_sha256"]], rows,
                [1.0, 5.0, 2.8, 3.1, 5.2], mono_columns=(4,))

    _per_case(c, brief, lambda m: bool(m.evidence), write)


def sources(c: Composer, brief: Brief) -> None:
    w = c.wording
    c.heading(w["sources"])
    listed: dict[str, str] = {}
    for material in brief.materials:
        for item in material.evidence:
            name = item.source or ""
            link = defang(item.url) if item.url else ""
            text = " \u2014 ".join(part for part in (name, link) if part)
            if text:
                grade = w.grade(item.reliability, item.credibility)
                listed.setdefault(text, grade)
    for number, (text, grade) in enumerate(listed.items(), 1):
        c.paragraph(f"{number}.\t{text}" + (f" ({grade})" if grade else ""), Style.JUDGMENT)
    catalog = brief.catalog
    c.paragraph(w.text("disarm_source", attribution=catalog.attribution), Style.NOTE)


#: Sections an analyst can switch off, in document order.
SECTIONS: dict[str, Callable[[Composer, Brief], None]] = {
    "contents": contents,
    "bluf": bluf,
    "judgments": judgments,
    "chronology": chronology,
    "actors": actors,
    "techniques": techniques,
    "narratives": narratives,
    "responses": responses,
    "lessons": lessons,
    "evidence": evidence,
    "sources": sources,
}
assert tuple(SECTIONS) == SECTION_NAMES, "outline.SECTION_NAMES must list every section in order"
