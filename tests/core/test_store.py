"""The encrypted store: records in and out, one transaction per change, damaged and newer databases."""

from __future__ import annotations

import hashlib
import os
import random
import threading
from pathlib import Path

import pytest

from rrmdesk import (
    Actor,
    CaseFilter,
    Event,
    Narrative,
    NotFoundError,
    Relationship,
    StoreError,
    TechniqueUse,
    UnlockError,
    UsageError,
    Workspace,
)
from rrmdesk.database import open_encrypted
from rrmdesk.progress import Progress
from rrmdesk.migrations import SCHEMA_VERSION
from rrmdesk.workspace import DATABASE

MISSING_CASE = "case--00000000-0000-4000-8000-000000000000"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- records -----------------------------------------------------------------------------------


def test_add_get_edit_remove_round_trip(store, case) -> None:
    actor = store.add(Actor(case_id=case.id, name="Reliable Recent News", kind="media-outlet", country="ru"))
    assert store.get(actor.id) == actor
    assert actor.country == "RU" and actor.created and actor.modified
    edited = store.edit(actor.id, description="Clone of a German outlet")
    assert store.get(actor.id).description == "Clone of a German outlet"
    assert edited.modified >= actor.modified
    store.remove(actor.id)
    with pytest.raises(NotFoundError):
        store.get(actor.id)


def test_parts_and_counts_follow_the_case(store, case) -> None:
    other = store.create_case("Another operation")
    store.add_many([
        Event(case_id=case.id, title="Second", start="2024-05-02"),
        Event(case_id=case.id, title="First", start="2024-05-01"),
        Narrative(case_id=case.id, title="Sanctions hurt Europe more"),
        Event(case_id=other.id, title="Elsewhere", start="2024-05-01"),
    ])
    assert [e.title for e in store.parts(case.id, Event)] == ["First", "Second"]
    counts = store.counts(case.id)
    assert counts["event"] == 2 and counts["narrative"] == 1 and counts["actor"] == 0


def test_add_many_is_all_or_nothing(store, case) -> None:
    good = Event(case_id=case.id, title="Fine", start="2024-01-01")
    dangling = Event(case_id=case.id, title="Points nowhere", start="2024-01-01",
                     actor_ids=["actor--00000000-0000-4000-8000-000000000000"])
    with pytest.raises(NotFoundError):
        store.add_many([good, dangling])
    assert store.parts(case.id, Event) == []
    assert store.audit_entries(case.id)[-1].action == "add" and len(store.audit_entries(case.id)) == 1


def test_records_may_reference_each_other_within_one_batch(store, case) -> None:
    actor = Actor(case_id=case.id, name="Doppelganger network")
    event = Event(case_id=case.id, title="Clone site launched", start="2022-08-01", actor_ids=[actor.id])
    assert store.add_many([event, actor]) == 2
    assert store.get(event.id).actor_ids == [actor.id]


def test_an_id_can_be_added_once(store, case) -> None:
    actor = store.add(Actor(case_id=case.id, name="Once"))
    with pytest.raises(UsageError, match="already exists"):
        store.add(Actor(id=actor.id, case_id=case.id, name="Twice"))


def test_links_stay_inside_one_case(store, case) -> None:
    other = store.create_case("Another operation")
    here = store.add(Actor(case_id=case.id, name="Here"))
    there = store.add(Actor(case_id=other.id, name="There"))
    with pytest.raises(UsageError, match="belongs to another case"):
        store.add(Relationship(case_id=case.id, source_id=here.id, type="amplifies", target_id=there.id))
    assert store.parts(case.id, Relationship) == []


def test_unknown_and_malformed_ids(store) -> None:
    with pytest.raises(NotFoundError, match="no case with id"):
        store.get_case(MISSING_CASE)
    with pytest.raises(UsageError, match="not an RRM Desk id"):
        store.get("not-an-id")
    with pytest.raises(UsageError, match="not a case id"):
        store.get_case("actor--00000000-0000-4000-8000-000000000000")
    with pytest.raises(UsageError, match="no objects of kind"):
        store.get("spaceship--00000000-0000-4000-8000-000000000000")
    with pytest.raises(NotFoundError):
        store.add(Actor(case_id=MISSING_CASE, name="Orphan"))


def test_edit_refuses_fixed_unknown_and_invalid_fields(store, case) -> None:
    with pytest.raises(UsageError, match="cannot change"):
        store.edit(case.id, id="case--11111111-1111-4111-8111-111111111111")
    with pytest.raises(UsageError, match="cannot change"):
        store.edit(case.id, colour="blue")
    with pytest.raises(UsageError, match="TLP"):
        store.edit(case.id, tlp="purple")
    assert store.get_case(case.id).tlp == "green"
    before = len(store.audit_entries())
    assert store.edit(case.id, tlp="green") == store.get_case(case.id)
    assert len(store.audit_entries()) == before, "an edit that changes nothing is not audited"


def test_cases_are_closed_not_removed_and_linked_objects_stay(store, case) -> None:
    with pytest.raises(UsageError, match="cases are not deleted"):
        store.remove(case.id)
    assert store.close_case(case.id).status == "closed"
    a = store.add(Actor(case_id=case.id, name="A"))
    b = store.add(Actor(case_id=case.id, name="B"))
    store.add(Relationship(case_id=case.id, source_id=a.id, type="controls", target_id=b.id))
    with pytest.raises(UsageError, match="linked"):
        store.remove(b.id)


