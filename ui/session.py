"""The open workspace and its unlocked store, shared by the panels that are handed it.

There is no global: the main window makes one ``Session`` and passes it to each panel. Panels
change data through ``save``/``remove`` (or undo commands that call them), and the session
announces each change so every model showing that object updates itself (napari-style events,
here as Qt signals).
"""

from __future__ import annotations

import os

from PySide6.QtCore import QObject, Signal

from rrmdesk import Store, UnlockError, Workspace
from rrmdesk.model import Record

PASSPHRASE_ENV = "RRMDESK_PASSPHRASE"


class Session(QObject):
    locked = Signal()
    unlocked = Signal()
    #: a record was added or changed (the new version)
    saved = Signal(object)
    #: a record was removed: (object id, case id)
    removed = Signal(str, str)

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._store: Store | None = None

    @property
    def is_locked(self) -> bool:
        return self._store is None

    @property
    def needs_passphrase(self) -> bool:
        return self.workspace.method == "passphrase"

    @property
    def store(self) -> Store:
        if self._store is None:
            raise UnlockError("the workspace is locked", "unlock it first (Workspace ▸ Unlock)")
        return self._store

    @staticmethod
    def automation_passphrase() -> str | None:
        """The passphrase from RRMDESK_PASSPHRASE, as the CLI accepts it (automation and demos)."""
        return os.environ.get(PASSPHRASE_ENV) or None

    def open_store(self, passphrase: str | None) -> Store:
        """Unlock and return a store without adopting it (runs on a worker: scrypt takes a while)."""
        return self.workspace.unlock(passphrase)

    def adopt(self, store: Store) -> None:
        """Make an unlocked store the session's own and tell the panels."""
        if self._store is not None:
            self._store.close()
        self._store = store
        self.unlocked.emit()

    def unlock(self, passphrase: str | None = None) -> None:
        self.adopt(self.open_store(passphrase))

    def lock(self) -> None:
        """Close the database: the key leaves memory with the connection."""
        if self._store is None:
            return
        store, self._store = self._store, None
        self.locked.emit()
        store.close()

    def set_profile(self, analyst: str, ministry: str) -> None:
        """Record who is working: in the workspace config and in audit entries from now on."""
        self.workspace.set_profile(analyst or None, ministry)
        if self._store is not None and analyst:
            self._store.analyst = self.workspace.analyst

    # -- changes -----------------------------------------------------------------------

    def add(self, record: Record) -> Record:
        added = self.store.add(record)
        self.saved.emit(added)
        return added

    def edit(self, object_id: str, **changes: object) -> Record:
        record = self.store.edit(object_id, **changes)
        self.saved.emit(record)
        return record

    def remove(self, record: Record) -> None:
        self.store.remove(record.id)
        self.removed.emit(record.id, getattr(record, "case_id", record.id))

    def announce(self, record: Record) -> None:
        """Tell the panels about a record saved elsewhere (a worker's own connection)."""
        self.saved.emit(record)
