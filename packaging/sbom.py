"""The accreditation paperwork: a CycloneDX 1.5 SBOM and a SHA-256 checksum file.

    .venv/bin/python packaging/sbom.py sbom -o media/rrmdesk.cdx.json [--wheelhouse media/wheelhouse]
    .venv/bin/python packaging/sbom.py checksums -o media/SHA256SUMS media/wheelhouse media/rrmdesk-linux

``sbom`` lists what RRM Desk ships: the runtime dependency closure of ``rrmdesk[gui]`` (markers
evaluated for this machine), read from the installed distributions' own metadata (name, version,
licence, summary, home page, what each depends on), as package URLs (``pkg:pypi/…``). With
``--wheelhouse`` each component also carries the SHA-256 of the wheel that ships it, and a
wheel missing from the wheelhouse is an error. The JSON is written here, following the
CycloneDX 1.5 schema, so the build needs no SBOM tool.

``checksums`` writes a ``sha256sum -c`` file for files and whole folders, with paths relative
to the checksum file's own folder (the removable medium's root): on the receiving machine
``cd MEDIA && sha256sum -c SHA256SUMS`` (Windows: ``Get-FileHash``, see docs/packaging.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import sys
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wheelhouse import read_wheel, sha256_of  # noqa: E402

APP = "rrmdesk"
SPEC_VERSION = "1.5"
TOOL = "rrmdesk-packaging-sbom"


class SBOMError(Exception):
    """The SBOM or checksums cannot be made as asked; the message says why."""


@dataclass
class Package:
    name: str
    version: str
    dist: metadata.Distribution
    depends_on: set[str] = field(default_factory=set)

    @property
    def purl(self) -> str:
        return f"pkg:pypi/{self.name}@{self.version}"


def _distribution(name: str) -> metadata.Distribution:
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise SBOMError(f"{name} is required but not installed here; "
                        "install RRM Desk with its dependencies first") from None


def runtime_closure(root: str = APP, extras: frozenset[str] = frozenset({"gui"})) -> dict[str, Package]:
    """Every installed distribution the app needs at run time, by canonical name."""
    found: dict[str, Package] = {}
    pending: list[tuple[str, frozenset[str]]] = [(root, extras)]
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        name, wanted = pending.pop()
        if (name, wanted) in seen:
            continue
        seen.add((name, wanted))
        dist = _distribution(name)
        key = canonicalize_name(dist.metadata["Name"])
        package = found.setdefault(key, Package(key, dist.version, dist))
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker and not any(requirement.marker.evaluate({"extra": e}) for e in ("", *wanted)):
                continue
            child = canonicalize_name(requirement.name)
            package.depends_on.add(child)
            pending.append((child, frozenset(requirement.extras)))
    return found


def _licenses(dist: metadata.Distribution) -> list[dict[str, Any]]:
    meta = dist.metadata
    expression = meta.get("License-Expression")
    if expression:
        return [{"expression": expression.strip()}]
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License :: ")]
    text = (meta.get("License") or "").strip()
    names = classifiers or ([text.splitlines()[0][:200]] if text else [])
    return [{"license": {"name": name}} for name in dict.fromkeys(names)]


def _website(dist: metadata.Distribution) -> str | None:
    meta = dist.metadata
    if meta.get("Home-page"):
        return meta["Home-page"].strip()
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository", "source code"):
            return url.strip()
    return None


def _component(package: Package, wheel_hash: str | None, kind: str = "library") -> dict[str, Any]:
    component: dict[str, Any] = {"type": kind, "bom-ref": package.purl, "name": package.name,
                                 "version": package.version, "purl": package.purl}
    summary = package.dist.metadata.get("Summary")
    if summary:
        component["description"] = summary.strip()
    licenses = _licenses(package.dist)
    if licenses:
        component["licenses"] = licenses
    if wheel_hash:
        component["hashes"] = [{"alg": "SHA-256", "content": wheel_hash}]
    website = _website(package.dist)
    if website:
        component["externalReferences"] = [{"type": "website", "url": website}]
    return component


def wheel_hashes(wheelhouse: Path) -> dict[tuple[str, str], str]:
    wheels = sorted(wheelhouse.glob("*.whl"))
    if not wheels:
        raise SBOMError(f"no wheels in {wheelhouse}; make it with packaging/wheelhouse.py")
    found = {}
    for path in wheels:
        wheel = read_wheel(path)
        found[(wheel.name, wheel.version)] = sha256_of(path)
    return found


def build_sbom(extras: frozenset[str] = frozenset({"gui"}), wheelhouse: Path | None = None,
               now: datetime | None = None) -> dict[str, Any]:
    packages = runtime_closure(APP, extras)
    hashes = wheel_hashes(wheelhouse) if wheelhouse else {}
    if wheelhouse:
        missing = sorted(f"{p.name}=={p.version}" for p in packages.values() if (p.name, p.version) not in hashes)
        if missing:
            raise SBOMError(f"installed versions not in the wheelhouse {wheelhouse}: {', '.join(missing)}; "
                            "build the SBOM in the environment the wheelhouse was made from")
    app = packages.pop(APP)
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{uuid.uuid4()}",
        "version": 1,
        "metadata": {
            "timestamp": stamp,
            "tools": {"components": [{"type": "application", "name": TOOL, "version": app.version}]},
            "component": _component(app, hashes.get((app.name, app.version)), "application"),
            "properties": [{"name": "rrmdesk:python",
                            "value": f"{platform.python_implementation()} {platform.python_version()}"},
                           {"name": "rrmdesk:platform", "value": f"{platform.system()} {platform.machine()}"},
                           {"name": "rrmdesk:extras", "value": ",".join(sorted(extras))}],
        },
        "components": [_component(p, hashes.get((p.name, p.version)))
                       for p in sorted(packages.values(), key=lambda p: p.name)],
        "dependencies": [{"ref": p.purl, "dependsOn": sorted(packages[d].purl for d in p.depends_on if d in packages)}
                         for p in sorted([app, *packages.values()], key=lambda p: p.name)],
    }


# -- checksums ------------------------------------------------------------------------------


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    raise SBOMError(f"{path} does not exist")


def write_checksums(output: Path, artefacts: list[Path]) -> int:
    """``sha256sum`` lines for every file of the artefacts, relative to the output's folder."""
    base = output.resolve().parent
    lines = []
    for artefact in artefacts:
        for path in _files(artefact):
            resolved = path.resolve()
            if resolved == output.resolve():
                continue
            if not resolved.is_relative_to(base):
                raise SBOMError(f"{path} is not inside {base}; put the checksum file at the root of the medium")
            lines.append(f"{sha256_of(resolved)}  {resolved.relative_to(base).as_posix()}")
    output.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sbom = sub.add_parser("sbom", help="CycloneDX 1.5 JSON of the shipped dependencies")
    sbom.add_argument("-o", "--output", required=True, type=Path)
    sbom.add_argument("--wheelhouse", type=Path, help="add each wheel's SHA-256 (and check none is missing)")
    sbom.add_argument("--no-gui", action="store_true", help="the command line only (no PySide6)")
    sums = sub.add_parser("checksums", help="a sha256sum -c file of the artefacts (files or folders)")
    sums.add_argument("-o", "--output", required=True, type=Path)
    sums.add_argument("artefacts", nargs="+", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "sbom":
            document = build_sbom(frozenset() if args.no_gui else frozenset({"gui"}), args.wheelhouse)
            args.output.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"{len(document['components'])} components in {args.output}")
        else:
            count = write_checksums(args.output, args.artefacts)
            print(f"{count} files in {args.output}")
    except SBOMError as exc:
        print(f"sbom: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
