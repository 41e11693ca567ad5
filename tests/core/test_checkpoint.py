"""Checkpoints run on their own thread: commits do not wait for them, and nothing is lost if they fail."""

from __future__ import annotations

import time

from rrmdesk import Narrative
from rrmdesk.checkpoint import DEFAULT_AUTOCHECKPOINT_PAGES, SAFETY_LIMIT_PAGES, Checkpointer

PATIENCE_S = 60


def _eventually(condition) -> bool:
    """Poll until ``condition()`` holds (a slow machine only makes this wait longer)."""
    deadline = time.monotonic() + PATIENCE_S
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _autocheckpoint(store) -> int:
    return store.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0]


def test_committed_pages_reach_the_database_file_without_the_writer_checkpointing(store, case) -> None:
    assert _autocheckpoint(store) == SAFETY_LIMIT_PAGES  # the writer itself would not copy these pages
    before = store.path.stat().st_size
    store.add_many([Narrative(case_id=case.id, title=f"Narrative {n}", description="x" * 500) for n in range(2_000)])
    assert _eventually(lambda: store.path.stat().st_size > before)


def test_a_failed_checkpoint_thread_hands_checkpoints_back_to_the_writer(store, case) -> None:
    def broken():
        raise OSError(28, "No space left on device")

    store._checkpointer.close()
    store._checkpointer = Checkpointer(broken)
    store.add(Narrative(case_id=case.id, title="Written while the thread fails"))
    assert _eventually(lambda: not store._checkpointer.alive)
    assert isinstance(store._checkpointer.failure, OSError)
    store.add(Narrative(case_id=case.id, title="Written after"))
    assert store._checkpointer is None and _autocheckpoint(store) == DEFAULT_AUTOCHECKPOINT_PAGES
    assert [n.title for n in store.parts(case.id, Narrative)] == ["Written while the thread fails", "Written after"]


def test_after_a_rekey_the_thread_checkpoints_with_the_new_key(store, case) -> None:
    store.rekey(bytes(range(32)))
    before = store.path.stat().st_size
    store.add_many([Narrative(case_id=case.id, title=f"After rekey {n}", description="y" * 500) for n in range(2_000)])
    assert _eventually(lambda: store.path.stat().st_size > before)
    assert store._checkpointer.alive and store._checkpointer.failure is None
