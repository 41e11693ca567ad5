"""The command line: output contracts (ids alone, --json everywhere), exit codes and one-line errors."""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from rrmdesk import Workspace
from rrmdesk.cli import build_parser
from tests.conftest import TEST_PASSPHRASE

_ID = re.compile(r"^[a-z-]+--[0-9a-f-]{36}$")
MISSING_ACTOR = "actor--00000000-0000-4000-8000-000000000000"


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))
            return
    yield path, parser


def _new_id(outcome) -> str:
    assert outcome.code == 0, outcome.err
    text = outcome.out.strip()
    assert _ID.match(text), text
    return text


@pytest.fixture
def filled(store, case, cli, tmp_path: Path) -> dict[str, str]:
    """One of everything in the case, added through the CLI."""
    ids = {"case": case.id}
    ids["actor"] = _new_id(cli("actor", "add", case.id, "--name", "RRN", "--kind", "media-outlet", "--country", "RU"))
    ids["other_actor"] = _new_id(cli("actor", "add", case.id, "--name", "Clone network", "--kind", "account"))
    ids["narrative"] = _new_id(cli("narrative", "add", case.id, "--title", "Sanctions backfire"))
    sample = tmp_path / "clone.html"
    sample.write_text("<html>cloned page</html>")
    added = cli("evidence", "add", case.id, str(sample), "--source", "crawler")
    assert added.code == 0, added.err
    ids["evidence"], sha256 = added.out.split()
    assert re.fullmatch(r"[0-9a-f]{64}", sha256)
    ids["event"] = _new_id(cli("event", "add", case.id, "--at", "2022-08-30T10:00:00Z", "--title", "Clone of Der Spiegel",
                               "--actor", ids["actor"], "--narrative", ids["narrative"], "--evidence", ids["evidence"],
                               "--technique", "T0097.109", "--reliability", "B", "--credibility", "2"))
    ids["link"] = _new_id(cli("link", case.id, ids["actor"], "controls", ids["other_actor"], "--confidence", "moderate"))
    ids["observable"] = _new_id(cli("observable", "add", case.id, "hxxps://spiegel[.]ltd/artikel"))
    ids["ttp"] = _new_id(cli("ttp", "add", case.id, "T0097.109"))
    ids["judgment"] = _new_id(cli("judgment", "add", case.id, "--statement", "Russia runs it", "--likelihood", "likely"))
    ids["response"] = _new_id(cli("response", "add", case.id, "--action", "Notify platforms", "--countermeasure", "C00009"))
    return ids


def test_every_list_and_show_command_offers_json() -> None:
    lacking = [" ".join(path) for path, parser in _commands(build_parser())
               if re.search(r"list|show|links|log|status|catalog|search|profile|verify", " ".join(path))
               and "--json" not in [o for a in parser._actions for o in a.option_strings]]
    assert lacking == []


def test_list_and_show_commands_emit_valid_json(filled, cli) -> None:
    case = filled["case"]
    calls = [
        ("case", "list"), ("case", "show", case), ("links", case), ("show", filled["event"]), ("status",),
        ("audit", "verify"), ("audit", "log"), ("audit", "log", "--case", case), ("profile",), ("search", "clone"),
        ("ttp", "catalog", "--search", "T0097.1"),
        *((kind, "list", case) for kind in ("actor", "event", "narrative", "evidence", "observable", "ttp", "judgment", "response")),
    ]
    for call in calls:
        outcome = cli(*call, "--json")
        assert outcome.code == 0, (call, outcome.err)
        data = json.loads(outcome.out)
        assert data, call
    shown = json.loads(cli("case", "show", case, "--json").out)
    assert shown["case"]["id"] == case
    assert [e["id"] for e in shown["events"]] == [filled["event"]]
    assert shown["events"][0]["techniques"] == ["T0097.109"]
    assert json.loads(cli("links", case, "--json").out)[0]["type"] == "controls"
    assert json.loads(cli("audit", "verify", "--json").out) == {"ok": True, "entries": 11, "first_broken": None, "reason": ""}
    hits = json.loads(cli("search", "crawler", "--json").out)
    assert [(h["object_id"], h["kind"], h["case_id"]) for h in hits] == [(filled["evidence"], "evidence", case)]


def test_case_new_prints_the_id_alone(store, cli) -> None:
    outcome = cli("case", "new", "--title", "Operation Overload", "--tlp", "AMBER+STRICT", "--country", "fr")
    case_id = _new_id(outcome)
    assert outcome.out == case_id + "\n"
    case = store.get_case(case_id)
    assert (case.tlp, case.target_countries, case.created_by) == ("amber+strict", ["FR"], "test-analyst")


def test_case_edit_and_close(store, case, cli) -> None:
    assert cli("case", "edit", case.id, "--summary", "Updated", "--severity", "high").code == 0
    assert cli("case", "close", case.id).code == 0
    edited = store.get_case(case.id)
    assert (edited.summary, edited.severity, edited.status) == ("Updated", "high", "closed")
    cli("case", "edit", case.id).assert_user_error("nothing to change")


