"""One case's related cases: what is shared, how it is scored, noise, verdicts and their audit."""

from __future__ import annotations

import pytest

from rrmdesk import Actor, Observable, TechniqueUse
from rrmdesk.correlation import (
    NoiseList, clusters, correlate, decide, exclude, include, list_exclusions, related_observables, withdraw,
)
from rrmdesk.migrations import migrate
from rrmdesk.correlation.technique_patterns import jaccard
from rrmdesk.errors import Cancelled, NotFoundError, UsageError
from rrmdesk.progress import Progress

MISSING = "case--00000000-0000-4000-8000-000000000000"


@pytest.fixture
def three(store):
    """Cases A, B, C: A and B share a domain (defanged in one) and an actor; C has a look-alike actor."""
    a = store.create_case("Clone sites A")
    b = store.create_case("Clone sites B")
    c = store.create_case("Other operation C")
    store.add_many([
        Observable(case_id=a.id, value="hxxps://spiegel[.]ltd/artikel?utm_source=tg"),
        Observable(case_id=a.id, value="https://www.facebook.com/"),
        Observable(case_id=a.id, value="@RRN_News"),
        Observable(case_id=b.id, value="spiegel.ltd"),
        Observable(case_id=b.id, value="facebook[.]com"),
        Observable(case_id=b.id, value="https://spiegel.ltd/artikel"),
        Observable(case_id=c.id, value="rrn_news"),
        Actor(case_id=a.id, name="Recent Reliable News", aliases=["RRN"]),
        Actor(case_id=b.id, name="recent reliable news"),
        Actor(case_id=c.id, name="Правда.ру"),
        Actor(case_id=a.id, name="Pravda Ru"),
        Actor(case_id=b.id, name="Channel", kind="account", platform="Telegram", handle="@ReliableNews"),
        Actor(case_id=c.id, name="Reliable channel", kind="account", platform="telegram", handle="reliablenews"),
    ])
    return store, a.id, b.id, c.id


def test_shared_values_hosts_and_actors_are_listed_and_ranked(three) -> None:
    store, a, b, c = three
    found = correlate(store, a)
    assert [r.case_id for r in found] == [b, c]
    with_b = found[0]
    assert {(s.kind, s.value) for s in with_b.shared} == {("url", "https://spiegel.ltd/artikel"), ("host", "spiegel.ltd")}
    assert {s.value for s in with_b.noise} == {"facebook.com"}  # flagged, not scored
    assert [(x.here_name, x.there_name, x.how) for x in with_b.actors] == [
        ("Recent Reliable News", "recent reliable news", "exact")]
    assert with_b.fuzzy_actors == []
    assert with_b.score == pytest.approx(3.0)
    with_c = found[1]
    assert {(s.kind, s.value) for s in with_c.shared} == {("handle", "rrn_news")}
    assert with_c.actors == []  # a fuzzy match is kept apart from exact ones
    assert [(x.here_name, x.there_name, x.how, x.match) for x in with_c.fuzzy_actors] == [
        ("Pravda Ru", "Правда.ру", "folded", 0.95)]


def test_accounts_match_by_platform_and_handle(three) -> None:
    store, a, b, c = three
    with_c = {r.case_id: r for r in correlate(store, b)}[c]
    assert [(x.here_name, x.there_name, x.how) for x in with_c.actors] == [("Channel", "Reliable channel", "account")]


def test_observable_markers_name_the_other_cases(three) -> None:
    store, a, b, c = three
    marks = related_observables(store, a)
    values = {store.get(i).value: cases for i, cases in marks.items()}
    assert values == {"hxxps://spiegel[.]ltd/artikel?utm_source=tg": [b], "@RRN_News": [c]}


def test_a_case_with_nothing_shared_has_no_related_cases(store) -> None:
    alone = store.create_case("Alone")
    store.add(Observable(case_id=alone.id, value="unique-domain-xyz.example"))
    assert correlate(store, alone.id) == []


def test_technique_patterns_are_compared_by_jaccard(store) -> None:
    a, b, c = (store.create_case(t) for t in ("A", "B", "C"))
    codes = {a.id: ["T0097.202", "T0149.003", "T0143.003", "T0086"],
             b.id: ["T0097.202", "T0149.003", "T0143.003"],
             c.id: ["T0097.202", "T0086"]}
    store.add_many([TechniqueUse(case_id=case, code=code) for case, cs in codes.items() for code in cs])
    found = correlate(store, a.id)
    assert [r.case_id for r in found] == [b.id]
    assert found[0].techniques and found[0].techniques.jaccard == pytest.approx(0.75)
    assert found[0].techniques.shared == ("T0097.202", "T0143.003", "T0149.003")
    assert jaccard(set(codes[a.id]), set(codes[c.id])) == 0.5  # two shared codes are too few


def test_noise_list_is_editable_and_audited(three) -> None:
    store, a, b, c = three
    assert "facebook.com" in {e.value for e in list_exclusions(store)}
    assert exclude(store, "spiegel[.]LTD", note="test") == "spiegel.ltd"
    with_b = {r.case_id: r for r in correlate(store, a)}[b]
    assert {s.value for s in with_b.noise} == {"facebook.com", "spiegel.ltd"}
    include(store, "spiegel.ltd")
    include(store, "facebook.com")  # a default entry taken off counts again
    with_b = {r.case_id: r for r in correlate(store, a)}[b]
    assert {s.value for s in with_b.shared} >= {"spiegel.ltd", "facebook.com"} and not with_b.noise
    actions = [e.action for e in store.audit_entries() if e.object_id == "correlation--exclusions"]
    assert actions == ["correlation-exclude", "correlation-include", "correlation-include"]
    assert store.verify_audit().ok


