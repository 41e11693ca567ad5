"""Two writers at once, and a writer killed half-way: nothing lost, nothing half-written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import textwrap
from pathlib import Path

import pytest

from rrmdesk import Case, Event, Evidence, Workspace
from rrmdesk.evidence import CHUNK

from tests.conftest import TEST_PASSPHRASE

from .conftest import PYTHON, REPO

_WRITER = textwrap.dedent(
    """
    import sys
    from rrmdesk import Workspace
    path, label, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Workspace.load(path).unlock()
    for number in range(count):
        store.create_case(f"{label} case {number}", summary=f"written by {label}")
    store.close()
    print("done", flush=True)
    """
)

_BIG_WRITE = textwrap.dedent(
    """
    import os, sys, time
    from rrmdesk import Event, Progress, Workspace
    path, what, case_id, source = sys.argv[1:5]
    store = Workspace.load(path).unlock(os.environ["RRMDESK_PASSPHRASE"])
    said = False
    def report(done, total, label):
        global said
        if not said and done >= total // 4:
            said = True
            print("midway", flush=True)
    progress = Progress(report)
    if what == "evidence":
        store.add_evidence_file(case_id, source, progress=progress)
    else:
        events = [Event(case_id=case_id, title=f"Post {n}", start="2024-01-01", description="text " * 40)
                  for n in range(50_000)]
        store.add_many(events, progress=progress)
    print("finished", flush=True)
    time.sleep(60)
    """
)


def _child(script: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([str(PYTHON), "-c", script, *map(str, args)], cwd=REPO, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_two_processes_adding_cases_at_once_lose_nothing(keyring_workspace) -> None:
    workspace, _ = keyring_workspace
    writers = [_child(_WRITER, workspace.path, label, 200) for label in ("alpha", "bravo")]
    results = [writer.communicate(timeout=300) for writer in writers]
    for writer, (out, err) in zip(writers, results):
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    with workspace.unlock() as store:
        cases = store.list_cases()
        assert len(cases) == 400
        assert {c.summary for c in cases} == {"written by alpha", "written by bravo"}
        report = store.verify_audit()
        assert report.ok and report.entries == 400


@pytest.fixture
def source_file(tmp_path: Path) -> Path:
    path = tmp_path / "recording.bin"
    rng = random.Random(99)
    with path.open("wb") as out:
        for _ in range(200):
            out.write(rng.randbytes(CHUNK))
    return path


@pytest.mark.slow
@pytest.mark.parametrize("what", ["evidence", "events"])
def test_a_writer_killed_half_way_leaves_a_sound_database_without_the_write(what, passphrase_workspace, source_file,
                                                                          monkeypatch) -> None:
    """In passphrase mode: a client killed while connected can take gnome-keyring down with it,
    which is not what this test is about."""
    workspace, _ = passphrase_workspace
    monkeypatch.setenv("RRMDESK_PASSPHRASE", TEST_PASSPHRASE)
    with workspace.unlock(TEST_PASSPHRASE) as store:
        case = store.create_case("Before the kill")
        entries_before = store.verify_audit().entries
    writer = _child(_BIG_WRITE, workspace.path, what, case.id, source_file)
    try:
        assert writer.stdout.readline().strip() == "midway", writer.stderr.read()
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.kill()
        writer.communicate(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    with Workspace.load(workspace.path).unlock(TEST_PASSPHRASE) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert store.parts(case.id, Evidence) == [] and store.parts(case.id, Event) == []
        conn = store.db.conn
        assert conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM blob_chunks").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM objects").fetchone()[0] == 1
        assert store.search("Post") == []
        report = store.verify_audit()
        assert report.ok and report.entries == entries_before
        assert [c.title for c in store.list_cases()] == ["Before the kill"]
        # and the store still takes writes
        store.add(Case(title="After the kill"))
        assert store.verify_audit().ok
