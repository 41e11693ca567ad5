"""An attacker's toolkit: take a genuine bundle apart and put altered ones together."""

from __future__ import annotations

import io
import json
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import rfc8785

from rrmdesk.bundles import sshsig
from rrmdesk.bundles.manifest import MANIFEST, NAMESPACE, SIGNATURE


def members(bundle: Path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(bundle) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def build(parts: list[tuple[str, bytes]], configure: Callable[[zipfile.ZipInfo], None] | None = None,
          method: int = zipfile.ZIP_STORED) -> bytes:
    """A zip of ``parts``, written the ordinary way (``zipfile`` on a seekable buffer)."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicates we make on purpose
        with zipfile.ZipFile(out, "w") as archive:
            for name, data in parts:
                info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = method
                info.external_attr = 0o100644 << 16
                if configure:
                    configure(info)
                archive.writestr(info, data)
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def manifest_of(parts: list[tuple[str, bytes]]) -> dict:
    return json.loads(dict(parts)[MANIFEST])


def replace(parts: list[tuple[str, bytes]], name: str, data: bytes) -> list[tuple[str, bytes]]:
    return [(n, data if n == name else d) for n, d in parts]


def resign(parts: list[tuple[str, bytes]], signing_key, change: Callable[[dict], None]) -> list[tuple[str, bytes]]:
    """Alter the manifest and sign it again with ``signing_key`` (an insider, or the attacker's own key)."""
    manifest = manifest_of(parts)
    change(manifest)
    raw = rfc8785.dumps(manifest)
    signature = sshsig.sign(signing_key, raw, NAMESPACE).encode()
    return replace(replace(parts, MANIFEST, raw), SIGNATURE, signature)


def patch_central_offset(data: bytes, index: int, offset: int) -> bytes:
    """Point central-directory entry ``index`` at another local header (overlapping members)."""
    blob = bytearray(data)
    position = blob.find(b"PK\x01\x02")
    for _ in range(index):
        name_len, extra_len, comment_len = struct.unpack("<3H", blob[position + 28 : position + 34])
        position += 46 + name_len + extra_len + comment_len
    struct.pack_into("<L", blob, position + 42, offset)
    return bytes(blob)


def set_flag(data: bytes, name: str, bit: int) -> bytes:
    """Set a general-purpose flag bit of ``name`` in its local header and its directory entry."""
    blob = bytearray(data)
    raw = name.encode()
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        position = blob.find(signature)
        while position >= 0:
            if blob[position + name_at : position + name_at + len(raw)] == raw:
                flags = struct.unpack_from("<H", blob, position + flags_at)[0]
                struct.pack_into("<H", blob, position + flags_at, flags | bit)
            position = blob.find(signature, position + 4)
    return bytes(blob)
