"""Numbered schema migrations: a fresh database is current, re-running is harmless, and the
tables match the model's dataclasses so model and schema cannot drift apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from rrmdesk.database import open_encrypted
from rrmdesk.migrations import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version
from rrmdesk.model import RECORD_TYPES

KEY = b"\x42" * 32


def _schema(db) -> list[tuple]:
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()


@pytest.fixture
def fresh(tmp_path: Path):
    db = open_encrypted(tmp_path / "fresh.db", KEY)
    migrate(db)
    yield db
    db.close()


def test_numbers_are_contiguous_from_one() -> None:
    assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION + 1))


def test_a_fresh_database_is_at_the_current_version(fresh) -> None:
    assert schema_version(fresh) == SCHEMA_VERSION


def test_store_open_migrates(store) -> None:
    assert schema_version(store.db) == SCHEMA_VERSION


def test_migrate_is_idempotent(fresh) -> None:
    before = _schema(fresh)
    assert migrate(fresh) == 0
    assert _schema(fresh) == before and schema_version(fresh) == SCHEMA_VERSION


def test_stepwise_migration_ends_where_a_fresh_one_does(fresh, tmp_path: Path) -> None:
    old = open_encrypted(tmp_path / "old.db", KEY)
    try:
        MIGRATIONS[1](old)
        old.execute("PRAGMA user_version = 1")
        assert migrate(old) == SCHEMA_VERSION - 1
        assert _schema(old) == _schema(fresh)
    finally:
        old.close()


@pytest.mark.parametrize("kind", sorted(RECORD_TYPES))
def test_table_columns_equal_the_dataclass_fields(fresh, kind: str) -> None:
    cls = RECORD_TYPES[kind]
    columns = [row[1] for row in fresh.execute(f'PRAGMA table_info("{cls.TABLE}")')]
    assert sorted(columns) == sorted(cls.field_names())


def test_json_fields_are_stored_as_text(fresh) -> None:
    for cls in RECORD_TYPES.values():
        types = {row[1]: row[2] for row in fresh.execute(f'PRAGMA table_info("{cls.TABLE}")')}
        for name in cls.json_fields():
            assert types[name] == "TEXT", (cls.TABLE, name)


def test_upgrade_to_schema_7_files_old_audit_entries_under_their_cases(store) -> None:
    from rrmdesk import Narrative

    case = store.create_case("Filed")
    kept = store.add(Narrative(case_id=case.id, title="Kept"))
    gone = store.add(Narrative(case_id=case.id, title="Gone"))
    store.remove(gone.id)
    store.record_event("export", case.id, {"format": "stix"})
    before = [(e.seq, e.action) for e in store.audit_entries(case.id)]
    conn = store.db.conn
    conn.execute("DROP TABLE audit_case")  # a workspace as schema 6 left it
    conn.execute("CREATE INDEX audit_object ON audit(object_id)")
    conn.execute("PRAGMA user_version = 6")
    assert migrate(store.db) == 1
    assert [(e.seq, e.action) for e in store.audit_entries(case.id)] == before
    assert [e.object_id for e in store.audit_entries(case.id)] == [case.id, kept.id, gone.id, gone.id, case.id]
    assert store.verify_audit().ok
