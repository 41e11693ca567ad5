"""RRM Desk never touches the network: the suite's guard works, and a real CLI session makes no IP
connection or name lookup."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import textwrap
from pathlib import Path

import pytest

from .conftest import PYTHON, REPO


def test_the_suite_blocks_an_ipv4_connection() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(PermissionError, match="network access attempted"):
            sock.connect(("192.0.2.1", 443))
    finally:
        sock.close()
    with pytest.raises(PermissionError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)


def test_the_suite_blocks_an_ipv6_connection() -> None:
    sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    try:
        with pytest.raises(PermissionError, match="network access attempted"):
            sock.connect(("2001:db8::1", 443))
    finally:
        sock.close()


def test_the_suite_blocks_name_lookups() -> None:
    with pytest.raises(PermissionError, match="name lookup attempted"):
        socket.getaddrinfo("example.org", 443)


# Runs one rrmdesk command with an audit hook that logs (does not block) every IP connection and
# name lookup to a JSON-lines file; D-Bus's Unix socket is allowed.
_RECORDING_RUN = textwrap.dedent(
    """
    import json, os, socket, sys
    log = os.environ["NETWORK_LOG"]
    def record(event, args):
        if event == "socket.connect" and getattr(args[0], "family", None) in (socket.AF_INET, socket.AF_INET6):
            entry = {"event": event, "address": repr(args[1])}
        elif event == "socket.getaddrinfo":
            entry = {"event": event, "host": repr(args[0])}
        else:
            return
        with open(log, "a") as out:
            out.write(json.dumps(entry) + "\\n")
    sys.addaudithook(record)
    from rrmdesk.cli import main
    sys.exit(main(sys.argv[1:]))
    """
)


def test_a_realistic_cli_session_makes_no_network_access(tmp_path: Path) -> None:
    log = tmp_path / "network.jsonl"
    evidence = tmp_path / "screenshot.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 100)
    env = dict(os.environ, NETWORK_LOG=str(log))

    def run(*args: str) -> str:
        done = subprocess.run([str(PYTHON), "-c", _RECORDING_RUN, *args], cwd=REPO, env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, (args, done.stderr)
        return done.stdout.strip()

    try:
        run("init")
        case_id = run("case", "new", "--title", "Spamouflage", "--tlp", "green")
        actor_id = run("actor", "add", case_id, "--name", "Spamouflage Dragon", "--kind", "state-affiliated")
        run("event", "add", case_id, "--at", "2023-08-29", "--title", "Takedown announced", "--actor", actor_id)
        run("evidence", "add", case_id, str(evidence), "--source", "https://example.org/report")
        run("observable", "add", case_id, "hxxps://spamouflage[.]example/post")
        assert "Spamouflage" in run("search", "takedown")
        run("audit", "verify")
        run("case", "show", case_id, "--json")
    finally:
        from rrmdesk import Workspace, default_path

        workspace = Workspace.load(default_path())
        workspace.credentials.delete(workspace.keyring_account)
    entries = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    assert entries == []


def test_the_recorder_would_notice_a_connection(tmp_path: Path) -> None:
    log = tmp_path / "network.jsonl"
    probe = _RECORDING_RUN.replace("from rrmdesk.cli import main\nsys.exit(main(sys.argv[1:]))",
                                   "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\nexcept OSError:\n    pass")
    done = subprocess.run([str(PYTHON), "-c", probe], cwd=REPO, env=dict(os.environ, NETWORK_LOG=str(log)),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "127.0.0.1" in log.read_text()
