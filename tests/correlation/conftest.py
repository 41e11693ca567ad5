"""Correlation tests run on a store whose schema includes correlation (migration 5)."""

from __future__ import annotations

import pytest

from rrmdesk.correlation.schema import migrate_v5


@pytest.fixture
def store(store):  # noqa: F811  (the core fixture, with the correlation schema)
    if not store.db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'correlation_decisions'").fetchone():
        with store.transaction():
            migrate_v5(store.db)
    return store
