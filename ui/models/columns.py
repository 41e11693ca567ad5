"""How one field of a record shows in a table and how typed text becomes its value again.

The core validates (``Record.with_changes`` raises ``UsageError`` with a hint); a column only
turns cell text into the Python type of the field, so the same rules apply in the table, the
CLI and the importers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rrmdesk.model import Record


def short_time(stamp: str | None) -> str:
    """``2024-03-01T14:30:00.000Z`` as ``2024-03-01 14:30`` (UTC, as stored)."""
    if not stamp:
        return ""
    date, _, time = stamp.partition("T")
    return date if time.startswith("00:00:00") else f"{date} {time[:5]}"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


@dataclass(frozen=True)
class Column:
    """``kind``: text, choice, time, list, bool or ref (an id of another object in the case)."""

    field: str
    header: str
    kind: str = "text"
    choices: tuple[str, ...] = ()
    optional: bool = False
    editable: bool = True
    #: text shown instead of the raw value (derived columns, sizes, names)
    show: Callable[[Record], str] | None = None
    tip: str = ""
    #: for ref columns: the kinds of object it may point at (empty: any object in the case)
    refers_to: tuple[str, ...] = ()

    def display(self, record: Record, names: dict[str, str]) -> str:
        if self.show is not None:
            return self.show(record)
        value = getattr(record, self.field)
        if self.kind == "time":
            return short_time(value)
        if self.kind == "list":
            return ", ".join(value)
        if self.kind == "ref":
            return names.get(value, value) if value else ""
        if self.kind == "refs":
            return ", ".join(names.get(v, v) for v in value)
        return "" if value is None else str(value)

    def edit_text(self, record: Record) -> Any:
        value = getattr(record, self.field)
        if self.kind == "list":
            return ", ".join(value)
        return "" if value is None else value

    def parse(self, text: Any) -> Any:
        """Cell text to the field's type; empty text clears an optional field."""
        if self.kind == "bool":
            return bool(text)
        text = "" if text is None else str(text).strip()
        if self.kind == "list":
            return [part.strip() for part in text.split(",") if part.strip()]
        if not text and self.optional:
            return None
        return text
