"""Flip random bytes of a valid bundle: every variant is refused, or verifies as exactly the original."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rrmdesk.bundles.verify import BundleVerifier
from rrmdesk.errors import RRMDeskError

from .conftest import Ministry
from .helpers import export, make_case

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _flips(size: int) -> st.SearchStrategy[list[tuple[int, int]]]:
    """1-4 flipped bytes, often in the headers and central directory where the structure lives."""
    anywhere = st.integers(0, size - 1)
    structure = st.one_of(st.integers(0, min(400, size - 1)), st.integers(max(0, size - 1200), size - 1))
    position = st.one_of(anywhere, structure, structure)
    return st.lists(st.tuples(position, st.integers(1, 255)), min_size=1, max_size=4)


def _check(ministry: Ministry, original: Path, variant: bytes, tmp_path: Path, name: str) -> None:
    verifier = BundleVerifier(ministry.store, ministry.identity)
    expected_bundle = verifier.open(original)
    with expected_bundle as genuine:
        expected = (genuine.manifest, genuine.payload)
    path = tmp_path / name
    path.write_bytes(variant)
    try:
        with verifier.open(path) as bundle:
            assert (bundle.manifest, bundle.payload) == expected
            for entry in bundle.manifest.files[1:]:
                with bundle.evidence_stream(entry.sha256) as stream:
                    while stream.read(65536):
                        pass
    except RRMDeskError:
        pass  # refused with a reason: fine


def test_flipped_bytes_never_verify_altered(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    original = export(fr, [make_case(fr, size=3000)], ["ca-gac"], tmp_path / "genuine.rrmb").path
    data = original.read_bytes()

    @_SETTINGS
    @given(flips=_flips(len(data)))
    def flipped(flips: list[tuple[int, int]]) -> None:
        variant = bytearray(data)
        for position, mask in flips:
            variant[position] ^= mask
        _check(ca, original, bytes(variant), tmp_path, "variant.rrmb")

    flipped()


def test_truncated_or_extended_never_verify_altered(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    original = export(fr, [make_case(fr, size=3000)], ["ca-gac"], tmp_path / "genuine.rrmb").path
    data = original.read_bytes()

    @settings(max_examples=100, deadline=None)
    @given(cut=st.integers(0, len(data) - 1), tail=st.binary(max_size=64))
    def changed(cut: int, tail: bytes) -> None:
        _check(ca, original, data[:cut] + tail, tmp_path, "variant.rrmb")

    changed()


def test_flipped_bytes_of_an_encrypted_bundle(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    original = export(fr, [make_case(fr, size=3000)], ["ca-gac"], tmp_path / "genuine.rrmb", encrypt=True).path
    data = original.read_bytes()

    @settings(max_examples=60, deadline=None)
    @given(flips=_flips(len(data)))
    def flipped(flips: list[tuple[int, int]]) -> None:
        variant = bytearray(data)
        for position, mask in flips:
            variant[position] ^= mask
        _check(ca, original, bytes(variant), tmp_path, "variant.rrmb.age")

    flipped()
