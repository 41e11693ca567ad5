"""The one place RRM Desk touches SQLCipher: open a keyed connection, map its errors.

sqlite-utils catches the *stdlib* ``sqlite3`` exception classes, and sqlcipher3 raises its own,
so ``Table.drop(ignore=True)`` and ``insert(..., alter=True)`` break on an encrypted connection
(DESIGN.md section 3). sqlite-utils imports ``pysqlite3`` in preference to ``sqlite3`` when it
can, so we register sqlcipher3 under that name before sqlite-utils is first imported; this
module must therefore be imported before anything that imports sqlite_utils.
"""

from __future__ import annotations

import contextlib
import ctypes
import sys
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3
from sqlcipher3 import dbapi2

sys.modules.setdefault("pysqlite3", sqlcipher3)
sys.modules.setdefault("pysqlite3.dbapi2", dbapi2)

import sqlite_utils  # noqa: E402  (must follow the registration above)

from .errors import BusyError, StoreError, UnlockError  # noqa: E402

__all__ = ["open_encrypted", "db_errors", "DatabaseFailure"]

DatabaseFailure = dbapi2.Error

# SQLite primary result codes we can explain to a person.
_BUSY, _LOCKED, _NOMEM, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 7, 8, 10, 11, 13, 14, 26
_CACHE_KIB = 32 * 1024
#: A bulk write gets up to this much page cache, about 2 KiB per record (see ``page_cache``).
_BULK_CACHE_KIB = 256 * 1024
_BULK_KIB_PER_RECORD = 2
BUSY_TIMEOUT_MS = 15_000


#: Settings for every connection, after the key (the benchmark's unencrypted peer uses them too).
CONNECTION_PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA temp_store = MEMORY",
    f"PRAGMA cache_size = -{_CACHE_KIB}",
)


def _code(exc: BaseException) -> int:
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def translate(exc: dbapi2.Error) -> Exception:
    """The RRMDeskError for a database failure the environment caused, or ``exc`` for a bug."""
    code = _code(exc)
    text = str(exc).lower()
    if code == _NOTADB or "file is not a database" in text:
        return UnlockError(
            "cannot unlock the workspace database: the key is wrong or the file is damaged",
            "check the passphrase or recovery key; if it is right, restore the workspace from a backup",
        )
    if code in (_BUSY, _LOCKED) or "database is locked" in text:
        return BusyError("the workspace is busy: another process is writing to it")
    if code == _FULL or "database or disk is full" in text:
        return StoreError("the disk is full; the last change was not saved", "free some disk space and try again")
    if code == _CORRUPT or "malformed" in text:
        return StoreError("the workspace database is damaged")
    if code == _READONLY:
        return StoreError("the workspace database is read-only", "check the folder's permissions")
    if code in (_IOERR, _CANTOPEN):
        return StoreError(f"cannot read or write the workspace database ({exc})", "check the disk and the folder's permissions")
    if code == _NOMEM:
        return StoreError("out of memory while using the database", "close other programs and try again")
    return exc


@contextlib.contextmanager
def db_errors() -> Iterator[None]:
    """Re-raise environment failures of the database as RRMDeskErrors, ``from`` the original."""
    try:
        yield
    except dbapi2.Error as exc:
        mapped = translate(exc)
        if mapped is exc:
            raise
        raise mapped from exc


def open_encrypted(path: Path, key: bytes) -> sqlite_utils.Database:
    """Open (or create) the database at ``path`` keyed with a raw 32-byte key.

    A raw key skips SQLCipher's own KDF (1 ms rather than ~125 ms); our key is already random.
    A wrong key only shows at the first read, so we read ``sqlite_master`` at once.
    """
    if len(key) != 32:
        raise ValueError("database keys are 32 bytes")
    with db_errors():
        conn = sqlcipher3.connect(
            str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
        )
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            for pragma in CONNECTION_PRAGMAS:
                conn.execute(pragma)
        except BaseException:
            conn.close()
            raise
    return sqlite_utils.Database(conn, execute_plugins=False)


@contextlib.contextmanager
def page_cache(db: sqlite_utils.Database, records: int) -> Iterator[None]:
    """Give one write of ``records`` records a page cache the size of what it touches.

    Every record adds a key to indexes on random ids; in the default cache those index pages
    fall out mid-transaction and are written (encrypted) and read back (decrypted) again and
    again. A 100,000-record import runs a fifth quicker with room for them (bench/store.py);
    the memory is handed back afterwards.
    """
    kib = min(_BULK_CACHE_KIB, records * _BULK_KIB_PER_RECORD)
    if kib <= _CACHE_KIB:
        yield
        return
    with db_errors():
        db.conn.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        with db_errors():
            db.conn.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
            db.conn.execute("PRAGMA shrink_memory")
        _return_freed_memory()


def _return_freed_memory() -> None:
    """Hand the freed page cache back to the OS: glibc keeps freed small blocks for reuse, so
    without this a desktop session holds on to the memory of its largest import."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)


def rekey(db: sqlite_utils.Database, new_key: bytes) -> None:
    with db_errors():
        db.conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
