"""Evidence bytes: streamed into the encrypted store in chunks, hashed, de-duplicated, streamed out."""

from __future__ import annotations

import hashlib
import io
import random
import subprocess
import tracemalloc
from pathlib import Path

import pytest

from rrmdesk import Cancelled, Evidence, EvidenceError, IntegrityError, Progress
from rrmdesk.evidence import CHUNK

SIZE = 20 * 1024 * 1024 + 12_345  # not a whole number of chunks


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("evidence") / "capture.mp4"
    rng = random.Random(20240301)
    with path.open("wb") as out:
        for _ in range(SIZE // CHUNK):
            out.write(rng.randbytes(CHUNK))
        out.write(rng.randbytes(SIZE % CHUNK))
    return path


def _sha256sum(path: Path) -> str:
    done = subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True)
    return done.stdout.split()[0]


def _blob_rows(store) -> tuple[int, int]:
    conn = store.db.conn
    return (conn.execute("SELECT count(*) FROM blobs").fetchone()[0],
            conn.execute("SELECT count(*) FROM blob_chunks").fetchone()[0])


def test_a_big_file_is_stored_in_chunks_with_the_right_sha256(store, case, big_file: Path) -> None:
    record = store.add_evidence_file(case.id, big_file, source="platform export")
    expected = hashlib.sha256(big_file.read_bytes()).hexdigest()
    assert record.sha256 == expected == _sha256sum(big_file)
    assert (record.size, record.filename, record.media_type, record.kind) == (SIZE, "capture.mp4", "video/mp4", "file")
    assert record.custody[0]["by"] == "test-analyst" and "capture.mp4" in record.custody[0]["action"]
    assert _blob_rows(store) == (1, SIZE // CHUNK + 1)
    assert store.get(record.id) == record


def test_ingest_does_not_hold_the_file_in_memory(store, case, big_file: Path) -> None:
    tracemalloc.start()
    try:
        store.add_evidence_file(case.id, big_file)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * CHUNK, peak


def test_the_same_bytes_are_stored_once(store, case, big_file: Path) -> None:
    first = store.add_evidence_file(case.id, big_file, title="first copy")
    second = store.add_evidence_file(case.id, big_file, title="second copy")
    assert first.id != second.id and first.sha256 == second.sha256
    assert _blob_rows(store) == (1, SIZE // CHUNK + 1)
    store.remove(first.id)
    assert _blob_rows(store)[0] == 1, "still used by the second record"
    store.remove(second.id)
    assert _blob_rows(store) == (0, 0)


def test_evidence_get_writes_identical_bytes(store, case, big_file: Path, cli, tmp_path: Path) -> None:
    record = store.add_evidence_file(case.id, big_file)
    out = tmp_path / "out" / "copy.mp4"
    out.parent.mkdir()
    outcome = cli("evidence", "get", record.id, "-o", str(out))
    assert outcome.code == 0, outcome.err
    assert outcome.out.strip() == f"wrote {SIZE} bytes to {out}"
    assert _sha256sum(out) == record.sha256
    assert out.read_bytes() == big_file.read_bytes()


def test_evidence_get_never_overwrites(store, case, big_file: Path, cli, tmp_path: Path) -> None:
    record = store.add_evidence_file(case.id, big_file)
    existing = tmp_path / "keep.txt"
    existing.write_text("analyst's own notes")
    cli("evidence", "get", record.id, "-o", str(existing)).assert_user_error("already exists", "nothing was overwritten")
    assert existing.read_text() == "analyst's own notes"
    cli("evidence", "get", record.id, "-o", str(tmp_path)).assert_user_error("is a folder")
    cli("evidence", "get", record.id, "-o", str(tmp_path / "no-such-dir" / "x")).assert_user_error("cannot write")
    assert not (tmp_path / "no-such-dir").exists()


def test_evidence_add_through_the_cli_prints_id_and_sha256(store, case, cli, tmp_path: Path) -> None:
    path = tmp_path / "post.txt"
    path.write_bytes(b"a post that was later deleted\n")
    outcome = cli("evidence", "add", case.id, str(path), "--reliability", "c", "--credibility", "3", "--tlp", "red")
    evidence_id, sha256 = outcome.out.split()
    assert sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    record = store.get(evidence_id)
    assert (record.reliability, record.credibility, record.tlp) == ("C", "3", "red")


def test_url_and_text_evidence_have_no_bytes(store, case, cli, tmp_path: Path) -> None:
    url = cli("evidence", "add", case.id, "--url", "https://example.org/post/1").out.split()
    text = cli("evidence", "add", case.id, "--text", "Quoted excerpt of the post").out.split()
    assert url[1] == "-" and text[1] == "-"
    assert store.get(url[0]).kind == "url" and store.get(text[0]).title == "Quoted excerpt of the post"
    cli("evidence", "get", url[0], "-o", str(tmp_path / "x")).assert_user_error("is a url, not a file")
    assert not (tmp_path / "x").exists()


def test_missing_or_folder_paths_are_evidence_errors(store, case, tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match="no such evidence file"):
        store.add_evidence_file(case.id, tmp_path / "gone.png")
    with pytest.raises(EvidenceError, match="is a folder"):
        store.add_evidence_file(case.id, tmp_path)
    assert _blob_rows(store) == (0, 0)
    assert store.parts(case.id, Evidence) == []


def test_cancelled_ingest_leaves_nothing(store, case, big_file: Path) -> None:
    progress = Progress(lambda done, total, label: progress.cancel() if done > 5 * CHUNK else None)
    with pytest.raises(Cancelled):
        store.add_evidence_file(case.id, big_file, progress=progress)
    assert _blob_rows(store) == (0, 0)
    assert store.parts(case.id, Evidence) == []
    assert store.verify_audit().ok


def test_a_stream_that_does_not_match_its_hash_is_refused(store, case) -> None:
    data = b"bytes received in a bundle"
    claimed = Evidence(case_id=case.id, title="from a partner", sha256="0" * 64, size=len(data))
    with pytest.raises(IntegrityError, match="does not match"):
        store.add_evidence_stream(claimed, io.BytesIO(data), len(data))
    assert _blob_rows(store) == (0, 0)
    good = Evidence(case_id=case.id, title="from a partner", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    store.add_evidence_stream(good, io.BytesIO(data), len(data))
    assert b"".join(store.evidence_chunks(good.id)) == data


def test_progress_reports_bytes(store, case, big_file: Path) -> None:
    seen: list[tuple[int, int]] = []
    store.add_evidence_file(case.id, big_file, progress=Progress(lambda done, total, _label: seen.append((done, total))))
    assert seen[-1] == (SIZE, SIZE)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
