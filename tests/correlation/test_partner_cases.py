"""A case received from a partner ministry (STIX 2.1) correlates like one written here."""

from __future__ import annotations

from rrmdesk import Actor, Observable, Workspace
from rrmdesk.correlation import correlate
from rrmdesk.interop.stix_export import export_case
from rrmdesk.interop.stix_import import import_stix
from tests.conftest import TEST_PASSPHRASE


def test_a_partner_case_meets_ours_on_shared_hosts_and_actors(tmp_path) -> None:
    partner_ws, _ = Workspace.create(tmp_path / "partner", "passphrase", TEST_PASSPHRASE)
    ours_ws, _ = Workspace.create(tmp_path / "ours", "passphrase", TEST_PASSPHRASE)
    with partner_ws.unlock(TEST_PASSPHRASE) as partner, ours_ws.unlock(TEST_PASSPHRASE) as ours:
        theirs = partner.create_case("Partner: spoofed German outlets", tlp="green")
        partner.add_many([Observable(case_id=theirs.id, value="hxxps://www.spiegel[.]ltd/politik/artikel"),
                          Observable(case_id=theirs.id, value="https://t.me/s/RRN_News"),
                          Actor(case_id=theirs.id, name="Правда.ру", kind="media-outlet")])
        bundle = export_case(partner, theirs.id, ministry="Partner ministry")
        mine = ours.create_case("Our case: clone sites")
        ours.add_many([Observable(case_id=mine.id, value="spiegel.ltd"),
                       Observable(case_id=mine.id, value="https://telegram.me/rrn_news"),
                       Actor(case_id=mine.id, name="Pravda Ru", kind="media-outlet")])
        received = import_stix(ours, bundle).case_id
        related = correlate(ours, mine.id)
        assert [r.case_id for r in related] == [received]
        shared = {(s.kind, s.value) for s in related[0].shared}
        assert shared == {("host", "spiegel.ltd"), ("url", "https://t.me/rrn_news")}
        assert [(a.here_name, a.there_name) for a in related[0].fuzzy_actors] == [("Pravda Ru", "Правда.ру")]
