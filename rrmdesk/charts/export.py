"""Charts out of RRM Desk: PNG, SVG and PDF at print quality.

Rendering goes to memory first (DESIGN.md: exports go to a ``BytesIO`` until the analyst chooses
the destination), then to the chosen file in one write, so a failed export never leaves half a
file with case content behind. Title, TLP marking and date of production are already in the
figure (``frame.decorate``); the PDF also carries them as document metadata.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from matplotlib.figure import Figure

from ..errors import RRMDeskError, UsageError
from . import choices, style
from .raster import RASTER_BACKEND

FORMATS = choices.FORMATS
PRINT_DPI = 300


_WRITE_HINT = "choose another folder or file name; nothing was written"


def format_for(path: Path, fmt: str | None = None) -> str:
    """The format named explicitly, or by the file's extension."""
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise UsageError(f"cannot export a chart as {chosen or 'a file without an extension'!r}",
                         "end the file name in .png, .svg or .pdf")
    return chosen


def figure_bytes(figure: Figure, fmt: str, title: str = "", tlp: str = "", dpi: int = PRINT_DPI) -> bytes:
    """The figure encoded as PNG, SVG or PDF, in memory."""
    fmt = format_for(Path(f"chart.{fmt}"))
    metadata: dict[str, str] = {}
    if fmt == "pdf":
        metadata = {"Title": title, "Subject": style.tlp_label(tlp) if tlp else "", "Creator": "RRM Desk"}
    elif fmt == "svg":
        metadata = {"Title": title, "Description": style.tlp_label(tlp) if tlp else "", "Creator": "RRM Desk"}
    elif fmt == "png":
        metadata = {"Title": title, "Description": style.tlp_label(tlp) if tlp else "", "Software": "RRM Desk"}
    buffer = io.BytesIO()
    # savefig switches to the format's canvas and back, so a figure shown in the desktop app
    # keeps its Qt canvas while it is exported.
    with style.matplotlib_settings(style.SAVE_PARAMS):
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata={k: v for k, v in metadata.items() if v},
                       facecolor="white", backend=RASTER_BACKEND if fmt == "png" else None)
    return buffer.getvalue()


def export_figure(figure: Figure, path: Path, fmt: str | None = None, title: str = "", tlp: str = "",
                  overwrite: bool = False) -> Path:
    """Write the figure to ``path`` (format from the extension unless ``fmt``); refuses to overwrite."""
    path = Path(path)
    data = figure_bytes(figure, format_for(path, fmt), title, tlp)
    try:
        flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
        descriptor = os.open(path, flags, 0o600)
    except FileExistsError:
        raise UsageError(f"{path} already exists", "choose another name or pass --force") from None
    except OSError as exc:
        raise RRMDeskError(f"cannot write {path}: {exc.strerror or exc}", _WRITE_HINT) from exc
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise RRMDeskError(f"cannot write {path}: {exc.strerror or exc}", _WRITE_HINT) from exc
    return path
