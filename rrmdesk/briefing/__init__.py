"""Briefing documents (.docx) for ministers and partners, built in memory from cases.

    briefing = build_briefing(store, [case_id], BriefingOptions(language="fr", marking="amber"))
    briefing.data       # the .docx bytes; nothing is on disk until briefing.save(path)
    briefing.note()     # for the analyst only: what the marking kept out, template warnings
"""

from __future__ import annotations

from ..lazy import lazy_exports

# Loaded on first use: python-docx and matplotlib take a second to import, and the CLI and the
# desktop app should not pay for them until a briefing is actually made.
_EXPORTS = {
    "Briefing": "document",
    "BriefingOptions": "document",
    "build_briefing": "document",
    "Exclusions": "content",
    "LANGUAGES": "language",
    "SECTIONS": "sections",
    "SECTION_NAMES": "outline",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
