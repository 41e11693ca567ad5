"""Controlled vocabularies analysts share with partners.

Values are the wire forms (lower-case, hyphenated) used by TLP 2.0, the ICD 203 estimative
language and the Admiralty scale as MISP's taxonomies spell them, so exports need no mapping.
Order matters: each tuple runs from least to most (restrictive, likely, severe, reliable last).
"""

from __future__ import annotations

from .errors import UsageError

TLP = ("clear", "green", "amber", "amber+strict", "red")
CASE_STATUS = ("draft", "open", "assessed", "closed", "archived")
SEVERITY = ("low", "moderate", "high", "critical")
ACTOR_KIND = (
    "state",
    "state-affiliated",
    "proxy",
    "media-outlet",
    "account",
    "individual",
    "organisation",
    "unknown",
)
LIKELIHOOD = (
    "almost-no-chance",
    "very-unlikely",
    "unlikely",
    "roughly-even-chance",
    "likely",
    "very-likely",
    "almost-certain",
)
CONFIDENCE = ("low", "moderate", "high")
RELIABILITY = ("A", "B", "C", "D", "E", "F")
CREDIBILITY = ("1", "2", "3", "4", "5", "6")
EVIDENCE_KIND = ("file", "url", "text")
OBSERVABLE_KIND = ("handle", "url", "domain", "email", "phone", "hash")
RESPONSE_STATUS = ("proposed", "planned", "in-progress", "done", "cancelled")

#: What each Admiralty grade means, for labels and briefings.
RELIABILITY_LABEL = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY_LABEL = {
    "1": "confirmed by other sources",
    "2": "probably true",
    "3": "possibly true",
    "4": "doubtful",
    "5": "improbable",
    "6": "truth cannot be judged",
}


def choose(value: str, allowed: tuple[str, ...], what: str) -> str:
    """Return ``value`` in its canonical spelling, or say which values are allowed."""
    text = str(value).strip()
    for candidate in allowed:
        if text.lower() == candidate.lower():
            return candidate
    friendly = text.lower().replace(" ", "-").replace("_", "-")
    for candidate in allowed:
        if friendly == candidate.lower():
            return candidate
    raise UsageError(
        f"{text!r} is not a valid {what}",
        f"use one of: {', '.join(allowed)}",
    )


def tlp_rank(tlp: str) -> int:
    """Position on the TLP scale; a higher number is more restricted."""
    return TLP.index(tlp)


def stricter_tlp(a: str, b: str) -> str:
    return a if tlp_rank(a) >= tlp_rank(b) else b
