"""Two ministries on one machine exchange a case both ways through the ``rrmdesk`` command line.

Most steps run ``rrmdesk.cli.main`` in this process (a subprocess costs seconds of imports);
verification also runs as the installed ``rrmdesk`` program, as a partner's script would.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from rrmdesk import Workspace
from rrmdesk.bundles.identity import forget_identity_secret
from rrmdesk.cli import main

REPO = Path(__file__).resolve().parents[2]
RRMDESK = REPO / ".venv" / "bin" / "rrmdesk"


@dataclass
class Done:
    code: int
    out: str
    err: str

    def json(self):
        return json.loads(self.out)


class Desk:
    """One ministry's workspace, driven only through the command line."""

    def __init__(self, path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.path = path
        self.capsys = capsys

    def __call__(self, *args: str, ok: bool = True) -> Done:
        self.capsys.readouterr()
        try:
            code = main(["--workspace", str(self.path), *map(str, args)])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        result = Done(code, out, err)
        if ok:
            assert result.code == 0, (args, result.out, result.err)
        return result

    def refuses(self, *args: str, words: tuple[str, ...]) -> str:
        result = self(*args, ok=False)
        lines = result.err.strip().splitlines()
        assert result.code == 1 and len(lines) == 1 and "Traceback" not in result.err, result.err
        for word in words:
            assert word.lower() in lines[0].lower(), (word, lines[0])
        return lines[0]

    def program(self, *args: str) -> Done:
        """Run the installed ``rrmdesk`` program as a separate process."""
        done = subprocess.run([str(RRMDESK), "--workspace", str(self.path), *map(str, args)], env=dict(os.environ),
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return Done(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def desks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[Desk, Desk]]:
    fr, ca = Desk(tmp_path / "fr", capsys), Desk(tmp_path / "ca", capsys)
    yield fr, ca
    for desk in (fr, ca):
        if (desk.path / "workspace.json").exists():
            workspace = Workspace.load(desk.path)
            forget_identity_secret(workspace)
            workspace.credentials.delete(workspace.keyring_account)


def _introduce(fr: Desk, ca: Desk) -> None:
    for desk, name, ministry in ((fr, "fr-meae", "France MEAE"), (ca, "ca-gac", "Global Affairs Canada")):
        desk("init", "--ministry", ministry)
        desk("keys", "init", "--id", name)
    for desk, other in ((fr, ca), (ca, fr)):
        shown = other("keys", "show", "--json").json()
        desk("keys", "trust", shown["principal"], "--key", shown["key"], "--age", shown["age_recipient"],
             "--confirmed-by", "duty officer (phone)")


def test_two_ministries_exchange_a_case_both_ways(desks, tmp_path: Path) -> None:
    fr, ca = desks
    _introduce(fr, ca)
    listed = fr("keys", "list", "--json").json()
    assert [(p["principal"], p["status"]) for p in listed] == [("ca-gac", "trusted")]
    shown = fr("keys", "show").out
    fingerprint = subprocess.run(["ssh-keygen", "-lf", "/dev/stdin"], input=fr("keys", "show", "--json").json()["key"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    assert fingerprint in shown

    case_id = fr("case", "new", "--title", "Doppelganger clones", "--tlp", "amber").out.strip()
    shot = tmp_path / "shot.png"
    shot.write_bytes(os.urandom(200_000))
    evidence_id = fr("evidence", "add", case_id, shot).out.split()[0]
    fr("event", "add", case_id, "--at", "2022-06-01", "--title", "Clone of lemonde.fr registered", "--evidence", evidence_id)

    out = tmp_path / "to-ca.rrmb"
    sent = fr("bundle", "export", case_id, "--to", "ca-gac", "-o", out, "--encrypt", "--json").json()
    assert sent["path"].endswith("to-ca.rrmb.age") and sent["sequence"] == 1 and sent["left_out"] == []
    checked = ca.program("bundle", "verify", sent["path"], "--json").json()
    assert checked["sender"] == "fr-meae" and checked["recipients"] == ["ca-gac"] and checked["encrypted"]
    assert [c["id"] for c in checked["cases"]] == [case_id]
    assert ca("case", "list", "--json").json() == []  # verify imports nothing
    imported = ca("bundle", "import", sent["path"], "--json").json()
    assert imported["imports"][0]["added"]["event"] == 1
    assert ca("case", "show", case_id, "--json").json()["case"]["title"] == "Doppelganger clones"
    ca.refuses("bundle", "import", sent["path"], words=("already imported",))
    ca("evidence", "get", evidence_id, "-o", tmp_path / "back.png")
    assert (tmp_path / "back.png").read_bytes() == shot.read_bytes()

    # Canada adds its own assessment and sends the case back.
    ca("event", "add", case_id, "--at", "2022-06-03", "--title", "Canadian mirror spotted")
    back = ca("bundle", "export", case_id, "--to", "fr-meae", "-o", tmp_path / "to-fr.rrmb", "--json").json()
    fr("bundle", "import", back["path"])
    titles = {e["title"] for e in fr("case", "show", case_id, "--json").json()["events"]}
    assert titles == {"Clone of lemonde.fr registered", "Canadian mirror spotted"}
    actions = [e["action"] for e in fr("audit", "log", "--case", case_id, "--json").json()]
    assert "bundle-export" in actions and "bundle-import" in actions
    fr("audit", "verify")

    # A revoked partner's bundles are refused.
    again = ca("bundle", "export", case_id, "--to", "fr-meae", "-o", tmp_path / "later.rrmb", "--json").json()
    fr("keys", "revoke", "ca-gac")
    fr.refuses("bundle", "import", again["path"], words=("revoked",))


def test_cli_bad_input(desks, tmp_path: Path) -> None:
    fr, ca = desks
    fr("init")
    fr.refuses("keys", "show", words=("no ministry identity",))
    fr.refuses("keys", "init", "--id", "two words", words=("not a usable principal",))
    fr("keys", "init", "--id", "fr-meae")
    fr.refuses("keys", "init", "--id", "fr-meae", words=("already has a ministry identity",))
    fr.refuses("keys", "trust", "ca-gac", "--key", "ssh-rsa AAAA", "--age", "age1x", "--confirmed-by", "me",
               words=("not an openssh ed25519",))
    own = fr("keys", "show", "--json").json()
    fr.refuses("keys", "trust", "ca-gac", "--key", own["key"], "--age", "nope", "--confirmed-by", "me",
               words=("not an age recipient",))
    fr.refuses("keys", "revoke", "ca-gac", words=("not a trusted partner",))
    case_id = fr("case", "new", "--title", "x").out.strip()
    fr.refuses("bundle", "export", case_id, "--to", "ca-gac", "-o", tmp_path / "x.rrmb", words=("not a trusted partner",))
    fr.refuses("bundle", "verify", tmp_path / "missing.rrmb", words=("no such bundle file",))
    (tmp_path / "notes.txt").write_text("hello")
    fr.refuses("bundle", "import", tmp_path / "notes.txt", words=("not a bundle",))
    fr.refuses("bundle", "verify", tmp_path, words=("is a folder",))
    assert fr("bundle", "verify", tmp_path / "notes.txt", "--json", ok=False).json()["verified"] is False


def test_keys_in_a_passphrase_workspace(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RRMDESK_PASSPHRASE", "test passphrase, not secret")
    desk = Desk(tmp_path / "it", capsys)
    desk("init", "--passphrase")
    desk("keys", "init", "--id", "it-maeci")
    shown = desk("keys", "show", "--json").json()
    assert shown["principal"] == "it-maeci" and shown["age_recipient"].startswith("age1")
    assert shown["allowed_signers"] == f'it-maeci namespaces="rrm-bundle-v1@rrmdesk" {shown["key"].rsplit(" ", 1)[0]}'
    signers = tmp_path / "allowed_signers"
    desk("keys", "export-allowed-signers", "-o", signers)
    assert signers.read_text() == ""
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "partner")], check=True)
    secret = subprocess.run(["age-keygen"], capture_output=True, text=True, check=True).stdout.split()[-1]
    refusal = desk.refuses("keys", "trust", "de-aa", "--key", (tmp_path / "partner.pub").read_text(), "--age", secret,
                           "--confirmed-by", "me", words=("private age key",))
    assert secret not in refusal
    age = subprocess.run(["age-keygen", "-y"], input=secret, capture_output=True, text=True, check=True).stdout.strip()
    desk("keys", "trust", "de-aa", "--key", (tmp_path / "partner.pub").read_text(), "--age", age, "--confirmed-by", "me")
    case_id = desk("case", "new", "--title", "x").out.strip()
    sent = desk("bundle", "export", case_id, "--to", "de-aa", "-o", tmp_path / "x.rrmb", "--json").json()
    assert sent["sender"] == "it-maeci"
    desk("keys", "export-allowed-signers", "-o", signers)
    assert signers.read_text().startswith('de-aa namespaces="rrm-bundle-v1@rrmdesk",valid-after="')
    monkeypatch.setenv("RRMDESK_PASSPHRASE", "not the passphrase at all")
    desk.refuses("keys", "show", words=("wrong passphrase",))
