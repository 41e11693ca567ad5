"""Streaming plumbing for bundles: bounded read-ahead, pull-style reading for pyrage, and a
durable, atomic write that keeps the disk busy while the next evidence is read.

A 1 GB export is three kinds of work that can overlap: SQLCipher decrypting and authenticating
pages, the zip's CRC-32, and the disk writing. Each stage runs on its own thread with a small
bounded queue between them, so memory stays at a few MiB whatever the size.
"""

from __future__ import annotations

import os
import queue
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pyrage

from ..errors import EvidenceError

#: Flush written bytes to the disk this often, on the writer thread, so the final fsync is short.
SYNC_EVERY = 64 * 1024 * 1024
_DEPTH = 8


def read_ahead(source: Iterator[bytes], depth: int = _DEPTH) -> Iterator[bytes]:
    """Iterate ``source`` on a background thread, at most ``depth`` chunks ahead.

    Reading evidence out of SQLCipher (decrypting and authenticating every page) costs about as
    much as hashing it; overlapping the two keeps an export near disk-and-hash speed. Memory
    stays bounded by ``depth`` chunks, and an error in the reader is raised here.
    """
    done = object()
    ready: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def run() -> None:
        try:
            for chunk in source:
                if not put(chunk):
                    return
            put(done)
        except BaseException as exc:  # handed to the consumer, raised there
            put(exc)

    reader = threading.Thread(target=run, name="bundle-read-ahead", daemon=True)
    reader.start()
    try:
        while (item := ready.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()


class ChunkReader:
    """Turns the zip's chunk generator into the ``read(n)`` that pyrage pulls from."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = bytearray()
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> bytes:
        try:
            while size < 0 or len(self._buffer) < size:
                chunk = next(self._chunks, None)
                if chunk is None:
                    break
                self._buffer += chunk
        except BaseException as exc:  # kept and re-raised after pyrage returns
            self.error = exc
            raise
        size = len(self._buffer) if size < 0 else size
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data


class DurableWriter:
    """Writes to ``target`` on a background thread, syncing to disk every ``SYNC_EVERY`` bytes.

    Without it a large export ends with one long fsync of everything still in the page cache;
    with it the disk writes while the producer reads the next evidence out of the store.
    """

    def __init__(self, target: BinaryIO) -> None:
        self._target = target
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=_DEPTH)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bundle-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        unsynced = 0
        try:
            while (data := self._queue.get()) is not None:
                self._target.write(data)
                unsynced += len(data)
                if unsynced >= SYNC_EVERY:
                    self._target.flush()
                    os.fdatasync(self._target.fileno())
                    unsynced = 0
            self._target.flush()
            os.fsync(self._target.fileno())
        except BaseException as exc:  # raised on the producer's side
            self._error = exc
            while self._queue.get() is not None:  # keep the producer from blocking
                pass

    def write(self, data: bytes) -> int:
        if self._error is not None:
            raise self._error
        self._queue.put(bytes(data))
        return len(data)

    def flush(self) -> None:
        """pyrage flushes; the writer thread decides when bytes reach the disk."""

    def close(self) -> None:
        """Wait until everything is on the disk; raise what went wrong on the way."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


def write_atomically(destination: Path, chunks: Iterator[bytes], age_recipients: list[str] | None) -> int:
    """Write under a temporary name beside ``destination``, sync, and rename when complete.

    Returns the size written. On any failure (cancel included) the partial file is removed.
    """
    partial = destination.with_name(f".{destination.name}.{secrets.token_hex(4)}.partial")
    try:
        with partial.open("xb") as out:
            writer = DurableWriter(out)
            try:
                if age_recipients is None:
                    for chunk in chunks:
                        writer.write(chunk)
                else:
                    _encrypt(chunks, writer, age_recipients)
            finally:
                writer.close()
        os.replace(partial, destination)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise EvidenceError(f"cannot write {destination}: {exc.strerror or exc}", "check free disk space and the folder") from exc
        raise
    return destination.stat().st_size


def _encrypt(chunks: Iterator[bytes], out: DurableWriter, age_recipients: list[str]) -> None:
    reader = ChunkReader(chunks)
    recipients = [pyrage.x25519.Recipient.from_str(r) for r in age_recipients]
    try:
        pyrage.encrypt_io(reader, out, recipients)
    except Exception as exc:
        if reader.error is not None:  # our own failure (cancel, store, integrity), not pyrage's
            raise reader.error from None
        raise EvidenceError(f"age encryption failed ({exc})", "check free disk space and try again") from exc
