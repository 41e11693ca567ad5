"""TLP markings in STIX: the TLP 2.0 marking-definitions with their official ids, and TLP 1.0.

The five TLP 2.0 ids are fixed by the OASIS extension schema (cti-stix-common-objects,
``extension-definition-specifications/tlp-2.0``, also quoted in shared/data/oasis-tlp2); a
partner's tool recognises a marking by id, so a look-alike with a fresh id would mean nothing.
The ``stix2`` library rejects these objects (cti-python-stix2 issue 569), which is one reason the
export is built as plain dicts. Bundles from older tools still carry the TLP 1.0 ids that STIX 2.1
predefines (OpenCTI's geography bundle references TLP:WHITE without including it); they are read
as the nearest TLP 2.0 level (WHITE is CLEAR).
"""

from __future__ import annotations

from typing import Any

from .. import vocab

TLP2_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP2_CREATED = "2022-10-01T00:00:00.000Z"

#: TLP 2.0 level -> official marking-definition id.
TLP2_IDS: dict[str, str] = {
    "clear": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "green": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "amber": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "red": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

#: The TLP 1.0 marking-definitions predefined by STIX 2.1 (section 7.2.1.4).
TLP1_IDS: dict[str, str] = {
    "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "clear",  # TLP:WHITE
    "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "green",
    "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "amber",
    "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "red",
}

_LEVEL_BY_ID = {**{v: k for k, v in TLP2_IDS.items()}, **TLP1_IDS}


def marking_id(tlp: str) -> str:
    return TLP2_IDS[tlp]


def marking_definition(tlp: str) -> dict[str, Any]:
    """The official TLP 2.0 marking-definition object, as OASIS publishes it."""
    return {
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": TLP2_IDS[tlp],
        "created": TLP2_CREATED,
        "name": f"TLP:{tlp.upper()}",
        "extensions": {TLP2_EXTENSION_ID: {"extension_type": "property-extension", "tlp_2_0": tlp}},
    }


def tlp_of_marking(marking_ref: str) -> str | None:
    """The TLP level a well-known marking id stands for, or None."""
    return _LEVEL_BY_ID.get(marking_ref)


def tlp_of_definition(obj: dict[str, Any]) -> str | None:
    """The TLP level of a marking-definition object, by id or by its content."""
    level = tlp_of_marking(str(obj.get("id", "")))
    if level:
        return level
    ext = (obj.get("extensions") or {}).get(TLP2_EXTENSION_ID) or {}
    value = str(ext.get("tlp_2_0", "")).lower()
    if value in vocab.TLP:
        return value
    if obj.get("definition_type") == "tlp":
        value = str((obj.get("definition") or {}).get("tlp", "")).lower()
        return "clear" if value == "white" else value if value in vocab.TLP else None
    return None


def strictest(levels: list[str]) -> str | None:
    """The most restrictive of several TLP levels (an object marked twice obeys both)."""
    return max(levels, key=vocab.tlp_rank) if levels else None
