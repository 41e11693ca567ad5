"""RRM Desk core: encrypted case store, domain model, audit chain and services (no Qt).

The public API is what ``__all__`` lists; modules not named here are internal.
"""

from __future__ import annotations

from . import database as _database  # noqa: F401  (registers sqlcipher3 for sqlite-utils first)
from .audit import AuditEntry, ChainReport
from .errors import (
    BusyError,
    Cancelled,
    EvidenceError,
    FormatError,
    IdentityMissingError,
    IntegrityError,
    KeyringError,
    NotFoundError,
    RRMDeskError,
    SealedSettingError,
    StoreError,
    UnlockError,
    UsageError,
    WorkspaceError,
)
from .model import (
    Actor,
    Case,
    Event,
    Evidence,
    Judgment,
    Narrative,
    Observable,
    Relationship,
    Response,
    TechniqueUse,
)
from .progress import Progress
from .store import CaseFilter, SearchHit, Store
from .workspace import Workspace, default_path

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Actor",
    "AuditEntry",
    "BusyError",
    "Cancelled",
    "Case",
    "CaseFilter",
    "ChainReport",
    "Event",
    "Evidence",
    "EvidenceError",
    "FormatError",
    "IdentityMissingError",
    "IntegrityError",
    "Judgment",
    "KeyringError",
    "Narrative",
    "NotFoundError",
    "Observable",
    "Progress",
    "RRMDeskError",
    "Relationship",
    "Response",
    "SealedSettingError",
    "SearchHit",
    "Store",
    "StoreError",
    "TechniqueUse",
    "UnlockError",
    "UsageError",
    "Workspace",
    "WorkspaceError",
    "default_path",
]
