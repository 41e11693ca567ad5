"""The headless self-check: does this installation of RRM Desk work, end to end, on this machine?

An administrator runs it after installing from removable media (``rrmdesk self-check``), and CI
runs it on the frozen app. It exercises what an installation can get wrong (a missing native
library, a resource left out of the bundle, a matplotlib backend, the age and Ed25519 code)
through the same public APIs the app uses:

1. a throwaway **passphrase-mode** workspace (a random passphrase, so no keyring is involved);
2. a case with actors, events, a relationship and an evidence file;
3. the timeline and actor-link graph rendered to PNG, in memory;
4. a briefing document (.docx), in memory;
5. a ministry identity, trusting itself, and a signed, age-encrypted bundle addressed to itself;
6. that bundle verified (signature, files, hashes, recipients).

Everything lives in a temporary folder that is removed afterwards, whatever happens; the user's
own workspace and keyring are never opened. The made-up case content is not real case content.
"""

from __future__ import annotations

import hashlib
import io
import platform
import secrets
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import __version__, charts, resources
from .briefing import BriefingOptions, build_briefing
from .bundles.export import BundleExporter
from .bundles.identity import create_identity, load_identity
from .bundles.trust import TrustStore
from .bundles.verify import BundleVerifier
from .errors import Cancelled, RRMDeskError
from .model import Actor, Event, Evidence, Relationship
from .progress import Progress
from .store import Store
from .workspace import Workspace

PRINCIPAL = "self-check@rrmdesk.invalid"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
STEPS = ("workspace", "case", "timeline", "graph", "briefing", "identity", "bundle", "verify")


@dataclass
class StepResult:
    name: str
    ok: bool
    detail: str
    seconds: float


@dataclass
class SelfCheckReport:
    """What passed, what failed and why; enough for a support desk to act on."""

    version: str
    python: str
    platform: str
    frozen: bool
    resources: str
    steps: list[StepResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return len(self.steps) == len(STEPS) and all(step.ok for step in self.steps)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}

    def lines(self) -> list[str]:
        runtime = "frozen app" if self.frozen else f"Python {self.python}"
        head = f"RRM Desk {self.version} self-check ({runtime}, {self.platform})"
        rows = [head] + [f"  {'ok  ' if s.ok else 'FAIL'} {s.name:<10} {s.detail}" for s in self.steps]
        skipped = STEPS[len(self.steps):]
        if skipped:
            rows.append(f"  skipped after the failure: {', '.join(skipped)}")
        rows.append("self-check passed" if self.ok else "self-check FAILED")
        return rows


