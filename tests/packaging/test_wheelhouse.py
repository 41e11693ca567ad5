"""The offline wheelhouse: hash-pinned requirements, markers judged for the target, and a real
install with no index into a new virtual environment."""

from __future__ import annotations

import base64
import hashlib
import json
import platform
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import wheelhouse
from tests.conftest import REPO

PINNED = re.compile(r"^[a-z0-9][a-z0-9.-]*(\[[a-z0-9,]+\])?==[^ ]+ --hash=sha256:[0-9a-f]{64}$")


def make_wheel(folder: Path, name: str = "demo_pkg", version: str = "1.0", requires: tuple[str, ...] = ()) -> Path:
    """A minimal, well-formed wheel (METADATA, WHEEL, RECORD) written here, not downloaded."""
    dist_info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": b"",
        f"{dist_info}/METADATA": "\n".join(["Metadata-Version: 2.1", f"Name: {name.replace('_', '-')}",
                                            f"Version: {version}", *(f"Requires-Dist: {r}" for r in requires),
                                            ""]).encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [f"{n},sha256={base64.urlsafe_b64encode(hashlib.sha256(d).digest()).rstrip(b'=').decode()},{len(d)}"
              for n, d in files.items()] + [f"{dist_info}/RECORD,,"]
    path = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in files.items():
            archive.writestr(member, data)
        archive.writestr(f"{dist_info}/RECORD", "\n".join(record) + "\n")
    return path


def test_requirement_lines_are_pinned_by_hash(tmp_path: Path) -> None:
    wheels = [wheelhouse.read_wheel(make_wheel(tmp_path, "demo_pkg", "1.0", ("other-pkg>=2",))),
              wheelhouse.read_wheel(make_wheel(tmp_path, "other_pkg", "2.1"))]
    wheels[0].extras = {"gui"}
    target = wheelhouse._targets("2.28")["linux-x86_64"]
    text = wheelhouse.write_requirements(wheels, target, "3.11", tmp_path).read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    assert lines[0].startswith("demo-pkg[gui]==1.0 --hash=sha256:")
    assert all(PINNED.match(line) for line in lines), lines
    assert lines[1].endswith(hashlib.sha256(wheels[1].path.read_bytes()).hexdigest())
    assert "--no-index" in text and "--require-hashes" in text
    assert [str(r) for r in wheels[0].requires] == ["other-pkg>=2"]


def test_resources_are_added_as_data_files_with_record_hashes(tmp_path: Path) -> None:
    source = make_wheel(tmp_path / "", "rrmdesk", "0.1.0")
    target = tmp_path / "out" / source.name
    target.parent.mkdir()
    wheelhouse.add_resources(source, target, REPO / "resources")
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        record = archive.read("rrmdesk-0.1.0.dist-info/RECORD").decode().splitlines()
        catalog = "rrmdesk-0.1.0.data/data/share/rrmdesk/resources/disarm/catalog.json"
        assert catalog in names
        data = archive.read(catalog)
    expected = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert f"{catalog},sha256={expected},{len(data)}" in record
    assert sum(line.startswith("rrmdesk-0.1.0.dist-info/RECORD,") for line in record) == 1
    again = tmp_path / "again.whl"
    wheelhouse.add_resources(target, again, REPO / "resources")  # already there: copied unchanged
    assert again.read_bytes() == target.read_bytes()


@pytest.mark.parametrize(("marker", "platform_name", "wanted"), [
    ('pywin32-ctypes>=0.2; sys_platform == "win32"', "windows-amd64", True),
    ('pywin32-ctypes>=0.2; sys_platform == "win32"', "linux-x86_64", False),
    ('SecretStorage>=3.2; sys_platform == "linux"', "linux-x86_64", True),
    ('SecretStorage>=3.2; sys_platform == "linux"', "windows-amd64", False),
    ('tomli; python_version < "3.11"', "linux-x86_64", False),
])
def test_markers_are_judged_for_the_target_not_this_machine(marker: str, platform_name: str, wanted: bool) -> None:
    target = wheelhouse._targets("2.28")[platform_name]
    assert wheelhouse._wanted(Requirement(marker), target, "3.11", set()) is wanted


