"""Pinned node positions live in the encrypted workspace (schema migration 4)."""

from __future__ import annotations

import pytest

from rrmdesk.charts import load_pins, pin, save_pins, unpin
from rrmdesk.errors import NotFoundError, UsageError
from rrmdesk.migrations import SCHEMA_VERSION, schema_version


def test_pins_round_trip_per_case(store, case):
    other = store.create_case("Another case")
    assert load_pins(store, case.id) == {}
    pin(store, case.id, "actor--1", (0.25, -0.5))
    pin(store, case.id, "actor--2", (1.0, 1.0))
    pin(store, case.id, "actor--1", (0.3, -0.4))
    assert load_pins(store, case.id) == {"actor--1": (0.3, -0.4), "actor--2": (1.0, 1.0)}
    assert load_pins(store, other.id) == {}
    reopened = store.open_another()
    try:
        assert load_pins(reopened, case.id)["actor--2"] == (1.0, 1.0)
    finally:
        reopened.close()
    assert unpin(store, case.id, "actor--2") == {"actor--1": (0.3, -0.4)}
    assert unpin(store, case.id) == {}
    assert load_pins(store, case.id) == {}


def test_schema_has_the_views_migration(store):
    assert schema_version(store.db) == SCHEMA_VERSION >= 4
    assert "graph_pins" in store.db.table_names()


def test_bad_pins_are_refused(store, case):
    with pytest.raises(UsageError, match="not a finite number"):
        save_pins(store, case.id, {"actor--1": (float("nan"), 0.0)})
    with pytest.raises(UsageError, match="is not pinned"):
        unpin(store, case.id, "actor--9")
    with pytest.raises(NotFoundError):
        load_pins(store, "case--00000000-0000-4000-8000-000000000000")
