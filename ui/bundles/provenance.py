"""Where an object came from, for the inspector: sender, bundle, signer fingerprint, received at.

``provenance_rows`` turns ``rrmdesk.interop.provenance_of`` into label/text pairs, one group per
import that brought the object (oldest first); objects made here have none.
"""

from __future__ import annotations

from rrmdesk import Store
from rrmdesk.interop import provenance_of

from ..models.columns import short_time
from .fingerprint import spoken


def provenance_rows(store: Store, object_id: str) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for entry in provenance_of(store, object_id):
        rows.append(("Received from", entry.get("sender") or "an unsigned file import"))
        if entry.get("bundle_id"):
            rows.append(("Bundle", entry["bundle_id"]))
        if entry.get("signer"):
            rows.append(("Signed by key", spoken(entry["signer"])))
        if entry.get("received_at"):
            rows.append(("Received at", short_time(entry["received_at"]) + " UTC"))
    return rows
