"""Export rules (TLP, sequence, audit), the merge (provenance, conflicts, several cases) and keys."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from rrmdesk import Actor, Judgment, Workspace
from rrmdesk.bundles.identity import create_identity, forget_identity_secret, load_identity, require_public_identity
from rrmdesk.bundles.importer import import_bundle
from rrmdesk.bundles.manifest import MANIFEST, STIX_PATH
from rrmdesk.bundles.verify import BundleVerifier
from rrmdesk.errors import Cancelled, UnlockError, UsageError
from rrmdesk.interop.kept import conflicts_of, provenance_of
from rrmdesk.progress import Progress

from .conftest import Ministry
from .helpers import export, make_case

TEST_PASSPHRASE = "test passphrase, not secret"


def _stix_ids(bundle: Path) -> set[str]:
    with zipfile.ZipFile(bundle) as archive:
        return {o["id"].split("--", 1)[1] for o in json.loads(archive.read(STIX_PATH))["objects"]}


def _uuid(object_id: str) -> str:
    return object_id.split("--", 1)[1]


# -- TLP --------------------------------------------------------------------------------------


def test_red_objects_need_confirmation(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    case_id = make_case(fr, evidence=1)
    red = fr.store.add(Judgment(case_id=case_id, statement="Source X is inside the agency", tlp="red"))
    report = export(fr, [case_id], ["ca-gac"], tmp_path / "a.rrmb")
    assert [(item.object_id, "--confirm-red" in item.reason) for item in report.left_out] == [(red.id, True)]
    assert _uuid(red.id) not in _stix_ids(report.path)
    assert any("left out (1)" in line for line in report.lines())
    confirmed = export(fr, [case_id], ["ca-gac"], tmp_path / "b.rrmb", confirm_red=True)
    assert confirmed.left_out == [] and _uuid(red.id) in _stix_ids(confirmed.path)


def test_red_case_is_refused_without_confirmation(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    case_id = make_case(fr, tlp="red", evidence=0)
    with pytest.raises(UsageError, match="TLP:RED") as caught:
        export(fr, [case_id], ["ca-gac"], tmp_path / "a.rrmb")
    assert "--confirm-red" in caught.value.hint
    assert not (tmp_path / "a.rrmb").exists()
    assert export(fr, [case_id], ["ca-gac"], tmp_path / "a.rrmb", confirm_red=True).manifest.cases[0].tlp == "red"


def test_received_amber_strict_never_goes_to_a_third_party(fr: Ministry, ca: Ministry, make_ministry, tmp_path: Path) -> None:
    de = make_ministry("de-aa")
    ca.trusts(de)
    case_id = make_case(fr, evidence=0)
    strict = fr.store.add(Actor(case_id=case_id, name="Handler", tlp="amber+strict"))
    import_bundle(ca.workspace, ca.store, export(fr, [case_id], ["ca-gac"], tmp_path / "in.rrmb").path)
    own = ca.store.add(Actor(case_id=case_id, name="Canadian finding", tlp="amber+strict"))

    onward = BundleExporterFor(ca).export([case_id], ["de-aa"], tmp_path / "onward.rrmb")
    left = {item.object_id: item.reason for item in onward.left_out}
    assert list(left) == [strict.id] and "never goes to a third party (de-aa)" in left[strict.id]
    assert _uuid(strict.id) not in _stix_ids(onward.path) and _uuid(own.id) in _stix_ids(onward.path)

    back = BundleExporterFor(ca).export([case_id], ["fr-meae"], tmp_path / "back.rrmb")
    assert back.left_out == []  # back to the partner it came from is allowed


def test_received_objects_kept_unmodelled_obey_their_markings(fr: Ministry, ca: Ministry, make_ministry, tmp_path: Path) -> None:
    from rrmdesk.interop.kept import OBJECT, record_provenance, save_kept
    from rrmdesk.interop.stix_markings import marking_definition

    de = make_ministry("de-aa")
    ca.trusts(de)
    case_id = make_case(fr, evidence=0)
    import_bundle(ca.workspace, ca.store, export(fr, [case_id], ["ca-gac"], tmp_path / "in.rrmb").path)
    note = {"type": "infrastructure", "spec_version": "2.1", "id": "infrastructure--8a1c7f3e-3b7b-4a53-9bf1-0f6a1b2c3d4e",
            "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "name": "Bulletproof host",
            "object_marking_refs": [marking_definition("amber+strict")["id"]]}
    with ca.store.transaction():
        save_kept(ca.store, [(case_id, note["id"], OBJECT, "stix", note)])
        record_provenance(ca.store, [(note["id"], case_id, "fr-meae", "bundle--x", "SHA256:x", "2024-01-02T00:00:00.000Z",
                                      note["modified"], note["modified"])])
    onward = BundleExporterFor(ca).export([case_id], ["de-aa"], tmp_path / "onward.rrmb")
    assert [(item.object_id, item.kind) for item in onward.left_out] == [(note["id"], "infrastructure")]
    assert _uuid(note["id"]) not in _stix_ids(onward.path)
    back = BundleExporterFor(ca).export([case_id], ["fr-meae"], tmp_path / "back.rrmb")
    assert back.left_out == [] and _uuid(note["id"]) in _stix_ids(back.path)


def test_object_stricter_than_case_is_judged_by_its_own_marking(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    case_id = make_case(fr, tlp="green", evidence=0)
    clear = fr.store.add(Actor(case_id=case_id, name="Public outlet", tlp="clear"))
    red = fr.store.add(Actor(case_id=case_id, name="Informant", tlp="red"))
    report = export(fr, [case_id], ["ca-gac"], tmp_path / "a.rrmb")
    assert [item.object_id for item in report.left_out] == [red.id]
    assert _uuid(clear.id) in _stix_ids(report.path)


def BundleExporterFor(ministry: Ministry):  # noqa: N802  (reads like the class it builds)
    from rrmdesk.bundles.export import BundleExporter

    return BundleExporter(ministry.store, ministry.identity)


# -- export mechanics -----------------------------------------------------------------------


def test_sequence_rises_per_recipient(fr: Ministry, ca: Ministry, make_ministry, tmp_path: Path) -> None:
    de = make_ministry("de-aa")
    fr.trusts(de)
    case_id = make_case(fr, evidence=0)
    numbers = [export(fr, [case_id], to, tmp_path / f"{n}.rrmb").manifest.sequence
               for n, to in enumerate([["ca-gac"], ["ca-gac"], ["de-aa"], ["ca-gac", "de-aa"], ["de-aa"]])]
    assert numbers == [1, 2, 1, 3, 4]


def test_export_is_audited_and_layout_is_as_designed(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    case_id = make_case(fr)
    report = export(fr, [case_id], ["ca-gac"], tmp_path / "a.rrmb")
    with zipfile.ZipFile(report.path) as archive:
        infos = {i.filename: i for i in archive.infolist()}
        manifest = archive.read(MANIFEST)
    assert list(infos)[:3] == ["manifest.json", "manifest.json.sig", STIX_PATH]
    assert all(i.compress_type == zipfile.ZIP_STORED for n, i in infos.items() if n.startswith("payload/evidence/"))
    import rfc8785

    assert rfc8785.dumps(json.loads(manifest)) == manifest
    entry = [e for e in fr.store.audit_entries(case_id) if e.action == "bundle-export"][-1]
    assert entry.change_dict()["bundle_id"] == report.manifest.bundle_id
    assert fr.store.verify_audit().ok


def test_export_refuses_bad_requests(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    case_id = make_case(fr, evidence=0)
    (tmp_path / "taken.rrmb").write_bytes(b"keep me")
    with pytest.raises(UsageError, match="already exists"):
        export(fr, [case_id], ["ca-gac"], tmp_path / "taken.rrmb")
    assert (tmp_path / "taken.rrmb").read_bytes() == b"keep me"
    with pytest.raises(UsageError, match="does not exist"):
        export(fr, [case_id], ["ca-gac"], tmp_path / "nowhere" / "x.rrmb")
    with pytest.raises(UsageError, match="not a trusted partner"):
        export(fr, [case_id], ["xx-unknown"], tmp_path / "x.rrmb")
    with pytest.raises(UsageError, match="at least one recipient"):
        export(fr, [case_id], [], tmp_path / "x.rrmb")
    fr.trust.revoke("ca-gac")
    with pytest.raises(UsageError, match="not a trusted partner"):
        export(fr, [case_id], ["ca-gac"], tmp_path / "x.rrmb")


def _cancelling_after(limit: int) -> Progress:
    progress = Progress(lambda done, total, label: progress.cancel() if done > limit else None)
    return progress


def test_cancelled_export_leaves_no_file(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    case_id = make_case(fr, evidence=3, size=3 * 1024 * 1024)
    for encrypt in (False, True):
        with pytest.raises(Cancelled):
            export(fr, [case_id], ["ca-gac"], tmp_path / "x.rrmb", encrypt=encrypt, progress=_cancelling_after(2 * 1024 * 1024))
    assert not list(tmp_path.glob("*.rrmb*")) and not list(tmp_path.glob(".*partial"))


# -- merge ------------------------------------------------------------------------------------


def test_import_keeps_provenance_and_local_edits(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    case_id = make_case(fr, evidence=1)
    actor = next(r for r in fr.store.parts(case_id, Actor))
    first = import_bundle(ca.workspace, ca.store, export(fr, [case_id], ["ca-gac"], tmp_path / "1.rrmb").path)
    fingerprint = first.verification.signer.fingerprint
    origin = provenance_of(ca.store, actor.id)[0]
    assert (origin["sender"], origin["signer"], origin["bundle_id"]) == ("fr-meae", fingerprint, first.verification.manifest.bundle_id)

    ca.store.edit(actor.id, description="Canada's own reading")
    fr.store.edit(actor.id, description="France's update")
    second = import_bundle(ca.workspace, ca.store, export(fr, [case_id], ["ca-gac"], tmp_path / "2.rrmb").path)
    assert second.reports[0].conflict_count == 1
    assert ca.store.get(actor.id).description == "Canada's own reading"
    assert conflicts_of(ca.store, case_id)[0]["object_id"] == actor.id
    assert ca.store.verify_audit().ok


def test_several_cases_in_one_bundle(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    first, second = make_case(fr), make_case(fr, tlp="green")
    report = export(fr, [first, second], ["ca-gac"], tmp_path / "two.rrmb")
    assert [c.id for c in report.manifest.cases] == [first, second]
    result = import_bundle(ca.workspace, ca.store, report.path)
    assert sorted(r.case_id for r in result.reports) == sorted([first, second])
    assert ca.store.count_cases() == 2
    assert {a.name for a in ca.store.parts(second, Actor)} == {"Structura"}


def test_verify_changes_nothing(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    path = export(fr, [make_case(fr)], ["ca-gac"], tmp_path / "a.rrmb", encrypt=True).path
    entries = ca.store.verify_audit().entries
    result = BundleVerifier(ca.store, ca.identity).verify(path)
    assert result.to_dict()["signer_fingerprint"] == fr.identity.public.fingerprint
    assert ca.store.verify_audit().entries == entries and ca.store.count_cases() == 0


# -- identity ---------------------------------------------------------------------------------


def test_identity_in_passphrase_mode_is_sealed_by_the_passphrase(tmp_path: Path) -> None:
    workspace, _ = Workspace.create(tmp_path / "ws", "passphrase", TEST_PASSPHRASE)
    with workspace.unlock(TEST_PASSPHRASE) as store:
        public = create_identity(workspace, store, "it-maeci", TEST_PASSPHRASE)
        assert public.principal not in (tmp_path / "ws" / "workspace.json").read_text()
        assert load_identity(workspace, store, TEST_PASSPHRASE).public == public
        with pytest.raises(UnlockError, match="wrong passphrase"):
            load_identity(workspace, store, "another passphrase!")
        with pytest.raises(UnlockError, match="protected by the workspace passphrase"):
            load_identity(workspace, store)


def test_identity_replace_and_missing_keyring_entry(fr: Ministry) -> None:
    before = require_public_identity(fr.store)
    with pytest.raises(UsageError, match="already has"):
        create_identity(fr.workspace, fr.store, "fr-meae")
    after = create_identity(fr.workspace, fr.store, "fr-meae", replace=True)
    assert after.fingerprint != before.fingerprint
    forget_identity_secret(fr.workspace)  # the backup brings back the new keys, not the replaced ones
    assert load_identity(fr.workspace, fr.store).public.fingerprint == after.fingerprint


def test_trust_store_rules(fr: Ministry, ca: Ministry) -> None:
    public = ca.identity.public
    with pytest.raises(UsageError, match="already trusted"):
        fr.trust.trust("ca-gac", public.key_line, public.age_recipient, "me")
    with pytest.raises(UsageError, match="already trusted for ca-gac"):
        fr.trust.trust("ca-other", public.key_line, public.age_recipient, "me")
    with pytest.raises(UsageError, match="who confirmed"):
        fr.trust.trust("xx", fr.identity.public.key_line, public.age_recipient, " ")
    with pytest.raises(UsageError, match="expire before"):
        fr.trust.trust("xx", fr.identity.public.key_line, public.age_recipient, "me", valid_until="2001-01-01")
    fr.trust.revoke("ca-gac")
    with pytest.raises(UsageError, match="was revoked"):
        fr.trust.trust("ca-gac", public.key_line, public.age_recipient, "me")
    assert [p.status("2100-01-01") for p in fr.trust.partners()] == ["revoked"]
    assert fr.trust.allowed_signers() == ""


def test_cancelled_import_changes_nothing(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    path = export(fr, [make_case(fr, size=2 * 1024 * 1024)], ["ca-gac"], tmp_path / "a.rrmb").path
    entries = ca.store.verify_audit().entries
    for stage in ("verifying", "storing evidence"):
        progress = Progress(lambda done, total, label, stage=stage: progress.cancel() if label == stage else None)
        with pytest.raises(Cancelled):
            import_bundle(ca.workspace, ca.store, path, progress=progress)
        assert ca.store.count_cases() == 0 and ca.store.verify_audit().entries == entries
    assert import_bundle(ca.workspace, ca.store, path).reports[0].total_added > 0


def test_cancelled_while_decrypting(fr: Ministry, ca: Ministry, tmp_path: Path) -> None:
    path = export(fr, [make_case(fr, size=2 * 1024 * 1024)], ["ca-gac"], tmp_path / "a.rrmb", encrypt=True).path
    progress = Progress(lambda done, total, label: progress.cancel() if label == "decrypting" else None)
    with pytest.raises(Cancelled):
        import_bundle(ca.workspace, ca.store, path, progress=progress)
    assert ca.store.count_cases() == 0
