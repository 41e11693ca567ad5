"""Briefing documents (.docx) for ministers and partners, built in memory from cases.

    briefing = build_briefing(store, [case_id], BriefingOptions(language="fr", marking="amber"))
    briefing.data       # the .docx bytes; nothing is on disk until briefing.save(path)
    briefing.note()     # for the analyst only: what the marking kept out, template warnings
"""

from __future__ import annotations

from .content import Exclusions
from .document import Briefing, BriefingOptions, build_briefing
from .language import LANGUAGES
from .sections import SECTIONS

__all__ = ["Briefing", "BriefingOptions", "Exclusions", "LANGUAGES", "SECTIONS", "build_briefing"]
