"""Secrets kept in the workspace database, sealed again under a key derived from the database key.

Why the database key: the recovery key is never stored, so nothing can be sealed to it after
``init``; but ``recover`` yields the database key, so a secret sealed under the database key comes
back with the cases. (The ministry's bundle identity is kept this way as a backup:
rrmdesk/bundles/identity.py.)

Why seal a row of an encrypted database again: a secret in a plain row would be readable by
anything that reads rows (a debugging dump, ``sqlcipher_export`` to an unencrypted copy). Sealed
with AES-256-GCM (keywrap.seal; key HKDF(database key, purpose); associated data the workspace id
and the setting's name) it stays opaque there, does not open in another workspace or under
another name, and a changed byte is reported instead of used.

``rekey`` changes the database key, so each setting holds one sealed copy per database key, by
key id. ``Workspace.rotate_key`` adds copies under the new key (``reseal``) before it re-encrypts
the database and drops the old ones after (``prune``); a crash in between leaves a copy under
whichever key opens the database, and the unlock that finishes or drops the rotation prunes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from . import keywrap
from .database import db_errors
from .errors import SealedSettingError, UnlockError
from .store import Store

PREFIX = "sealed:"


def _kek(db_key: bytes, name: str) -> bytes:
    return keywrap.subkey(db_key, f"rrmdesk sealed setting v1: {name}")


def _context(workspace_id: str, name: str) -> str:
    return f"{workspace_id}/{PREFIX}{name}"


def _parse(value: str) -> dict[str, str] | None:
    """The copies by key id, or None when the row is not what we write (changed outside RRM Desk)."""
    try:
        copies = json.loads(value)["copies"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(copies, dict) or not all(isinstance(v, str) for v in copies.values()):
        return None
    return copies


def _rows(store: Store) -> Iterator[tuple[str, dict[str, str] | None]]:
    with db_errors():
        rows = store.db.conn.execute("SELECT name, value FROM settings WHERE name LIKE ?", (PREFIX + "%",)).fetchall()
    for row_name, value in rows:
        yield row_name[len(PREFIX):], _parse(value)


def _write(store: Store, name: str, copies: dict[str, str]) -> None:
    with store.transaction() as db:
        db.conn.execute("INSERT OR REPLACE INTO settings (name, value) VALUES (?, ?)",
                        (PREFIX + name, json.dumps({"copies": copies}, sort_keys=True)))


def _seal(workspace_id: str, db_key: bytes, name: str, secret: bytes) -> str:
    return keywrap.seal(_kek(db_key, name), secret, _context(workspace_id, name))


def _open(workspace_id: str, db_key: bytes, name: str, sealed: str | None) -> bytes | None:
    """The secret, or None when there is no copy under ``db_key`` or it does not open."""
    if sealed is None:
        return None
    try:
        return keywrap.unseal(_kek(db_key, name), sealed, _context(workspace_id, name), "sealed setting")
    except (UnlockError, ValueError):  # changed bytes or tag, or not base64
        return None


def exists(store: Store, name: str) -> bool:
    with db_errors():
        return store.db.conn.execute("SELECT 1 FROM settings WHERE name = ?", (PREFIX + name,)).fetchone() is not None


def put(store: Store, workspace_id: str, db_key: bytes, name: str, secret: bytes) -> None:
    """Keep ``secret`` under ``name``, sealed under ``db_key`` (the key the database is under now)."""
    _write(store, name, {keywrap.key_id(db_key): _seal(workspace_id, db_key, name, secret)})


def get(store: Store, workspace_id: str, db_key: bytes, name: str, what: str, hint: str) -> bytes | None:
    """The secret, None when there is none, or SealedSettingError (``what`` and ``hint`` word it)."""
    with db_errors():
        row = store.db.conn.execute("SELECT value FROM settings WHERE name = ?", (PREFIX + name,)).fetchone()
    if row is None:
        return None
    secret = _open(workspace_id, db_key, name, (_parse(row[0]) or {}).get(keywrap.key_id(db_key)))
    if secret is None:
        raise SealedSettingError(f"{what} in this workspace does not open: it was changed outside RRM Desk", hint)
    return secret


def reseal(store: Store, workspace_id: str, old_key: bytes, new_key: bytes) -> None:
    """Before a rekey: beside each copy under ``old_key``, one under ``new_key`` (one transaction).

    A copy that does not open is left as it is: the rekey goes ahead (it may be urgent) and the
    secret reports itself as changed where it is used.
    """
    old_id, new_id = keywrap.key_id(old_key), keywrap.key_id(new_key)
    with store.transaction():
        for name, copies in list(_rows(store)):
            secret = _open(workspace_id, old_key, name, (copies or {}).get(old_id))
            if copies is None or secret is None:
                continue
            _write(store, name, {**copies, new_id: _seal(workspace_id, new_key, name, secret)})


def prune(store: Store, db_key: bytes) -> None:
    """After a rekey, finished or dropped: remove copies under keys that no longer open the database."""
    current = keywrap.key_id(db_key)
    with store.transaction():
        for name, copies in list(_rows(store)):
            if copies is not None and current in copies and len(copies) > 1:
                _write(store, name, {current: copies[current]})
