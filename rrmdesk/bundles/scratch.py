"""Scratch space for a decrypted bundle that never holds plaintext on disk.

An age-encrypted bundle must be checked as a zip (central directory first, members by offset),
which needs random access, and a 1 GB bundle must not sit in memory (DESIGN.md 3: no plaintext
temp files; bench target: 200 MB peak). So the decrypted bytes go to an anonymous temporary
file sealed chunk by chunk with AES-GCM under a key that lives only in this process: if the
process dies, what is left on disk is noise. Reads decrypt one chunk at a time.
"""

from __future__ import annotations

import os
import tempfile

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..errors import EvidenceError, IntegrityError

CHUNK = 1024 * 1024
_TAG = 16


class SealedScratch:
    """Write once (sequentially), then read and seek like a read-only binary file."""

    def __init__(self, folder: str | None = None) -> None:
        try:
            self._file = tempfile.TemporaryFile(dir=folder)
        except OSError as exc:
            raise EvidenceError(f"cannot create scratch space for decryption: {exc.strerror or exc}",
                                "free some disk space in the temporary folder") from exc
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
        self._pending = bytearray()
        self._chunks = 0
        self._size = 0
        self._sealed = False
        self._pos = 0
        self._cached: tuple[int, bytes] = (-1, b"")
        #: a write failure, kept because a caller in between (pyrage) may report it as its own
        self.error: EvidenceError | None = None

    # -- writing --------------------------------------------------------------------------

    def write(self, data: bytes) -> int:
        if self._sealed:
            raise ValueError("scratch space is read-only once finished")
        self._pending += data
        while len(self._pending) >= CHUNK:
            self._seal(bytes(self._pending[:CHUNK]))
            del self._pending[:CHUNK]
        return len(data)

    def flush(self) -> None:
        """Writers call it; chunks are sealed as they fill."""

    def _seal(self, chunk: bytes) -> None:
        try:
            self._file.write(self._aead.encrypt(self._nonce(self._chunks), chunk, None))
        except OSError as exc:
            self.error = EvidenceError(f"cannot write scratch space for decryption: {exc.strerror or exc}",
                                       "free some disk space in the temporary folder")
            raise self.error from exc
        self._chunks += 1
        self._size += len(chunk)

    def finish(self) -> "SealedScratch":
        if self._pending:
            self._seal(bytes(self._pending))
            self._pending.clear()
        self._sealed = True
        return self

    @staticmethod
    def _nonce(index: int) -> bytes:
        return index.to_bytes(12, "big")

    # -- reading --------------------------------------------------------------------------

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def _chunk(self, index: int) -> bytes:
        if self._cached[0] == index:
            return self._cached[1]
        length = min(CHUNK, self._size - index * CHUNK) + _TAG
        self._file.seek(index * (CHUNK + _TAG))
        sealed = self._file.read(length)
        try:
            plain = self._aead.decrypt(self._nonce(index), sealed, None)
        except InvalidTag:
            raise IntegrityError("the scratch copy of the decrypted bundle was changed on disk while in use",
                                 "nothing was imported; try again") from None
        self._cached = (index, plain)
        return plain

    def read(self, size: int = -1) -> bytes:
        if not self._sealed:
            raise ValueError("finish() the scratch space before reading it")
        end = self._size if size is None or size < 0 else min(self._size, self._pos + size)
        parts = []
        while self._pos < end:
            index, offset = divmod(self._pos, CHUNK)
            piece = self._chunk(index)[offset : offset + end - self._pos]
            parts.append(piece)
            self._pos += len(piece)
        return b"".join(parts)

    def close(self) -> None:
        self._file.close()
        self._cached = (-1, b"")

    def __enter__(self) -> "SealedScratch":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
