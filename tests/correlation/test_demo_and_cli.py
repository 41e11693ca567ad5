"""Correlation on the demo workspace, and the ``rrmdesk correlate`` command line."""

from __future__ import annotations

import json

import pytest

from rrmdesk import Observable
from rrmdesk.correlation import clusters, correlate
from rrmdesk.demo import load_demo
from tests.conftest import TEST_PASSPHRASE
from tests.core.conftest import cli  # noqa: F401  (fixture)

MISSING = "case--00000000-0000-4000-8000-000000000000"
FIAT_RUSSIA = "Russian interference in the 2020 US presidential election"
FIAT_CASES = {FIAT_RUSSIA, "Iranian influence operations targeting US audiences",
              "Chinese influence activity around the 2020 US election",
              "Other foreign actors: attributions from the 2020 cycle",
              "Unattributed and domestic claims of interference"}


@pytest.fixture
def store(passphrase_workspace, monkeypatch):
    """A passphrase workspace: these tests run the CLI, which unlocks it again for each command."""
    monkeypatch.setenv("RRMDESK_PASSPHRASE", TEST_PASSPHRASE)
    opened = passphrase_workspace[0].unlock(TEST_PASSPHRASE)
    yield opened
    opened.close()


@pytest.fixture
def demo(store):
    load_demo(store)
    return store, {c.title: c.id for c in store.list_cases()}


def test_demo_fiat_cases_share_actors(demo) -> None:
    store, ids = demo
    found = {r.title: r for r in correlate(store, ids[FIAT_RUSSIA])}
    assert FIAT_CASES - {FIAT_RUSSIA} <= set(found)
    china = found["Chinese influence activity around the 2020 US election"]
    assert {"China", "Graphika"} <= {a.here_name for a in china.actors}
    assert china.techniques is not None
    doppelganger = found["Doppelganger: spoofed news sites targeting Europe"]
    assert [a.here_name for a in doppelganger.actors] == ["Russia"]
    found, _ = clusters(store)
    assert FIAT_CASES <= {title for _, title in found[0].cases}


def test_cli_related_cases_and_clusters(demo, cli) -> None:  # noqa: F811
    store, ids = demo
    shown = cli("correlate", ids[FIAT_RUSSIA])
    assert shown.code == 0, shown.err
    assert "Chinese influence activity" in shown.out and "actor    China = China" in shown.out
    data = json.loads(cli("correlate", ids[FIAT_RUSSIA], "--json").out)
    assert data["case_id"] == ids[FIAT_RUSSIA]
    assert FIAT_CASES - {FIAT_RUSSIA} <= {r["title"] for r in data["related"]}
    assert all(r["score"] > 0 for r in data["related"])
    clustered = json.loads(cli("correlate", "--all", "--json").out)
    assert FIAT_CASES <= {c["title"] for c in clustered["clusters"][0]["cases"]}
    text = cli("correlate", "--all")
    assert text.code == 0 and text.out.startswith("Cluster 1: 6 cases")


def test_cli_verdicts_and_exclusions(demo, cli) -> None:  # noqa: F811
    store, ids = demo
    russia, doppelganger = ids[FIAT_RUSSIA], ids["Doppelganger: spoofed news sites targeting Europe"]
    done = cli("correlate", "dismiss", russia, doppelganger, "--note", "only the state in common")
    assert done.code == 0 and done.out.startswith("dismissed: ")
    assert doppelganger not in {r["case_id"] for r in json.loads(cli("correlate", russia, "--json").out)["related"]}
    listed = json.loads(cli("correlate", russia, "--json", "--dismissed").out)["related"]
    assert {r["case_id"]: r["verdict"] for r in listed}[doppelganger] == "dismissed"
    assert cli("correlate", "confirm", russia, doppelganger).out.startswith("confirmed: ")
    assert cli("correlate", "withdraw", russia, doppelganger).code == 0
    assert cli("correlate", "exclude", "hxxps://www.Spiegel[.]ltd").out == "excluded: https://spiegel.ltd/\n"
    assert cli("correlate", "exclude", "Spiegel[.]ltd").out == "excluded: spiegel.ltd\n"
    entries = json.loads(cli("correlate", "exclude", "--list", "--json").out)
    assert {"value": "spiegel.ltd", "source": "analyst"}.items() <= entries[-1].items()
    assert cli("correlate", "exclude", "spiegel.ltd", "--remove").out == "counts again: spiegel.ltd\n"
    assert "t.me" in cli("correlate", "exclude", "--list").out


@pytest.mark.parametrize(("args", "words"), [
    ((), "which case"),
    (("--all", MISSING), "--all takes no case"),
    (("maybe",), "neither a case id"),
    ((MISSING,), "no case"),
    ((MISSING, "extra"), "unexpected words"),
    (("confirm", MISSING), "two case ids"),
    (("dismiss", MISSING, MISSING), "itself"),
    (("withdraw", MISSING, "case--00000000-0000-4000-8000-000000000001"), "no verdict"),
    (("exclude",), "one value"),
    (("exclude", "a.example", "--list"), "--list takes no value"),
    (("exclude", " "), "empty"),
    (("exclude", "never.example", "--remove"), "not on the exclusion list"),
    (("--all", "--max-cases", "1"), "--max-cases"),
])
def test_cli_bad_input_is_one_line(store, cli, args, words) -> None:  # noqa: F811
    outcome = cli("correlate", *args)
    outcome.assert_user_error(words)


def test_cli_on_a_case_with_nothing_related(store, cli) -> None:  # noqa: F811
    case = store.create_case("Alone")
    store.add(Observable(case_id=case.id, value="alone.example"))
    assert "No other case shares" in cli("correlate", case.id).out
    assert cli("correlate", "--all").out.startswith("No cases are related")