def test_extras_bring_their_requirements() -> None:
    target = wheelhouse._targets("2.28")["linux-x86_64"]
    requirement = Requirement('PySide6-Essentials>=6.7; extra == "gui"')
    assert wheelhouse._wanted(requirement, target, "3.12", {"gui"})
    assert not wheelhouse._wanted(requirement, target, "3.12", set())


def test_manylinux_tags_cover_older_glibc() -> None:
    tags = wheelhouse._targets("2.28")["linux-x86_64"].pip_platforms
    assert tags[0] == "manylinux_2_28_x86_64" and "manylinux_2_17_x86_64" in tags and "manylinux2014_x86_64" in tags


@pytest.mark.parametrize(("args", "message"), [
    (["--platform", "linux-x86_64", "--python", "3.10"], "invalid choice"),
    (["--platform", "macos-arm64", "--python", "3.11"], "invalid choice"),
])
def test_bad_arguments(tmp_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        wheelhouse.main([*args, "-o", str(tmp_path / "out")])
    assert exit_info.value.code == 2 and message in capsys.readouterr().err


def test_a_used_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "old.whl").write_bytes(b"x")
    assert wheelhouse.main(["--platform", "linux-x86_64", "--python", "3.11", "-o", str(tmp_path)]) == 1
    assert "is not empty" in capsys.readouterr().err


@pytest.mark.slow
def test_offline_install_from_the_wheelhouse_runs_the_self_check(tmp_path: Path) -> None:
    """NETWORK: the one test that uses the package index, and only through pip in subprocesses
    (the wheelhouse download and the build of RRM Desk's wheel). The install that follows uses
    ``--no-index``: nothing but the wheelhouse folder. Then the installed app's self-check, its
    desktop app's smoke start and an SBOM of that install with every wheel's hash."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert platform.system() == "Linux" and platform.machine() == "x86_64"
    house = tmp_path / "wheelhouse"
    wheels = wheelhouse.make_wheelhouse("linux-x86_64", python, house)
    lines = [line for line in (house / "requirements.txt").read_text("utf-8").splitlines() if not line.startswith("#")]
    assert len(lines) == len(wheels) == len(list(house.glob("*.whl")))
    assert all(PINNED.match(line) for line in lines), lines
    assert any(line.startswith("rrmdesk[gui]==") for line in lines)

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--no-index",
                              "--find-links", str(house), "--require-hashes", "-r", str(house / "requirements.txt")],
                             capture_output=True, text=True, check=False)
    assert install.returncode == 0, install.stderr[-3000:]

    check = subprocess.run([str(venv / "bin" / "rrmdesk"), "self-check", "--json"], capture_output=True, text=True,
                           check=False, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    report = json.loads(check.stdout)
    assert report["ok"] is True
    assert Path(report["resources"]) == venv / "share" / "rrmdesk" / "resources"

    # The desktop app from the same install: its Qt (the wheelhouse's PySide6) starts and paints.
    gui = subprocess.run([str(venv / "bin" / "python"), str(REPO / "packaging" / "rrmdesk_gui.py"), "--smoke"],
                         capture_output=True, text=True, check=False, cwd=tmp_path)
    assert gui.returncode == 0 and "smoke test passed" in gui.stdout, gui.stdout + gui.stderr

    cdx = tmp_path / "rrmdesk.cdx.json"
    made = subprocess.run([str(venv / "bin" / "python"), str(REPO / "packaging" / "sbom.py"), "sbom", "-o", str(cdx),
                           "--wheelhouse", str(house)], capture_output=True, text=True, check=False, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    components = json.loads(cdx.read_text("utf-8"))["components"]
    assert len(components) == len(wheels) - 1 and all(c["hashes"][0]["alg"] == "SHA-256" for c in components)
