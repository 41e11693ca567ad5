"""Build a briefing (.docx) from one or more cases, in memory.

Nothing is written to disk here: the result is the document's bytes, returned with the note to
the analyst about what the marking kept out and any template warnings. The analyst (CLI or
desktop) then chooses where the file goes (DESIGN.md 3: exports stay in memory until then).
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import vocab
from ..clock import parse_time, utc_now
from ..errors import UsageError
from ..progress import Progress
from ..store import Store
from .composer import Composer
from .content import Exclusions, default_marking, gather
from .figures import render_figures
from .language import Wording, check_language
from .markings import banner_text, fill_contents, mark_sections, set_properties, tlp_label
from .sections import CHRONOLOGY_ROWS, SECTIONS, Brief, title_block
from .template import open_template

MAX_CLASSIFICATION = 120


@dataclass(frozen=True)
class BriefingOptions:
    """What the analyst chooses; every field has a sensible default."""

    #: TLP the briefing is produced at; None means the strictest marking among the cases.
    marking: str | None = None
    language: str = "en"
    #: The classification line of the banner, from the workspace settings (may be empty).
    classification: str = ""
    ministry: str = ""
    analyst: str = ""
    version: str = "1.0"
    #: Production date (ISO 8601); None means today.
    date: str | None = None
    #: A ministry template: a path or the bytes of a .docx/.dotx; None means the default.
    template: Path | bytes | None = None
    #: Sections to leave out (names from ``SECTIONS``).
    without: frozenset[str] = frozenset()
    #: Most rows in the chronology table (and, up to 25, the actor table) before a note cuts it.
    table_rows: int = CHRONOLOGY_ROWS

    def checked(self) -> "BriefingOptions":
        unknown = sorted(set(self.without) - set(SECTIONS))
        if unknown:
            raise UsageError(f"no briefing section called {', '.join(unknown)}",
                             f"sections are: {', '.join(SECTIONS)}")
        if len(self.classification) > MAX_CLASSIFICATION or "\n" in self.classification:
            raise UsageError("the classification text does not fit on one banner line",
                             f"keep it to one line under {MAX_CLASSIFICATION} characters")
        if self.table_rows < 1:
            raise UsageError("the table row limit must be at least 1", "use a positive number")
        check_language(self.language)
        if self.marking is not None:
            vocab.choose(self.marking, vocab.TLP, "TLP marking")
        if self.date is not None:
            parse_time(self.date, "briefing date")
        return self


@dataclass
class Briefing:
    """A finished briefing: the .docx bytes and what the analyst should know about it."""

    data: bytes
    title: str
    marking: str
    language: str
    excluded: Exclusions
    warnings: list[str] = field(default_factory=list)

    def note(self) -> str:
        """The note to the analyst (never part of the document): exclusions and warnings."""
        lines = [self.excluded.message(), *self.warnings]
        return "\n".join(line for line in lines if line)

    def save(self, destination: Path, overwrite: bool = False) -> None:
        """Write the document where the analyst chose; an existing file is kept unless ``overwrite``."""
        destination = Path(destination)
        if destination.is_dir():
            raise UsageError(f"{destination} is a folder", "give a file name ending in .docx")
        try:
            with destination.open("wb" if overwrite else "xb") as out:
                out.write(self.data)
                out.flush()
                os.fsync(out.fileno())
        except FileExistsError:
            raise UsageError(f"{destination} already exists",
                             "choose another name, or pass --force to replace it") from None
        except OSError as exc:
            raise UsageError(f"cannot write {destination}: {exc.strerror or exc}",
                             "check the folder and the free space") from exc


def build_briefing(store: Store, case_ids: Sequence[str], options: BriefingOptions = BriefingOptions(),
                   progress: Progress | None = None) -> Briefing:
    """Gather the releasable material, render the figures and write every chosen section.

    ``progress`` runs once from 0 to 100 over the three phases (reading, figures, writing) and
    its Cancel is honoured between steps of each.
    """
    options = options.checked()
    progress = progress or Progress()
    wording = Wording(options.language)
    cases = [store.get_case(case_id) for case_id in dict.fromkeys(case_ids)] if case_ids else []
    if not cases:
        raise UsageError("no case to brief", "name one or more cases; see 'rrmdesk case list'")
    marking = vocab.choose(options.marking, vocab.TLP, "TLP marking") if options.marking else default_marking(cases)
    materials, excluded = gather(store, [c.id for c in cases], marking, _phase(progress, 0, 20))
    produced = parse_time(options.date) if options.date else utc_now()
    warnings: list[str] = []
    figures = {}
    timeline, graph = "chronology" not in options.without, "actors" not in options.without
    drawing = _phase(progress, 20, 70)
    if timeline or graph:
        for number, material in enumerate(materials):
            drawing.update(number, len(materials), "drawing figures")
            figures[material.case.id], problems = render_figures(material, marking, produced, wording,
                                                                 timeline=timeline, graph=graph)
            warnings += problems
    brief = Brief(materials, options, marking, produced, figures)

    template = open_template(options.template)
    document = template.document
    composer = Composer(document, wording)
    chosen = [(name, write) for name, write in SECTIONS.items() if name not in options.without]
    steps = [("title", title_block), *chosen]
    writing = _phase(progress, 70, 100)
    for number, (name, write) in enumerate(steps):
        writing.update(number, len(steps) + 1, f"writing {name}")
        write(composer, brief)
    if composer.contents_anchor is not None:
        # a situation report's contents list the sections, not every case under each of them
        fill_contents(composer.contents_anchor, composer.headings, wording, deepest=1 if brief.several else 2)
    mark_sections(document, options.classification, marking, wording)
    title = brief.title(wording)
    kind = wording["situation_report"] if brief.several else wording["briefing_note"]
    codes = sorted({code for m in materials for code in m.technique_codes()})
    set_properties(document, title=title, author=options.analyst, subject=f"{kind} \u2014 {tlp_label(marking)}",
                   keywords=["RRM", tlp_label(marking), *codes], language=options.language,
                   category=banner_text(options.classification, marking), produced=produced)
    out = io.BytesIO()
    document.save(out)
    progress.update(100, 100, "done")
    return Briefing(out.getvalue(), title, marking, options.language, excluded, template.warnings + warnings)


def _phase(progress: Progress, start: int, end: int) -> Progress:
    """A Progress for one phase, reported on ``progress``'s 0-100 scale; its Cancel still stops it."""
    def forward(done: int, total: int, label: str) -> None:
        progress.update(start + (end - start) * done // max(total, 1), 100, label)

    return Progress(forward)
