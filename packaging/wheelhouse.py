"""Offline wheelhouse: every wheel RRM Desk needs for one platform, pinned by hash.

On a connected build machine::

    .venv/bin/python packaging/wheelhouse.py --platform windows-amd64 --python 3.12 -o wheelhouse-win-py312

writes the folder: RRM Desk's own wheel, every dependency's wheel for that platform and Python,
and ``requirements.txt`` with one ``name==version --hash=sha256:…`` line each, so on the
air-gapped machine (same platform and Python)::

    python -m pip install --no-index --find-links DIR --require-hashes -r DIR/requirements.txt

installs it with no network. Platforms: ``linux-x86_64`` (manylinux, glibc 2.28 or later by
default) and ``windows-amd64``; Python 3.11 and 3.12.

Why not one ``pip download``: pip evaluates environment markers (``sys_platform == "win32"``)
for the machine it runs on, whatever ``--platform`` says, so a Windows set built on Linux would
miss pywin32-ctypes and carry SecretStorage. Here the dependency tree is walked with markers
evaluated for the *target*; pip fetches each package (``--no-deps``) for the target's tags.
Each package is pinned to the version installed in the build environment when that version has
a wheel for the target (the set that was tested is the set that ships), else the newest that
fits. Only wheels are accepted: nothing is compiled on the air-gapped machine.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.parser import HeaderParser
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
RESOURCES_IN_WHEEL = "data/share/rrmdesk/resources"  # under <name>-<version>.data/, installed to <prefix>/share/...
REQUIREMENTS = "requirements.txt"
PYTHONS = ("3.11", "3.12")
WHEEL_NAME = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")


@dataclass(frozen=True)
class Target:
    """A platform the wheelhouse is for: pip's tags and the environment its markers see."""

    name: str
    pip_platforms: tuple[str, ...]
    markers: dict[str, str]

    def environment(self, python: str, extra: str = "") -> dict[str, str]:
        return {**self.markers, "python_version": python, "python_full_version": f"{python}.0",
                "implementation_name": "cpython", "platform_python_implementation": "CPython",
                "implementation_version": f"{python}.0", "platform_release": "", "platform_version": "", "extra": extra}


def _targets(glibc: str) -> dict[str, Target]:
    major, minor = (int(n) for n in glibc.split("."))
    # Every manylinux tag the target's glibc runs, newest first, and the legacy aliases.
    manylinux = tuple(f"manylinux_{major}_{m}_x86_64" for m in range(minor, 16, -1)) + (
        "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")
    return {
        "linux-x86_64": Target("linux-x86_64", manylinux, {
            "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64"}),
        "windows-amd64": Target("windows-amd64", ("win_amd64",), {
            "os_name": "nt", "sys_platform": "win32", "platform_system": "Windows", "platform_machine": "AMD64"}),
    }


class WheelhouseError(Exception):
    """A wheel could not be had for the target; the message says which and what to try."""


