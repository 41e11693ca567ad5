"""The headless self-check, run from source: every step passes and nothing is left behind."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

from rrmdesk import Cancelled, Progress, resources
from rrmdesk.cli import main
from rrmdesk.selfcheck import STEPS, run_selfcheck


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Temporary files of the code under test go here, so a test can see that none remain."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_every_step_passes_and_the_folder_is_removed(private_tmp: Path, workspace_path: Path) -> None:
    seen: list[str] = []
    report = run_selfcheck(Progress(lambda done, total, label: seen.append(label)))
    assert report.ok, report.lines()
    assert [step.name for step in report.steps] == list(STEPS)
    assert report.frozen is False
    assert Path(report.resources) == resources.RESOURCES_DIR
    assert seen[-1] == "self-check: done"
    assert list(private_tmp.iterdir()) == []
    assert not workspace_path.exists(), "the analyst's own workspace is never opened or created"


def test_cli_json_report(private_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["self-check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert {step["name"] for step in report["steps"] if step["ok"]} == set(STEPS)
    verify = next(step for step in report["steps"] if step["name"] == "verify")
    assert "self-check@rrmdesk.invalid" in verify["detail"]


def test_a_missing_resource_fails_its_step_and_stops(private_tmp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """An installation that left resources/ out (the fault a frozen bundle can have) is named, not crashed on."""
    monkeypatch.setattr(resources, "RESOURCES_DIR", tmp_path / "no-resources")
    assert main(["self-check"]) == 1
    out = capsys.readouterr().out
    report_lines = out.splitlines()
    assert report_lines[-1] == "self-check FAILED"
    failed = [line for line in report_lines if line.startswith("  FAIL")]
    assert len(failed) == 1 and failed[0].split()[1] == "briefing"
    assert sum(line.startswith("  ok   ") for line in report_lines) == STEPS.index("briefing")
    assert "skipped after the failure: identity, bundle, verify" in out
    assert list(private_tmp.iterdir()) == []


def test_cancel_removes_the_folder(private_tmp: Path) -> None:
    progress = Progress()
    progress.cancel()
    with pytest.raises(Cancelled):
        run_selfcheck(progress)
    assert list(private_tmp.iterdir()) == []
