"""Screenshots of the Briefing dialog for a person to look at (``screenshots/``, ignored by git)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.ui.briefing.conftest import wait_for_outline
from tests.ui.briefing.test_briefing_dialog import IRAN, RUSSIA, pick_marking, tick
from tests.ui.helpers import WAIT_MS
from tests.ui.test_screenshots import SHOTS, dark_palette


def test_briefing_dialog_screenshots(qtbot, desk, tmp_path):
    SHOTS.mkdir(exist_ok=True)
    dialog = desk.open(qtbot, desk.case(RUSSIA))
    qtbot.waitExposed(dialog, timeout=WAIT_MS)
    assert dialog.grab().save(str(SHOTS / "briefing-dialog-1-open-case.png"))

    dialog.language.setCurrentIndex(dialog.language.findData("fr"))
    dialog.sections["narratives"].setChecked(False)
    dialog.sections["lessons"].setChecked(False)
    assert dialog.grab().save(str(SHOTS / "briefing-dialog-2-french-sections-off.png"))

    tick(dialog, desk.case(IRAN))
    wait_for_outline(qtbot, dialog)
    pick_marking(dialog, "green")
    wait_for_outline(qtbot, dialog)
    assert dialog.grab().save(str(SHOTS / "briefing-dialog-3-sitrep-lower-marking.png"))

    bad = tmp_path / "ministry.docx"
    bad.write_text("not a Word document", encoding="utf-8")
    dialog.set_template(bad)
    qtbot.waitUntil(lambda: dialog.template_warning.isVisible(), timeout=WAIT_MS)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.save_dialog is not None, timeout=WAIT_MS)
    dialog.save_dialog.findChild(type(dialog.version), "fileNameEdit").setText(str(tmp_path / "sitrep.docx"))
    dialog.save_dialog.accept()
    qtbot.waitUntil(lambda: dialog.note.isVisible(), timeout=WAIT_MS)
    assert dialog.grab().save(str(SHOTS / "briefing-dialog-4-saved-with-note.png"))


def test_briefing_dialog_dark_screenshot(qtbot, desk):
    """Under a dark system palette the outline and its TLP badges must stay readable."""
    SHOTS.mkdir(exist_ok=True)
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(dark_palette())
    try:
        dialog = desk.open(qtbot, desk.case(RUSSIA))
        qtbot.waitExposed(dialog, timeout=WAIT_MS)
        assert dialog.grab().save(str(SHOTS / "briefing-dialog-5-dark.png"))
        dialog.reject()
    finally:
        app.setPalette(light)
