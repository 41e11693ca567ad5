"""Actor names that are the same actor written differently, and names that are not."""

from __future__ import annotations

import pytest

from rrmdesk.correlation import names


@pytest.mark.parametrize(("a", "b", "how"), [
    ("Recent Reliable News", "recent  reliable news", "exact"),
    ("Pravda.ru", "Правда.ру", "folded"),
    ("Pravda Ru", "pravda-ru", "folded"),
    ("Sputnik Türkiye", "Sputnik Turkiye", "folded"),
    ("Tsargrad TV", "Царьград ТВ", "folded"),
    ("Yevgeny Prigozhin", "Евгений Пригожин", "folded"),
    ("Wagner Group", "Vagner Group", "folded"),
    ("Internet Research Agency", "Agency, Internet Research", "reordered"),
    ("Internet Research Agency", "Internet Reseach Agency", "similar"),
])
def test_same_actor_matches(a: str, b: str, how: str) -> None:
    match = names.compare(a, b)
    assert match is not None and match.how == how
    assert (match.score == 1.0) == (how == "exact")
    assert match.fuzzy == (how != "exact")


@pytest.mark.parametrize(("a", "b"), [
    ("RT", "TASS"),
    ("Sputnik", "Sputnik Radio Moscow"),
    ("Ghostwriter", "Secondary Infektion"),
    ("APT28", "APT29"),
    ("...", "Doppelganger"),
])
def test_different_actors_do_not_match(a: str, b: str) -> None:
    assert names.compare(a, b) is None


def test_scores_order_the_kinds_of_match() -> None:
    folded = names.compare("Pravda.ru", "Правда.ру")
    similar = names.compare("Internet Research Agency", "Internet Reseach Agency")
    assert folded and similar and 1.0 > folded.score > similar.score
