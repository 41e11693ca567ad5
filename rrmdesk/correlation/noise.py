"""Values too common to mean anything, kept out of correlation scores (MISP's exclusion list).

Two cases both linking to ``facebook.com`` or ``bit.ly`` are not one operation. Such values are
still shown, flagged as noise, but never raise a score or join a cluster. The list is the
built-in ``DEFAULT_NOISE`` plus what the analyst added, minus what the analyst took off; each
change is one transaction with its audit entry. Besides the list, a value held by more than
``max_cases`` cases is flagged automatically ("over-correlating", as MISP calls it).

Entries are matched against correlation keys in their normalised form: excluding ``facebook.com``
excludes the host and its home page ``https://facebook.com/``, not ``https://facebook.com/SomePage``.
``*.example.com`` excludes every subdomain of example.com.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..clock import utc_now
from ..errors import UsageError
from ..observables import canonical_host, canonical_url, classify, normalise, refang
from ..store import Store
from . import names

#: hosts every kind of operation uses: platforms, link shorteners, mail and file services
DEFAULT_NOISE: tuple[str, ...] = (
    "facebook.com", "instagram.com", "x.com", "t.me", "telegram.org", "youtube.com", "tiktok.com",
    "reddit.com", "vk.com", "ok.ru", "pinterest.com", "linkedin.com", "medium.com", "threads.net",
    "tumblr.com", "github.com", "whatsapp.com", "wa.me", "snapchat.com", "twitch.tv", "discord.com",
    "discord.gg", "quora.com", "wordpress.com", "blogspot.com", "substack.com", "rumble.com",
    "google.com", "play.google.com", "docs.google.com", "drive.google.com", "sites.google.com",
    "apps.apple.com", "apple.com", "microsoft.com", "amazon.com", "wikipedia.org", "*.wikipedia.org",
    "bit.ly", "tinyurl.com", "rebrand.ly", "goo.gl", "ow.ly", "t.co", "buff.ly", "cutt.ly", "linktr.ee",
    "mega.nz", "dropbox.com", "trello.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
    "protonmail.com", "proton.me", "mail.ru", "yandex.ru", "yandex.com", "archive.org",
    "web.archive.org", "archive.ph", "archive.today", "patreon.com", "paypal.com", "buymeacoffee.com", "change.org",
)

#: a value held by more cases than this is flagged as over-correlating
MAX_CASES = 25


def _forms(value: str) -> set[str]:
    """Every normalised form an entry can take, so one entry catches a host, its home page and
    a name, however the analyst typed it."""
    text = refang(value).strip()
    forms = {text.casefold(), names.fold(text)}
    kind = classify(text)
    if kind in ("domain", "url") and not text.startswith("*."):
        forms.add(canonical_host(text) if kind == "domain" else canonical_url(text))
        if kind == "domain":
            forms.add(canonical_url(text))  # the home page of the host
    elif kind != "handle":
        forms.add(normalise(kind, text))
    return {f for f in forms if f}


@dataclass(frozen=True, slots=True)
class Exclusion:
    value: str
    source: str  # default, analyst
    note: str = ""
    changed_by: str = ""
    changed_at: str = ""


class NoiseList:
    """The effective exclusion list of a workspace, ready to test correlation keys against."""

    def __init__(self, entries: list[Exclusion], max_cases: int = MAX_CASES) -> None:
        self.entries = entries
        self.max_cases = max_cases
        self._exact: set[str] = set()
        self._suffixes: list[str] = []
        for entry in entries:
            if entry.value.startswith("*."):
                self._suffixes.append("." + canonical_host(entry.value[2:]))
            self._exact |= _forms(entry.value)

    @classmethod
    def load(cls, store: Store, max_cases: int = MAX_CASES) -> "NoiseList":
        return cls(list_exclusions(store), max_cases)

    def listed(self, value: str) -> bool:
        """Is this normalised key on the list (itself, or under a ``*.`` entry)?"""
        if value in self._exact:
            return True
        return any(value.endswith(suffix) for suffix in self._suffixes)

    def why(self, value: str, cases: int) -> str:
        """'' when the value counts; otherwise why it is noise, in words for the analyst."""
        if self.listed(value):
            return "on the exclusion list"
        if cases > self.max_cases:
            return f"in more than {self.max_cases} cases"
        return ""


def _rows(store: Store) -> dict[str, tuple[int, str, str, str]]:
    rows = store.db.conn.execute(
        "SELECT value, excluded, note, changed_by, changed_at FROM correlation_exclusions"
    ).fetchall()
    return {r[0]: (int(r[1]), r[2], r[3], r[4]) for r in rows}


def list_exclusions(store: Store) -> list[Exclusion]:
    """Defaults the analyst kept, then the analyst's own entries, each in list order."""
    rows = _rows(store)
    kept = [Exclusion(v, "default") for v in DEFAULT_NOISE if rows.get(v, (1,))[0]]
    own = [Exclusion(v, "analyst", note, by, at) for v, (on, note, by, at) in sorted(rows.items())
           if on and v not in DEFAULT_NOISE]
    return kept + own


def _clean(value: str) -> str:
    text = " ".join(refang(value).split())
    if not text:
        raise UsageError("the value to exclude is empty", "give a host, URL, handle or name, e.g. facebook.com")
    if len(text) > 300:
        raise UsageError("the value to exclude is over 300 characters", "exclude the host or a shorter value")
    if text.startswith("*.") and classify(text[2:]) != "domain":
        raise UsageError(f"{value!r} is not a host pattern", "write *. followed by a host, e.g. *.blogspot.com")
    if text.startswith("*."):
        return "*." + canonical_host(text[2:])
    kind = classify(text)
    return text if kind == "handle" else normalise(kind, text)


def exclude(store: Store, value: str, note: str = "") -> str:
    """Add a value to the exclusion list; returns it as stored."""
    return _set(store, _clean(value), True, note)


def include(store: Store, value: str, note: str = "") -> str:
    """Take a value off the list (a default one too), so it counts again."""
    text = _clean(value)
    if text not in DEFAULT_NOISE and text not in _rows(store):
        raise UsageError(f"{text} is not on the exclusion list", "see the list with 'rrmdesk correlate exclude --list'")
    return _set(store, text, False, note)


def _set(store: Store, value: str, excluded: bool, note: str) -> str:
    action = "correlation-exclude" if excluded else "correlation-include"
    with store.transaction():
        store.db.conn.execute(
            "INSERT INTO correlation_exclusions (value, excluded, note, changed_by, changed_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(value) DO UPDATE SET excluded = excluded.excluded, note = excluded.note,"
            " changed_by = excluded.changed_by, changed_at = excluded.changed_at",
            (value, int(excluded), note.strip(), store.analyst, utc_now()),
        )
        store.record_event(action, "correlation--exclusions", {"value": value, "note": note.strip()})
    return value
