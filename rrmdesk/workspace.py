"""A workspace: a folder with the encrypted database and a small, non-secret config.

The database key is 32 random bytes. Where it lives depends on the unlock method:

- ``keyring``: in the OS credential store (pinned native backend, never a plaintext file);
- ``passphrase``: wrapped by a key derived from the analyst's passphrase (scrypt), in the config.

Either way a second wrapped copy, sealed by the recovery key shown once at creation, sits in the
config, so losing the keyring entry (a new OS profile) does not lose the cases. Other secrets that
must outlive a lost keyring (the ministry's bundle identity) are sealed under the database key
inside the database (sealed_settings), so they come back with it. Nothing in the folder but the
database holds case content, and the database is encrypted.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import secrets
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from . import keywrap, sealed_settings
from .clock import utc_now
from .credentials import CredentialStore
from .database import open_encrypted
from .errors import KeyringError, StoreError, UnlockError, UsageError, WorkspaceError
from .migrations import SCHEMA_VERSION
from .store import Store

FORMAT = "rrmdesk-workspace/1"
CONFIG = "workspace.json"
DATABASE = "cases.db"
METHODS = ("keyring", "passphrase")



def default_path() -> Path:
    """The per-user data folder of the OS, unless RRMDESK_WORKSPACE says otherwise."""
    override = os.environ.get("RRMDESK_WORKSPACE")
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path("rrmdesk", appauthor=False) / "workspace"


def default_analyst() -> str:
    return os.environ.get("RRMDESK_ANALYST") or getpass.getuser()


def _write_config(path: Path, config: dict[str, Any]) -> None:
    """Replace the config atomically: a crash leaves the old or the new file, never half of one."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    data = json.dumps(config, indent=2, sort_keys=True).encode()
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise WorkspaceError(f"cannot write {path}: {exc.strerror or exc}", "check free disk space and permissions") from exc
    if hasattr(os, "O_DIRECTORY"):
        dir_fd = os.open(path.parent, os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


@dataclass
class Workspace:
    path: Path
    config: dict[str, Any]
    credentials: CredentialStore

    # -- creating and loading -------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: Path,
        method: str = "keyring",
        passphrase: str | None = None,
        analyst: str | None = None,
        credentials: CredentialStore | None = None,
    ) -> tuple["Workspace", str]:
        """Make a new workspace; return it and the recovery key, which is not stored anywhere."""
        path = Path(path)
        credentials = credentials or CredentialStore()
        if method not in METHODS:
            raise UsageError(f"unknown unlock method {method!r}", "use keyring or passphrase")
        if (path / CONFIG).exists():
            raise WorkspaceError(f"a workspace already exists in {path}", "open it, or choose another folder with --workspace")
        if path.exists() and any(path.iterdir()):
            raise WorkspaceError(f"{path} is not empty", "choose an empty or new folder for the workspace")
        if method == "passphrase":
            keywrap.check_passphrase(passphrase or "")
        elif not credentials.available():
            credentials.get("probe")  # raises the KeyringError that says why
        workspace_id = str(uuid.uuid4())
        key = keywrap.new_key()
        recovery_key = keywrap.new_recovery_key()
        config: dict[str, Any] = {
            "format": FORMAT,
            "workspace_id": workspace_id,
            "created": utc_now(),
            "analyst": analyst or default_analyst(),
            "ministry": "",
            "unlock": method,
            "recovery": {"sealed_key": keywrap.seal(keywrap.recovery_kek(recovery_key), key, workspace_id)},
        }
        made_folder = not path.exists()
        try:
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise WorkspaceError(f"cannot create {path}: {exc.strerror or exc}", "choose a folder you may write to") from exc
        workspace = cls(path, config, credentials)
        try:
            workspace._store_key(key, passphrase)
            Store.open(workspace.database_path, key, workspace.analyst).close()
            _write_config(path / CONFIG, workspace.config)
        except BaseException:
            for name in (DATABASE, f"{DATABASE}-wal", f"{DATABASE}-shm"):
                (path / name).unlink(missing_ok=True)
            if made_folder:  # a failed init leaves no trace (a locked keyring, say)
                with contextlib.suppress(OSError):
                    path.rmdir()
            raise
        return workspace, recovery_key

    @classmethod
    def load(cls, path: Path, credentials: CredentialStore | None = None) -> "Workspace":
        path = Path(path)
        config_path = path / CONFIG
        if not config_path.exists():
            raise WorkspaceError(f"no RRM Desk workspace in {path}")
        try:
            config = json.loads(config_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise WorkspaceError(f"the workspace config {config_path} is unreadable", "restore it from a backup") from exc
        if config.get("format") != FORMAT:
            raise WorkspaceError(f"{config_path} is not a workspace this RRM Desk understands (format {config.get('format')!r})",
                                 "install the RRM Desk version that made it")
        if not (path / DATABASE).exists():
            raise WorkspaceError(f"the workspace database {path / DATABASE} is missing", "restore it from a backup")
        if (path / DATABASE).stat().st_size == 0:  # SQLCipher would silently start a new, empty one
            raise StoreError(f"the workspace database {path / DATABASE} is empty (truncated)", "restore it from a backup")
        return cls(path, config, credentials or CredentialStore())

    # -- facts ------------------------------------------------------------------------------

    @property
    def database_path(self) -> Path:
        return self.path / DATABASE

    @property
    def workspace_id(self) -> str:
        return str(self.config["workspace_id"])

    @property
    def method(self) -> str:
        return str(self.config["unlock"])

    @property
    def analyst(self) -> str:
        return os.environ.get("RRMDESK_ANALYST") or str(self.config.get("analyst") or default_analyst())

    @property
    def keyring_account(self) -> str:
        return f"workspace-{self.workspace_id}"

    @property
    def ministry(self) -> str:
        return str(self.config.get("ministry") or "")

    @property
    def classification(self) -> str:
        """The classification line printed above the TLP marking on briefings (may be empty)."""
        return str(self.config.get("classification") or "")

    def set_profile(self, analyst: str | None = None, ministry: str | None = None,
                    classification: str | None = None) -> None:
        """Who is working and under which national marking; none of it is secret or case content."""
        for name, value in (("analyst", analyst), ("ministry", ministry), ("classification", classification)):
            if value is not None:
                self.config[name] = value.strip()
        _write_config(self.path / CONFIG, self.config)

    # -- the key ----------------------------------------------------------------------------

    def _store_key(self, key: bytes, passphrase: str | None, slot: str = "") -> None:
        """Put ``key`` where this workspace's unlock method keeps it (``slot`` 'pending' during rekey)."""
        if self.method == "keyring":
            self.credentials.set(self.keyring_account + (f"-{slot}" if slot else ""), keywrap.b64(key))
            return
        entry = keywrap.seal_with_passphrase(passphrase or "", key, self.workspace_id)
        self.config[f"passphrase{'_' + slot if slot else ''}"] = entry

    def _passphrase_key(self, passphrase: str | None, slot: str = "") -> bytes | None:
        entry = self.config.get(f"passphrase{'_' + slot if slot else ''}")
        if entry is None:
            return None
        if not passphrase:
            raise UnlockError("this workspace is protected by a passphrase", "enter it, or set RRMDESK_PASSPHRASE for automation")
        return keywrap.open_with_passphrase(entry, passphrase, self.workspace_id)

    def _keyring_key(self, slot: str = "") -> bytes | None:
        stored = self.credentials.get(self.keyring_account + (f"-{slot}" if slot else ""))
        return keywrap.unb64(stored) if stored else None

    def _candidate_keys(self, passphrase: str | None) -> list[bytes]:
        """The current key, then the pending one while the config says a rotation is under way."""
        rotating = "recovery_pending" in self.config
        if self.method == "keyring":
            keys = [self._keyring_key(), self._keyring_key("pending") if rotating else None]
            if not any(keys):
                raise KeyringError(
                    "the keyring has no key for this workspace (new OS profile, or the entry was deleted)",
                    "run 'rrmdesk recover' with the recovery key printed at 'rrmdesk init'",
                )
            return [k for k in keys if k]
        keys = [self._passphrase_key(passphrase)]
        if "passphrase_pending" in self.config:
            try:
                keys.append(self._passphrase_key(passphrase, "pending"))
            except UnlockError:
                pass
        return [k for k in keys if k]

    def unlock(self, passphrase: str | None = None) -> Store:
        """Open the encrypted database; finishes or drops a key rotation that was interrupted.

        Which key opened the database decides: the pending key means the rekey happened (promote
        it, even if the keyring already holds it as current), any other means it did not.
        """
        last_error: Exception | None = None
        for key in self._candidate_keys(passphrase):
            try:
                store = Store.open(self.database_path, key, self.analyst)
            except UnlockError as exc:
                last_error = exc
                continue
            pending = self.config.get("recovery_pending")
            rotating = pending is not None or "passphrase_pending" in self.config
            if pending is not None and pending.get("key_id") == keywrap.key_id(key):
                self._promote_pending(key, passphrase)
            elif rotating:
                self._discard_pending()
            if rotating:  # the rotation stopped midway: sealed secrets have a copy under the other key
                sealed_settings.prune(store, key)
            return store
        assert last_error is not None
        raise last_error

    def verify_key(self, key: bytes) -> None:
        open_encrypted(self.database_path, key).close()

    def database_key(self, passphrase: str | None = None) -> bytes:
        """The key the database is encrypted under now, for secrets sealed under it (sealed_settings)."""
        last_error: Exception | None = None
        for key in self._candidate_keys(passphrase):
            try:
                self.verify_key(key)
                return key
            except UnlockError as exc:
                last_error = exc
        assert last_error is not None
        raise last_error

    # -- changing how it is unlocked ----------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> None:
        if self.method != "passphrase":
            raise UsageError("this workspace is unlocked by the keyring, not a passphrase",
                             "use 'rrmdesk recover --passphrase' to switch it to a passphrase")
        keywrap.check_passphrase(new)
        key = self._passphrase_key(old)
        assert key is not None
        self.verify_key(key)
        self._store_key(key, new)
        _write_config(self.path / CONFIG, self.config)

    def rotate_key(self, store: Store, show_recovery_key: Callable[[str], None], passphrase: str | None = None) -> None:
        """Re-encrypt the database under a new random key (``PRAGMA rekey``) with a new recovery key.

        The new key is saved as *pending* (keyring or config, and sealed by the new recovery key)
        and the new recovery key is shown before the database changes, so a crash at any point
        leaves a key that opens it and a recovery key the analyst has seen. Secrets sealed under
        the database key get a copy under the new key first and lose the old one last.
        """
        old = self.database_key(passphrase)
        new = keywrap.new_key()
        recovery_key = keywrap.new_recovery_key()
        self._store_key(new, passphrase, slot="pending")
        self.config["recovery_pending"] = {
            "sealed_key": keywrap.seal(keywrap.recovery_kek(recovery_key), new, self.workspace_id),
            "key_id": keywrap.key_id(new),
        }
        _write_config(self.path / CONFIG, self.config)
        show_recovery_key(recovery_key)
        sealed_settings.reseal(store, self.workspace_id, old, new)
        store.rekey(new)
        self._promote_pending(new, passphrase)
        sealed_settings.prune(store, new)
        store.record_event("rekey", f"workspace--{self.workspace_id}", {"method": self.method})

    def _promote_pending(self, key: bytes, passphrase: str | None) -> None:
        if "recovery_pending" in self.config:
            pending = self.config.pop("recovery_pending")
            self.config["recovery"] = pending
        if self.method == "keyring":
            self.credentials.set(self.keyring_account, keywrap.b64(key))
            self.credentials.delete(self.keyring_account + "-pending")
        elif "passphrase_pending" in self.config:
            self.config["passphrase"] = self.config.pop("passphrase_pending")
        _write_config(self.path / CONFIG, self.config)

    def _discard_pending(self) -> None:
        """A rotation stopped before the database changed: the current key stays."""
        self.config.pop("recovery_pending", None)
        self.config.pop("passphrase_pending", None)
        if self.method == "keyring":
            self.credentials.delete(self.keyring_account + "-pending")
        _write_config(self.path / CONFIG, self.config)

    def recover(self, recovery_key: str, method: str | None = None, passphrase: str | None = None) -> None:
        """Unseal the database key with the recovery key and store it again (keyring or passphrase)."""
        kek = keywrap.recovery_kek(recovery_key)
        sealed = [self.config["recovery"]["sealed_key"]]
        if "recovery_pending" in self.config:
            sealed.insert(0, self.config["recovery_pending"]["sealed_key"])
        key = None
        for candidate in sealed:
            try:
                key = keywrap.unseal(kek, candidate, self.workspace_id, "recovery key")
                self.verify_key(key)
                break
            except UnlockError:
                key = None
        if key is None:
            raise UnlockError("that recovery key does not unlock this workspace", "check that it belongs to this workspace")
        method = method or self.method
        if method not in METHODS:
            raise UsageError(f"unknown unlock method {method!r}", "use keyring or passphrase")
        if method == "keyring" and not self.credentials.available():
            self.credentials.get("probe")
        # A refused passphrase or keyring leaves the workspace as it was, on disk and in memory:
        # the desktop keeps this object and offers the dialog again.
        previous = json.loads(json.dumps(self.config))
        try:
            self.config["unlock"] = method
            self.config.pop("recovery_pending", None)
            self.config["recovery"] = {"sealed_key": keywrap.seal(kek, key, self.workspace_id)}
            if method == "keyring":
                self.config.pop("passphrase", None)
            self._store_key(key, passphrase)
        except BaseException:
            self.config = previous
            raise
        _write_config(self.path / CONFIG, self.config)

    # -- status -------------------------------------------------------------------------------

    def describe(self) -> dict[str, Any]:
        """What a person needs to know about the workspace without unlocking it."""
        usage = shutil.disk_usage(self.path)
        return {
            "path": str(self.path),
            "workspace_id": self.workspace_id,
            "unlock": self.method,
            "keyring": self.credentials.backend_name if self.method == "keyring" and self.credentials.available() else None,
            "analyst": self.analyst,
            "ministry": self.ministry,
            "classification": self.classification,
            "database_bytes": self.database_path.stat().st_size,
            "disk_free_bytes": usage.free,
            "schema_version_supported": SCHEMA_VERSION,
        }
