"""What a chart says: every string drawn on a figure, and the English words a French chart must not draw.

The strings are read from the figure's text artists after a layout pass (date ticks are only
formatted then), so a word hard-coded anywhere in the drawing code is caught, not only the
words that pass through the wording table.
"""

from __future__ import annotations

import re

from matplotlib.figure import Figure
from matplotlib.text import Text

from rrmdesk.briefing.language import ACTOR_KIND, CONFIDENCE_TERM, RELATIONSHIP_TYPE, Wording
from rrmdesk.charts import CaseSnapshot
from rrmdesk.charts.wording import CHART_LABELS, ChartWording
from rrmdesk.disarm import default_catalog

_WORD = re.compile(r"[^\W\d_]+")


def drawn_strings(figure: Figure) -> list[str]:
    """Every non-empty string the figure draws (titles, legends, ticks, labels, notes)."""
    figure.draw_without_rendering()
    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]


def words(texts) -> set[str]:
    return {w.casefold() for text in texts for w in _WORD.findall(text)}


def _vocabulary(code: str) -> set[str]:
    """Words of the charts' table (placeholders left out), month names and shared vocabulary in one language."""
    wording = Wording(code)
    texts = [re.sub(r"\{[^}]*\}", " ", text) for text in CHART_LABELS[code].values()]
    texts += [wording.month_abbreviation(m) for m in range(1, 13)]
    texts += list(ACTOR_KIND[code].values()) + list(CONFIDENCE_TERM[code].values())
    texts += [wording.relationship(kind).replace("-", " ") for kind in RELATIONSHIP_TYPE["fr"]]
    return words(texts)


def english_chart_words() -> set[str]:
    """English words of the charts that French does not share ("minutes", "phase" are both)."""
    return _vocabulary("en") - _vocabulary("fr")


def data_words(snapshot: CaseSnapshot) -> set[str]:
    """Words of the record values a chart shows as they are (names, titles, categories, platforms),
    and of the DISARM names they cite (the framework is published in English only)."""
    french = ChartWording("fr")
    values = [snapshot.case.title]
    values += [a.name for a in snapshot.actors] + [n.title for n in snapshot.narratives]
    values += [e.title for e in snapshot.events] + [e.category for e in snapshot.events]
    values += [e.platform for e in snapshot.events] + [e.title for e in snapshot.evidence]
    values += [r.type.replace("-", " ") for r in snapshot.relationships if french.relationship(r.type) == r.type]
    catalog = default_catalog()
    for code in {code for e in snapshot.events for code in e.techniques}:
        technique = catalog.get(code) or catalog.get(code.split(".")[0])
        if technique is not None:
            tactic = catalog.tactic_of(technique.code)
            phase = next(p for p in catalog.phases() if p.id == tactic.phase)
            values += [technique.name, tactic.name, phase.name]
    return words(values)


def english_left_in(texts: list[str], snapshot: CaseSnapshot) -> set[str]:
    """English chart words in ``texts`` that are not part of the case's own data."""
    return (words(texts) - data_words(snapshot)) & english_chart_words()
