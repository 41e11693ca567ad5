"""No case content and no key in plaintext anywhere in the workspace (database, WAL, config, temp)."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from rrmdesk import Event, Workspace
from tests.conftest import TEST_PASSPHRASE

from .conftest import run_rrmdesk

MARKER = "ZEBRA-MARKER-7731"


def _forms(secret: bytes) -> list[bytes]:
    """The secret as bytes, as UTF-16 both ways, and base64 at each of the three alignments."""
    text = secret.decode("latin-1")
    forms = [secret, text.encode("utf-16-le"), text.encode("utf-16-be")]
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + secret)
        start = (shift * 4 + 2) // 3 + 1  # skip characters that mix in the padding bytes
        forms.append(encoded[start:-2])
    return [f for f in forms if len(f) >= 8]


def _files(root: Path, skip: Path | None = None) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and (skip is None or skip not in path.parents):
            yield path


def _leaks(root: Path, secrets: list[bytes], skip: Path | None = None) -> list[str]:
    found = []
    for path in _files(root, skip):
        data = path.read_bytes()
        for secret in secrets:
            for form in _forms(secret):
                if form in data:
                    found.append(f"{path.relative_to(root)} holds {form[:24]!r}")
    return found


def _key_forms(key: bytes) -> list[bytes]:
    return [key, key.hex().encode(), key.hex().upper().encode(), base64.b64encode(key)]


def test_the_forms_helper_finds_what_it_should(tmp_path: Path) -> None:
    for form in _forms(MARKER.encode()):
        (tmp_path / "probe").write_bytes(b"xx" + form + b"yy")
        assert _leaks(tmp_path, [MARKER.encode()])
    (tmp_path / "probe").write_bytes(b"prefix " + base64.b64encode(b"ab" + MARKER.encode()))
    assert _leaks(tmp_path, [MARKER.encode()])


@pytest.mark.parametrize("mode", ["keyring", "passphrase"])
def test_marker_and_key_never_reach_the_disk_in_plaintext(mode, request, tmp_path: Path) -> None:
    workspace, recovery_key = request.getfixturevalue(f"{mode}_workspace")
    passphrase = TEST_PASSPHRASE if mode == "passphrase" else None
    key = workspace._keyring_key() if mode == "keyring" else workspace._passphrase_key(passphrase)
    source = tmp_path / "source"
    source.mkdir()
    evidence = source / "capture.txt"
    evidence.write_text(f"screenshot text {MARKER} " * 2000)
    store = workspace.unlock(passphrase)
    case = store.create_case(f"Operation {MARKER}", summary=f"Summary mentioning {MARKER}")
    store.add(Event(case_id=case.id, title=f"Event {MARKER}", start="2024-01-01", description=MARKER * 3))
    store.add_evidence_file(case.id, evidence, description=f"about {MARKER}")
    assert store.search(MARKER)
    secrets = [MARKER.encode(), *_key_forms(key), recovery_key.encode(), recovery_key.replace("-", "").encode()]
    # while open: the WAL holds the fresh pages
    assert (workspace.path / "cases.db-wal").exists()
    assert _leaks(tmp_path, secrets, skip=source) == []
    store.close()
    assert _leaks(tmp_path, secrets, skip=source) == []
    assert sorted(p.name for p in workspace.path.iterdir()) == ["cases.db", "workspace.json"]
    with Workspace.load(workspace.path).unlock(passphrase) as again:
        assert again.get_case(case.id).title == f"Operation {MARKER}"


def test_a_cli_session_leaves_no_plaintext_in_the_workspace_or_temp(tmp_path: Path, workspace_path: Path) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    source = tmp_path / "source"
    source.mkdir()
    (source / "post.html").write_text(f"<p>{MARKER}</p>" * 5000)
    env = dict(os.environ, TMPDIR=str(temp), RRMDESK_PASSPHRASE=TEST_PASSPHRASE)

    def run(*args: str) -> str:
        outcome = run_rrmdesk(*args, env=env)
        assert outcome.code == 0, outcome.err
        return outcome.out.strip()

    run("init", "--passphrase")
    case_id = run("case", "new", "--title", f"Case {MARKER}", "--summary", MARKER)
    run("event", "add", case_id, "--at", "2024-02-02", "--title", f"Event {MARKER}")
    run("evidence", "add", case_id, str(source / "post.html"))
    assert MARKER in run("search", MARKER)
    assert MARKER in run("case", "show", case_id)
    assert _leaks(tmp_path, [MARKER.encode()], skip=source) == []
    assert list(temp.iterdir()) == []
