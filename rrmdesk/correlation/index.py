"""Which other cases share this case's observables, actors or technique pattern, ranked.

What correlates (a *key*):
- an observable's normalised value (``url``, ``email``, ``handle``, ``phone``, ``hash``), exact;
- the ``host`` of a URL, domain or e-mail address, so a domain listed in one case meets a URL
  on that domain in another, and defanged and refanged spellings meet (normalisation is done
  on the way in, ``rrmdesk.observables``);
- an actor's name or alias (exact once case-folded; fuzzy matches, scored, are kept apart),
  and an account's platform and handle;
- the case's DISARM technique pattern (``technique_patterns``).

Scoring: each shared key adds ``WEIGHT × 2 / n``, where n is how many cases hold the key; a value
shared by two cases counts 1, one shared by ten counts 0.2. Fuzzy actor matches count their
match score times that. Keys on the noise list or held by too many cases are shown, flagged,
and count nothing. A matching technique pattern adds its Jaccard similarity. Analyst verdicts
(``decisions``) hide dismissed pairs and mark confirmed ones.
"""

from __future__ import annotations

import json
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..migrations import OBSERVABLE_HOST_SQL
from ..observables import host_of
from ..store import Store
from . import names
from .decisions import Decision, decisions, pair_key
from .noise import NoiseList
from .technique_patterns import TechniqueOverlap, similar_cases

#: what a shared key of each kind is worth when exactly two cases hold it
WEIGHT = {"url": 1.0, "email": 1.0, "handle": 1.0, "phone": 1.0, "hash": 1.0, "host": 1.0,
          "actor": 1.0, "account": 1.0}


def key_score(kind: str, cases: int) -> float:
    """What one shared key adds to a pair's score: rarer keys say more."""
    return WEIGHT[kind] * 2.0 / max(cases, 2)


def observable_keys(kind: str, normalized: str) -> list[tuple[str, str]]:
    """The correlation keys of one observable: its value (domains are their host) and its host."""
    keys = [] if kind == "domain" else [(kind, normalized)]
    host = host_of(kind, normalized)
    if host:
        keys.append(("host", host))
    return keys


@dataclass(frozen=True, slots=True)
class SharedValue:
    """One key two cases share; ``here``/``there`` are the observable ids holding it.

    ``cases`` (how many cases hold the key) is counted up to the noise list's ``max_cases + 1``:
    beyond that the key is noise whatever the exact number.
    """

    kind: str
    value: str
    cases: int
    score: float
    noise: str
    here: tuple[str, ...]
    there: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ActorLink:
    here_id: str
    here_name: str
    there_id: str
    there_name: str
    how: str  # exact, folded, reordered, similar, account
    match: float
    score: float


@dataclass(slots=True)
class Correlation:
    """Another case and everything it shares with the one asked about."""

    case_id: str
    title: str = ""
    tlp: str = ""
    status: str = ""
    shared: list[SharedValue] = field(default_factory=list)
    noise: list[SharedValue] = field(default_factory=list)
    actors: list[ActorLink] = field(default_factory=list)
    fuzzy_actors: list[ActorLink] = field(default_factory=list)
    techniques: TechniqueOverlap | None = None
    decision: Decision | None = None

    @property
    def score(self) -> float:
        total = sum(s.score for s in self.shared) + sum(a.score for a in self.actors + self.fuzzy_actors)
        if self.techniques:
            total += self.techniques.jaccard
        return round(total, 3)

    @property
    def verdict(self) -> str:
        return self.decision.decision if self.decision else ""

    @property
    def counts(self) -> bool:
        """Does anything here count (not only noise)?"""
        return bool(self.shared or self.actors or self.fuzzy_actors or self.techniques or self.decision)

    def to_dict(self) -> dict:
        return {
            "case_id": self.case_id, "title": self.title, "tlp": self.tlp, "status": self.status,
            "score": self.score, "verdict": self.verdict,
            "shared": [_value_dict(s) for s in self.shared],
            "noise": [_value_dict(s) for s in self.noise],
            "actors": [_actor_dict(a) for a in self.actors],
            "fuzzy_actors": [_actor_dict(a) for a in self.fuzzy_actors],
            "techniques": ({"shared": list(self.techniques.shared), "jaccard": self.techniques.jaccard}
                           if self.techniques else None),
        }


def _value_dict(s: SharedValue) -> dict:
    return {"kind": s.kind, "value": s.value, "cases": s.cases, "score": round(s.score, 3), "noise": s.noise,
            "here": list(s.here), "there": list(s.there)}


