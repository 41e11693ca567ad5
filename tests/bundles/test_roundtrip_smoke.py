from pathlib import Path

from rrmdesk.bundles.verify import BundleVerifier

from .helpers import export, make_case


def test_export_then_verify(fr, ca, tmp_path: Path) -> None:
    case_id = make_case(fr)
    report = export(fr, [case_id], ["ca-gac"], tmp_path / "out.rrmb")
    result = BundleVerifier(ca.store, ca.identity).verify(report.path)
    assert result.manifest.sender == "fr-meae"
    print(report.lines(), result.lines())


def test_export_encrypted_then_verify(fr, ca, tmp_path: Path) -> None:
    case_id = make_case(fr)
    report = export(fr, [case_id], ["ca-gac"], tmp_path / "out.rrmb", encrypt=True)
    assert report.path.name == "out.rrmb.age"
    result = BundleVerifier(ca.store, ca.identity).verify(report.path)
    assert result.encrypted


def test_export_import(fr, ca, tmp_path: Path) -> None:
    from rrmdesk.bundles.importer import import_bundle
    case_id = make_case(fr)
    report = export(fr, [case_id], ["ca-gac"], tmp_path / "out.rrmb")
    result = import_bundle(ca.workspace, ca.store, report.path)
    print("\n".join(result.lines()))
    assert ca.store.get_case(case_id).title == fr.store.get_case(case_id).title
