"""Building cases and bundles for the bundle tests."""

from __future__ import annotations

import hashlib
import io
import random
from pathlib import Path

from rrmdesk import Actor, Event, Evidence
from rrmdesk.bundles.export import BundleExporter, ExportReport

from .conftest import Ministry


def seeded_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def make_case(ministry: Ministry, tlp: str = "amber", evidence: int = 2, size: int = 50_000) -> str:
    store = ministry.store
    case = store.create_case("Doppelganger: cloned news sites", summary="Clones of Le Monde", tlp=tlp,
                             target_countries=["FR", "DE"])
    actor = store.add(Actor(case_id=case.id, name="Structura", kind="organisation", country="RU"))
    ids = []
    for n in range(evidence):
        data = seeded_bytes(n, size)
        record = Evidence(case_id=case.id, title=f"screenshot {n}", kind="file", filename=f"shot{n}.png",
                          media_type="image/png", sha256=hashlib.sha256(data).hexdigest())
        ids.append(store.add_evidence_stream(record, io.BytesIO(data), len(data)).id)
    store.add(Event(case_id=case.id, title="Clone of lemonde.fr registered", start="2022-06-01",
                    actor_ids=[actor.id], evidence_ids=ids))
    return case.id


def export(sender: Ministry, case_ids: list[str], recipients: list[str], destination: Path, **options) -> ExportReport:
    return BundleExporter(sender.store, sender.identity).export(case_ids, recipients, destination, **options)
