"""The desktop app's preferences, each declared once: key, type, default and what it means.

Values live in ``QSettings`` under the organisation and application names set in ``app.py``;
tests point QSettings at a temporary folder so they never touch the analyst's own settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings

from rrmdesk import vocab

ORGANISATION = "RRM Desk"
APPLICATION = "rrmdesk"


@dataclass(frozen=True)
class Setting:
    key: str
    type: type
    default: Any
    description: str


IDLE_LOCK_MINUTES = Setting("lock/idle_minutes", int, 10, "Lock the workspace after this many idle minutes (0: never)")
DEFAULT_TLP = Setting("cases/default_tlp", str, "amber", "TLP marking given to new cases")
ANALYST = Setting("profile/analyst", str, "", "Your name, as recorded in the audit trail")
MINISTRY = Setting("profile/ministry", str, "", "Your ministry or organisation, used in exports and briefings")
CHART_LANGUAGE = Setting("charts/language", str, "en",
                         "Language of the words drawn on the timeline and graph, on screen and exported")
ALL = (IDLE_LOCK_MINUTES, DEFAULT_TLP, ANALYST, MINISTRY, CHART_LANGUAGE)
#: the languages briefings and charts are written in, as offered in the dialogs
LANGUAGES = (("en", "English"), ("fr", "Français"))


class Preferences:
    """Typed access to the settings above; an unreadable stored value falls back to the default."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings(ORGANISATION, APPLICATION)

    def get(self, setting: Setting) -> Any:
        raw = self._store.value(setting.key, setting.default)
        try:
            value = setting.type(raw)
        except (TypeError, ValueError):
            return setting.default
        if setting is DEFAULT_TLP and value not in vocab.TLP:
            return setting.default
        if setting is IDLE_LOCK_MINUTES and value < 0:
            return setting.default
        if setting is CHART_LANGUAGE and value not in dict(LANGUAGES):
            return setting.default
        return value

    def set(self, setting: Setting, value: Any) -> None:
        self._store.setValue(setting.key, setting.type(value))
        self._store.sync()
