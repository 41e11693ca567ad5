"""The preferences dialog: idle lock, default TLP, analyst name, ministry and chart language."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox, QWidget

from rrmdesk import vocab

from . import settings
from .settings import Preferences


class PreferencesDialog(QDialog):
    def __init__(self, preferences: Preferences, analyst: str, ministry: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preferences = preferences
        self.setWindowTitle("Preferences")
        self.idle = QSpinBox()
        self.idle.setRange(0, 24 * 60)
        self.idle.setSuffix(" min")
        self.idle.setSpecialValueText("never")
        self.idle.setValue(preferences.get(settings.IDLE_LOCK_MINUTES))
        self.tlp = QComboBox()
        self.tlp.addItems(list(vocab.TLP))
        self.tlp.setCurrentText(preferences.get(settings.DEFAULT_TLP))
        self.analyst = QLineEdit(preferences.get(settings.ANALYST) or analyst)
        self.ministry = QLineEdit(preferences.get(settings.MINISTRY) or ministry)
        self.chart_language = QComboBox()
        for code, name in settings.LANGUAGES:
            self.chart_language.addItem(name, code)
        self.chart_language.setCurrentIndex(self.chart_language.findData(preferences.get(settings.CHART_LANGUAGE)))
        form = QFormLayout(self)
        for text, widget, setting in (("&Lock after idle", self.idle, settings.IDLE_LOCK_MINUTES),
                                      ("Default &TLP for new cases", self.tlp, settings.DEFAULT_TLP),
                                      ("Analyst &name", self.analyst, settings.ANALYST),
                                      ("&Ministry", self.ministry, settings.MINISTRY),
                                      ("&Chart language", self.chart_language, settings.CHART_LANGUAGE)):
            widget.setAccessibleName(text.replace("&", ""))
            widget.setToolTip(setting.description)
            form.addRow(text, widget)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        self.preferences.set(settings.IDLE_LOCK_MINUTES, self.idle.value())
        self.preferences.set(settings.DEFAULT_TLP, self.tlp.currentText())
        self.preferences.set(settings.ANALYST, self.analyst.text().strip())
        self.preferences.set(settings.MINISTRY, self.ministry.text().strip())
        self.preferences.set(settings.CHART_LANGUAGE, self.chart_language.currentData())
        super().accept()
