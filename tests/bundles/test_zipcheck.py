"""The safe zip reader and the sealed scratch space, on their own."""

from __future__ import annotations

import io
import os
import struct
import zipfile

import pytest

from rrmdesk.bundles.scratch import CHUNK, SealedScratch
from rrmdesk.bundles.zipcheck import SafeZip, ZipLimits, name_problem
from rrmdesk.errors import IntegrityError

from . import forge


@pytest.mark.parametrize("name", ["manifest.json", "payload/case.stix.json", "payload/evidence/" + "a" * 64])
def test_ordinary_names_are_safe(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["", "../x", "a/../../x", "/x", "\\x", "a\\b", "C:x", "c:/x", "a//b", "./a", "a/.",
                                  "a\x00b", "a\nb", "x" * 300, "a:b"])
def test_unsafe_names(name: str) -> None:
    assert name_problem(name)


def _patch_size(data: bytes, size: int, local: bool = True) -> bytes:
    """Declare another uncompressed size in the directory (and the local header)."""
    blob = bytearray(data)
    struct.pack_into("<L", blob, blob.find(b"PK\x01\x02") + 24, size)
    if local:
        struct.pack_into("<L", blob, blob.find(b"PK\x03\x04") + 22, size)
    return bytes(blob)


def test_deflate_stream_longer_than_declared_is_refused() -> None:
    content = os.urandom(200_000)
    data = _patch_size(forge.build([("payload/evidence/x", content)], method=zipfile.ZIP_DEFLATED), 100_000)
    archive = SafeZip(io.BytesIO(data))
    with pytest.raises(IntegrityError, match="expands beyond its declared size"), archive.open("payload/evidence/x") as stream:
        while stream.read(65536):
            pass


def test_local_header_sizes_must_agree() -> None:
    data = forge.build([("payload/evidence/x", os.urandom(1000))], method=zipfile.ZIP_DEFLATED)
    with pytest.raises(IntegrityError, match="different sizes in its local header"):
        SafeZip(io.BytesIO(_patch_size(data, 999, local=False)))


def test_stream_checks_hash_at_the_end() -> None:
    content = os.urandom(300_000)
    archive = SafeZip(io.BytesIO(forge.build([("payload/evidence/x", content)])))
    with archive.open("payload/evidence/x") as stream:
        assert stream.read() == content
    with pytest.raises(IntegrityError, match="changed after it was verified"), archive.open("payload/evidence/x", "0" * 64) as stream:
        stream.read()


def test_deflated_member_reads_back() -> None:
    content = b"stix " * 50_000
    archive = SafeZip(io.BytesIO(forge.build([("payload/case.stix.json", content)], method=zipfile.ZIP_DEFLATED)),
                      ZipLimits(max_ratio=10_000))
    assert archive.read("payload/case.stix.json") == content


def test_sealed_scratch_round_trip_and_random_access() -> None:
    data = os.urandom(2 * CHUNK + 12345)
    with SealedScratch() as scratch:
        for start in range(0, len(data), 8192):
            scratch.write(data[start : start + 8192])
        scratch.finish()
        assert scratch.read() == data
        scratch.seek(CHUNK - 10)
        assert scratch.read(20) == data[CHUNK - 10 : CHUNK + 10]
        assert scratch.seek(0, os.SEEK_END) == len(data)
        raw = scratch._file
        raw.seek(0)
        assert data[:64] not in raw.read()  # nothing plaintext on disk


def test_sealed_scratch_detects_changes_on_disk() -> None:
    with SealedScratch() as scratch:
        scratch.write(os.urandom(CHUNK + 100))
        scratch.finish()
        scratch._file.seek(5)
        scratch._file.write(b"\x00")
        scratch._file.flush()
        with pytest.raises(IntegrityError, match="changed on disk"):
            scratch.read(10)


def test_oversized_central_directory_is_refused_before_parsing() -> None:
    def commented(info: zipfile.ZipInfo) -> None:
        info.comment = b"c" * 3000

    data = forge.build([(f"payload/n{i}", b"") for i in range(5)], commented)
    with pytest.raises(IntegrityError, match="central directory is .* too large"):
        SafeZip(io.BytesIO(data), ZipLimits(max_members=10))
    with pytest.raises(IntegrityError, match="5 members, more than the 4"):
        SafeZip(io.BytesIO(data), ZipLimits(max_members=4))
