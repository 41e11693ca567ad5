"""Copying committed pages from the write-ahead log into the database, off the writer's path.

SQLite does it inside ``COMMIT`` once the log passes 1,000 pages, so every few changes one of
them also waits for megabytes to be copied and flushed: a third of the time of adding a case
with 100 observables to a large workspace, and a sixth of a 100,000-event import
(bench/correlation.py, bench/store.py). SQLite's documentation suggests running checkpoints on
a thread of their own; ``Checkpointer`` does, on its own connection, after each commit. Nothing
waits for it: a change is durable once its ``COMMIT`` has flushed the log.

If the thread falls behind or fails (a full disk), the writer's own automatic checkpoint still
bounds the log at ``SAFETY_LIMIT_PAGES``; ``Store.close`` empties it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["Checkpointer", "SAFETY_LIMIT_PAGES", "DEFAULT_AUTOCHECKPOINT_PAGES"]

log = logging.getLogger(__name__)

#: SQLite's own setting, used again when there is no thread (closing, rekeying, it failed).
DEFAULT_AUTOCHECKPOINT_PAGES = 1000
#: The writer's own automatic checkpoint, kept as a backstop (pages; 400 MiB of 4 KiB pages):
#: larger than any one import writes, so a commit never waits for a checkpoint while the
#: thread keeps up.
SAFETY_LIMIT_PAGES = 100_000


class Checkpointer:
    """A thread that runs a passive checkpoint whenever it is nudged (coalescing nudges)."""

    def __init__(self, connect: Callable[[], Any]) -> None:
        self._connect = connect
        self._wanted = threading.Event()
        self._stopping = False
        self.failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="rrmdesk-checkpoint", daemon=True)
        self._thread.start()

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def nudge(self) -> None:
        """A commit happened: copy what the log holds when the thread is next free."""
        self._wanted.set()

    def close(self) -> None:
        self._stopping = True
        self._wanted.set()
        self._thread.join()

    def _run(self) -> None:
        conn = None
        try:
            while True:
                self._wanted.wait()
                self._wanted.clear()
                if self._stopping:
                    return
                conn = conn or self._connect()
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        except Exception as exc:  # nothing is lost: the log keeps every page it could not copy
            self.failure = exc
            log.warning("background checkpoints stopped (%s); commits will checkpoint themselves",
                        type(exc).__name__)
        finally:
            if conn is not None:
                conn.close()
