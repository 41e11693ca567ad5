"""Records check themselves where they are built: every bad value is a one-line UsageError."""

from __future__ import annotations

import pytest

from rrmdesk import (
    Actor,
    Case,
    Event,
    Evidence,
    Judgment,
    Narrative,
    Observable,
    Relationship,
    Response,
    TechniqueUse,
    UsageError,
)
from rrmdesk.model import CASE_PARTS, MAX_TITLE, RECORD_TYPES

CASE = "case--5f0c1c8e-2d4f-4a8e-9d9a-0b1c2d3e4f50"
ACTOR = "actor--5f0c1c8e-2d4f-4a8e-9d9a-0b1c2d3e4f51"


def test_titles_are_trimmed_and_bounded() -> None:
    assert Case(title="  Doppelganger \n cloned   sites ").title == "Doppelganger cloned sites"
    assert Case(title="x" * MAX_TITLE).title == "x" * MAX_TITLE
    with pytest.raises(UsageError, match="the title is empty"):
        Case(title="   ")
    with pytest.raises(UsageError, match="301 characters") as raised:
        Case(title="x" * (MAX_TITLE + 1))
    assert "summary" in raised.value.hint


@pytest.mark.parametrize("tlp, canonical", [("CLEAR", "clear"), ("Amber+Strict", "amber+strict"), ("red", "red")])
def test_tlp_spellings(tlp: str, canonical: str) -> None:
    assert Case(title="t", tlp=tlp).tlp == canonical


@pytest.mark.parametrize("tlp", ["white", "amber strict", "", "purple"])
def test_invalid_tlp(tlp: str) -> None:
    with pytest.raises(UsageError, match="TLP marking") as raised:
        Case(title="t", tlp=tlp)
    assert "clear, green, amber, amber+strict, red" in raised.value.hint


@pytest.mark.parametrize("start", ["yesterday", "2024-13-01", "2024-02-30", "01/02/2024", ""])
def test_invalid_dates(start: str) -> None:
    with pytest.raises(UsageError, match="not a valid event start") as raised:
        Event(case_id=CASE, title="t", start=start)
    assert "ISO 8601" in raised.value.hint


def test_times_become_utc_with_z() -> None:
    event = Event(case_id=CASE, title="t", start="2024-03-01T14:30:00+02:00", end="2024-03-02")
    assert event.start == "2024-03-01T12:30:00.000Z"
    with pytest.raises(UsageError, match="ends before it starts"):
        Event(case_id=CASE, title="t", start="2024-03-02", end="2024-03-01")


@pytest.mark.parametrize("code", ["TA01", "T97", "0097", "mitre-attack", "T0097.1a", ""])
def test_malformed_technique_codes(code: str) -> None:
    with pytest.raises(UsageError):
        TechniqueUse(case_id=CASE, code=code)
    with pytest.raises(UsageError):
        Event(case_id=CASE, title="t", start="2024-01-01", techniques=[code])


def test_technique_codes_are_normalised() -> None:
    assert TechniqueUse(case_id=CASE, code=" t0097.109 ").code == "T0097.109"


def test_well_formed_codes_outside_the_catalog_are_kept_by_the_model() -> None:
    """An import from a newer DISARM version keeps its codes; the CLI checks the catalog (test_cli)."""
    assert TechniqueUse(case_id=CASE, code="T9999").code == "T9999"


@pytest.mark.parametrize("build, message", [
    (lambda: Actor(case_id=CASE, name="a", country="France"), "ISO 3166"),
    (lambda: Actor(case_id=CASE, name="a", kind="alien"), "actor kind"),
    (lambda: Actor(case_id=CASE, name=""), "actor name is empty"),
    (lambda: Actor(case_id=CASE, name="a", attributed_to="GRU"), "not an RRM Desk id"),
    (lambda: Actor(case_id="case-1", name="a"), "not an RRM Desk id"),
    (lambda: Event(case_id=CASE, title="t", start="2024-01-01", reliability="G"), "source reliability"),
    (lambda: Event(case_id=CASE, title="t", start="2024-01-01", credibility="7"), "credibility"),
    (lambda: Event(case_id=CASE, title="t", start="2024-01-01", actor_ids=["bob"]), "not an RRM Desk id"),
    (lambda: Evidence(case_id=CASE, title="e", kind="file"), "SHA-256"),
    (lambda: Evidence(case_id=CASE, title="e", kind="url"), "needs a URL"),
    (lambda: Evidence(case_id=CASE, title="e", kind="rumour"), "evidence kind"),
    (lambda: Relationship(case_id=CASE, source_id=ACTOR, type="Is Friends With!", target_id=ACTOR), "relationship type"),
    (lambda: Observable(case_id=CASE, value="x", kind="ip-address"), "observable kind"),
    (lambda: Judgment(case_id=CASE, statement="  "), "judgment is empty"),
    (lambda: Judgment(case_id=CASE, statement="s", likelihood="probably"), "likelihood"),
    (lambda: Judgment(case_id=CASE, statement="s", confidence="total"), "confidence"),
    (lambda: Response(case_id=CASE, action="a", countermeasure="T0001"), "countermeasure"),
    (lambda: Response(case_id=CASE, action="a", status="someday"), "response status"),
    (lambda: Narrative(case_id=CASE, title="n", first_seen="last week"), "first seen"),
    (lambda: Case(title="t", severity="apocalyptic"), "severity"),
    (lambda: Case(title="t", status="pending"), "case status"),
    (lambda: Case(title="t", summary="x" * 1_000_001), "over 1,000,000"),
])
def test_bad_values_name_the_field(build, message: str) -> None:
    with pytest.raises(UsageError, match=message) as raised:
        build()
    assert "\n" not in raised.value.text() and raised.value.hint


def test_admiralty_grades_and_relationship_types_are_normalised() -> None:
    event = Event(case_id=CASE, title="t", start="2024-01-01", reliability="b", credibility=2)
    assert (event.reliability, event.credibility) == ("B", "2")
    link = Relationship(case_id=CASE, source_id=ACTOR, type="Attributed To", target_id=ACTOR)
    assert link.type == "attributed-to"


def test_ids_are_stix_style_and_of_the_right_kind() -> None:
    for cls in RECORD_TYPES.values():
        assert cls.KIND in RECORD_TYPES and RECORD_TYPES[cls.KIND] is cls
    assert Case(title="t").id.startswith("case--")
    assert TechniqueUse(case_id=CASE, code="T0002").id.startswith("technique-use--")
    assert set(CASE_PARTS) == set(RECORD_TYPES.values()) - {Case}


def test_rows_round_trip_every_kind() -> None:
    records = [
        Case(title="t", target_countries=["fr"], targets=["Presidential election 2027"]),
        Actor(case_id=CASE, name="a", aliases=["b", "b", " c "]),
        Event(case_id=CASE, title="t", start="2024-01-01", actor_ids=[ACTOR], key=True, techniques=["T0002"]),
        Evidence(case_id=CASE, title="e", kind="text", text="quote", custody=[{"at": "x", "by": "y", "action": "z"}]),
        Observable(case_id=CASE, value="hxxps://www.Example[.]com/a?utm_source=x&b=1"),
    ]
    for record in records:
        assert type(record).from_row(record.to_row()) == record
    assert records[1].aliases == ["b", "c"]
    assert records[4].kind == "url" and records[4].normalized == "https://example.com/a?b=1"