def test_list_cases_filters(store) -> None:
    fr = store.create_case("Election in France", tlp="amber", target_countries=["FR"], severity="high")
    de = store.create_case("Doppelganger Germany", tlp="red", target_countries=["DE"], status="draft")
    store.add(TechniqueUse(case_id=de.id, code="T0097.109"))
    assert [c.id for c in store.list_cases(CaseFilter(country="fr"))] == [fr.id]
    assert [c.id for c in store.list_cases(CaseFilter(tlp="red"))] == [de.id]
    assert [c.id for c in store.list_cases(CaseFilter(status="draft"))] == [de.id]
    assert [c.id for c in store.list_cases(CaseFilter(severity="high"))] == [fr.id]
    assert [c.id for c in store.list_cases(CaseFilter(technique="T0097"))] == [de.id]
    assert [c.id for c in store.list_cases(CaseFilter(text="doppelganger"))] == [de.id]
    assert store.count_cases() == 2
    assert len(store.list_cases(limit=1)) == 1
    with pytest.raises(UsageError, match="cannot sort"):
        store.list_cases(order="title; DROP TABLE cases")


def test_a_second_connection_serves_a_worker_thread(store, case) -> None:
    titles: list[str] = []

    def work() -> None:
        with store.open_another() as mine:
            titles.append(mine.get_case(case.id).title)
            mine.add(Narrative(case_id=case.id, title="From the worker"))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert titles == [case.title]
    assert [n.title for n in store.parts(case.id, Narrative)] == ["From the worker"]


# -- damaged, truncated and newer databases ----------------------------------------------------


@pytest.fixture
def closed_workspace(keyring_workspace) -> Workspace:
    workspace, _ = keyring_workspace
    with workspace.unlock() as store:
        for number in range(60):
            store.create_case(f"Case number {number}", summary="padding " * 200)
    return workspace


def test_random_bytes_over_the_middle_pages_are_a_clear_error(closed_workspace, rrmdesk) -> None:
    path = closed_workspace.database_path
    size = path.stat().st_size
    assert size > 100_000
    with path.open("r+b") as handle:
        handle.seek(size // 3)
        handle.write(random.Random(7).randbytes(size // 3))
    with pytest.raises((StoreError, UnlockError), match="damaged"):
        with Workspace.load(closed_workspace.path).unlock() as store:
            store.list_cases()
            store.verify_audit()
    rrmdesk("case", "list").assert_user_error("damaged")


@pytest.mark.parametrize("keep", [0.5, 0.02])
def test_a_truncated_database_is_a_clear_error(closed_workspace, rrmdesk, keep: float) -> None:
    path = closed_workspace.database_path
    os.truncate(path, int(path.stat().st_size * keep))
    with pytest.raises((StoreError, UnlockError)):
        with Workspace.load(closed_workspace.path).unlock() as store:
            store.list_cases()
            store.verify_audit()
    rrmdesk("case", "list").assert_user_error()


def test_an_emptied_database_is_not_silently_replaced_by_a_new_one(closed_workspace, rrmdesk) -> None:
    path = closed_workspace.database_path
    os.truncate(path, 0)
    with pytest.raises(StoreError, match="empty"):
        Workspace.load(closed_workspace.path).unlock()
    rrmdesk("case", "list").assert_user_error("empty")
    assert path.stat().st_size == 0


def test_a_newer_schema_is_refused_and_left_untouched(closed_workspace, rrmdesk) -> None:
    path = closed_workspace.database_path
    db = open_encrypted(path, closed_workspace._keyring_key())
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 40}")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    before = _digest(path)
    with pytest.raises(StoreError, match="newer RRM Desk") as raised:
        Workspace.load(closed_workspace.path).unlock()
    assert "not changed" in raised.value.hint
    rrmdesk("case", "list").assert_user_error("newer RRM Desk", f"schema {SCHEMA_VERSION + 40}")
    assert _digest(path) == before
    assert sorted(p.name for p in closed_workspace.path.iterdir()) == [DATABASE, "workspace.json"]


def test_add_many_accepts_parts_listed_before_their_case(store):
    """Importers gather records in file order; a case may come after what it holds."""
    from rrmdesk import Case, Observable

    case = Case(title="Listed last")
    parts = [Observable(case_id=case.id, value=f"site{n}.example") for n in range(3)]
    assert store.add_many([*parts, case]) == 4
    assert sorted(o.value for o in store.parts(case.id, Observable)) == ["site0.example", "site1.example", "site2.example"]
    assert store.verify_audit().ok


def test_a_bulk_add_borrows_page_cache_and_gives_it_back(store, case) -> None:
    default = store.db.execute("PRAGMA cache_size").fetchone()[0]
    sizes: list[int] = []
    progress = Progress(lambda done, total, label: sizes.append(store.db.execute("PRAGMA cache_size").fetchone()[0]))
    store.add_many([Narrative(case_id=case.id, title=f"Narrative {n}") for n in range(20_000)], progress)
    assert min(sizes) < default  # negative numbers are KiB: more negative is more cache
    assert store.db.execute("PRAGMA cache_size").fetchone()[0] == default
    dangling = Event(case_id=case.id, title="Points nowhere", start="2024-01-01",
                     actor_ids=["actor--00000000-0000-4000-8000-000000000000"])
    with pytest.raises(NotFoundError):
        store.add_many([Narrative(case_id=case.id, title=f"More {n}") for n in range(20_000)] + [dangling])
    assert store.db.execute("PRAGMA cache_size").fetchone()[0] == default
