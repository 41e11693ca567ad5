"""Observables in one canonical form, so the same indicator meets across cases.

The detailed normalisation rules are tested with rrmdesk.correlation; these are the core's contract.
"""

from __future__ import annotations

import pytest

from rrmdesk.observables import classify, refang


@pytest.mark.parametrize("value, kind", [
    ("hxxps://example[.]com/path", "url"),
    ("https://t.me/channel", "url"),
    ("info[@]example[.]org", "email"),
    ("rrn[.]media", "domain"),
    ("d41d8cd98f00b204e9800998ecf8427e", "hash"),
    ("+33 1 23 45 67 89", "phone"),
    ("@DoppelBot", "handle"),
])
def test_classify(value: str, kind: str) -> None:
    assert classify(value) == kind


def test_refang() -> None:
    assert refang(" hxxp://bad(.)example[dot]com ") == "http://bad.example.com"


def test_the_same_account_correlates_across_cases(store) -> None:
    from rrmdesk import Observable

    first = store.create_case("First")
    second = store.create_case("Second")
    a = store.add(Observable(case_id=first.id, value="hxxps://www.rrn[.]media/article?utm_medium=x"))
    b = store.add(Observable(case_id=second.id, value="https://rrn.media/article"))
    assert a.normalized == b.normalized
    rows = store.db.conn.execute("SELECT case_id FROM observables WHERE normalized = ? ORDER BY case_id",
                                 (a.normalized,)).fetchall()
    assert {r[0] for r in rows} == {first.id, second.id}


def test_an_edited_value_is_classified_again_and_the_audit_records_what_followed(store, case) -> None:
    from rrmdesk import Observable

    detected = store.add(Observable(case_id=case.id, value="hxxps://rrn[.]media/a"))
    edited = store.edit(detected.id, value="press[@]rrn[.]media")
    assert (edited.kind, edited.normalized) == ("email", "press@rrn.media")
    diff = store.audit_entries(case.id)[-1].change_dict()
    assert diff["kind"] == ["url", "email"] and diff["normalized"] == ["https://rrn.media/a", "press@rrn.media"]
    assert "modified" not in diff
    chosen = store.add(Observable(case_id=case.id, value="rrn.media", kind="handle"))  # the analyst's call
    assert store.edit(chosen.id, value="rrn.news").kind == "handle"
