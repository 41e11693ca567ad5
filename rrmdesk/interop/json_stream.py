"""Read a STIX bundle's objects one at a time, so a 200 MB bundle needs only a little memory.

The standard library has no streaming JSON parser, but ``JSONDecoder.raw_decode`` (in C) decodes
one value starting at a position in a string. We keep a window of decoded text, walk the
bundle's top-level keys by hand and hand each element of ``objects`` to ``raw_decode``; text
already consumed is dropped when the next chunk arrives. No new dependency, and about as fast as
``json.load`` because the per-object work is still done in C.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from ..errors import FormatError

CHUNK = 1 << 20
#: The largest single JSON value (one STIX object) we hold; a bigger one is refused.
MAX_VALUE = 64 << 20
_WHITESPACE = " \t\r\n"
_DECODER = json.JSONDecoder()


class _Window:
    """Decoded text from a byte stream, from the current position onwards."""

    def __init__(self, stream: BinaryIO, on_read: Callable[[int], None] | None) -> None:
        self.stream = stream
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.text = ""
        self.pos = 0
        self.eof = False
        self.bytes_read = 0
        self.on_read = on_read

    def more(self) -> bool:
        if self.eof:
            return False
        data = self.stream.read(CHUNK)
        self.bytes_read += len(data)
        try:
            decoded = self.utf8.decode(data, final=not data)
        except UnicodeDecodeError as exc:
            raise FormatError(
                f"the file is not UTF-8 text (bad byte near byte {self.bytes_read - len(data) + exc.start:,})",
                "STIX and MISP JSON are UTF-8; check that this is the file you meant; nothing was imported",
            ) from None
        if not data:
            self.eof = True
        self.text = self.text[self.pos :] + decoded
        self.pos = 0
        if self.on_read is not None:
            self.on_read(self.bytes_read)
        return True

    def peek(self) -> str:
        """The next non-blank character ('' at the end), without consuming it."""
        while True:
            text, pos = self.text, self.pos
            while pos < len(text) and text[pos] in _WHITESPACE:
                pos += 1
            self.pos = pos
            if pos < len(text):
                return text[pos]
            if not self.more():
                return ""

    def expect(self, char: str, where: str) -> None:
        found = self.peek()
        if found != char:
            raise _broken(self, f"expected {char!r} {where}, found {found!r}" if found else f"it ends {where}")
        self.pos += 1

    def value(self) -> Any:
        return self.value_and_text()[0]

    def value_and_text(self) -> tuple[Any, str]:
        """The next JSON value and the text it was read from."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise _broken(self, exc.msg, exc.pos) from None
                if len(self.text) - self.pos > MAX_VALUE:
                    raise FormatError("one object in the file is over 64 MiB", "split the bundle; nothing was imported")
                self.more()
                continue
            if end == len(self.text) and not self.eof and not isinstance(value, (dict, list, str)):
                self.more()  # a number or literal may continue in the next chunk
                continue
            start, self.pos = self.pos, end
            return value, self.text[start:end]


def _broken(window: _Window, detail: str, at: int | None = None) -> FormatError:
    at_end = (window.pos if at is None else at) >= len(window.text.rstrip())
    if window.eof and (at_end or detail.startswith("Unterminated string")):
        return FormatError("the JSON ends early: the file looks truncated",
                           "copy the file again or ask the sender for a complete one; nothing was imported")
    return FormatError(f"the file is not valid JSON ({detail})",
                       "check that this is the file you meant; nothing was imported")


def iter_bundle(stream: BinaryIO, header: dict[str, Any],
                on_read: Callable[[int], None] | None = None) -> Iterator[tuple[Any, str]]:
    """Yield each element of the top-level ``objects`` array with its JSON text (an importer
    keeps an object it does not model as received, without encoding it again); other top-level
    keys go to ``header``.

    ``header`` is complete once the iterator is exhausted (``type`` may follow ``objects``).
    """
    window = _Window(stream, on_read)
    if window.peek() == "\ufeff":
        window.pos += 1
    if window.peek() != "{":
        if window.peek() == "":
            raise FormatError("the file is empty", "check that this is the file you meant; nothing was imported")
        raise _broken(window, "a bundle is a JSON object")
    window.pos += 1
    if window.peek() == "}":
        window.pos += 1
        return
    while True:
        key = window.value()
        if not isinstance(key, str):
            raise _broken(window, "expected a property name")
        window.expect(":", f"after {key!r}")
        if key == "objects" and window.peek() == "[":
            window.pos += 1
            if window.peek() == "]":
                window.pos += 1
            else:
                while True:
                    yield window.value_and_text()
                    separator = window.peek()
                    window.pos += 1
                    if separator == "]":
                        break
                    if separator != ",":
                        raise _broken(window, "expected ',' or ']' in objects")
            header.setdefault("objects", None)
        else:
            header[key] = window.value()
        separator = window.peek()
        window.pos += 1
        if separator == "}":
            break
        if separator != ",":
            raise _broken(window, "expected ',' or '}' at the top level")
    if window.peek() != "":
        raise _broken(window, "extra data after the bundle")


def load_json(data: bytes) -> Any:
    """Parse a small JSON document (a MISP event) with the same messages as the stream reader."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise FormatError("the file is not UTF-8 text", "check that this is the file you meant; nothing was imported") from None
    except json.JSONDecodeError as exc:
        raise FormatError(f"the file is not valid JSON ({exc.msg} at line {exc.lineno})",
                          "check that this is the file you meant; nothing was imported") from None
