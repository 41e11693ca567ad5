"""Snippets are cut from the records the way the index reads them: accents, case, phrases, prefixes."""

from __future__ import annotations

import pytest

from rrmdesk.errors import UsageError
from rrmdesk.fulltext import fts_query, snippet

BODY = ("The network registered lemonde.fr look-alikes and mirrored Le Monde articles for weeks "
        "in the run-up to the French élections, then pushed them through paid adverts")


def test_a_match_is_bracketed_in_its_own_spelling() -> None:
    assert snippet(["Title", "Les élections présidentielles"], "ELECTIONS") == "Les [élections] présidentielles"


def test_a_dotted_word_is_one_phrase_and_bracketed_whole() -> None:
    cut = snippet(["Clone sites", BODY], "lemonde.fr")
    assert "[lemonde.fr]" in cut and cut.startswith("…") and cut.endswith("…")
    assert "[Le]" not in cut  # "le" alone is not the phrase "lemonde fr"


def test_a_prefix_matches_longer_words_and_the_window_shows_the_most_terms() -> None:
    cut = snippet(["Title", BODY], "advert* paid")
    assert "[paid] [adverts]" in cut
    assert len(cut.strip("…").split()) <= 12


def test_the_title_is_the_snippet_when_only_it_matches() -> None:
    assert snippet(["Olympics boycott", "nothing here"], "olymp*") == "[Olympics] boycott"


def test_a_snippet_is_one_line() -> None:
    assert snippet(["Title", "Domains: lemonde[.]ltd\nCountry likely targeted:\tFrance"], "lemonde") == (
        "Domains: [lemonde][.]ltd Country likely targeted: France")


def test_no_text_gives_an_empty_snippet() -> None:
    assert snippet(["", ""], "anything") == ""


def test_queries_quote_every_word_and_refuse_empty_input() -> None:
    assert fts_query('lemonde.fr olymp* "NOT"') == '"lemonde.fr" "olymp"* "NOT"'
    with pytest.raises(UsageError, match="no words"):
        fts_query("  -- ** ")
