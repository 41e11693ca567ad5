"""One entry point for "import this file": detect the format by content, run its importer.

The CLI's ``rrmdesk import`` and the desktop's Import dialog both call ``import_file``; the
format may be forced when detection cannot tell (a CSV without separators on its first line).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import FormatError, UsageError
from ..progress import Progress
from ..store import Store
from .csv_import import ColumnMapping, import_csv
from .detect import FORMATS, HEAD, detect_bytes
from .misp import import_misp
from .report import ImportReport
from .stix_import import import_stix


def detect_file(path: Path) -> str:
    try:
        with Path(path).open("rb") as stream:
            return detect_bytes(stream.read(HEAD))
    except FileNotFoundError:
        raise FormatError(f"no such file: {path}", "check the path") from None
    except IsADirectoryError:
        raise FormatError(f"{path} is a folder", "give the file inside it") from None
    except OSError as exc:
        raise FormatError(f"cannot read {path}: {exc.strerror or exc}", "check the file") from exc


def import_file(store: Store, path: Path, *, fmt: str | None = None, case_id: str | None = None,
                mapping: ColumnMapping | None = None, case_title: str | None = None, strict: bool = False,
                progress: Progress | None = None) -> ImportReport:
    """Import ``path`` (STIX 2.1, MISP event JSON or CSV) in one transaction; see each importer."""
    path = Path(path)
    found = fmt or detect_file(path)
    if found not in FORMATS:
        raise UsageError(f"{found!r} is not an import format", f"use one of: {', '.join(FORMATS)}")
    if found == "stix":
        return import_stix(store, path, case_id=case_id, progress=progress)
    if found == "misp":
        return import_misp(store, path, case_id=case_id, progress=progress)
    if mapping is None:
        raise UsageError("a CSV import needs a column mapping",
                         "pass --mapping NAME (saved) or --map title=COLUMN --map start=COLUMN ...")
    return import_csv(store, path, mapping, case_id=case_id, case_title=case_title, strict=strict, progress=progress)