def _actor_dict(a: ActorLink) -> dict:
    return {"here": a.here_id, "here_name": a.here_name, "there": a.there_id, "there_name": a.there_name,
            "how": a.how, "match": a.match, "score": round(a.score, 3)}


# -- observables ------------------------------------------------------------------------------

_KEYS_CTE = "WITH k(a, b) AS (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?))"
_VALUE_JOIN = "FROM k JOIN observables o ON o.kind = k.a AND o.normalized = k.b"
_HOST_JOIN = f"FROM k JOIN observables o ON ({OBSERVABLE_HOST_SQL}) = k.b"


_COUNT_VALUE = (f"{_KEYS_CTE} SELECT k.a, k.b, (SELECT count(*) FROM (SELECT DISTINCT case_id FROM observables"
                " WHERE kind = k.a AND normalized = k.b LIMIT ?)) FROM k")
_COUNT_HOST = (f"{_KEYS_CTE} SELECT k.a, k.b, (SELECT count(*) FROM (SELECT DISTINCT case_id FROM observables"
               f" WHERE ({OBSERVABLE_HOST_SQL}) = k.b LIMIT ?)) FROM k")


def _case_counts(store: Store, keys: Iterable[tuple[str, str]], cap: int) -> dict[tuple[str, str], int]:
    """How many cases hold each key, counted up to ``cap`` only: a platform host held by half
    the workspace costs no more than a rare domain (the covering indexes keep cases in order)."""
    keys = list(keys)
    counts = {}
    for sql, wanted in ((_COUNT_VALUE, [k for k in keys if k[0] != "host"]), (_COUNT_HOST, [k for k in keys if k[0] == "host"])):
        if wanted:
            counts.update({(a, b): n for a, b, n in store.db.conn.execute(sql, (json.dumps(wanted), cap))})
    return counts


def _holders(store: Store, keys: list[tuple[str, str]], join: str, case_id: str) -> Iterable[tuple[str, str, str, str]]:
    if not keys:
        return []
    sql = f"{_KEYS_CTE} SELECT k.a, k.b, o.case_id, o.id {join} WHERE o.case_id != ?"
    return store.db.conn.execute(sql, (json.dumps(keys), case_id)).fetchall()


def shared_observables(store: Store, case_id: str, noise: NoiseList) -> dict[str, tuple[list[SharedValue], list[SharedValue]]]:
    """Other case id -> (shared values that count, shared values flagged as noise)."""
    mine: dict[tuple[str, str], list[str]] = defaultdict(list)
    for object_id, kind, normalized in store.db.conn.execute(
        "SELECT id, kind, normalized FROM observables WHERE case_id = ?", (case_id,)
    ):
        for key in observable_keys(kind, normalized):
            mine[key].append(object_id)
    counts = _case_counts(store, mine, noise.max_cases + 1)
    found: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
    flagged: dict[tuple[str, str], str] = {}
    wanted: dict[str, list[tuple[str, str]]] = {"value": [], "host": []}
    for key, cases in counts.items():
        if cases < 2:
            continue
        why = noise.why(key[1], cases)
        if why:
            flagged[key] = why
            if cases > noise.max_cases:
                continue  # do not list every holder of an over-correlating value
        wanted["host" if key[0] == "host" else "value"].append(key)
    for join, keys in ((_VALUE_JOIN, wanted["value"]), (_HOST_JOIN, wanted["host"])):
        for kind, value, other, object_id in _holders(store, keys, join, case_id):
            found[other][(kind, value)].append(object_id)
    result: dict[str, tuple[list[SharedValue], list[SharedValue]]] = {}
    for other, keys in found.items():
        shared, noisy = [], []
        for key, there in keys.items():
            cases = counts[key]
            why = flagged.get(key, "")
            item = SharedValue(key[0], key[1], cases, 0.0 if why else key_score(key[0], cases), why,
                               tuple(mine[key]), tuple(dict.fromkeys(there)))
            (noisy if why else shared).append(item)
        shared.sort(key=lambda s: (-s.score, s.kind, s.value))
        noisy.sort(key=lambda s: (s.kind, s.value))
        result[other] = (shared, noisy)
    return result


# -- actors -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActorName:
    actor_id: str
    case_id: str
    name: str  # the name or one alias
    primary: str  # the actor's name, for display


def account_key(platform: str, handle: str) -> str:
    handle = handle.strip().lstrip("@").casefold()
    return f"{names.fold(platform)}:{handle}" if handle else ""


#: name blocks larger than this ("Account 0001"... "Account 9999") are too common a spelling to
#: compare pairwise; their names still match exactly, folded or reordered
BLOCK_MAX = 64


