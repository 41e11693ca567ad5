"""What may leave for whom: the TLP 2.0 rules a bundle export enforces (DESIGN.md 6).

- TLP:RED goes only to the recipients named on the command line, and only after the analyst
  confirms (``--confirm-red``) that each of them is a named individual recipient.
- Content we *received* marked AMBER+STRICT (or RED) never leaves for a third party: it may go
  back to the partner it came from, to no one else. Where it came from is the per-object
  provenance an import keeps.
- An object marked stricter than its case is judged by its own marking.

A whole case that may not go is refused with the reason; an object that may not go is left
out and listed in the export report with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..database import db_errors
from ..errors import UsageError
from ..interop.stix_markings import strictest, tlp_of_marking
from ..model import Case, Record
from ..store import Store
from ..vocab import stricter_tlp

CONFIRM_RED_HINT = "check that every recipient is a named individual, then repeat with --confirm-red"


@dataclass(frozen=True)
class LeftOut:
    object_id: str
    kind: str
    label: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.object_id, "kind": self.kind, "label": self.label, "reason": self.reason}


def effective_tlp(record: Record, case: Case) -> str:
    own = getattr(record, "tlp", None)
    return stricter_tlp(own, case.tlp) if own else case.tlp


def originators(store: Store, object_ids: list[str]) -> dict[str, set[str]]:
    """For each received object, the partners it came from (from the import provenance)."""
    found: dict[str, set[str]] = {}
    with db_errors():
        for start in range(0, len(object_ids), 500):
            chunk = object_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for object_id, sender in store.db.conn.execute(
                f"SELECT object_id, sender FROM interop_provenance WHERE object_id IN ({marks})", chunk
            ):
                found.setdefault(object_id, set()).add(sender)
    return found


class ReleasePolicy:
    def __init__(self, recipients: list[str], confirm_red: bool) -> None:
        self.recipients = set(recipients)
        self.confirm_red = confirm_red

    def reason_to_withhold(self, tlp: str, came_from: set[str]) -> str | None:
        """Why something marked ``tlp`` and received from ``came_from`` may not go, or None."""
        if tlp == "red" and not self.confirm_red:
            return "TLP:RED goes only to named individual recipients after explicit confirmation (--confirm-red)"
        third_parties = self.recipients - came_from
        if came_from and tlp in ("amber+strict", "red") and third_parties:
            return (f"received from {', '.join(sorted(came_from))} as TLP:{tlp.upper()}; it never goes to a third party "
                    f"({', '.join(sorted(third_parties))})")
        return None

    def check_case(self, case: Case, came_from: set[str]) -> None:
        reason = self.reason_to_withhold(case.tlp, came_from)
        if reason:
            hint = CONFIRM_RED_HINT if "--confirm-red" in reason else "export it only to the partner it came from"
            raise UsageError(f"case {case.id} ({case.title}) cannot be sent: {reason}", hint)

    def withhold_received(self, case: Case, objects: list[dict[str, Any]], provenance: dict[str, set[str]]) -> list[LeftOut]:
        """Received STIX objects RRM Desk keeps without modelling them, judged by their own markings."""
        left = []
        for obj in objects:
            marked = strictest([level for ref in obj.get("object_marking_refs", []) if (level := tlp_of_marking(ref))])
            reason = self.reason_to_withhold(stricter_tlp(marked, case.tlp) if marked else case.tlp,
                                             provenance.get(obj["id"], set()))
            if reason:
                left.append(LeftOut(obj["id"], str(obj.get("type", "object")), str(obj.get("name", obj["id"])), reason))
        return left

    def split(self, case: Case, records: list[Record], provenance: dict[str, set[str]]) -> tuple[list[Record], list[LeftOut]]:
        """The records that may go, and those left out with the reason."""
        keep: list[Record] = []
        left: list[LeftOut] = []
        for record in records:
            reason = self.reason_to_withhold(effective_tlp(record, case), provenance.get(record.id, set()))
            if reason:
                left.append(LeftOut(record.id, record.KIND, record.label, reason))
            else:
                keep.append(record)
        return keep, left
