"""A case holding one of everything, with values that STIX cannot carry directly."""

from __future__ import annotations

from pathlib import Path

import pytest

from rrmdesk.model import (
    Actor,
    Case,
    Event,
    Evidence,
    Judgment,
    Narrative,
    Observable,
    Relationship,
    Response,
    TechniqueUse,
)
from rrmdesk import Workspace
from rrmdesk.store import Store
from tests.conftest import TEST_PASSPHRASE

EVIDENCE_BYTES = b"screenshot bytes \x00\xff of a cloned page"


def fill_case(store: Store, case: Case, tmp_path: Path) -> Case:
    """Every kind of record, with edge values: defanged URLs, RED parts, equal first/last seen."""
    sda = Actor(case_id=case.id, name="Social Design Agency", kind="state-affiliated", country="RU",
                aliases=["SDA", "Agentstvo"], attribution_confidence="moderate", description="Moscow firm")
    meta = Actor(case_id=case.id, name="Meta", kind="organisation", description="attributed the network")
    account = Actor(case_id=case.id, name="@lemonde_fr_news", kind="account", platform="X", handle="@lemonde_fr_news",
                    attributed_to=sda.id, attribution_confidence="high", tlp="red")
    person = Actor(case_id=case.id, name="Ilya Gambashidze", kind="individual", country="RU")
    narrative = Narrative(case_id=case.id, title="Sanctions hurt Europe more than Russia", language="fr",
                          first_seen="2023-05-01", description="Energy prices framing")
    url_evidence = Evidence(case_id=case.id, title="Cloned article", kind="url", url="https://lemonde.ltd/a?x=1",
                            reliability="B", credibility="2", captured_at="2023-06-01T10:00:00Z", source="DFRLab",
                            custody=[{"at": "2023-06-01T10:00:00.000Z", "by": "analyst", "action": "captured"}])
    text_evidence = Evidence(case_id=case.id, title="Quoted post", kind="text", text="« Les sanctions » — é ü",
                             tlp="amber+strict")
    event = Event(case_id=case.id, title="Cloned Le Monde article published", start="2023-06-01T09:00:00Z",
                  end="2023-06-02", actor_ids=[sda.id, account.id], narrative_ids=[narrative.id],
                  evidence_ids=[url_evidence.id], techniques=["T0097.109", "T0002"], reliability="C",
                  credibility="3", key=True, category="publication", location="France", platform="web")
    second = Event(case_id=case.id, title="Takedown announced", start="2023-08-29")
    link = Relationship(case_id=case.id, source_id=account.id, type="amplifies", target_id=narrative.id,
                        confidence="moderate", first_seen="2023-06-01", last_seen="2023-06-01",
                        evidence_ids=[text_evidence.id], description="retweets")
    attribution = Relationship(case_id=case.id, source_id=meta.id, type="attributed-to", target_id=sda.id,
                               confidence="high", first_seen="2023-06-01", last_seen="2023-09-01")
    observables = [
        Observable(case_id=case.id, value="hxxps://lemonde[.]ltd/article?utm_source=x", note="defanged"),
        Observable(case_id=case.id, value="lemonde.ltd"),
        Observable(case_id=case.id, value="press@lemonde.ltd"),
        Observable(case_id=case.id, value="+33 6 12 34 56 78", kind="phone"),
        Observable(case_id=case.id, value="D41D8CD98F00B204E9800998ECF8427E"),
        Observable(case_id=case.id, value="@lemonde_fr_news"),
    ]
    techniques = [TechniqueUse(case_id=case.id, code="T0097.109", note="clones of news sites"),
                  TechniqueUse(case_id=case.id, code="T0002")]
    judgment = Judgment(case_id=case.id, statement="Russia is very likely behind the operation.",
                        likelihood="very-likely", confidence="high", basis="infrastructure overlap")
    response = Response(case_id=case.id, action="Joint démarche", countermeasure="C00009", party="MFA",
                        status="planned", date="2023-07-01")
    store.add_many([sda, meta, account, person, narrative, url_evidence, text_evidence, event, second, link,
                    attribution, *observables, *techniques, judgment, response])
    source = tmp_path / "screenshot.png"
    source.write_bytes(EVIDENCE_BYTES)
    store.add_evidence_file(case.id, source, title="Screenshot of the clone", reliability="A", credibility="1")
    return store.get_case(case.id)  # type: ignore[return-value]


@pytest.fixture
def second(tmp_path: Path):
    """Another ministry's workspace (passphrase mode, so it needs no second keyring entry)."""
    workspace, _ = Workspace.create(tmp_path / "partner", "passphrase", TEST_PASSPHRASE)
    opened = workspace.unlock(TEST_PASSPHRASE)
    yield opened
    opened.close()


@pytest.fixture
def store(passphrase_workspace, monkeypatch: pytest.MonkeyPatch):
    """Interop tests use a passphrase-mode workspace: they exercise formats, not the keyring, and
    the CLI commands they run unlock the same workspace through RRMDESK_PASSPHRASE."""
    workspace, _ = passphrase_workspace
    monkeypatch.setenv("RRMDESK_PASSPHRASE", TEST_PASSPHRASE)
    opened = workspace.unlock(TEST_PASSPHRASE)
    yield opened
    opened.close()


@pytest.fixture
def full_case(store: Store, tmp_path: Path) -> Case:
    case = store.create_case("Doppelganger: cloned news sites", summary="Clones of Le Monde", tlp="amber",
                             target_countries=["FR", "DE"], targets=["EU elections 2024"], severity="high",
                             lessons="Act faster")
    return fill_case(store, case, tmp_path)


from tests.core.conftest import Outcome, cli  # noqa: E402,F401  (the in-process CLI runner fixture)
