"""The bundle dialogs driven through their widgets, between two real workspaces, with screenshots."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QListWidget, QMessageBox, QTableWidget, QWidget

from rrmdesk.bundles.trust import TrustStore
from rrmdesk.interop import provenance_of
from tests.bundles.helpers import make_case
from tests.conftest import REPO, TEST_PASSPHRASE
from ui.bundles import provenance_rows, provenance_widgets
from ui.bundles.export_dialog import ExportDialog
from ui.bundles.fingerprint import monospace_font, spoken
from ui.bundles.import_dialog import ImportDialog

from .conftest import Desk
from tests.ui.helpers import WAIT_MS

SHOTS = REPO / "screenshots"


def shoot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()  # let the layout take in what the last slot added
    assert widget.grab().save(str(SHOTS / f"bundles-{name}.png"))


def tick(view: QListWidget, text: str) -> None:
    item = next(view.item(i) for i in range(view.count()) if text in view.item(i).text())
    item.setCheckState(Qt.CheckState.Checked)


def cells(table: QTableWidget, column: int) -> list[str]:
    return [table.item(row, column).text() for row in range(table.rowCount())]


def export_through_dialog(qtbot, fr: Desk, case_id: str, destination: Path, encrypt: bool, name: str = "") -> Path:
    fr.open_case[:] = [case_id]
    dialog = fr.exchange.export_bundle()
    assert dialog.selected_cases() == [case_id]  # the open case is chosen already
    assert not dialog.export_button.isEnabled()  # no recipient yet
    tick(dialog.recipients, "ca-gac")
    dialog.encrypt.setChecked(encrypt)
    qtbot.keyClicks(dialog.passphrase, TEST_PASSPHRASE)
    dialog.destination.setText(str(destination))
    assert dialog.export_button.isEnabled()
    if name:
        shoot(dialog, name)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    fr.wait(qtbot)
    assert dialog.report.isVisible(), fr.bridge.current and fr.bridge.current.text()
    return Path(str(destination) + (".age" if encrypt else ""))


def open_import(qtbot, ca: Desk, bundle: Path) -> ImportDialog:
    dialog = ca.exchange.import_bundle()
    dialog.path.setText(str(bundle))
    qtbot.keyClicks(dialog.passphrase, TEST_PASSPHRASE)
    assert not dialog.import_button.isEnabled()  # verification comes first
    qtbot.mouseClick(dialog.verify_button, Qt.MouseButton.LeftButton)
    ca.wait(qtbot)
    return dialog


def test_encrypted_bundle_verified_before_merging_then_merge_report(qtbot, fr: Desk, ca: Desk, tmp_path: Path) -> None:
    case_id = make_case(fr, evidence=2)  # type: ignore[arg-type]
    bundle = export_through_dialog(qtbot, fr, case_id, tmp_path / "doppelganger.rrmb", encrypt=True, name="export")
    assert bundle.name == "doppelganger.rrmb.age" and bundle.read_bytes().startswith(b"age-encryption.org/v1")
    export = fr.exchange.dialog
    assert isinstance(export, ExportDialog)
    assert "ca-gac" in export.report.toPlainText() and "age-encrypted" in export.report.toPlainText()
    shoot(export, "export-report")
    export.close()

    with qtbot.waitSignal(ca.exchange.imported, timeout=WAIT_MS) as emitted:
        dialog = open_import(qtbot, ca, bundle)
        assert dialog.verdict.text().startswith("Verified")
        labels = {w.accessibleName(): w for w in dialog.findChildren(QWidget) if w.accessibleName()}
        assert labels["Sender"].text() == "fr-meae"
        assert dialog.fingerprint.text() == spoken(fr.identity.fingerprint)
        assert labels["Encrypted"].text() == "yes (age)"
        cases_table = next(t for t in dialog.findChildren(QTableWidget) if t.accessibleName() == "Cases")
        files_table = next(t for t in dialog.findChildren(QTableWidget) if t.accessibleName() == "Files")
        assert cells(cases_table, 1) == ["Doppelganger: cloned news sites"] and cells(cases_table, 0) == ["TLP:AMBER"]
        assert sorted(cells(files_table, 1)) == ["evidence file", "evidence file", "the cases (STIX 2.1)"]
        assert ca.store.count_cases() == 0  # shown, not merged
        shoot(dialog, "import-verified")
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        ca.wait(qtbot)
    assert emitted.args == [case_id] and ca.bridge.current is None
    assert dialog.report.isVisible() and "added: 1 actor, 1 case, 1 event, 2 evidence" in dialog.report.toPlainText()
    assert dialog.report.toPlainText().startswith("Case TLP:AMBER Doppelganger: cloned news sites")
    assert dialog.verdict.text().startswith("Imported from fr-meae")
    shoot(dialog, "import-report")
    assert ca.store.get_case(case_id).title == "Doppelganger: cloned news sites"
    rows = dict(provenance_rows(ca.store, case_id))
    assert rows["Received from"] == "fr-meae" and rows["Signed by key"] == spoken(fr.identity.fingerprint)
    assert rows["Bundle"] == provenance_of(ca.store, case_id)[0]["bundle_id"]
    assert provenance_rows(fr.store, case_id) == []  # made here: no provenance
    widgets = {title.text(): value for title, value in provenance_widgets(ca.store, case_id)}
    assert widgets["Signed by key"].font().family() == monospace_font().family() and widgets["Bundle"].text() == rows["Bundle"]
    for title, value in provenance_widgets(ca.store, case_id):
        title.deleteLater()
        value.deleteLater()


def test_tampered_bundle_is_refused_clearly_and_nothing_imported(qtbot, fr: Desk, ca: Desk, tmp_path: Path) -> None:
    case_id = make_case(fr, evidence=1)  # type: ignore[arg-type]
    bundle = export_through_dialog(qtbot, fr, case_id, tmp_path / "case.rrmb", encrypt=False)
    data = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as archive:
        info = next(i for i in archive.infolist() if i.filename.startswith("payload/evidence/"))
    data[info.header_offset + 30 + len(info.filename) + 100] ^= 0x01
    tampered = tmp_path / "tampered.rrmb"
    tampered.write_bytes(bytes(data))
    dialog = open_import(qtbot, ca, tampered)
    assert dialog.verdict.text().startswith("Bundle refused. Nothing was imported.")
    assert "does not match its SHA-256" in dialog.verdict.text()
    assert not dialog.import_button.isEnabled()
    assert ca.bridge.current is None  # the verdict is in the dialog, not a second pop-up
    shoot(dialog, "import-refused")
    assert ca.store.count_cases() == 0
    assert not [e for e in ca.store.audit_entries() if e.action == "bundle-import"]


def test_red_case_warns_and_wrong_passphrase_is_reported(qtbot, fr: Desk, ca: Desk, tmp_path: Path) -> None:
    case_id = make_case(fr, tlp="red", evidence=0)  # type: ignore[arg-type]
    fr.open_case[:] = [case_id]
    dialog = fr.exchange.export_bundle()
    assert "TLP:RED case" in dialog.warnings.text()
    dialog.confirm_red.setChecked(True)
    assert "you confirm every recipient is a named individual" in dialog.warnings.text()
    tick(dialog.recipients, "ca-gac")
    qtbot.keyClicks(dialog.passphrase, "not the passphrase")
    dialog.destination.setText(str(tmp_path / "red.rrmb"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    fr.wait(qtbot)
    qtbot.waitUntil(lambda: fr.bridge.current is not None, timeout=WAIT_MS)
    assert "passphrase" in (fr.bridge.current.text() + fr.bridge.current.informativeText()).lower()
    assert dialog.export_button.isEnabled() and not dialog.report.isVisible()
    assert list(tmp_path.iterdir()) == [] or not (tmp_path / "red.rrmb").exists()
    fr.bridge.current.close()


def test_partners_page_lists_trusts_after_fingerprint_check_and_revokes(qtbot, make_desk, fr: Desk, ca: Desk) -> None:
    de = make_desk("de-aa")
    page = fr.exchange.show_partners()
    assert cells(page.table, 0) == ["ca-gac"] and cells(page.table, 1) == ["trusted"]
    assert cells(page.table, 2) == [spoken(ca.identity.fingerprint)]
    labels = {w.accessibleName(): w for w in page.findChildren(QWidget) if w.accessibleName()}
    assert labels["Our fingerprint"].text() == spoken(fr.identity.fingerprint)

    trust = page.open_trust()
    qtbot.keyClicks(trust.principal, "de-aa")
    trust.key.setText(de.identity.key_line)
    trust.age.setText(de.identity.age_recipient)
    qtbot.keyClicks(trust.confirmed_by, "K. Weber, phone call")
    assert trust.fingerprint.text() == spoken(de.identity.fingerprint)
    assert trust.fingerprint.text().startswith("SHA256:") and all(len(g) == 4 for g in trust.fingerprint.text()[7:].split()[:-1])
    assert not trust.trust_button.isEnabled()  # not until the fingerprint was read aloud and compared
    shoot(trust, "trust")
    trust.compared.setChecked(True)
    assert trust.trust_button.isEnabled()
    trust.key.setText(ca.identity.key_line)  # a different key: compare again
    assert not trust.compared.isChecked() and not trust.trust_button.isEnabled()
    trust.key.setText(de.identity.key_line)
    trust.compared.setChecked(True)
    qtbot.mouseClick(trust.trust_button, Qt.MouseButton.LeftButton)
    assert cells(page.table, 0) == ["ca-gac", "de-aa"]
    assert TrustStore(fr.store).get("de-aa").confirmed_by == "K. Weber, phone call"

    page.table.selectRow(0)
    qtbot.mouseClick(page.revoke_button, Qt.MouseButton.LeftButton)
    assert page.confirm is not None and "ca-gac" in page.confirm.text()
    shoot(page, "partners")
    shoot(page.confirm, "revoke-confirm")
    qtbot.mouseClick(page.confirm.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert cells(page.table, 1) == ["revoked", "trusted"]
    page.table.selectRow(0)
    assert not page.revoke_button.isEnabled()  # revoked stays listed, cannot be revoked twice
    shoot(page, "partners-revoked")
    assert [e.action for e in fr.store.audit_entries() if e.action.startswith("partner-")][-2:] == ["partner-trust", "partner-revoke"]


def test_trusting_a_bad_key_is_refused_in_one_line(qtbot, fr: Desk) -> None:
    page = fr.exchange.show_partners()
    trust = page.open_trust()
    trust.key.setText("ssh-rsa AAAAB3Nza not-ed25519")
    assert "not an OpenSSH Ed25519 public key" in trust.fingerprint.text()
    trust.compared.setChecked(True)
    assert not trust.trust_button.isEnabled()
    trust.key.setText(fr.identity.key_line)
    qtbot.keyClicks(trust.principal, "xx")
    trust.age.setText("AGE-SECRET-KEY-1ABC")
    trust.confirmed_by.setText("me")
    trust.compared.setChecked(True)
    qtbot.mouseClick(trust.trust_button, Qt.MouseButton.LeftButton)
    assert fr.bridge.current is not None and "private age key" in fr.bridge.current.text()
    assert trust.isVisible() and cells(page.table, 0) == []
    fr.bridge.current.close()
