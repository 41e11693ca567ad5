"""Full-text search across every kind of text, ranked, with snippets, safe for any typed query."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rrmdesk import Actor, Event, Evidence, Narrative, UsageError
from rrmdesk.fulltext import fts_query


@pytest.fixture
def corpus(store):
    first = store.create_case("Matryoshka bot swarm", summary="Bots tag fact-checkers with fake videos",
                              target_countries=["FR"], lessons="Coordinate with platforms early")
    second = store.create_case("Portal Kombat", summary="Network of pravda portals republishing content")
    ids = {"first": first.id, "second": second.id}
    records = [
        Actor(case_id=first.id, name="Storm-1679", description="Produces AI-voiced videos impersonating media"),
        Event(case_id=first.id, title="Fake Euronews video", start="2024-06-01",
              description="Video about Paris Olympics terror threat", location="Paris", platform="X"),
        Narrative(case_id=second.id, title="Western decline", description="Europe is collapsing under sanctions"),
        Evidence(case_id=second.id, kind="text", title="Excerpt", text="pravda-fr.com republished 300 articles daily",
                 source="Viginum report"),
        Event(case_id=second.id, title="Olympics", start="2024-07-26", description="portal coverage spikes"),
        Event(case_id=second.id, title="Coverage report", start="2024-07-27", description="Olympics mentioned in passing"),
    ]
    store.add_many(records)
    ids.update(actor=records[0].id, event=records[1].id, narrative=records[2].id, evidence=records[3].id,
               title_hit=records[4].id, body_hit=records[5].id)
    return ids


def _ids(hits) -> list[str]:
    return [h.object_id for h in hits]


def test_search_finds_every_kind_of_text(store, corpus) -> None:
    assert _ids(store.search("fact-checkers")) == [corpus["first"]]
    assert _ids(store.search("platforms early")) == [corpus["first"]]
    assert _ids(store.search("AI-voiced")) == [corpus["actor"]]
    assert _ids(store.search("Storm-1679")) == [corpus["actor"]]
    assert _ids(store.search("terror threat")) == [corpus["event"]]
    assert _ids(store.search("collapsing")) == [corpus["narrative"]]
    assert _ids(store.search("pravda-fr.com")) == [corpus["evidence"]]
    assert _ids(store.search("Viginum")) == [corpus["evidence"]]


def test_hits_carry_their_case(store, corpus) -> None:
    hit = store.search("collapsing")[0]
    assert (hit.kind, hit.case_id, hit.case_title, hit.title) == ("narrative", corpus["second"], "Portal Kombat",
                                                                     "Western decline")
    assert hit.tlp == "amber"


def test_search_spans_cases_and_can_be_narrowed_to_one(store, corpus) -> None:
    across = {h.case_id for h in store.search("video*")} | {h.case_id for h in store.search("portal*")}
    assert across == {corpus["first"], corpus["second"]}
    assert {h.case_id for h in store.search("olympics", case_id=corpus["first"])} == {corpus["first"]}


def test_a_title_hit_ranks_above_a_body_hit(store, corpus) -> None:
    ranked = _ids(store.search("olympics", case_id=corpus["second"]))
    assert ranked == [corpus["title_hit"], corpus["body_hit"]]


def test_snippets_mark_the_match(store, corpus) -> None:
    assert "[collapsing]" in store.search("collapsing")[0].snippet
    assert "[Olympics]" in store.search("olympics", case_id=corpus["second"])[0].snippet


def test_prefix_search(store, corpus) -> None:
    assert _ids(store.search("collaps*")) == [corpus["narrative"]]
    assert store.search("collaps") == []


def test_diacritics_are_folded(store, case) -> None:
    store.create_case("Élection présidentielle", summary="Désinformation ciblée")
    assert len(store.search("election presidentielle")) == 1
    assert len(store.search("désinformation")) == 1


@pytest.mark.parametrize("query", ['"', '"unbalanced', "-", "-sanctions", "title:western", "a:b", "*", "sanction*s",
                                   "NEAR(", "NEAR(western decline", "AND", "OR OR", "NOT western", "^western", "(",
                                   ")", "{kind}", "western + decline", "'", "[x]", "\\", "collapsing;--", "\x00"])
def test_fts_special_characters_never_crash(store, corpus, query: str) -> None:
    try:
        hits = store.search(query)
    except UsageError as exc:
        assert "no words" in exc.message
    else:
        assert isinstance(hits, list)


def test_operators_are_searched_as_words(store, corpus) -> None:
    assert _ids(store.search("-sanctions")) == [corpus["narrative"]]
    assert _ids(store.search("NEAR(collapsing")) == []  # 'near' is a word that must appear too
    assert fts_query('say "hi" NOT-me') == '"say" "hi" "NOT-me"'


def test_search_after_edit_finds_the_new_text_only(store, corpus) -> None:
    store.edit(corpus["narrative"], description="Europe freezes without Russian gas")
    assert store.search("collapsing") == []
    assert _ids(store.search("freezes")) == [corpus["narrative"]]
    store.edit(corpus["narrative"], title="Cold winter")
    assert store.search("western decline") == []
    assert store.search("cold winter")[0].title == "Cold winter"


def test_removed_objects_leave_the_index(store, corpus) -> None:
    store.remove(corpus["actor"])
    assert store.search("Storm-1679") == []


def test_search_cli(store, corpus, cli) -> None:
    outcome = cli("search", "collapsing")
    assert outcome.code == 0
    assert "[narrative] Western decline" in outcome.out and "Portal Kombat" in outcome.out
    assert corpus["narrative"] in outcome.out
    assert cli("search", "nothing-like-this").out.strip() == "no matches"
    hits = json.loads(cli("search", "olympics", "--case", corpus["second"], "--limit", "1", "--json").out)
    assert [h["object_id"] for h in hits] == [corpus["title_hit"]]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
       | st.lists(st.sampled_from(['"', "-", ":", "*", "(", ")", "NEAR", "AND", "OR", "NOT", "^", "+", "{", "}",
                                   "western", "col*", " "]), max_size=8).map("".join))
def test_any_typed_query_gives_hits_or_a_usage_error(store, corpus, query: str) -> None:
    try:
        hits = store.search(query)
    except UsageError as exc:
        assert "no words" in exc.message
    else:
        assert all(h.case_id in (corpus["first"], corpus["second"]) for h in hits)
