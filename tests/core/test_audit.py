"""The audit chain: every change appends a hash-linked entry; tampering is found and located."""

from __future__ import annotations

import hashlib
import json

import pytest

from rrmdesk import Actor, Event, Narrative
from rrmdesk.audit import GENESIS, canonical, link_hash


@pytest.fixture
def history(store, case, tmp_path):
    """Eight audited changes of different kinds."""
    actor = store.add(Actor(case_id=case.id, name="Ghostwriter"))
    store.add_many([Event(case_id=case.id, title="Hack and leak", start="2021-01-01", actor_ids=[actor.id]),
                    Narrative(case_id=case.id, title="NATO troops misbehave")])
    store.edit(actor.id, country="BY")
    path = tmp_path / "leak.pdf"
    path.write_bytes(b"%PDF-1.4 leaked document")
    store.add_evidence_file(case.id, path)
    store.close_case(case.id)
    return store


def _actions(store) -> list[str]:
    return [e.action for e in store.audit_entries()]


def test_every_change_appends_an_entry(history) -> None:
    store = history
    entries = store.audit_entries()
    assert _actions(store) == ["add", "add", "add", "add", "edit", "add", "edit"]
    assert [e.seq for e in entries] == list(range(1, 8))
    assert entries[0].prev_hash == GENESIS
    assert all(e.analyst == "test-analyst" for e in entries)
    edit = entries[4].change_dict()
    assert edit == {"country": ["", "BY"]}
    assert entries[-1].change_dict() == {"status": ["open", "closed"]}
    assert store.verify_audit().ok and store.verify_audit().entries == 7


