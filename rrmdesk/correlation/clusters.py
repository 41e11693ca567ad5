"""Clusters of related cases across the whole workspace: separate incidents, one operation?

Every pair of cases gets the score ``index`` gives it (shared observable values and hosts,
actors, technique pattern), built here from one ordered pass over the indexes rather than one
query per case. Pairs scoring at least ``threshold`` are linked; a cluster is a connected group
of linked cases. Dismissed pairs are never linked; confirmed pairs always are.

Technique patterns strengthen a link between cases that already share something; on their own
they link two cases only when both show the same set of at least ``MIN_SHARED`` techniques
(comparing every pair of patterns in a large workspace would cost more than it tells).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations

from ..migrations import OBSERVABLE_HOST_SQL
from ..progress import Progress
from ..store import Store
from . import names
from .decisions import decisions
from .index import actor_index, key_score
from .noise import NoiseList
from .technique_patterns import MIN_SHARED, overlap, patterns_of

THRESHOLD = 1.0
#: shared keys kept per pair to explain a link (the score counts all of them)
_KEEP = 8


@dataclass(slots=True)
class Link:
    case_a: str
    case_b: str
    score: float = 0.0
    shared: list[tuple[str, str]] = field(default_factory=list)  # (kind, value)
    verdict: str = ""

    def add(self, kind: str, value: str, score: float) -> None:
        self.score += score
        if len(self.shared) < _KEEP:
            self.shared.append((kind, value))


@dataclass(frozen=True, slots=True)
class Cluster:
    cases: tuple[tuple[str, str], ...]  # (id, title), best linked first
    links: tuple[Link, ...]
    shared: tuple[tuple[str, str, int], ...]  # (kind, value, cases in the cluster holding it)

    @property
    def score(self) -> float:
        return round(sum(link.score for link in self.links), 3)

    def to_dict(self) -> dict:
        return {
            "cases": [{"id": i, "title": t} for i, t in self.cases],
            "score": self.score,
            "links": [{"case_a": k.case_a, "case_b": k.case_b, "score": round(k.score, 3), "verdict": k.verdict,
                       "shared": [{"kind": s[0], "value": s[1]} for s in k.shared]} for k in self.links],
            "shared": [{"kind": k, "value": v, "cases": n} for k, v, n in self.shared],
        }


@dataclass(slots=True)
class NoiseSeen:
    """Values left out of scoring, with how many cases hold each (for the report)."""

    values: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)


def _grouped(rows: Iterable[tuple[str, str, str]]) -> Iterator[tuple[str, str, list[str]]]:
    """(kind, value, case) rows ordered by key -> each key once with its distinct cases."""
    current: tuple[str, str] | None = None
    cases: list[str] = []
    for kind, value, case in rows:
        if (kind, value) != current:
            if current is not None:
                yield current[0], current[1], cases
            current, cases = (kind, value), []
        if not cases or cases[-1] != case:
            cases.append(case)
    if current is not None:
        yield current[0], current[1], cases


def _observable_rows(store: Store) -> Iterator[tuple[str, str, str]]:
    conn = store.db.conn
    yield from conn.execute(
        "SELECT kind, normalized, case_id FROM observables WHERE kind != 'domain' ORDER BY kind, normalized, case_id"
    )
    yield from conn.execute(
        f"SELECT 'host', ({OBSERVABLE_HOST_SQL}) AS host, case_id FROM observables"
        f" WHERE ({OBSERVABLE_HOST_SQL}) IS NOT NULL ORDER BY ({OBSERVABLE_HOST_SQL}), case_id"
    )


def score_pairs(store: Store, noise: NoiseList | None = None, progress: Progress | None = None
                ) -> tuple[dict[tuple[str, str], Link], NoiseSeen]:
    """Every pair of cases that shares anything, with its score and a few of its shared keys."""
    progress = progress or Progress()
    noise = noise or NoiseList.load(store)
    links: dict[tuple[str, str], Link] = {}
    seen = NoiseSeen()

    def link(a: str, b: str) -> Link:
        pair = (a, b) if a < b else (b, a)
        found = links.get(pair)
        if found is None:
            found = links[pair] = Link(*pair)
        return found

    total = int(store.db.conn.execute("SELECT count(*) FROM observables").fetchone()[0]) or 1
    done = 0
    progress.update(0, 2 * total, "shared values")
    for kind, value, cases in _grouped(_observable_rows(store)):
        done += len(cases)
        if done % 50_000 < len(cases):
            progress.update(min(done, 2 * total), 2 * total, "shared values")
        if len(cases) < 2:
            continue
        why = noise.why(value, len(cases))
        if why:
            seen.values[(kind, value)] = (len(cases), why)
            continue
        score = key_score(kind, len(cases))
        for a, b in combinations(sorted(cases), 2):
            link(a, b).add(kind, value, score)
    progress.update(2 * total, 2 * total, "actors")
    _actor_pairs(store, noise, link, seen)
    progress.update(2 * total, 2 * total, "technique patterns")
    _technique_pairs(store, links, link)
    for (a, b), decision in decisions(store).items():
        if decision.decision == "dismissed":
            links.pop((a, b), None)
        else:
            link(a, b).verdict = "confirmed"
    return links, seen


def _actor_pairs(store: Store, noise: NoiseList, link: Callable[[str, str], Link], seen: NoiseSeen) -> None:
    index = actor_index(store)
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for entries in index.actors.values():
        for entry in entries:
            for other, match, cases in index.matches(entry):
                if other.case_id < entry.case_id:
                    continue  # each pair once
                folded = names.fold(entry.name)
                why = noise.why(folded, cases)
                if why:
                    seen.values[("actor", entry.name)] = (cases, why)
                    continue
                pair = (entry.actor_id, other.actor_id)
                score = match.score * key_score("actor", cases)
                if pair not in best or score > best[pair][0]:
                    best[pair] = (score, f"{entry.name} ~ {other.name}" if match.fuzzy else entry.name)
    case_of = {e.actor_id: e.case_id for entries in index.actors.values() for e in entries}
    for (here, there), (score, label) in best.items():
        link(case_of[here], case_of[there]).add("actor", label, score)
    for key, holders in index.by_account.items():
        cases = sorted({e.case_id for e in holders})
        if len(cases) < 2 or noise.why(key, len(cases)):
            continue
        for a, b in combinations(cases, 2):
            link(a, b).add("account", holders[0].name, key_score("account", len(cases)))


def _technique_pairs(store: Store, links: dict[tuple[str, str], Link], link: Callable[[str, str], Link]) -> None:
    patterns = patterns_of(store)
    for (a, b) in list(links):
        match = overlap(patterns.get(a, set()), patterns.get(b, set()))
        if match:
            links[(a, b)].add("techniques", ", ".join(match.shared), match.jaccard)
    same: dict[frozenset[str], list[str]] = defaultdict(list)
    for case, codes in patterns.items():
        if len(codes) >= MIN_SHARED:
            same[frozenset(codes)].append(case)
    for codes, cases in same.items():
        for a, b in combinations(sorted(cases), 2):
            if (a, b) not in links:
                link(a, b).add("techniques", ", ".join(sorted(codes)), 1.0)


def clusters(store: Store, threshold: float = THRESHOLD, noise: NoiseList | None = None,
             progress: Progress | None = None) -> tuple[list[Cluster], NoiseSeen]:
    """Groups of related cases, largest first, and the noise left out on the way."""
    links, seen = score_pairs(store, noise, progress)
    strong = [k for k in links.values() if k.score >= threshold or k.verdict == "confirmed"]
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for k in strong:
        ra, rb = root(k.case_a), root(k.case_b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[Link]] = defaultdict(list)
    for k in strong:
        groups[root(k.case_a)].append(k)
    titles = dict(store.db.conn.execute("SELECT id, title FROM cases"))
    result = []
    for members in groups.values():
        weight: dict[str, float] = defaultdict(float)
        holders: dict[tuple[str, str], set[str]] = defaultdict(set)
        for k in members:
            weight[k.case_a] += k.score
            weight[k.case_b] += k.score
            for item in k.shared:
                holders[item] |= {k.case_a, k.case_b}
        cases = sorted(weight, key=lambda c: (-weight[c], titles.get(c, ""), c))
        shared = sorted(((kind, value, len(h)) for (kind, value), h in holders.items()),
                        key=lambda s: (-s[2], s[0], s[1]))[:20]
        result.append(Cluster(tuple((c, titles.get(c, "")) for c in cases),
                              tuple(sorted(members, key=lambda k: -k.score)), tuple(shared)))
    result.sort(key=lambda c: (-len(c.cases), -c.score, c.cases[0][1]))
    return result, seen
