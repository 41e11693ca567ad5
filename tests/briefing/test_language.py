"""Estimative wording and dates in English and French, without system locales."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from rrmdesk import vocab
from rrmdesk.briefing.language import CONFIDENCE_TERM, LABELS, LIKELIHOOD_TERM, Wording, check_language
from rrmdesk.errors import UsageError


def test_every_label_and_term_exists_in_both_languages():
    assert LABELS["en"].keys() == LABELS["fr"].keys()
    for code in ("en", "fr"):
        assert set(LIKELIHOOD_TERM[code]) == set(vocab.LIKELIHOOD)
        assert set(CONFIDENCE_TERM[code]) == set(vocab.CONFIDENCE)


def test_icd203_vocabulary():
    en, fr = Wording("en"), Wording("fr")
    assert en.likelihood("almost-certain") == "almost certain"
    assert fr.likelihood("almost-certain") == "presque certain"
    assert en.likelihood("roughly-even-chance") == "roughly even chance"
    assert fr.likelihood("roughly-even-chance") == "à peu près égal"
    assert [fr.confidence(c) for c in vocab.CONFIDENCE] == ["faible", "modérée", "élevée"]


def test_judgment_reads_as_analysts_write_it():
    en = Wording("en")
    assert en.judgment("The network was run from Moscow.", "likely", "moderate") == (
        "We assess with moderate confidence that it is likely that the network was run from Moscow.")
    assert en.judgment("Russia directed the campaign", "roughly-even-chance", "low") == (
        "We assess with low confidence that there is a roughly even chance that Russia directed the campaign.")


def test_french_judgment_elides_que_before_a_vowel():
    fr = Wording("fr")
    assert fr.judgment("Il a agi seul.", "likely", "high") == (
        "Nous estimons, avec une confiance élevée, qu'il est probable qu'il a agi seul.")
    assert fr.judgment("La Russie dirige la campagne", "roughly-even-chance", "moderate") == (
        "Nous estimons, avec une confiance modérée, que les chances sont à peu près égales "
        "que la Russie dirige la campagne.")


def test_names_keep_their_capital_letter():
    assert "that Doppelganger reused" in Wording("en").judgment("Doppelganger reused domains", "likely", "high")


@pytest.mark.parametrize(("code", "stamp", "expected"), [
    ("en", "2024-03-03T00:00:00Z", "3 March 2024"),
    ("fr", "2024-03-03T00:00:00Z", "3 mars 2024"),
    ("fr", "2024-08-01T00:00:00Z", "1er août 2024"),
    ("en", "2024-12-31T23:59:00Z", "31 December 2024"),
])
def test_dates_per_language(code, stamp, expected):
    assert Wording(code).date(stamp) == expected


def test_times_of_day():
    assert Wording("en").date_time("2024-03-03T14:05:00Z") == "3 March 2024 14:05"
    assert Wording("fr").date_time("2024-03-03T14:05:00Z") == "3 mars 2024 14\u00a0h\u00a005"
    assert Wording("fr").date_time("2024-03-03") == "3 mars 2024"


def test_admiralty_grades_spelt_out():
    assert Wording("en").grade("B", "2", long=True) == "B2 (usually reliable, probably true)"
    assert Wording("fr").grade("A", "1", long=True) == "A1 (entièrement fiable, confirmée par d'autres sources)"
    assert Wording("en").grade(None, None) == ""


def test_unknown_language_is_refused():
    with pytest.raises(UsageError, match="not a briefing language"):
        check_language("de")


def test_vocabulary_shared_with_the_charts():
    from rrmdesk.charts.wording import CHART_LABELS

    assert CHART_LABELS["en"].keys() == CHART_LABELS["fr"].keys()
    assert Wording("fr").relationship("attributed-to") == "attribué à"
    assert Wording("fr").relationship("works-with") == "collabore avec"
    assert Wording("fr").relationship("leaks-to") == "leaks-to"  # an analyst's own type is shown as recorded
    assert Wording("en").relationship("attributed-to") == "attributed-to"
    moment = datetime(2024, 2, 1, tzinfo=timezone.utc)
    assert Wording("fr").short_date(moment) == "1er févr. 2024"
    assert Wording("en").short_date(moment) == "01 Feb 2024"