@dataclass
class Wheel:
    path: Path
    name: str
    version: str
    requires: list[Requirement] = field(default_factory=list)
    extras: set[str] = field(default_factory=set)

    @property
    def sha256(self) -> str:
        return sha256_of(self.path)

    def requirement_line(self) -> str:
        extras = f"[{','.join(sorted(self.extras))}]" if self.extras else ""
        return f"{self.name}{extras}=={self.version} --hash=sha256:{self.sha256}"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_wheel(path: Path) -> Wheel:
    """Name, version and Requires-Dist from the wheel's own METADATA (not from its file name)."""
    with zipfile.ZipFile(path) as archive:
        member = next(n for n in archive.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
        headers = HeaderParser().parsestr(archive.read(member).decode("utf-8"))
    requires = [Requirement(text) for text in headers.get_all("Requires-Dist") or []]
    return Wheel(path, canonicalize_name(headers["Name"]), headers["Version"], requires)


# -- RRM Desk's own wheel -------------------------------------------------------------------


def build_app_wheel(destination: Path) -> Wheel:
    """Build RRM Desk's wheel from this checkout, with ``resources/`` as its data files."""
    with tempfile.TemporaryDirectory(prefix="rrmdesk-wheel-") as scratch:
        _pip("wheel", "--no-deps", "--quiet", "--wheel-dir", scratch, str(REPO))
        built = next(Path(scratch).glob("rrmdesk-*.whl"))
        target = destination / built.name
        add_resources(built, target, REPO / "resources")
    return read_wheel(target)


def add_resources(wheel: Path, target: Path, resources: Path) -> None:
    """Copy ``wheel`` to ``target`` adding ``resources/`` as data files (and to RECORD).

    rrmdesk/resources.py finds them at ``<prefix>/share/rrmdesk/resources``. A wheel that
    already carries them (the project declares them as data files) is copied unchanged.
    """
    with zipfile.ZipFile(wheel) as source:
        names = source.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
        data_dir = dist_info.removesuffix(".dist-info") + ".data"
        prefix = f"{data_dir}/{RESOURCES_IN_WHEEL}/"
        if any(n.startswith(prefix) for n in names):
            shutil.copyfile(wheel, target)
            return
        record_name = next(n for n in names if n.endswith(".dist-info/RECORD"))
        record = [line for line in source.read(record_name).decode("utf-8").splitlines()
                  if line and not line.startswith(record_name + ",")]
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                if info.filename != record_name:
                    out.writestr(info, source.read(info))
            for path in sorted(p for p in resources.rglob("*") if p.is_file()):
                name = prefix + path.relative_to(resources).as_posix()
                data = path.read_bytes()
                out.writestr(name, data)
                digest = hashlib.sha256(data).digest()
                record.append(f"{name},sha256={base64.urlsafe_b64encode(digest).rstrip(b'=').decode()},{len(data)}")
            record.append(f"{record_name},,")
            out.writestr(record_name, "\n".join(record) + "\n")


# -- dependencies ---------------------------------------------------------------------------


def _pip(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise WheelhouseError(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "pip failed")
    return result


def _installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def fetch(requirement: Requirement, target: Target, python: str, destination: Path) -> Wheel:
    """One wheel for ``requirement`` on the target: the build environment's version if it fits."""
    tags = [arg for platform in target.pip_platforms for arg in ("--platform", platform)]
    options = ["download", "--no-deps", "--only-binary=:all:", "--quiet", *tags, "--python-version", python,
               "--implementation", "cp", "--abi", f"cp{python.replace('.', '')}", "--dest"]
    installed = _installed_version(requirement.name)
    fits = installed is not None and requirement.specifier.contains(installed, prereleases=True)
    candidates = [f"{requirement.name}=={installed}"] if fits else []
    candidates.append(f"{requirement.name}{requirement.specifier}")
    failure = ""
    for candidate in candidates:
        with tempfile.TemporaryDirectory(prefix="rrmdesk-fetch-", dir=destination) as scratch:
            try:
                _pip(*options, scratch, candidate)
            except WheelhouseError as exc:
                failure = str(exc)
                continue
            fetched = next(Path(scratch).glob("*.whl"))
            final = destination / fetched.name
            shutil.move(fetched, final)
            return read_wheel(final)
    raise WheelhouseError(f"no wheel of {requirement} for {target.name}, Python {python}: {failure}")


def _wanted(requirement: Requirement, target: Target, python: str, extras: Iterable[str]) -> bool:
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate(target.environment(python, extra)) for extra in ("", *extras))


def resolve(app: Wheel, app_extras: set[str], target: Target, python: str, destination: Path,
            jobs: int = 4) -> list[Wheel]:
    """Walk the dependency tree level by level for the target; fetch each new package once."""
    app.extras = app_extras
    chosen: dict[str, Wheel] = {app.name: app}
    constraints: dict[str, list[Requirement]] = {}
    level: list[tuple[Wheel, set[str]]] = [(app, app_extras)]
    while level:
        wanted: dict[str, Requirement] = {}
        extras_for: dict[str, set[str]] = {}
        for wheel, extras in level:
            for requirement in wheel.requires:
                if not _wanted(requirement, target, python, extras):
                    continue
                name = canonicalize_name(requirement.name)
                constraints.setdefault(name, []).append(requirement)
                extras_for.setdefault(name, set()).update(requirement.extras)
                if name not in chosen:
                    wanted.setdefault(name, requirement)
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            fetched = list(pool.map(lambda r: fetch(r, target, python, destination), wanted.values()))
        level = []
        for wheel in fetched:
            chosen[wheel.name] = wheel
        for name, extras in extras_for.items():
            wheel = chosen[name]
            new = extras - wheel.extras
            if new or any(wheel is f for f in fetched):
                wheel.extras |= extras
                level.append((wheel, extras))
    for name, requirements in constraints.items():
        version = Version(chosen[name].version)
        for requirement in requirements:
            if not requirement.specifier.contains(version, prereleases=True):
                raise WheelhouseError(f"{name} {version} does not satisfy {requirement}: pin it in pyproject.toml")
    return sorted(chosen.values(), key=lambda w: w.name)


def write_requirements(wheels: list[Wheel], target: Target, python: str, destination: Path) -> Path:
    lines = [f"# RRM Desk wheelhouse for {target.name}, CPython {python}: every wheel pinned by its SHA-256.",
             "# Install with no network:",
             f"#   python -m pip install --no-index --find-links . --require-hashes -r {REQUIREMENTS}",
             *(w.requirement_line() for w in wheels)]
    path = destination / REQUIREMENTS
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_wheelhouse(platform: str, python: str, destination: Path, gui: bool = True,
                    glibc: str = "2.28") -> list[Wheel]:
    targets = _targets(glibc)
    if platform not in targets:
        raise WheelhouseError(f"unknown platform {platform!r}; choose one of {', '.join(targets)}")
    if python not in PYTHONS:
        raise WheelhouseError(f"unsupported Python {python!r}; choose one of {', '.join(PYTHONS)}")
    destination.mkdir(parents=True, exist_ok=True)
    if any(destination.iterdir()):
        raise WheelhouseError(f"{destination} is not empty; choose a new folder")
    app = build_app_wheel(destination)
    wheels = resolve(app, {"gui"} if gui else set(), targets[platform], python, destination)
    stray = {p.name for p in destination.glob("*.whl")} - {w.path.name for w in wheels}
    if stray:
        raise WheelhouseError(f"unexpected files in the wheelhouse: {', '.join(sorted(stray))}")
    write_requirements(wheels, targets[platform], python, destination)
    return wheels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--platform", required=True, choices=sorted(_targets("2.28")))
    parser.add_argument("--python", required=True, choices=PYTHONS)
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="DIR", help="a new, empty folder")
    parser.add_argument("--no-gui", action="store_true", help="the command line only (no PySide6)")
    parser.add_argument("--glibc", default="2.28",
                        help="oldest glibc of the Linux machines (default 2.28: RHEL 8, Debian 10)")
    args = parser.parse_args(argv)
    try:
        wheels = make_wheelhouse(args.platform, args.python, args.output, gui=not args.no_gui, glibc=args.glibc)
    except WheelhouseError as exc:
        print(f"wheelhouse: {exc}", file=sys.stderr)
        return 1
    total = sum(w.path.stat().st_size for w in wheels)
    print(f"{len(wheels)} wheels, {total / 1e6:.1f} MB, in {args.output}; requirements: {args.output / REQUIREMENTS}")
    untested = [f"{w.name} {w.version} (here {_installed_version(w.name)})" for w in wheels
                if _installed_version(w.name) not in (None, w.version)]
    if untested:
        print(f"note: no wheel of the version tested here fits the target, so these differ: {', '.join(untested)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