class ActorIndex:
    """Every actor name and alias in the workspace, findable by spelling-insensitive keys.

    ``actor_index(store)`` keeps one per open store and brings it up to date from the audit
    chain (every change to an actor leaves an entry there), so a lookup does not re-read every
    actor of a large workspace.
    """

    def __init__(self, rows: Iterable[tuple[str, str, str, str, str, str]] = ()) -> None:
        self.by_fold: dict[str, list[ActorName]] = defaultdict(list)
        self.by_order: dict[str, list[ActorName]] = defaultdict(list)
        self.by_block: dict[str, list[ActorName]] = defaultdict(list)
        self.by_account: dict[str, list[ActorName]] = defaultdict(list)
        self.actors: dict[str, list[ActorName]] = {}
        self.accounts: dict[str, str] = {}
        self.seq = 0
        for row in rows:
            self._add(*row)

    def _add(self, actor_id: str, case_id: str, name: str, aliases: str, platform: str, handle: str) -> None:
        entries = self.actors[actor_id] = []
        for text in dict.fromkeys([name, *json.loads(aliases or "[]")]):
            entry = ActorName(actor_id, case_id, text, name)
            entries.append(entry)
            if names.fold(text):
                self.by_fold[names.fold(text)].append(entry)
                self.by_order[names.reordered(text)].append(entry)
                for key in names.blocks(text):
                    self.by_block[key].append(entry)
        account = account_key(platform, handle)
        if account:
            self.accounts[actor_id] = account
            self.by_account[account].append(ActorName(actor_id, case_id, f"{platform} @{handle.lstrip('@')}", name))

    def _remove(self, actor_id: str) -> None:
        for entry in self.actors.pop(actor_id, ()):
            keys = [(self.by_fold, names.fold(entry.name)), (self.by_order, names.reordered(entry.name))]
            keys += [(self.by_block, key) for key in names.blocks(entry.name)]
            for table, key in keys:
                if key in table:
                    table[key] = [e for e in table[key] if e.actor_id != actor_id]
        account = self.accounts.pop(actor_id, None)
        if account:
            self.by_account[account] = [e for e in self.by_account[account] if e.actor_id != actor_id]

    @classmethod
    def load(cls, store: Store) -> "ActorIndex":
        index = cls()
        index.seq = _audit_head(store)
        for row in store.db.conn.execute(_ACTOR_ROWS):
            index._add(*row)
        return index

    def refresh(self, store: Store) -> None:
        """Apply the actor changes audited since this index was built."""
        head = _audit_head(store)
        if head == self.seq:
            return
        rows = store.db.conn.execute("SELECT object_id FROM audit WHERE seq > ?", (self.seq,))  # a range of rowids
        changed = list(dict.fromkeys(r[0] for r in rows if r[0].startswith("actor--")))
        for start in range(0, len(changed), 500):
            chunk = changed[start : start + 500]
            for actor_id in chunk:
                self._remove(actor_id)
            for row in store.db.conn.execute(f"{_ACTOR_ROWS} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                self._add(*row)
        self.seq = head

    def cases_holding(self, key: str) -> int:
        return len({e.case_id for e in self.by_fold.get(key, ())})

    def matches(self, entry: ActorName) -> list[tuple[ActorName, names.NameMatch, int]]:
        """Names in other cases that match this one: (their name, how, cases holding the name)."""
        folded = names.fold(entry.name)
        if not folded:
            return []
        pool = [*self.by_fold.get(folded, ()), *self.by_order.get(names.reordered(entry.name), ())]
        for key in names.blocks(entry.name):
            block = self.by_block.get(key, ())
            if len(block) <= BLOCK_MAX:
                pool.extend(block)
        cases = self.cases_holding(folded)
        found, seen = [], set()
        for other in pool:
            if other.case_id == entry.case_id or (other.actor_id, other.name) in seen:
                continue
            seen.add((other.actor_id, other.name))
            match = names.compare(entry.name, other.name)
            if match:
                found.append((other, match, max(cases, self.cases_holding(names.fold(other.name)), 2)))
        return found


_ACTOR_ROWS = "SELECT id, case_id, name, aliases, platform, handle FROM actors"
_INDEXES: weakref.WeakKeyDictionary[Store, ActorIndex] = weakref.WeakKeyDictionary()


def _audit_head(store: Store) -> int:
    return int(store.db.conn.execute("SELECT coalesce(max(seq), 0) FROM audit").fetchone()[0])


def actor_index(store: Store) -> ActorIndex:
    """The actor index of this open store, brought up to date."""
    index = _INDEXES.get(store)
    if index is None:
        index = _INDEXES[store] = ActorIndex.load(store)
    else:
        index.refresh(store)
    return index


def actor_links(index: ActorIndex, case_id: str, actor_ids: Iterable[str], noise: NoiseList) -> dict[str, list[ActorLink]]:
    """Other case id -> links between this case's actors and theirs, best match per actor pair."""
    best: dict[tuple[str, str], tuple[str, ActorLink]] = {}  # (mine, theirs) -> (their case, link)
    for actor_id in actor_ids:
        for entry in index.actors.get(actor_id, ()):
            for other, match, cases in index.matches(entry):
                if noise.why(names.fold(entry.name), cases) or noise.listed(names.fold(other.name)):
                    continue
                link = ActorLink(actor_id, entry.name, other.actor_id, other.name, match.how, match.score,
                                 match.score * key_score("actor", cases))
                pair = (actor_id, other.actor_id)
                if pair not in best or link.score > best[pair][1].score:
                    best[pair] = (other.case_id, link)
        key = index.accounts.get(actor_id)
        holders = index.by_account.get(key, []) if key else []
        cases = len({e.case_id for e in holders})
        if key and noise.why(key, cases):
            continue
        mine = next((e for e in holders if e.actor_id == actor_id), None)
        for other in holders:
            if mine and other.case_id != case_id:
                best[(actor_id, other.actor_id)] = (other.case_id, ActorLink(
                    actor_id, mine.primary, other.actor_id, other.primary, "account", 1.0, key_score("account", cases)))
    by_case: dict[str, list[ActorLink]] = defaultdict(list)
    for other_case, link in best.values():
        by_case[other_case].append(link)
    for links in by_case.values():
        links.sort(key=lambda a: (-a.score, a.here_name, a.there_name))
    return by_case


# -- one case ---------------------------------------------------------------------------------


def correlate(store: Store, case_id: str, noise: NoiseList | None = None,
              include_dismissed: bool = False) -> list[Correlation]:
    """Other cases related to this one, best first.

    Dismissed pairs are left out unless ``include_dismissed``; pairs that share only noise are
    left out.
    """
    store.get_case(case_id)
    noise = noise or NoiseList.load(store)
    found: dict[str, Correlation] = {}

    def get(other: str) -> Correlation:
        return found.setdefault(other, Correlation(other))

    for other, (shared, noisy) in shared_observables(store, case_id, noise).items():
        get(other).shared, get(other).noise = shared, noisy
    index = actor_index(store)
    mine = [r[0] for r in store.db.conn.execute(
        "SELECT id FROM objects WHERE case_id = ? AND kind = 'actor'", (case_id,))]
    for other, links in actor_links(index, case_id, mine, noise).items():
        get(other).actors = [a for a in links if a.how in ("exact", "account")]
        get(other).fuzzy_actors = [a for a in links if a.how not in ("exact", "account")]
    for other, overlap in similar_cases(store, case_id).items():
        get(other).techniques = overlap
    for pair, decision in decisions(store, case_id).items():
        get(decision.other(case_id)).decision = decision
    if not found:
        return []
    _describe(store, found)
    result = [c for c in found.values()
              if c.counts and (include_dismissed or c.verdict != "dismissed")]
    result.sort(key=lambda c: (c.verdict != "confirmed", -c.score, c.title, c.case_id))
    return result


def _describe(store: Store, found: dict[str, Correlation]) -> None:
    ids = list(found)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for case_id, title, tlp, status in store.db.conn.execute(
            f"SELECT id, title, tlp, status FROM cases WHERE id IN ({','.join('?' * len(chunk))})", chunk
        ):
            c = found[case_id]
            c.title, c.tlp, c.status = title, tlp, status


def related_observables(store: Store, case_id: str, noise: NoiseList | None = None) -> dict[str, list[str]]:
    """Observable id in this case -> ids of the other cases holding one of its values (not noise).

    This is what the desktop app marks next to each observable.
    """
    noise = noise or NoiseList.load(store)
    verdicts = decisions(store, case_id)
    marks: dict[str, set[str]] = defaultdict(set)
    for other, (shared, _) in shared_observables(store, case_id, noise).items():
        verdict = verdicts.get(pair_key(case_id, other))
        if verdict and verdict.decision == "dismissed":
            continue
        for item in shared:
            for object_id in item.here:
                marks[object_id].add(other)
    return {k: sorted(v) for k, v in marks.items()}