@pytest.mark.parametrize("args, words", [
    (("case", "new", "--title", ""), ["title is empty"]),
    (("case", "new", "--title", "x" * 301), ["301 characters"]),
    (("case", "new", "--title", "t", "--tlp", "purple"), ["not a valid TLP marking", "amber+strict"]),
    (("case", "new", "--title", "t", "--country", "France"), ["ISO 3166"]),
    (("case", "show", "case--00000000-0000-4000-8000-000000000000"), ["no case with id"]),
    (("case", "show", "not-an-id"), ["not a case id"]),
    (("show", MISSING_ACTOR), ["no actor with id"]),
    (("remove", MISSING_ACTOR), ["no actor with id"]),
    (("search", '"'), ["no words"]),
    (("audit", "log", "--case", "case--00000000-0000-4000-8000-000000000000"), ["no case"]),
])
def test_bad_input_is_one_line_and_exit_1(store, cli, args, words) -> None:
    cli(*args).assert_user_error(*words)


def test_bad_input_about_a_case_is_one_line_and_exit_1(filled, cli, tmp_path: Path) -> None:
    case = filled["case"]
    other = _new_id(cli("case", "new", "--title", "Another operation"))
    foreign = _new_id(cli("actor", "add", other, "--name", "Elsewhere"))
    cli("evidence", "add", case, str(tmp_path / "missing.png")).assert_user_error("no such evidence file")
    cli("evidence", "add", case, str(tmp_path)).assert_user_error("is a folder")
    cli("evidence", "add", case).assert_user_error("exactly one of PATH")
    cli("event", "add", case, "--at", "30/08/2022", "--title", "t").assert_user_error("not a valid event start")
    cli("event", "add", case, "--at", "2022-08-30", "--title", "t", "--technique", "T9999").assert_user_error("T9999")
    cli("event", "add", case, "--at", "2022-08-30", "--title", "t", "--actor", MISSING_ACTOR).assert_user_error("no actor")
    cli("ttp", "add", case, "T9999").assert_user_error("unknown DISARM technique")
    cli("ttp", "add", case, "TA06").assert_user_error("T0002")
    cli("link", case, filled["actor"], "amplifies", foreign).assert_user_error("belongs to another case")
    cli("link", case, filled["actor"], "Is Friends With!", filled["other_actor"]).assert_user_error("relationship type")
    cli("link", case, filled["actor"], "amplifies", MISSING_ACTOR).assert_user_error("no actor")
    cli("remove", filled["actor"]).assert_user_error("linked")
    cli("response", "add", case, "--action", "a", "--countermeasure", "X1").assert_user_error("countermeasure")
    cli("judgment", "add", case, "--statement", "s", "--likelihood", "maybe").assert_user_error("likelihood")
    assert json.loads(cli("actor", "list", other, "--json").out)[0]["id"] == foreign
    assert cli("audit", "verify").code == 0


@pytest.mark.parametrize("args", [
    (), ("frobnicate",), ("case",), ("case", "new"), ("case", "list", "--status", "pending"),
    ("event", "add", "case--00000000-0000-4000-8000-000000000000", "--title", "no --at"),
    ("search",), ("case", "list", "--limit", "ten"),
])
def test_bad_usage_exits_2(cli, args) -> None:
    outcome = cli(*args)
    assert outcome.code == 2, outcome
    assert "usage:" in outcome.err


def test_commands_without_a_workspace_say_how_to_make_one(rrmdesk) -> None:
    rrmdesk("case", "list").assert_user_error("no RRM Desk workspace", "rrmdesk init")


def test_init_never_waits_for_a_passphrase_without_a_terminal(rrmdesk, workspace_path: Path) -> None:
    outcome = rrmdesk("init", "--passphrase", timeout=30)
    outcome.assert_user_error("no terminal", "RRMDESK_PASSPHRASE")
    assert not workspace_path.exists()


def test_a_passphrase_workspace_never_waits_for_input_without_a_terminal(passphrase_workspace, rrmdesk) -> None:
    rrmdesk("case", "list", timeout=30).assert_user_error("no terminal", "RRMDESK_PASSPHRASE")
    env = dict(os.environ, RRMDESK_PASSPHRASE="wrong passphrase here")
    rrmdesk("case", "list", env=env, timeout=30).assert_user_error("wrong passphrase")


def test_passphrase_init_and_change_from_the_environment(cli, monkeypatch, workspace_path: Path) -> None:
    monkeypatch.setenv("RRMDESK_PASSPHRASE", TEST_PASSPHRASE)
    assert cli("init", "--passphrase").code == 0
    outcome = cli("unlock-test")
    assert outcome.out.startswith(f"unlocked {workspace_path} with the passphrase; 0 cases")
    monkeypatch.setenv("RRMDESK_NEW_PASSPHRASE", "short")
    cli("passphrase", "change").assert_user_error("shorter than")
    monkeypatch.setenv("RRMDESK_NEW_PASSPHRASE", "the brand new passphrase")
    assert cli("passphrase", "change").code == 0
    cli("unlock-test").assert_user_error("wrong passphrase")
    monkeypatch.setenv("RRMDESK_PASSPHRASE", "the brand new passphrase")
    assert cli("unlock-test").code == 0


def test_status_and_unlock_test_name_the_method(store, cli) -> None:
    status = json.loads(cli("status", "--json").out)
    assert status["unlock"] == "keyring" and status["keyring"] == "SecretService keyring"
    assert cli("unlock-test").out.strip().endswith("with the SecretService keyring; 0 cases")


def test_init_refuses_an_existing_workspace(store, cli) -> None:
    cli("init").assert_user_error("already exists")


def test_profile_is_kept_in_the_config(passphrase_workspace, cli) -> None:
    assert cli("profile", "--analyst", "Jane Doe", "--ministry", "Global Affairs Canada").code == 0
    config = Workspace.load(passphrase_workspace[0].path).config
    assert (config["analyst"], config["ministry"]) == ("Jane Doe", "Global Affairs Canada")
