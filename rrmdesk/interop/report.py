"""What an import did, object by object, in a form the CLI prints and a dialog shows.

Nothing an importer reads is dropped without a line here: each object was added, updated,
unchanged, kept (stored as-is because RRM Desk does not model it, and exported again), in
conflict with a local edit (local version kept, incoming version saved) or rejected with a
reason. Lists are capped so a 100,000-object import gives a readable report; the counts are
always complete.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

#: How many individual ids/reasons each list keeps; counts stay exact beyond it.
DETAIL_LIMIT = 200


@dataclass
class Problem:
    """One object or row that was not imported as it came, and why."""

    where: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"where": self.where, "reason": self.reason}


@dataclass
class ImportReport:
    format: str
    source: str = ""
    case_id: str = ""
    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    kept_unknown: Counter[str] = field(default_factory=Counter)
    kept_properties: Counter[str] = field(default_factory=Counter)
    rejected: list[Problem] = field(default_factory=list)
    conflicts: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unknown_techniques: list[str] = field(default_factory=list)
    rejected_count: int = 0
    conflict_count: int = 0
    warning_count: int = 0

    # -- recording ----------------------------------------------------------------------

    def reject(self, where: str, reason: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < DETAIL_LIMIT:
            self.rejected.append(Problem(where, reason))

    def conflict(self, where: str, reason: str) -> None:
        self.conflict_count += 1
        if len(self.conflicts) < DETAIL_LIMIT:
            self.conflicts.append(Problem(where, reason))

    def warn(self, where: str, reason: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < DETAIL_LIMIT:
            self.warnings.append(Problem(where, reason))

    def unknown_technique(self, code: str) -> None:
        if code not in self.unknown_techniques:
            self.unknown_techniques.append(code)

    # -- reading ------------------------------------------------------------------------

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    @property
    def total_updated(self) -> int:
        return sum(self.updated.values())

    @property
    def total_kept(self) -> int:
        return sum(self.kept_unknown.values())

    @property
    def ok(self) -> bool:
        """True when everything read was taken in without rejects or conflicts."""
        return not (self.rejected_count or self.conflict_count)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "source": self.source,
            "case_id": self.case_id,
            "added": dict(sorted(self.added.items())),
            "updated": dict(sorted(self.updated.items())),
            "unchanged": dict(sorted(self.unchanged.items())),
            "kept_unknown": dict(sorted(self.kept_unknown.items())),
            "kept_properties": dict(sorted(self.kept_properties.items())),
            "rejected_count": self.rejected_count,
            "rejected": [p.to_dict() for p in self.rejected],
            "conflict_count": self.conflict_count,
            "conflicts": [p.to_dict() for p in self.conflicts],
            "warning_count": self.warning_count,
            "warnings": [p.to_dict() for p in self.warnings],
            "unknown_techniques": list(self.unknown_techniques),
        }

    def lines(self) -> list[str]:
        """The report as short lines of text, most important first."""

        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items())) or "nothing"

        out = [f"Imported {self.source or 'data'} ({self.format}) into {self.case_id or 'no case'}"]
        out.append(f"  added: {counts(self.added)}")
        if self.updated:
            out.append(f"  updated: {counts(self.updated)}")
        if self.unchanged:
            out.append(f"  unchanged: {counts(self.unchanged)}")
        if self.kept_unknown:
            out.append(f"  kept as received (not modelled, exported again): {counts(self.kept_unknown)}")
        if self.kept_properties:
            out.append(f"  extra properties kept on: {counts(self.kept_properties)}")
        if self.unknown_techniques:
            out.append(f"  DISARM codes not in the catalog: {', '.join(self.unknown_techniques)}")
        for title, items, total in (
            ("conflicts (local version kept, incoming saved)", self.conflicts, self.conflict_count),
            ("rejected", self.rejected, self.rejected_count),
            ("warnings", self.warnings, self.warning_count),
        ):
            if total:
                out.append(f"  {title}: {total}")
                out.extend(f"    {p.where}: {p.reason}" for p in items)
                if total > len(items):
                    out.append(f"    … and {total - len(items)} more")
        return out
