"""Evidence bytes inside the encrypted database: chunked, hashed while streaming, de-duplicated.

A file is never read whole into memory and never copied to a plaintext temp file: chunks go
straight from the source file into encrypted pages. Chunks are written under a provisional blob
row whose hash is filled in at the end; if the same bytes are already stored, the new chunks
are dropped and the existing blob is used.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import sqlite_utils

from .clock import utc_now
from .errors import EvidenceError
from .progress import Progress

CHUNK = 1024 * 1024


def guess_media_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def ingest(db: sqlite_utils.Database, source: BinaryIO, size: int, progress: Progress) -> tuple[str, int]:
    """Store the bytes of ``source``; return (sha256, size). Runs inside the caller's transaction."""
    conn = db.conn
    blob = conn.execute("INSERT INTO blobs (sha256, size, created) VALUES (NULL, 0, ?)", (utc_now(),)).lastrowid
    digest = hashlib.sha256()
    done = seq = 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        conn.execute("INSERT INTO blob_chunks (blob, seq, data) VALUES (?, ?, ?)", (blob, seq, chunk))
        seq += 1
        done += len(chunk)
        progress.update(done, max(size, done), "storing evidence")
    sha256 = digest.hexdigest()
    existing = conn.execute("SELECT rowid FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    if existing:
        conn.execute("DELETE FROM blob_chunks WHERE blob = ?", (blob,))
        conn.execute("DELETE FROM blobs WHERE rowid = ?", (blob,))
    else:
        conn.execute("UPDATE blobs SET sha256 = ?, size = ? WHERE rowid = ?", (sha256, done, blob))
    return sha256, done


def ingest_file(db: sqlite_utils.Database, path: Path, progress: Progress) -> tuple[str, int]:
    try:
        size = path.stat().st_size
        with path.open("rb") as source:
            return ingest(db, source, size, progress)
    except FileNotFoundError:
        raise EvidenceError(f"no such evidence file: {path}", "check the path") from None
    except IsADirectoryError:
        raise EvidenceError(f"{path} is a folder, not a file", "add the files inside it one by one") from None
    except PermissionError:
        raise EvidenceError(f"not allowed to read {path}") from None
    except OSError as exc:
        raise EvidenceError(f"cannot read {path}: {exc.strerror or exc}") from exc


def has_blob(db: sqlite_utils.Database, sha256: str) -> bool:
    return db.conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone() is not None


def iter_chunks(db: sqlite_utils.Database, sha256: str) -> Iterator[bytes]:
    """Yield the stored bytes chunk by chunk, one row in memory at a time."""
    row = db.conn.execute("SELECT rowid FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    if row is None:
        raise EvidenceError(f"the bytes of evidence {sha256[:12]}… are not in this workspace",
                            "the evidence record was received without its file; ask the sender for it")
    seq = 0
    while True:
        found = db.conn.execute("SELECT data FROM blob_chunks WHERE blob = ? AND seq = ?", (row[0], seq)).fetchone()
        if found is None:
            return
        yield found[0]
        seq += 1


def release(db: sqlite_utils.Database, sha256: str) -> None:
    """Drop the bytes once no evidence record refers to them."""
    if db.conn.execute("SELECT 1 FROM evidence WHERE sha256 = ? LIMIT 1", (sha256,)).fetchone() is None:
        row = db.conn.execute("SELECT rowid FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        if row:
            db.conn.execute("DELETE FROM blob_chunks WHERE blob = ?", (row[0],))
            db.conn.execute("DELETE FROM blobs WHERE rowid = ?", (row[0],))
