"""The OS credential store, with the native backend pinned.

We never let keyring choose: with the third-party "alt" keyrings installed, its chainer silently
picks a plaintext file backend and writes the key, base64-encoded, into the home folder
(DESIGN.md 4).
Only the short secrets go here (a 32-byte key, base64): Windows caps a credential at 2,560 bytes.
"""

from __future__ import annotations

import sys
import time

from keyring.backend import KeyringBackend

from .errors import KeyringError

SERVICE = "RRM Desk"
_LOOKS = 3
_LOOK_AGAIN_S = 0.05


def _native_backend_class() -> type[KeyringBackend]:
    if sys.platform.startswith("win"):
        from keyring.backends.Windows import WinVaultKeyring

        return WinVaultKeyring
    if sys.platform == "darwin":
        from keyring.backends.macOS import Keyring as MacKeyring

        return MacKeyring
    from keyring.backends.SecretService import Keyring as SecretServiceKeyring

    return SecretServiceKeyring


def _unavailable(exc: BaseException) -> KeyringError:
    text = str(exc).strip() or type(exc).__name__
    if "locked" in text.lower() or type(exc).__name__ in {"KeyringLocked", "LockedException"}:
        return KeyringError(
            "the desktop keyring is locked",
            "unlock it (log in to the desktop session), or use passphrase mode with 'rrmdesk init --passphrase'",
        )
    return KeyringError(f"no secure keyring is available ({text.splitlines()[0]})")


class CredentialStore:
    """Get, set and delete one workspace's secrets in the OS keyring; every failure is a KeyringError."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._backend = backend

    def _native(self) -> KeyringBackend:
        if self._backend is None:
            try:
                backend = _native_backend_class()()
                backend.priority  # noqa: B018  (raises when the backend cannot work here)
            except Exception as exc:
                raise _unavailable(exc) from exc
            self._backend = backend
        return self._backend

    def available(self) -> bool:
        try:
            self._native()
            return True
        except KeyringError:
            return False

    def get(self, account: str) -> str | None:
        """The secret, or None once a second and third look agree it is absent.

        gnome-keyring's Secret Service search sometimes comes back empty for an entry that is
        there (seen under load, and just after the entry was written); telling the analyst their
        key is gone and to use the recovery key would be wrong, so a miss is looked at again.
        """
        backend = self._native()
        for attempt in range(_LOOKS):
            try:
                secret = backend.get_password(SERVICE, account)
            except Exception as exc:
                raise _unavailable(exc) from exc
            if secret is not None:
                return secret
            if attempt + 1 < _LOOKS:
                time.sleep(_LOOK_AGAIN_S)
        return None

    def set(self, account: str, secret: str) -> None:
        if len(secret) > 1000:
            raise ValueError("keyring secrets are kept short (Windows caps them at 2,560 bytes)")
        backend = self._native()
        try:
            backend.set_password(SERVICE, account, secret)
        except Exception as exc:
            raise _unavailable(exc) from exc

    def delete(self, account: str) -> None:
        backend = self._native()
        try:
            if backend.get_password(SERVICE, account) is not None:
                backend.delete_password(SERVICE, account)
        except Exception as exc:
            raise _unavailable(exc) from exc

    @property
    def backend_name(self) -> str:
        backend = self._native()
        return f"{type(backend).__module__.rsplit('.', 1)[-1]} keyring"