class _Run:
    """One self-check in one temporary folder; each step feeds the next."""

    def __init__(self, folder: Path, progress: Progress) -> None:
        self.folder = folder
        self.progress = Progress(lambda _done, _total, _label: progress.check())  # steps cancel; the bar counts steps
        self.passphrase = secrets.token_urlsafe(24)
        self.workspace: Workspace | None = None
        self.store: Store | None = None
        self.case_id = ""
        self.bundle = folder / "self-check.rrmb"

    def workspace_step(self) -> str:
        self.workspace, _recovery = Workspace.create(self.folder / "workspace", "passphrase", self.passphrase,
                                                     analyst="self-check")
        self.store = self.workspace.unlock(self.passphrase)
        return f"passphrase workspace created and unlocked ({self.store.analyst})"

    def case_step(self) -> str:
        store = self._store()
        case = store.create_case("Self-check: cloned news sites", summary="Made-up content written by the self-check",
                                 tlp="amber", target_countries=["FR"])
        outlet = Actor(case_id=case.id, name="Example Outlet", kind="media-outlet", country="RU")
        account = Actor(case_id=case.id, name="@example_account", kind="account", platform="X",
                        handle="example_account")
        events = [Event(case_id=case.id, title=f"Article {n} republished", start=f"2024-05-0{n}T09:00:00Z",
                        actor_ids=[outlet.id, account.id], techniques=["T0097.109"]) for n in range(1, 4)]
        link = Relationship(case_id=case.id, source_id=account.id, type="amplifies", target_id=outlet.id,
                            confidence="moderate")
        store.add_many([outlet, account, *events, link])
        text = b"Self-check evidence file.\n"
        record = Evidence(case_id=case.id, title="self-check.txt", kind="file", filename="self-check.txt",
                          media_type="text/plain", size=len(text), sha256=hashlib.sha256(text).hexdigest())
        store.add_evidence_stream(record, io.BytesIO(text), len(text))
        self.case_id = case.id
        counts = store.counts(case.id)
        return ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()) if n)

    def timeline_step(self) -> str:
        snapshot = charts.load_snapshot(self._store(), self.case_id, self.progress)
        chart = charts.render_timeline(snapshot, charts.TimelineOptions(lanes="actor"), self.progress)
        return self._png(chart.figure, snapshot.case.tlp)

    def graph_step(self) -> str:
        snapshot = charts.load_snapshot(self._store(), self.case_id, self.progress)
        chart = charts.render_graph(snapshot, charts.GraphOptions(seed=7), self.progress)
        return self._png(chart.figure, snapshot.case.tlp)

    def briefing_step(self) -> str:
        briefing = build_briefing(self._store(), [self.case_id], BriefingOptions(analyst="self-check"), self.progress)
        with zipfile.ZipFile(io.BytesIO(briefing.data)) as docx:
            if "word/document.xml" not in docx.namelist():
                raise RRMDeskError("the briefing is not a Word document",
                                   "reinstall RRM Desk; the briefing template may be damaged")
        return f".docx of {len(briefing.data):,} bytes at TLP:{briefing.marking.upper()}"

    def identity_step(self) -> str:
        store, workspace = self._store(), self._workspace()
        public = create_identity(workspace, store, PRINCIPAL, self.passphrase)
        TrustStore(store).trust(PRINCIPAL, public.key_line, public.age_recipient, confirmed_by="self-check")
        return f"Ed25519 {public.fingerprint}"

    def bundle_step(self) -> str:
        store, workspace = self._store(), self._workspace()
        identity = load_identity(workspace, store, self.passphrase)
        report = BundleExporter(store, identity).export([self.case_id], [PRINCIPAL], self.bundle, encrypt=True,
                                                         progress=self.progress)
        self.bundle = report.path
        return f"signed, age-encrypted bundle of {report.bytes_written:,} bytes"

    def verify_step(self) -> str:
        store, workspace = self._store(), self._workspace()
        identity = load_identity(workspace, store, self.passphrase)
        result = BundleVerifier(store, identity).verify(self.bundle, self.progress)
        return f"signature by {result.manifest.sender} and {len(result.manifest.files)} file hashes verified"

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None

    # -- helpers --------------------------------------------------------------------------

    def _store(self) -> Store:
        assert self.store is not None, "the workspace step runs first"
        return self.store

    def _workspace(self) -> Workspace:
        assert self.workspace is not None, "the workspace step runs first"
        return self.workspace

    @staticmethod
    def _png(figure: Any, tlp: str) -> str:
        data = charts.figure_bytes(figure, "png", title="self-check", tlp=tlp)
        if not data.startswith(PNG_SIGNATURE):
            raise RRMDeskError("the chart did not render as PNG", "reinstall RRM Desk; matplotlib may be incomplete")
        return f"PNG of {len(data):,} bytes"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, RRMDeskError):
        return exc.text()
    return f"{type(exc).__name__}: {exc} (a fault in this installation or a bug in RRM Desk)"


def run_selfcheck(progress: Progress | None = None) -> SelfCheckReport:
    """Run every step in a fresh temporary folder; stop at the first failure; always clean up.

    Cancelling (``progress.cancel()``) raises ``Cancelled`` after the temporary folder is removed.
    """
    progress = progress or Progress()
    report = SelfCheckReport(__version__, platform.python_version(), f"{platform.system()} {platform.machine()}",
                             bool(getattr(sys, "frozen", False)), str(resources.RESOURCES_DIR))
    with tempfile.TemporaryDirectory(prefix="rrmdesk-selfcheck-") as folder:
        run = _Run(Path(folder), progress)
        try:
            for index, name in enumerate(STEPS):
                progress.update(index, len(STEPS), f"self-check: {name}")
                step: Callable[[], str] = getattr(run, f"{name}_step")
                started = time.perf_counter()
                try:
                    detail, ok = step(), True
                except Cancelled:
                    raise
                except Exception as exc:  # the report names it; an installation fault must not crash the check
                    detail, ok = _describe(exc), False
                report.steps.append(StepResult(name, ok, detail, round(time.perf_counter() - started, 3)))
                if not ok:
                    break
            progress.update(len(STEPS), len(STEPS), "self-check: done")
        finally:
            run.close()
    return report
