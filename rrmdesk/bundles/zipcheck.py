"""Reading a bundle's zip without trusting it: every structural check happens before any byte
of content is read, and content is read by index from the central directory we checked.

Why not just ``zipfile``: this interpreter is Python 3.11.7, which lacks CPython's fix for
CVE-2024-0450 (members whose data overlap, the "quoted overlap" zip bomb), and ``zipfile``
happily lists duplicate names, symlinks and ``../`` paths. We use ``zipfile`` only to parse the
central directory (it knows ZIP64), then re-read every local header ourselves and require the
members to tile the file exactly: no gaps, no overlaps, nothing before the first member, the
central directory right after the last. A member name is only ever compared with names we
expect; it never becomes a path on disk.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import FormatError, IntegrityError
from .manifest import MANIFEST, SIGNATURE, STIX_PATH

MiB = 1024 * 1024
GiB = 1024 * MiB
READ_CHUNK = MiB

_LOCAL = struct.Struct("<4s5H3L2H")  # signature, version, flags, method, time, date, crc, csize, size, n, m
_LOCAL_SIG = b"PK\x03\x04"
_DESCRIPTOR_SIG = b"PK\x07\x08"
_STORED, _DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
_ENCRYPTED_FLAGS = 0x0001 | 0x0040
_DESCRIPTOR_FLAG = 0x0008
_UTF8_FLAG = 0x0800
_UNIX = 3
_S_IFMT, _S_IFREG, _S_IFLNK = 0o170000, 0o100000, 0o120000
_DRIVE = re.compile(r"^[A-Za-z]:")
#: Bytes a central-directory entry of ours may take (46 fixed, a short name, a ZIP64 extra).
_MAX_ENTRY = 1024

UNSAFE_HINT = "nothing was extracted or imported; do not unpack this file with other tools, and tell the sender"


@dataclass(frozen=True)
class ZipLimits:
    """What a bundle may hold; DESIGN.md 6 sets the manifest limit and the ratio."""

    max_members: int = 10_000
    max_manifest: int = MiB
    max_signature: int = 4096
    max_payload: int = 256 * MiB
    max_member: int = 64 * GiB
    max_ratio: int = 200

    def ceiling(self, name: str) -> int:
        """The size limit of one member: the manifest, its signature and the STIX payload are read whole."""
        return {MANIFEST: self.max_manifest, SIGNATURE: self.max_signature, STIX_PATH: self.max_payload}.get(name, self.max_member)


@dataclass(frozen=True)
class Member:
    """One checked member: where its data starts and how long it is, as the central directory says."""

    index: int
    name: str
    method: int
    data_offset: int
    compress_size: int
    size: int


def unsafe(reason: str) -> IntegrityError:
    return IntegrityError(f"unsafe bundle: {reason}", UNSAFE_HINT)


def name_problem(name: str) -> str | None:
    """Why ``name`` could escape or confuse an extraction folder, or None if it cannot."""
    if not name:
        return "an empty member name"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return f"member name {name!r} has control characters"
    if "\\" in name:
        return f"member name {name!r} has a backslash"
    if name.startswith("/"):
        return f"member name {name!r} is an absolute path"
    if _DRIVE.match(name) or ":" in name:
        return f"member name {name!r} has a drive letter or colon"
    parts = name.split("/")
    if any(p in ("", ".", "..") for p in parts):
        return f"member name {name!r} climbs out of its folder (zip slip) or has empty parts"
    if len(name.encode("utf-8")) > 255:
        return f"member name {name[:40]!r}... is too long"
    return None


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


class SafeZip:
    """A zip whose structure has been checked; members are read by name through ``open``."""

    def __init__(self, source: BinaryIO, limits: ZipLimits = ZipLimits()) -> None:
        self._source = source
        self.limits = limits
        self.members: dict[str, Member] = {}
        self._check()

    # -- structure ------------------------------------------------------------------------

    def _central_directory(self) -> tuple[list[zipfile.ZipInfo], int]:
        source = self._source
        size = source.seek(0, 2)
        source.seek(0)
        if size < 22:
            raise FormatError("this is not a bundle: the file is not a zip (or is truncated)")
        self._check_directory_size(source)
        try:
            with zipfile.ZipFile(source) as archive:
                return archive.infolist(), archive.start_dir
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError,
                UnicodeDecodeError, struct.error, OverflowError) as exc:
            raise FormatError(f"this is not a bundle: the file is not a readable zip ({exc})") from exc

    def _check_directory_size(self, source: BinaryIO) -> None:
        """Refuse a central directory too big to be ours before ``zipfile`` loads it whole.

        ``zipfile`` reads the entire directory into memory and builds an object per entry, so a
        forged end record claiming millions of entries would exhaust memory before any check of
        ours ran. The end record (``zipfile._EndRecData``, which also reads ZIP64 records) gives
        the counts first.
        """
        try:
            end = zipfile._EndRecData(source)  # noqa: SLF001  (no public API exposes the end record)
        except (OSError, struct.error) as exc:
            raise FormatError("this is not a bundle: the file is not a readable zip") from exc
        if not end:
            return  # not a zip at all: zipfile says so next, in its words
        entries, directory = end[4], end[5]
        self._check_count(entries)
        if directory > self.limits.max_members * _MAX_ENTRY:
            raise unsafe(f"its central directory is {directory:,} bytes, too large for {entries:,} members")

    def _check_count(self, members: int) -> None:
        if members > self.limits.max_members:
            raise unsafe(f"{members:,} members, more than the {self.limits.max_members:,} a bundle may hold")

    def _check(self) -> None:
        infos, start_dir = self._central_directory()
        self._check_count(len(infos))  # again: the directory may hold more entries than its end record says
        seen: dict[str, str] = {}
        for info in infos:
            name = info.orig_filename
            problem = name_problem(name)
            if problem:
                raise unsafe(problem)
            folded = _fold(name)
            if folded in seen:
                if seen[folded] == name:
                    raise unsafe(f"member {name!r} appears twice")
                raise unsafe(f"members {seen[folded]!r} and {name!r} differ only in letter case")
            seen[folded] = name
            self._check_entry(info)
        self._check_layout(infos, start_dir)

    def _check_entry(self, info: zipfile.ZipInfo) -> None:
        name = info.orig_filename
        mode = info.external_attr >> 16
        if info.create_system == _UNIX and mode & _S_IFMT == _S_IFLNK:
            raise unsafe(f"member {name!r} is a symbolic link")
        if (info.create_system == _UNIX and mode & _S_IFMT not in (0, _S_IFREG)) or info.external_attr & 0x10:
            raise unsafe(f"member {name!r} is not a regular file")
        if info.flag_bits & _ENCRYPTED_FLAGS:
            raise unsafe(f"member {name!r} is encrypted inside the zip")
        if info.compress_type not in (_STORED, _DEFLATED):
            raise unsafe(f"member {name!r} uses an unsupported compression method ({info.compress_type})")
        ceiling = self.limits.ceiling(name)
        if info.file_size > ceiling:
            raise unsafe(f"member {name!r} is {info.file_size:,} bytes, over the {ceiling:,}-byte limit")
        if info.compress_type == _STORED and info.compress_size != info.file_size:
            raise unsafe(f"member {name!r} is stored but its two sizes disagree")
        if info.file_size > self.limits.max_ratio * max(info.compress_size, 1):
            raise unsafe(f"member {name!r} expands more than {self.limits.max_ratio}-fold (a zip bomb)")

    def _check_layout(self, infos: list[zipfile.ZipInfo], start_dir: int) -> None:
        """Members must follow one another exactly from byte 0 to the central directory."""
        expected = 0
        for index, info in sorted(enumerate(infos), key=lambda pair: pair[1].header_offset):
            if info.header_offset < expected:
                raise unsafe(f"member {info.orig_filename!r} overlaps the member before it")
            if info.header_offset > expected:
                raise unsafe(f"there are hidden bytes before member {info.orig_filename!r}")
            member, expected = self._read_local_header(index, info)
            self.members[member.name] = member
        if expected > start_dir:
            raise unsafe("the last member overlaps the central directory")
        if expected < start_dir:
            raise unsafe("there are hidden bytes before the central directory")

    def _read_local_header(self, index: int, info: zipfile.ZipInfo) -> tuple[Member, int]:
        name = info.orig_filename
        source = self._source
        source.seek(info.header_offset)
        header = source.read(_LOCAL.size)
        if len(header) != _LOCAL.size:
            raise FormatError("the bundle is truncated", "ask the sender for the file again")
        sig, _version, flags, method, _t, _d, _crc, csize, size, name_len, extra_len = _LOCAL.unpack(header)
        if sig != _LOCAL_SIG:
            raise unsafe(f"member {name!r} has no local header where the directory says")
        raw_name = source.read(name_len)
        expected_raw = name.encode("utf-8" if info.flag_bits & _UTF8_FLAG else "cp437", errors="replace")
        if raw_name != expected_raw:
            raise unsafe(f"member {name!r} has a different name in its local header")
        if flags & _ENCRYPTED_FLAGS:
            raise unsafe(f"member {name!r} is encrypted inside the zip")
        if method != info.compress_type:
            raise unsafe(f"member {name!r} has a different compression method in its local header")
        if not flags & _DESCRIPTOR_FLAG and 0xFFFFFFFF not in (csize, size) and (csize, size) != (info.compress_size, info.file_size):
            raise unsafe(f"member {name!r} has different sizes in its local header")
        extra = source.read(extra_len)
        data_offset = info.header_offset + _LOCAL.size + name_len + extra_len
        end = data_offset + info.compress_size
        if (flags | info.flag_bits) & _DESCRIPTOR_FLAG:
            end += self._descriptor_length(info, end, _has_zip64(extra))
        member = Member(index, name, info.compress_type, data_offset, info.compress_size, info.file_size)
        return member, end

    def _descriptor_length(self, info: zipfile.ZipInfo, offset: int, zip64: bool) -> int:
        """Length of the data descriptor after a member, after checking it repeats the directory."""
        source = self._source
        source.seek(offset)
        head = source.read(4)
        signed = head == _DESCRIPTOR_SIG
        layout = "<LQQ" if zip64 else "<LLL"
        body = source.read(struct.calcsize(layout)) if signed else head + source.read(struct.calcsize(layout) - 4)
        if len(body) != struct.calcsize(layout):
            raise FormatError("the bundle is truncated", "ask the sender for the file again")
        _crc, compress_size, size = struct.unpack(layout, body)
        if (compress_size, size) != (info.compress_size, info.file_size):
            raise unsafe(f"member {info.orig_filename!r} has sizes in its data descriptor that disagree")
        return (4 if signed else 0) + struct.calcsize(layout)

    # -- content --------------------------------------------------------------------------

    def names(self) -> set[str]:
        return set(self.members)

    def open(self, name: str, sha256: str | None = None) -> "MemberStream":
        """Stream a checked member; with ``sha256`` the stream fails at its end on a mismatch."""
        return MemberStream(self._source, self.members[name], sha256)

    def read(self, name: str) -> bytes:
        """A small member whole (the manifest, its signature); their limits keep this bounded."""
        with self.open(name) as stream:
            return stream.read()


def _has_zip64(extra: bytes) -> bool:
    while len(extra) >= 4:
        kind, length = struct.unpack("<HH", extra[:4])
        if kind == 0x0001:
            return True
        extra = extra[4 + length :]
    return False


class MemberStream:
    """File-like reader of one member's bytes, bounded by its declared size.

    It seeks before every read, so several streams over one source may interleave, and it
    never returns more than the central directory declared (a deflate stream that would expand
    further is refused). With ``sha256`` it re-hashes what it hands out and raises at the end if
    the bytes differ from what was verified, so a file changed on disk between verification and
    import cannot slip in.
    """

    def __init__(self, source: BinaryIO, member: Member, sha256: str | None = None) -> None:
        self._source = source
        self.member = member
        self._raw_pos = 0
        self._produced = 0
        self._inflater = zlib.decompressobj(-15) if member.method == _DEFLATED else None
        self._pending = b""
        self._expected = sha256
        self._digest = hashlib.sha256() if sha256 else None

    def readable(self) -> bool:
        return True

    def _raw(self, size: int) -> bytes:
        left = self.member.compress_size - self._raw_pos
        if left <= 0:
            return b""
        self._source.seek(self.member.data_offset + self._raw_pos)
        data = self._source.read(min(size, left))
        if not data:
            raise FormatError("the bundle is truncated", "ask the sender for the file again")
        self._raw_pos += len(data)
        return data

    def _next_chunk(self, size: int) -> bytes:
        if self._inflater is None:
            return self._raw(size)
        while not self._pending:
            raw = self._raw(READ_CHUNK)
            if not raw:
                if not self._inflater.eof:
                    raise unsafe(f"member {self.member.name!r} has a broken deflate stream")
                return b""
            try:
                self._pending = self._inflater.decompress(raw, self.member.size - self._produced + 1)
            except zlib.error as exc:
                raise unsafe(f"member {self.member.name!r} has a broken deflate stream") from exc
            if self._inflater.unconsumed_tail:
                raise unsafe(f"member {self.member.name!r} expands beyond its declared size")
        chunk, self._pending = self._pending[:size], self._pending[size:]
        return chunk

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(READ_CHUNK), b""))
        chunk = self._next_chunk(min(size, READ_CHUNK)) if size else b""
        self._produced += len(chunk)
        if self._produced > self.member.size:
            raise unsafe(f"member {self.member.name!r} expands beyond its declared size")
        if self._digest is not None:
            self._digest.update(chunk)
        if size and not chunk:
            self._finish()
        return chunk

    def _finish(self) -> None:
        if self._produced != self.member.size:
            raise unsafe(f"member {self.member.name!r} is shorter than its declared size")
        if self._digest is not None and self._digest.hexdigest() != self._expected:
            raise IntegrityError(f"{self.member.name} changed after it was verified",
                                 "nothing was imported; keep the file unchanged while importing")

    def close(self) -> None:
        self._pending = b""

    def __enter__(self) -> "MemberStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