def test_wildcard_exclusion_covers_subdomains(store) -> None:
    a, b = store.create_case("A"), store.create_case("B")
    store.add_many([Observable(case_id=a.id, value="news.blogspot.example"),
                    Observable(case_id=b.id, value="https://news.blogspot.example/p/1")])
    assert correlate(store, a.id)
    exclude(store, "*.blogspot.example")
    assert correlate(store, a.id) == []


def test_over_correlating_values_are_flagged(store) -> None:
    cases = [store.create_case(f"Case {i}") for i in range(4)]
    store.add_many([Observable(case_id=c.id, value="common.example") for c in cases])
    found = correlate(store, cases[0].id, NoiseList([], max_cases=3))
    assert found == []  # held by 4 cases > 3: noise only
    found = correlate(store, cases[0].id, NoiseList([], max_cases=4))
    assert len(found) == 3 and all(r.shared[0].score == pytest.approx(0.5) for r in found)


def test_dismissed_pairs_stay_away_and_confirmed_pairs_stay_linked(three) -> None:
    store, a, b, c = three
    decide(store, a, c, "dismissed", note="same public brand, unrelated")
    assert c not in {r.case_id for r in correlate(store, a)}
    assert c in {r.case_id for r in correlate(store, a, include_dismissed=True)}
    assert c not in {x for cases in related_observables(store, a).values() for x in cases}
    store.add(Observable(case_id=c, value="spiegel.ltd"))  # more shared data later
    found, _ = clusters(store)
    assert not any({a, c} == {link.case_a, link.case_b} for cl in found for link in cl.links)
    assert any({b, c} == {link.case_a, link.case_b} for cl in found for link in cl.links)
    decide(store, b, c, "confirmed")
    exclude(store, "spiegel.ltd")
    found, _ = clusters(store)
    assert any({b, c} <= {i for i, _ in cl.cases} for cl in found)
    assert correlate(store, c)[0].verdict == "confirmed"
    withdraw(store, a, c)
    assert c in {r.case_id for r in correlate(store, a)}
    expected = {a: ["dismiss", "withdraw"], b: ["confirm"], c: ["dismiss", "confirm", "withdraw"]}
    for case, verbs in expected.items():
        actions = [e.action for e in store.audit_entries(case) if e.action.startswith("correlation-")]
        assert actions == [f"correlation-{v}" for v in verbs]
    assert store.verify_audit().ok


def test_bad_input(three) -> None:
    store, a, b, c = three
    with pytest.raises(NotFoundError):
        correlate(store, MISSING)
    with pytest.raises(UsageError, match="case id"):
        correlate(store, "spiegel.ltd")
    with pytest.raises(UsageError, match="itself"):
        decide(store, a, a, "confirmed")
    with pytest.raises(UsageError, match="verdict"):
        decide(store, a, b, "maybe")
    with pytest.raises(NotFoundError):
        decide(store, a, MISSING, "confirmed")
    with pytest.raises(NotFoundError, match="no verdict"):
        withdraw(store, a, b)
    with pytest.raises(UsageError, match="empty"):
        exclude(store, "   ")
    with pytest.raises(UsageError, match="host pattern"):
        exclude(store, "*.not a host")
    with pytest.raises(UsageError, match="not on the exclusion list"):
        include(store, "never-listed.example")


def test_upgrade_to_schema_5_normalises_observables_stored_by_an_older_version(store) -> None:
    case = store.create_case("Old")
    old = store.add(Observable(case_id=case.id, value="https://twitter.com/SomeHandle/"))
    conn = store.db.conn
    conn.execute("UPDATE observables SET normalized = 'https://twitter.com/SomeHandle' WHERE id = ?", (old.id,))
    for table in ("correlation_exclusions", "correlation_decisions"):
        conn.execute(f"DROP TABLE {table}")
    for index in ("observables_key", "observables_host", "observables_case", "techniques_case"):
        conn.execute(f"DROP INDEX {index}")
    conn.execute("CREATE INDEX observables_normalized ON observables(kind, normalized)")
    conn.execute("DROP TABLE audit_case")  # and what migration 7 added, which runs again after it
    conn.execute("CREATE INDEX audit_object ON audit(object_id)")
    conn.execute("PRAGMA user_version = 4")
    assert migrate(store.db) >= 1
    assert store.get(old.id).normalized == "https://x.com/somehandle"
    assert list_exclusions(store)


def test_clustering_reports_progress_and_can_be_cancelled(three) -> None:
    store = three[0]
    seen: list[str] = []
    progress = Progress(lambda done, total, label: seen.append(label))
    clusters(store, progress=progress)
    assert {"shared values", "actors", "technique patterns"} <= set(seen)
    stop = Progress()
    stop.cancel()
    with pytest.raises(Cancelled):
        clusters(store, progress=stop)
