"""DISARM vocabulary: technique codes, DISARM page URLs and the offline framework catalog.

Cases name DISARM techniques by T-code (``T0002``, ``T0097.109``) because the code is what
survives between framework versions: STIX ids changed for 175 of the 378 techniques that v1.6
and V2 share, and the official bundles label their codes ``mitre-attack``. Imported techniques
are therefore matched by T-code or by DISARM page URL, never by STIX id (DESIGN.md 5).

The catalog is the DISARM Red framework shipped in ``resources/disarm/catalog.json`` (built by
``packaging/build_disarm_catalog.py``), so tagging and lookups work on an air-gapped machine.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import FormatError, UsageError
from .resources import resource_path

__all__ = [
    "TECHNIQUE_CODE",
    "normalise_code",
    "code_from_url",
    "Phase",
    "Tactic",
    "Technique",
    "Countermeasure",
    "Catalog",
    "default_catalog",
]

#: A whole DISARM technique code: ``T0002``, or ``T0097.109`` for a sub-technique.
TECHNIQUE_CODE = re.compile(r"\AT\d{4}(?:\.\d{3})?\Z")
_COUNTERMEASURE_CODE = re.compile(r"\AC\d{5}\Z")
# The page of a technique, as in ".../techniques/T0002.md"; one bundle has "T0039 .md".
_TECHNIQUE_PAGE = re.compile(r"(T\d{4}(?:\.\d{3})?)\s*\.md", re.IGNORECASE)
_GITHUB_HOSTS = frozenset({"github.com", "www.github.com", "raw.githubusercontent.com"})
# Copy-pasted codes carry zero-width characters that str.strip() does not remove.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_CODE_HINT = "codes look like T0002 or T0097.109; list them with 'rrmdesk ttp catalog'"
_COUNTERMEASURE_HINT = "codes look like C00009; list them with 'rrmdesk ttp catalog'"


def _clean(text: str) -> str:
    """Upper-cased, without surrounding whitespace (NBSP included) or invisible characters."""
    return text.translate(_INVISIBLE).strip().upper()


def _shown(text: str) -> str:
    """The analyst's input, quoted and kept to one short line for an error message."""
    text = text.strip()
    return repr(text if len(text) <= 40 else text[:39] + "…")


def normalise_code(text: str) -> str:
    """The canonical T-code for ``text`` (" t0097.109 " gives "T0097.109").

    Analysts type codes by hand and paste them from reports and spreadsheets, where they pick up
    case changes and non-breaking spaces; storing one spelling keeps cross-case lookups exact.
    Raises UsageError for anything that is not a technique code.
    """
    code = _clean(text)
    if not TECHNIQUE_CODE.match(code):
        raise UsageError(f"{_shown(text)} is not a DISARM technique code", _CODE_HINT)
    return code


def _code_or_none(text: str) -> str | None:
    code = _clean(text)
    return code if TECHNIQUE_CODE.match(code) else None


def code_from_url(url: str) -> str | None:
    """The T-code of a DISARM technique page URL on GitHub, or None if it is not one.

    DISARM bundles and MISP galaxies link each technique to its page in a DISARMFoundation
    repository (``.../blob/main/generated_pages/techniques/T0002.md``; older repositories use
    ``.../blob/master/techniques/T0002.md``), and that page name is a reliable code even when an
    import has no usable ``external_id``.
    """
    text = url.strip()
    parts = urlsplit(text if "://" in text else "https://" + text)
    if parts.hostname not in _GITHUB_HOSTS:
        return None
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    if (
        len(segments) < 4
        or segments[0].casefold() != "disarmfoundation"
        or segments[-2].casefold() != "techniques"
    ):
        return None
    page = _TECHNIQUE_PAGE.fullmatch(segments[-1].strip())
    return page.group(1).upper() if page else None


def _by_id(item: Phase | Tactic) -> str:
    return item.id


def _by_code(item: Technique | Countermeasure) -> str:
    return item.code


