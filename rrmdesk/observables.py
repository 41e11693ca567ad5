"""Observable values in one canonical form, so the same account or domain meets across cases.

Threat reports publish indicators defanged (``hxxps://example[.]com``) and analysts paste them
as found; correlation only works on the refanged, lower-cased, tracking-free form.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_DEFANG = [
    (re.compile(r"^hxxp", re.I), "http"),
    (re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)", re.I), "."),
    (re.compile(r"\[:\]|\[://\]"), ":"),
    (re.compile(r"\[@\]|\[at\]|\(at\)", re.I), "@"),
]
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_[a-z]+|igshid|si|ref_src)$", re.I)
_HASH = re.compile(r"^([0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$", re.I)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")
_DOMAIN = re.compile(r"^([a-z0-9-]+\.)+[a-z]{2,63}$", re.I)


def refang(value: str) -> str:
    text = value.strip()
    for pattern, replacement in _DEFANG:
        text = pattern.sub(replacement, text)
    return text


def classify(value: str) -> str:
    """Guess the kind of a pasted value; analysts rarely say."""
    text = refang(value)
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
        return "url"
    if _EMAIL.match(text):
        return "email"
    if _HASH.match(text):
        return "hash"
    if _DOMAIN.match(text):
        return "domain"
    if _PHONE.match(text) and sum(c.isdigit() for c in text) >= 7:
        return "phone"
    return "handle"


def canonical_url(value: str) -> str:
    parts = urlsplit(refang(value))
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query) if not _TRACKING.match(k)))
    path = parts.path.rstrip("/") or ""
    return urlunsplit((parts.scheme.lower(), host + port, path, query, ""))


def normalise(kind: str, value: str) -> str:
    text = refang(value)
    if kind == "url":
        return canonical_url(text)
    if kind == "domain":
        host = text.lower().rstrip(".")
        return host[4:] if host.startswith("www.") else host
    if kind == "email":
        return text.lower()
    if kind == "hash":
        return text.lower()
    if kind == "phone":
        return ("+" if text.startswith("+") else "") + re.sub(r"\D", "", text)
    return text.lstrip("@").casefold()
