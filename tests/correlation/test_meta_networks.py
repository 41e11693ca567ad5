"""The 54 Meta indicator files as 54 cases: what correlation finds must be what the files share.

The expected shared values are computed here straight from the files (each value normalised on
its own); the index, the noise list, the scoring and the clustering under test work from the
encrypted store.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx
import pytest

from rrmdesk.correlation import NoiseList, clusters, correlate
from rrmdesk.correlation.clusters import THRESHOLD
from rrmdesk.correlation.noise import MAX_CASES
from rrmdesk.observables import classify, host_of, normalise
from tests.correlation.meta_indicators import import_networks, networks

PLATFORMS = ("facebook.com", "t.me", "youtube.com", "x.com", "tiktok.com", "reddit.com", "pinterest.com")
DOPPELGANGER_2022 = "2022_09_removing_coordinated_inauthentic_behavior_from_china_and_russia"
DOPPELGANGER_2023 = "Q2_2023_Doppelganger_Russia_based_CIB_network_updated"


@pytest.fixture(scope="module")
def nets():
    return networks()


@pytest.fixture
def meta(store, nets):
    """The store with one case per network; returns (store, name -> case id)."""
    return store, import_networks(store, nets)


def expected_keys(nets) -> dict[tuple[str, str], set[str]]:
    """(kind, value) -> networks holding it: each value, and the host of each URL, domain, e-mail."""
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for net in nets:
        for kind, value in net.indicators:
            kind = kind or classify(value)
            normalized = normalise(kind, value)
            if kind != "domain":
                holders[(kind, normalized)].add(net.name)
            if host := host_of(kind, normalized):
                holders[("host", host)].add(net.name)
    return {k: v for k, v in holders.items() if len(v) > 1}


def test_the_files_share_hundreds_of_values(nets) -> None:
    assert len(nets) == 54
    assert len(expected_keys(nets)) > 300


def test_every_shared_value_is_found_for_every_case(meta, nets) -> None:
    store, ids = meta
    names = {v: k for k, v in ids.items()}
    keys = expected_keys(nets)
    expected = {(a, b, kind, value) for (kind, value), held in keys.items() for a in held for b in held if a != b}
    nothing_is_noise = NoiseList([], max_cases=len(nets))
    found = set()
    for name, case_id in ids.items():
        for related in correlate(store, case_id, nothing_is_noise):
            assert not related.noise
            for item in related.shared:
                found.add((name, names[related.case_id], item.kind, item.value))
                assert item.cases == len(keys[(item.kind, item.value)])
    assert found == expected


def test_platforms_are_flagged_as_noise_and_never_scored(meta, nets) -> None:
    store, ids = meta
    shared = expected_keys(nets)
    for case_id in ids.values():
        for related in correlate(store, case_id):
            assert not {s.value for s in related.shared} & set(PLATFORMS)
            for item in related.noise:
                assert item.score == 0 and item.noise
    found, seen = clusters(store)
    flagged = {value for (kind, value) in seen.values if kind == "host"}
    held = {value for (kind, value) in shared if kind == "host"}
    assert set(PLATFORMS) & held <= flagged
    assert {"x.com", "t.me", "youtube.com"} <= flagged
    for cluster in found:
        assert not {value for _, value, _ in cluster.shared} & set(PLATFORMS)


def test_clusters_are_the_connected_groups_of_the_files_shared_values(meta, nets) -> None:
    store, ids = meta
    noise = NoiseList.load(store)
    graph = nx.Graph()
    score: dict[tuple[str, str], float] = defaultdict(float)
    for (kind, value), held in expected_keys(nets).items():
        if noise.listed(value) or len(held) > MAX_CASES:
            continue
        for a, b in combinations(sorted(held), 2):
            score[(a, b)] += 2 / len(held)
    graph.add_edges_from(pair for pair, total in score.items() if total >= THRESHOLD)
    expected = {frozenset(group) for group in nx.connected_components(graph)}
    names = {v: k for k, v in ids.items()}
    found, _ = clusters(store, noise=noise)
    assert {frozenset(names[c] for c, _ in cluster.cases) for cluster in found} == expected
    assert expected  # the real data does hold shared infrastructure


def test_defanged_and_refanged_doppelganger_lists_meet(meta) -> None:
    """Meta's 2022 list is refanged, its 2023 update defanged: the same domains must meet."""
    store, ids = meta
    folder = {net.name: net for net in networks()}

    def plain_hosts(name: str) -> set[str]:
        hosts = set()
        for _, value in folder[name].indicators:
            text = value.replace("[.]", ".").lower().split("://")[-1].split("/")[0]
            hosts.add(text[4:] if text.startswith("www.") else text)
        return hosts

    both = plain_hosts(DOPPELGANGER_2022) & plain_hosts(DOPPELGANGER_2023)
    assert len(both) > 250
    related = {c.case_id: c for c in correlate(store, ids[DOPPELGANGER_2022])}
    other = related[ids[DOPPELGANGER_2023]]
    hosts = {s.value for s in other.shared + other.noise if s.kind == "host"}
    assert hosts == both
    assert related[ids[DOPPELGANGER_2023]] is next(iter(related.values()))  # ranked first
    found, _ = clusters(store)
    assert any({ids[DOPPELGANGER_2022], ids[DOPPELGANGER_2023]} <= {c for c, _ in cl.cases} for cl in found)
