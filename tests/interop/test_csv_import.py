"""CSV import with column mappings, on the real FIAT and EUvsDisinfo files, and bad CSV."""

from __future__ import annotations

import io

import pytest

from rrmdesk.errors import FormatError, UsageError
from rrmdesk.interop.csv_import import (
    ColumnMapping,
    import_csv,
    list_mappings,
    load_mapping,
    parse_date,
    preview,
    save_mapping,
)
from rrmdesk.model import Actor, Event, Evidence
from tests.shared_data import shared

FIAT = ("dfrlab-fiat-2020", "DFRLab_interference2020.csv")
EUVS = ("euvsdisinfo-cknabs", "data", "posts.csv")


def fiat_events() -> ColumnMapping:
    return ColumnMapping(target="events", separator=";", constants={"actor_kind": "state-affiliated"}, columns={
        "title": "short_title", "start": "start_date|attribution_date", "end": "end_date",
        "description": "short_description", "actors": "disinformant", "platform": "social_media",
        "urls": "attribution_url", "category": "methods"})


def test_fiat_events_import_with_us_dates_and_a_row_report(store):
    report = import_csv(store, shared(*FIAT), fiat_events(), case_title="FIAT 2020")
    assert report.added["event"] + report.rejected_count == 63
    assert report.added["event"] >= 50
    # real data: rows whose end date is before the attribution date used as start are reported by line
    assert all(p.where.startswith("line ") and "ends before it starts" in p.reason for p in report.rejected)
    events = store.parts(report.case_id, Event)
    first = next(e for e in events if e.title == "NBC: Russia Responsible for Fake Disinformation Campaign")
    assert first.start == "2016-11-01T00:00:00.000Z" and first.end == "2018-11-06T00:00:00.000Z"
    actors = {a.name: a for a in store.parts(report.case_id, Actor)}
    assert actors["Internet Research Agency"].kind == "state-affiliated"
    assert actors["Internet Research Agency"].id in first.actor_ids
    assert len([a for a in actors.values() if a.name == "Internet Research Agency"]) == 1  # one actor, many rows
    assert any(e.url.startswith("https://www.nbcnews.com/") for e in store.parts(report.case_id, Evidence))


def test_fiat_actors_import_one_per_name(store, case):
    mapping = ColumnMapping(target="actors", columns={"name": "disinformant", "description": "disinformant_attribution"})
    report = import_csv(store, shared(*FIAT), mapping, case_id=case.id)
    names = [a.name for a in store.parts(case.id, Actor)]
    assert len(names) == len(set(names)) == report.added["actor"]
    assert report.unchanged["actor"] > 0
    assert {p.reason.split(" (")[0] for p in report.rejected} == {"the name is empty"}


def test_euvsdisinfo_posts_with_plus_separated_values(store):
    mapping = ColumnMapping(target="events", separator="+", constants={"actor_kind": "media-outlet"}, columns={
        "title": "title", "start": "date", "location": "countries", "actors": "outlets", "urls": "id"})
    report = import_csv(store, shared(*EUVS), mapping)
    assert report.ok and report.added["event"] == 8146
    event = next(e for e in store.parts(report.case_id, Event) if e.title.startswith("ECHR’s decisions"))
    assert event.start == "2021-02-18T00:00:00.000Z"
    outlets = {a.id: a for a in store.parts(report.case_id, Actor)}
    assert [outlets[i].name for i in event.actor_ids] == ["Polnyi contact - Radio Vesti"]
    assert all(a.kind == "media-outlet" for a in outlets.values())


def test_preview_shows_first_rows_and_their_errors(store):
    shown = preview(shared(*FIAT), fiat_events(), limit=8)
    assert shown.header[:3] == ["timestamp", "case_hash", "case_id"]
    assert [r.line for r in shown.rows] == list(range(2, 10))
    assert shown.rows[0].values["actors"] == ["Internet Research Agency"]
    bad = [r for r in shown.rows if r.error]
    assert bad and "ends before it starts" in bad[0].error and bad[0].line == 8
    assert store.count_cases() == 0  # a preview imports nothing


def test_mappings_are_saved_per_source_name(store):
    save_mapping(store, "fiat", fiat_events())
    assert load_mapping(store, "fiat") == fiat_events()
    assert list(list_mappings(store)) == ["fiat"]
    assert load_mapping(store, "nothing") is None


def test_unparseable_dates_are_reported_per_row(store):
    data = "title,when\nFirst,2024-03-01\nSecond,next tuesday\nThird,31/12/2024\nFourth,12/31/2024\n".encode()
    mapping = ColumnMapping(columns={"title": "title", "start": "when"})
    report = import_csv(store, io.BytesIO(data), mapping)
    assert report.added["event"] == 2
    assert [(p.where, p.reason.split(" is not")[0]) for p in report.rejected] == [
        ("line 3", "'next tuesday'"), ("line 4", "'31/12/2024'")]
    day_first = ColumnMapping(columns={"title": "title", "start": "when"}, date_format="%d/%m/%Y")
    assert [r.values.get("start") for r in preview(io.BytesIO(data), day_first).rows][2] == "2024-12-31T00:00:00.000Z"


def test_strict_refuses_the_whole_file(store):
    data = b"title,when\nFirst,2024-03-01\nSecond,never\n"
    with pytest.raises(FormatError, match="line 3"):
        import_csv(store, io.BytesIO(data), ColumnMapping(columns={"title": "title", "start": "when"}), strict=True)
    assert store.count_cases() == 0


def test_missing_columns_name_what_the_file_has(store):
    mapping = ColumnMapping(columns={"title": "headline", "start": "start_date"})
    with pytest.raises(FormatError, match="no column 'headline'") as raised:
        import_csv(store, shared(*FIAT), mapping)
    assert "short_title" in raised.value.hint
    assert store.count_cases() == 0


def test_wrong_encoding_is_refused_with_a_hint(store):
    data = "title,when\nCafé,2024-03-01\n".encode("cp1252")
    mapping = ColumnMapping(columns={"title": "title", "start": "when"})
    with pytest.raises(FormatError, match="not utf-8") as raised:
        import_csv(store, io.BytesIO(data), mapping)
    assert "--encoding" in raised.value.hint
    assert store.count_cases() == 0
    report = import_csv(store, io.BytesIO(data), ColumnMapping(columns={"title": "title", "start": "when"},
                                                               encoding="cp1252"))
    assert store.parts(report.case_id, Event)[0].title == "Café"


def test_mapping_mistakes_are_usage_errors():
    with pytest.raises(UsageError, match="start"):
        ColumnMapping(columns={"title": "t"})
    with pytest.raises(UsageError, match="colour"):
        ColumnMapping(columns={"title": "t", "start": "s", "colour": "c"})
    with pytest.raises(UsageError, match="cannot import CSV rows as"):
        ColumnMapping(target="judgments", columns={})


@pytest.mark.parametrize("text, expected", [
    ("2020-11-07", "2020-11-07T00:00:00.000Z"), ("11/7/2018", "2018-11-07T00:00:00.000Z"),
    ("7.11.2018", "2018-11-07T00:00:00.000Z"), ("7 November 2018", "2018-11-07T00:00:00.000Z"),
    ("Nov 7, 2018", "2018-11-07T00:00:00.000Z"), ("2020-11-07T10:00:00+02:00", "2020-11-07T08:00:00.000Z"),
])
def test_common_date_forms(text, expected):
    assert parse_date(text) == expected
