"""Meta's influence-operation indicator files, read as one case per network.

Two vintages: old files have ``indicator_type, indicator_value, comment, ds``; newer ones
``Tactic, Technique, Procedure, Indicator, Comments|Notes`` with inconsistent headers (``Tactic ``,
``Commernts``, ``Note``). The Indicator column mixes observables with prose ("63 accounts",
"Posing as activists"); a cell is taken as an observable when it is one token.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rrmdesk import Observable, Store
from rrmdesk.model import Case
from tests.shared_data import shared

#: old-format indicator types -> observable kinds (None: classify the value)
_TYPES = {"domain_name": "domain", "ip": "domain", "url": "url", "cib_url": "url", "telegram_url": "url",
          "phishing_url": "url", "md5": "hash", "sha256": "hash", "android_package_name": "handle",
          "ios_app_id": "handle"}


@dataclass(frozen=True)
class Network:
    name: str
    indicators: tuple[tuple[str | None, str], ...]  # (kind or None, value as published)


def folder() -> Path:
    return shared("meta-threat-research", "indicators", "csv")


def networks() -> list[Network]:
    found = []
    for path in sorted(folder().rglob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = csv.reader(handle)
            header = [h.strip().lower() for h in next(rows)]
            typed = "indicator_value" in header
            column = header.index("indicator_value" if typed else "indicator")
            values = []
            for row in rows:
                if len(row) <= column:
                    continue
                value = row[column].strip()
                if not value or len(value.split()) != 1:
                    continue  # prose, counts of accounts, empty cells
                kind = _TYPES.get(row[0].strip()) if typed else None
                values.append((kind, value))
        found.append(Network(path.stem, tuple(dict.fromkeys(values))))
    return found


def import_networks(store: Store, nets: list[Network]) -> dict[str, str]:
    """One case per network, through the Store; returns network name -> case id."""
    cases = {net.name: Case(title=net.name, summary="Meta threat research indicators") for net in nets}
    store.add_many(list(cases.values()))
    store.add_many([Observable(case_id=cases[net.name].id, value=value, kind=kind or "")
                    for net in nets for kind, value in net.indicators])
    ids = {name: case.id for name, case in cases.items()}
    return ids
