"""The SBOM lists every shipped dependency at its installed version, in valid CycloneDX 1.5; the
checksum file is what ``sha256sum -c`` checks."""

from __future__ import annotations

import json
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import sbom
from tests.conftest import REPO


@pytest.fixture(scope="module")
def document() -> dict:
    return sbom.build_sbom()


def _components(document: dict) -> dict[str, dict]:
    return {c["name"]: c for c in document["components"]}


def test_valid_cyclonedx_1_5(document: dict) -> None:
    errors = JsonStrictValidator(SchemaVersion.V1_5).validate_str(json.dumps(document))
    assert errors is None, errors
    assert document["bomFormat"] == "CycloneDX" and document["specVersion"] == "1.5"
    assert document["metadata"]["component"]["name"] == "rrmdesk"


def test_every_declared_dependency_is_listed_at_its_installed_version(document: dict) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    declared = [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["gui"]]]
    components = _components(document)
    for requirement in declared:
        name = canonicalize_name(requirement.name)
        assert name in components, f"{name} missing from the SBOM"
        assert components[name]["version"] == metadata.version(name)
        assert components[name]["purl"] == f"pkg:pypi/{name}@{metadata.version(name)}"


def test_closed_under_runtime_requirements(document: dict) -> None:
    """Whatever a listed component needs at run time (on this machine) is listed too."""
    components = _components(document)
    for name in components:
        for text in metadata.distribution(name).requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                assert canonicalize_name(requirement.name) in components, f"{name} needs {requirement.name}"


def test_test_tools_are_not_shipped(document: dict) -> None:
    tools = {"pytest", "hypothesis", "stix2", "pymisp", "pyinstaller", "cyclonedx-python-lib"}
    assert not tools & set(_components(document))


def test_dependency_graph_refers_to_listed_components(document: dict) -> None:
    refs = {c["bom-ref"] for c in document["components"]} | {document["metadata"]["component"]["bom-ref"]}
    assert len(refs) == len(document["components"]) + 1
    for entry in document["dependencies"]:
        assert entry["ref"] in refs and set(entry["dependsOn"]) <= refs
    app = next(d for d in document["dependencies"] if d["ref"].startswith("pkg:pypi/rrmdesk@"))
    assert any(ref.startswith("pkg:pypi/sqlcipher3@") for ref in app["dependsOn"])


def test_cli_writes_the_file(tmp_path: Path) -> None:
    output = tmp_path / "rrmdesk.cdx.json"
    assert sbom.main(["sbom", "-o", str(output), "--no-gui"]) == 0
    names = {c["name"] for c in json.loads(output.read_text("utf-8"))["components"]}
    assert "sqlcipher3" in names and "pyside6-essentials" not in names


def test_an_empty_wheelhouse_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sbom.main(["sbom", "-o", str(tmp_path / "x.json"), "--wheelhouse", str(tmp_path)]) == 1
    assert "no wheels in" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


def test_checksums_pass_sha256sum_and_catch_tampering(tmp_path: Path) -> None:
    media = tmp_path / "media"
    (media / "app" / "_internal").mkdir(parents=True)
    (media / "app" / "rrmdesk").write_bytes(b"program")
    (media / "app" / "_internal" / "lib.so").write_bytes(b"library")
    (media / "rrmdesk.cdx.json").write_text("{}", encoding="utf-8")
    sums = media / "SHA256SUMS"
    assert sbom.main(["checksums", "-o", str(sums), str(media / "app"), str(media / "rrmdesk.cdx.json")]) == 0
    assert [line.split("  ")[1] for line in sums.read_text().splitlines()] == [
        "app/_internal/lib.so", "app/rrmdesk", "rrmdesk.cdx.json"]
    check = ["sha256sum", "--check", "--strict", "SHA256SUMS"]
    assert subprocess.run(check, cwd=media, capture_output=True, check=False).returncode == 0
    (media / "app" / "rrmdesk").write_bytes(b"tampered")
    result = subprocess.run(check, cwd=media, capture_output=True, text=True, check=False)
    assert result.returncode == 1 and "app/rrmdesk: FAILED" in result.stdout


@pytest.mark.parametrize("where", ["outside", "missing"])
def test_checksums_bad_artefacts(tmp_path: Path, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    media = tmp_path / "media"
    media.mkdir()
    artefact = tmp_path / "elsewhere.whl"
    if where == "outside":
        artefact.write_bytes(b"x")
    assert sbom.main(["checksums", "-o", str(media / "SHA256SUMS"), str(artefact)]) == 1
    err = capsys.readouterr().err
    assert ("is not inside" if where == "outside" else "does not exist") in err
