"""Where the workstation keeps its secrets: the login token and the media key.

Secrets go to the OS keyring through `keyring`. When no secure keyring exists
(the fail/null backends, an empty chainer, or a plain-text file backend) they live
in this process's memory only, `.secure` is False and the UI says so. Never write a
secret to a file of the data directory, and never log one.
"""

from __future__ import annotations

import base64
import contextlib
import os
import secrets as _random
import threading

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, PasswordDeleteError

SERVICE = "reviewer-workstation"
MEDIA_KEY_ENTRY = "media-key"
ALLOW_FILE_KEYRING_ENV = "REVIEWER_ALLOW_FILE_KEYRING"


def is_secure_backend(backend: KeyringBackend) -> bool:
    """True when `backend` keeps secrets out of plain files (or tests allow a file one)."""
    from keyring.backends import chainer, fail

    if isinstance(backend, fail.Keyring):
        return False
    module = type(backend).__module__
    if module.startswith("keyring.backends.null"):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return any(is_secure_backend(b) for b in backend.backends)
    if module.startswith("keyrings.alt"):
        return os.environ.get(ALLOW_FILE_KEYRING_ENV) == "1"
    try:
        return float(backend.priority) > 0
    except Exception:  # a backend whose priority check itself fails is not usable
        return False


def _token_entry(server: str, username: str) -> str:
    return f"token:{username}@{server}"


class SecretStore:
    """Tokens and the media key, in the keyring when secure, else in memory."""

    def __init__(self, backend: KeyringBackend | None = None, *, secure: bool | None = None):
        self._backend = backend
        self.secure = bool(backend is not None and (secure if secure is not None else True))
        self._memory: dict[str, str] = {}
        self._lock = threading.Lock()
        self.refused = False
        """True once a keyring that exists refused us (locked, or access denied)."""

    @property
    def session_only_reason(self) -> str | None:
        """Why secrets live in memory for this session only, in words; None when they don't."""
        if self.secure:
            return None
        if self.refused:
            return "Your keyring is locked or refused access: login kept for this session only"
        return "No secure keyring: login kept for this session only"

    # --- raw entries ------------------------------------------------------------------

    def _get(self, entry: str) -> str | None:
        with self._lock:
            if entry in self._memory or not self.secure:
                return self._memory.get(entry)
            try:
                return self._backend.get_password(SERVICE, entry)  # type: ignore[union-attr]
            except KeyringError:
                # A locked keyring: this session goes on in memory, and says why.
                self.secure, self.refused = False, True
                return None

    def _set(self, entry: str, value: str) -> None:
        with self._lock:
            if self.secure:
                try:
                    self._backend.set_password(SERVICE, entry, value)  # type: ignore[union-attr]
                    return
                except KeyringError:
                    # A locked or broken keyring: keep the secret for this session only.
                    self.secure, self.refused = False, True
            self._memory[entry] = value

    def _delete(self, entry: str) -> None:
        with self._lock:
            self._memory.pop(entry, None)
            if self._backend is None:
                return
            with contextlib.suppress(PasswordDeleteError, KeyringError):
                self._backend.delete_password(SERVICE, entry)

    # --- tokens -----------------------------------------------------------------------

    def get_token(self, server: str, username: str) -> str | None:
        return self._get(_token_entry(server, username))

    def set_token(self, server: str, username: str, token: str) -> None:
        self._set(_token_entry(server, username), token)

    def delete_token(self, server: str, username: str) -> None:
        self._delete(_token_entry(server, username))

    # --- media key --------------------------------------------------------------------

    def media_key(self) -> bytes:
        """The 32-byte AES-GCM key of the media vault, created on first use."""
        stored = self._get(MEDIA_KEY_ENTRY)
        if stored:
            try:
                key = base64.b64decode(stored, validate=True)
                if len(key) == 32:
                    return key
            except ValueError:
                pass
        key = _random.token_bytes(32)
        self._set(MEDIA_KEY_ENTRY, base64.b64encode(key).decode("ascii"))
        return key


def open_secret_store() -> SecretStore:
    """The SecretStore over whatever keyring backend this machine offers."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # keyring's own discovery can fail on odd systems
        return SecretStore(None, secure=False)
    secure = is_secure_backend(backend)
    return SecretStore(backend if secure else None, secure=secure)
