"""Which importer a file needs, judged by its first bytes, never by its name alone.

Analysts receive files renamed by mail gateways and USB sticks; ``report.json`` may be STIX 2.1,
STIX 2.0, a MISP event or a spreadsheet export. Formats we cannot read (STIX 1.x XML, STIX 2.0)
are refused here with a message that says what they are.
"""

from __future__ import annotations

import re
from ..errors import FormatError

HEAD = 64 * 1024
FORMATS = ("stix", "misp", "csv")

_STIX_BUNDLE = re.compile(rb'"type"\s*:\s*"bundle"')
_SPEC_20 = re.compile(rb'"spec_version"\s*:\s*"2\.0"')
_SPEC_21 = re.compile(rb'"spec_version"\s*:\s*"2\.1"')
_STIX_OBJECT = re.compile(rb'"type"\s*:\s*"[a-z0-9-]+"\s*,\s*"(spec_version|id)"')
_MISP = re.compile(rb'"(Event|Attribute|Object)"\s*:')
_MISP_EVENT = re.compile(rb'"info"\s*:\s*"')


def unsupported_stix(version: str) -> FormatError:
    return FormatError(
        f"this is a STIX {version} file; RRM Desk reads STIX 2.1 (unsupported version)",
        "ask the sender for STIX 2.1, or convert it (for example with the OASIS stix2-elevator); nothing was imported",
    )


def detect_bytes(head: bytes) -> str:
    """'stix', 'misp' or 'csv' for a file starting with ``head``; FormatError otherwise."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise FormatError("the file is empty", "check that this is the file you meant; nothing was imported")
    if text.startswith(b"<"):
        if b"stix" in text[:HEAD].lower():
            raise unsupported_stix("1.x (XML)")
        raise FormatError("this is an XML file, not STIX 2.1, MISP JSON or CSV",
                          "RRM Desk imports STIX 2.1 JSON, MISP event JSON and CSV; nothing was imported")
    if text.startswith((b"{", b"[")):
        if _STIX_BUNDLE.search(text) or _STIX_OBJECT.search(text):
            if _SPEC_20.search(text) and not _SPEC_21.search(text):
                raise unsupported_stix("2.0")
            return "stix"
        if _MISP.search(text) or _MISP_EVENT.search(text):
            return "misp"
        raise FormatError("this JSON is neither a STIX 2.1 bundle nor a MISP event",
                          "RRM Desk imports STIX 2.1 bundles, MISP event JSON and CSV; nothing was imported")
    if b"\x00" in text[:4096]:
        raise FormatError("this is a binary file, not STIX, MISP or CSV",
                          "check that this is the file you meant; nothing was imported")
    first_line = text.split(b"\n", 1)[0]
    if any(sep in first_line for sep in (b",", b";", b"\t")):
        return "csv"
    raise FormatError("the file is not JSON or CSV", "RRM Desk imports STIX 2.1 JSON, MISP event JSON and CSV; nothing was imported")