@dataclass(frozen=True, slots=True)
class Phase:
    """A DISARM phase (P01 Plan to P04 Assess), the coarsest grouping of tactics."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Tactic:
    """A DISARM tactic (TA01 to TA18): the column a technique sits in, within one phase."""

    id: str
    name: str
    phase: str


@dataclass(frozen=True, slots=True)
class Technique:
    """A DISARM technique or sub-technique (``parent`` is set for sub-techniques)."""

    code: str
    name: str
    tactic: str
    parent: str | None
    url: str
    summary: str


@dataclass(frozen=True, slots=True)
class Countermeasure:
    """A DISARM Blue countermeasure, with the codes of the techniques it counters."""

    code: str
    name: str
    tactic: str
    summary: str
    techniques: tuple[str, ...]


class Catalog:
    """One version of the DISARM Red framework, with the Blue countermeasures, read-only."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        """Build from the parsed catalog JSON (see ``Catalog.load``)."""
        self.framework: str = data["framework"]
        self.version: str = data["version"]
        self.license: str = data["license"]
        self.attribution: str = data["attribution"]
        phases = (Phase(**item) for item in data["phases"])
        tactics = (Tactic(**item) for item in data["tactics"])
        techniques = (Technique(**item) for item in data["techniques"])
        countermeasures = (
            Countermeasure(**{**item, "techniques": tuple(item["techniques"])})
            for item in data["countermeasures"]
        )
        self._phases = {phase.id: phase for phase in sorted(phases, key=_by_id)}
        self._tactics = {tactic.id: tactic for tactic in sorted(tactics, key=_by_id)}
        self._techniques = {t.code: t for t in sorted(techniques, key=_by_code)}
        self._countermeasures = {c.code: c for c in sorted(countermeasures, key=_by_code)}

    @classmethod
    def load(cls, path: Path | str | None = None) -> Catalog:
        """Read a catalog file; by default the one shipped in ``resources/disarm/``."""
        path = Path(path) if path is not None else resource_path("disarm", "catalog.json")
        hint = "rebuild it with packaging/build_disarm_catalog.py, or reinstall RRM Desk"
        try:
            return cls(json.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            message = f"cannot read the DISARM catalog {path}: {exc.strerror}"
            raise FormatError(message, hint) from exc
        except (ValueError, KeyError, TypeError) as exc:
            raise FormatError(f"{path} is not a DISARM catalog", hint) from exc

    def phases(self) -> tuple[Phase, ...]:
        """All phases, by id."""
        return tuple(self._phases.values())

    def tactics(self) -> tuple[Tactic, ...]:
        """All tactics, by id."""
        return tuple(self._tactics.values())

    def techniques(self) -> tuple[Technique, ...]:
        """All techniques and sub-techniques, by code."""
        return tuple(self._techniques.values())

    def countermeasures(self) -> tuple[Countermeasure, ...]:
        """All countermeasures, by code."""
        return tuple(self._countermeasures.values())

    def get(self, code: str) -> Technique | None:
        """The technique for ``code`` in any accepted spelling, or None (also if malformed)."""
        normal = _code_or_none(code)
        return self._techniques.get(normal) if normal else None

    def technique(self, code: str) -> Technique:
        """The technique for ``code``; UsageError if malformed or not in this version."""
        normal = normalise_code(code)
        try:
            return self._techniques[normal]
        except KeyError:
            message = f"unknown DISARM technique {normal} in catalog v{self.version}"
            raise UsageError(message, _CODE_HINT) from None

    def countermeasure(self, code: str) -> Countermeasure:
        """The countermeasure for ``code`` (C00009); UsageError if malformed or unknown."""
        normal = _clean(code)
        if not _COUNTERMEASURE_CODE.match(normal):
            message = f"{_shown(code)} is not a DISARM countermeasure code"
            raise UsageError(message, _COUNTERMEASURE_HINT)
        try:
            return self._countermeasures[normal]
        except KeyError:
            message = f"unknown DISARM countermeasure {normal} in catalog v{self.version}"
            raise UsageError(message, _COUNTERMEASURE_HINT) from None

    def tactic_of(self, code: str) -> Tactic:
        """The tactic a technique belongs to, for grouping techniques in the framework grid."""
        return self._tactics[self.technique(code).tactic]

    def search(self, text: str) -> list[Technique]:
        """Techniques whose code starts with ``text`` or whose name contains it.

        An exact code comes first, then codes it prefixes (so "T0097" lists its
        sub-techniques), then names starting with the text, then other name matches; each
        group by code. Blank text finds nothing.
        """
        query = " ".join(text.translate(_INVISIBLE).split()).casefold()
        if not query:
            return []
        code = query.upper()
        ranked = []
        for technique in self._techniques.values():
            name = technique.name.casefold()
            if technique.code == code:
                rank = 0
            elif technique.code.startswith(code):
                rank = 1
            elif name.startswith(query):
                rank = 2
            elif query in name:
                rank = 3
            else:
                continue
            ranked.append((rank, technique.code, technique))
        return [technique for _, _, technique in sorted(ranked)]

    def match(self, code_or_url: str) -> Technique | None:
        """The technique an imported reference names by T-code or DISARM page URL, or None.

        STIX ids are deliberately not matched: they change between DISARM versions.
        """
        text = code_or_url.strip()
        code = code_from_url(text) if "/" in text else _code_or_none(text)
        return self._techniques.get(code) if code else None

    def map_codes(self, codes: Iterable[str]) -> tuple[list[Technique], list[str]]:
        """Split codes from another DISARM version into (known techniques, unknown codes).

        Import reports list the unknown codes so an analyst can re-tag them by hand rather than
        lose them. Both lists keep first-seen order without repeats; unknown codes are given
        normalised where they are well formed, as typed otherwise; blank entries are ignored.
        """
        known: dict[str, Technique] = {}
        unknown: dict[str, None] = {}
        for raw in codes:
            code = _code_or_none(raw) or raw.strip()
            if not code:
                continue
            technique = self._techniques.get(code)
            if technique is not None:
                known.setdefault(code, technique)
            else:
                unknown.setdefault(code, None)
        return list(known.values()), list(unknown)


@functools.cache
def default_catalog() -> Catalog:
    """The shipped catalog, read once per process: it never changes while the app runs."""
    return Catalog.load()
