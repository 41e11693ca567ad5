"""The sections a briefing can hold, in document order.

Kept apart from ``sections`` (which needs python-docx) so the CLI and the desktop outline can
list them without loading the document machinery.
"""

SECTION_NAMES: tuple[str, ...] = (
    "contents",
    "bluf",
    "judgments",
    "chronology",
    "actors",
    "techniques",
    "narratives",
    "responses",
    "lessons",
    "evidence",
    "sources",
)
