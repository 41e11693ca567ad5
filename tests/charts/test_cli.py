"""``rrmdesk chart timeline|graph`` and ``rrmdesk graph metrics|unpin`` on a real workspace."""

from __future__ import annotations

import csv
import json
import subprocess

import networkx as nx
import pytest

from rrmdesk.charts import pin
from tests.charts.datasets import store_case


@pytest.fixture
def fiat_id(store, fiat):
    return store_case(store, fiat)


def test_chart_timeline_writes_a_pdf(cli, fiat_id, tmp_path):
    target = tmp_path / "fiat.pdf"
    outcome = cli("chart", "timeline", fiat_id, "-o", target, "--lanes", "tactic", "--from", "2016-01-01")
    assert outcome.code == 0, outcome.err
    assert outcome.out.strip() == str(target)
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert "FIAT 2020" in text and "TLP:GREEN" in text and "TA16 Establish Legitimacy" in text


def test_chart_graph_writes_png_and_svg_and_is_audited(cli, store, fiat_id, tmp_path):
    assert cli("chart", "graph", fiat_id, "-o", tmp_path / "g.png", "--size-by", "betweenness").code == 0
    assert (tmp_path / "g.png").read_bytes()[:4] == b"\x89PNG"
    assert cli("chart", "graph", fiat_id, "-o", tmp_path / "ego.svg", "--ego", "Internet Research Agency",
               "--depth", "2", "--nodes", "all").code == 0
    assert b"within 2 steps of Internet Research Agency" in (tmp_path / "ego.svg").read_bytes()
    exports = [e for e in store.audit_entries(fiat_id) if e.action == "export-chart"]
    assert len(exports) == 2


def test_chart_graph_uses_pinned_positions(cli, store, fiat, fiat_id, tmp_path):
    russia = next(a for a in fiat.actors if a.name == "Russia")
    pin(store, fiat_id, russia.id, (0.95, 0.95))
    assert cli("chart", "graph", fiat_id, "-o", tmp_path / "pinned.png").code == 0
    assert cli("graph", "unpin", fiat_id, russia.id).out.strip() == '{"pinned": 0}'


def test_graph_metrics_json_and_csv(cli, fiat, fiat_id, tmp_path):
    outcome = cli("graph", "metrics", fiat_id, "--json", "--csv", tmp_path / "m.csv")
    assert outcome.code == 0, outcome.err
    rows = json.loads(outcome.out)
    assert len(rows) == len(fiat.actors)
    assert rows[0]["label"] == "Russia"
    graph = nx.Graph()
    graph.add_nodes_from(a.id for a in fiat.actors)
    graph.add_edges_from((r.source_id, r.target_id) for r in fiat.relationships)
    assert {r["id"]: r["degree"] for r in rows} == dict(graph.degree())
    with (tmp_path / "m.csv").open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    text = cli("graph", "metrics", fiat_id).out
    assert text.splitlines()[0].split() == ["id", "kind", "degree", "betweenness", "eigenvector", "community", "name"]


@pytest.mark.parametrize("args, words", [
    (["chart", "timeline", "{case}", "-o", "{tmp}/t.png", "--lanes", "country"], ["cannot group the timeline by 'country'"]),
    (["chart", "timeline", "{case}", "-o", "{tmp}/t.png", "--from", "last week"], ["not a valid timeline start"]),
    (["chart", "timeline", "{case}", "-o", "{tmp}/t.gif"], ["cannot export a chart as 'gif'"]),
    (["chart", "graph", "{case}", "-o", "{tmp}/g.png", "--ego", "Atlantis"], ["no node 'Atlantis'"]),
    (["chart", "graph", "{case}", "-o", "{tmp}/g.png", "--depth", "3"], ["--depth needs --ego"]),
    (["chart", "graph", "{case}", "-o", "{tmp}/g.png", "--size-by", "pagerank"], ["not a node size measure"]),
    (["graph", "metrics", "case--00000000-0000-4000-8000-000000000000"], ["no case"]),
    (["graph", "unpin", "{case}", "actor--00000000-0000-4000-8000-000000000000"], ["is not pinned"]),
])
def test_bad_input_is_one_line(cli, fiat_id, tmp_path, args, words):
    filled = [a.replace("{case}", fiat_id).replace("{tmp}", str(tmp_path)) for a in args]
    cli(*filled).assert_user_error(*words)
    assert not list(tmp_path.glob("*.png")) and not list(tmp_path.glob("*.gif"))


def test_empty_case_renders_a_clear_figure(cli, store, tmp_path):
    empty = store.create_case("Nothing yet")
    assert cli("chart", "timeline", empty.id, "-o", tmp_path / "e.pdf").code == 0
    assert cli("chart", "graph", empty.id, "-o", tmp_path / "g.pdf").code == 0
    text = subprocess.run(["pdftotext", str(tmp_path / "e.pdf"), "-"], capture_output=True, text=True).stdout
    assert "No events in this case yet" in text
    assert cli("graph", "metrics", empty.id).out.strip() == "(none)"


def test_chart_lang_fr_draws_french_and_english_stays_the_default(cli, fiat_id, tmp_path):
    assert cli("chart", "timeline", fiat_id, "-o", tmp_path / "fr.svg", "--lang", "fr").code == 0
    french = (tmp_path / "fr.svg").read_text(encoding="utf-8")
    assert "FIAT 2020" in french and "chronologie" in french and "Événements clés" in french
    assert "Produit le" in french and "Key events" not in french
    assert cli("chart", "graph", fiat_id, "-o", tmp_path / "fr-graph.svg", "--lang", "fr").code == 0
    graph = (tmp_path / "fr-graph.svg").read_text(encoding="utf-8")
    assert "graphe des liens entre acteurs" in graph and "Nœuds" in graph and "Nodes" not in graph
    assert cli("chart", "timeline", fiat_id, "-o", tmp_path / "en.svg").code == 0
    english = (tmp_path / "en.svg").read_text(encoding="utf-8")
    assert "FIAT 2020" in english and "Key events" in english and "chronologie" not in english


def test_chart_lang_refuses_a_language_we_do_not_write(cli, fiat_id, tmp_path):
    outcome = cli("chart", "timeline", fiat_id, "-o", tmp_path / "de.png", "--lang", "de")
    assert outcome.code == 2 and "invalid choice: 'de'" in outcome.err
    assert not (tmp_path / "de.png").exists()