def _row_digest(store, table: str, object_id: str) -> str:
    cursor = store.db.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (object_id,))
    row = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
    values = [row[name] for name in sorted(row)]
    return hashlib.sha256(json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


def test_an_add_entry_holds_the_digest_of_the_row_as_first_stored(store, case) -> None:
    actor = store.add(Actor(case_id=case.id, name="Ghostwriter", country="BY", aliases=["UNC1151"]))
    event = store.add(Event(case_id=case.id, title="Leak", start="2021-01-01", key=True, actor_ids=[actor.id]))
    first = {object_id: _row_digest(store, table, object_id) for table, object_id in (("actors", actor.id), ("events", event.id))}
    store.edit(actor.id, name="UNC 1151")
    added = {e.object_id: e.change_dict() for e in store.audit_entries() if e.action == "add"}
    assert added[actor.id] == {"label": "Ghostwriter", "sha256": first[actor.id]}
    assert added[event.id] == {"label": "Leak", "sha256": first[event.id]}
    assert _row_digest(store, "actors", actor.id) != first[actor.id]


def test_remove_and_rekey_are_audited_and_case_history_includes_removed_objects(store, case) -> None:
    narrative = store.add(Narrative(case_id=case.id, title="Short-lived"))
    store.remove(narrative.id)
    assert _actions(store)[-1] == "remove"
    assert store.audit_entries()[-1].change_dict()["title"] == "Short-lived"
    assert [e.action for e in store.audit_entries(case.id)] == ["add", "add", "remove"]
    store.record_event("export", case.id, {"format": "stix"})
    assert store.verify_audit().ok


def test_a_failed_change_appends_nothing(store, case) -> None:
    before = len(store.audit_entries())
    with pytest.raises(Exception):
        store.add_many([Narrative(case_id=case.id, title="ok"),
                        Event(case_id=case.id, title="bad", start="2024-01-01",
                              actor_ids=["actor--00000000-0000-4000-8000-000000000000"])])
    assert len(store.audit_entries()) == before


def _tamper(store, sql: str, *params) -> None:
    store.db.conn.execute(sql, params)


def test_verify_passes_on_the_cli(history, cli) -> None:
    outcome = cli("audit", "verify")
    assert (outcome.code, outcome.out.strip()) == (0, "audit chain intact: 7 entries")


def test_an_altered_change_is_named(history, cli) -> None:
    _tamper(history, "UPDATE audit SET change = ? WHERE seq = 5", json.dumps({"country": ["", "RU"]}))
    report = history.verify_audit()
    assert (report.ok, report.first_broken) == (False, 5)
    assert "entry 5 was altered" in report.reason
    cli("audit", "verify").assert_user_error("audit chain broken", "entry 5 was altered")


def test_an_altered_entry_with_a_recomputed_hash_breaks_the_next_link(history) -> None:
    entry = history.audit_entries()[2]
    forged_change = json.dumps({"forged": True})
    forged = link_hash(entry.prev_hash, canonical(entry.seq, entry.at, "someone else", entry.action, entry.object_id, forged_change))
    _tamper(history, "UPDATE audit SET analyst = 'someone else', change = ?, hash = ? WHERE seq = 3", forged_change, forged)
    report = history.verify_audit()
    assert report.first_broken == 4 and "does not link to entry 3" in report.reason


def test_a_deleted_entry_is_named(history, cli) -> None:
    _tamper(history, "DELETE FROM audit WHERE seq = 3")
    report = history.verify_audit()
    assert (report.first_broken, report.reason) == (3, "entry 3 is missing")
    outcome = cli("audit", "verify", "--json")
    assert outcome.code == 1
    assert json.loads(outcome.out) == {"ok": False, "entries": 3, "first_broken": 3, "reason": "entry 3 is missing"}
    assert len(outcome.err.strip().splitlines()) == 1


def test_an_entry_refiled_under_another_case_is_named(history, store, cli) -> None:
    other = store.create_case("Elsewhere")
    assert history.verify_audit().ok
    _tamper(history, "UPDATE audit_case SET case_id = ? WHERE seq = 2", other.id)
    report = history.verify_audit()
    assert report.first_broken == 2 and "not filed under the case" in report.reason
    cli("audit", "verify").assert_user_error("entry 2")


def test_an_entry_hidden_from_its_case_is_named(history) -> None:
    _tamper(history, "DELETE FROM audit_case WHERE seq = 3")
    assert history.verify_audit().first_broken == 3


def test_swapped_entries_are_named(history, cli) -> None:
    _tamper(history, "UPDATE audit SET seq = -2 WHERE seq = 2")
    _tamper(history, "UPDATE audit SET seq = 2 WHERE seq = 3")
    _tamper(history, "UPDATE audit SET seq = 3 WHERE seq = -2")
    report = history.verify_audit()
    assert report.first_broken == 2 and "does not link to entry 1" in report.reason
    cli("audit", "verify").assert_user_error("entry 2")


def test_audit_log_cli(history, case, cli) -> None:
    rows = json.loads(cli("audit", "log", "--case", case.id, "--json").out)
    assert [r["action"] for r in rows] == ["add", "add", "add", "add", "edit", "add", "edit"]
    assert rows[0]["object_id"] == case.id and rows[0]["change"]["label"] == case.title
    table = cli("audit", "log").out
    assert table.splitlines()[0].split() == ["seq", "at", "analyst", "action", "object"]


@pytest.fixture
def removed(store, case):
    """A narrative added, edited and removed: entries 2, 3 and 4 are about an object that is gone."""
    narrative = store.add(Narrative(case_id=case.id, title="Short-lived"))
    store.edit(narrative.id, title="Shorter-lived")
    store.remove(narrative.id)
    assert [e.action for e in store.audit_entries(case.id)] == ["add", "add", "edit", "remove"]
    assert store.verify_audit().ok
    return store


@pytest.mark.parametrize("seq", [2, 3, 4])
def test_an_entry_about_a_removed_object_hidden_from_its_case_is_named(removed, seq) -> None:
    _tamper(removed, "DELETE FROM audit_case WHERE seq = ?", seq)
    report = removed.verify_audit()
    assert report.first_broken == seq and "not filed under the case" in report.reason


def test_an_entry_about_a_removed_object_refiled_under_another_case_is_named(removed) -> None:
    other = removed.create_case("Elsewhere")
    _tamper(removed, "UPDATE audit_case SET case_id = ? WHERE seq = 3", other.id)
    assert removed.verify_audit().first_broken == 3


def test_a_removed_object_added_again_is_checked_against_its_case_now(removed, case) -> None:
    narrative_id = removed.audit_entries(case.id)[-1].object_id
    again = removed.add(Narrative(id=narrative_id, case_id=case.id, title="Back"))
    assert removed.verify_audit().ok
    last = removed.audit_entries(case.id)[-1]
    assert (last.action, last.object_id) == ("add", again.id)
    _tamper(removed, "DELETE FROM audit_case WHERE seq = ?", last.seq)
    assert removed.verify_audit().first_broken == last.seq
