"""What can go wrong in the local store and the media vault, as types.

Each error's message is a sentence a reviewer can act on, so the UI may show it as it
is; the cause (SQLite's or the OS's own error) stays chained for the log. Nothing here
imports SQLAlchemy: callers catch these without knowing how the store is built.
"""

from __future__ import annotations

import errno
from pathlib import Path


class StoreError(Exception):
    """The local store cannot do what was asked."""


class StoreFull(StoreError):
    """SQLite refused a write: the disk (or the store's page limit) is full. Nothing of
    the refused write was kept and nothing written before is lost; the same write
    succeeds again once there is room."""

    def __init__(self, path: Path | None = None) -> None:
        super().__init__(
            "The disk is full, so this workstation could not save your last change. "
            "Free some space on this computer; everything saved before is safe, and "
            "saving works again by itself as soon as there is room."
        )
        self.path = path


class StoreTooNew(StoreError):
    """The store was written by a newer version of the workstation (a higher schema)."""

    def __init__(self, found: int, supported: int, path: Path | None = None) -> None:
        super().__init__(
            f"This local store was written by a newer Reviewer Workstation (schema {found}); "
            f"this version understands schema {supported}. Install the newer version again "
            "to use it: nothing in the store was changed."
        )
        self.found, self.supported, self.path = found, supported, path


class StoreUpgradeFailed(StoreError):
    """A migration failed; the store was left exactly as it was (one transaction)."""

    def __init__(self, found: int, target: int, path: Path | None = None) -> None:
        super().__init__(
            f"This local store could not be upgraded from schema {found} to {target}. "
            "It was left as it was, with all its decisions; please report this problem."
        )
        self.found, self.target, self.path = found, target, path


class VaultError(Exception):
    """Something is wrong with a cached media blob."""


class HashMismatch(VaultError):
    """The bytes given to `put` do not have the SHA-256 they were announced with."""


class VaultCorrupt(VaultError):
    """A stored blob was altered, truncated, or encrypted with another key."""


class VaultUnwritable(VaultError):
    """The OS refused to write to the media cache's folder (read-only or not ours)."""

    def __init__(self, directory: Path, message: str | None = None) -> None:
        super().__init__(message or (
            f"The media cache folder {directory} cannot be written to (it is read-only or "
            "its permissions changed), so no more images can be downloaded. Decisions "
            "are still saved."
        ))
        self.directory = directory


class VaultFull(VaultUnwritable):
    """The disk holding the media cache is full (or over its quota)."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory, (
            f"The disk holding the media cache ({directory}) is full, so no more images "
            "can be downloaded for now. Decisions are still saved; downloading resumes "
            "by itself once there is room."
        ))


FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
UNWRITABLE_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def vault_write_error(exc: OSError, directory: Path) -> VaultUnwritable | None:
    """The typed error for an OS write failure in the vault, or None if it is another
    kind of failure (which the caller re-raises as it is)."""
    if exc.errno in FULL_ERRNOS:
        return VaultFull(directory)
    if exc.errno in UNWRITABLE_ERRNOS:
        return VaultUnwritable(directory)
    return None
