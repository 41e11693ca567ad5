"""Interchange: STIX 2.1 and MISP in and out, CSV in, with a report of what each import did.

Core functions only (no Qt): the CLI (``rrmdesk/cli/interop_commands.py``) and the desktop app
call them with a ``Progress`` and show the ``ImportReport``.
"""

from __future__ import annotations

from .kept import conflicts_of, provenance_of
from .report import ImportReport

__all__ = ["ImportReport", "provenance_of", "conflicts_of"]
