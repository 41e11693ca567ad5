"""The main window's bundle actions open the dialogs; the inspector shows an imported object's provenance."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from rrmdesk.bundles.identity import create_identity, forget_identity_secret
from rrmdesk.bundles.trust import TrustStore
from tests.bundles.helpers import make_case
from ui.bundles import ExportDialog, ImportDialog, PartnersDialog
from ui.bundles.fingerprint import spoken

from .conftest import Desk
from tests.ui.helpers import WAIT_MS


def test_window_actions_and_inspector_provenance(qtbot, window, fr: Desk, tmp_path: Path) -> None:
    workspace = window.session.workspace
    mine = create_identity(workspace, window.session.store, "ca-gac")
    try:
        TrustStore(window.session.store).trust("fr-meae", fr.identity.key_line, fr.identity.age_recipient, "desk officer")
        TrustStore(fr.store).trust("ca-gac", mine.key_line, mine.age_recipient, "desk officer")
        case_id = make_case(fr, evidence=1)  # type: ignore[arg-type]
        fr.open_case[:] = [case_id]
        export = fr.exchange.export_bundle()
        export.recipients.item(0).setCheckState(Qt.CheckState.Checked)
        export.passphrase.setText("test passphrase, not secret")
        export.destination.setText(str(tmp_path / "b.rrmb"))
        export.start()
        fr.wait(qtbot)
        for name, kind in (("partners", PartnersDialog), ("export_bundle", ExportDialog)):
            window.actions[name].trigger()
            assert isinstance(window.bundles.dialog, kind)
            window.bundles.dialog.close()
        window.actions["import_bundle"].trigger()
        dialog = window.bundles.dialog
        assert isinstance(dialog, ImportDialog) and dialog.passphrase is None
        dialog.path.setText(str(tmp_path / "b.rrmb.age"))
        dialog.verify()
        qtbot.waitUntil(lambda: not window.tasks.busy, timeout=WAIT_MS)
        dialog.merge()
        qtbot.waitUntil(lambda: window.workspace.case is not None and window.workspace.case.id == case_id, timeout=WAIT_MS)
        texts = [label.text() for label in window.inspector.findChildren(QLabel)]
        assert "fr-meae" in texts and spoken(fr.identity.fingerprint) in texts
        dialog.close()
    finally:
        forget_identity_secret(workspace)
