"""The one place that turns an error into a sentence a reviewer reads.

Core errors (`reviewer.errors`) carry their sentence; anything else is a bug of ours,
said plainly without a traceback (the log keeps the details).
"""

from __future__ import annotations

from reviewer.errors import ReviewerError
from reviewer.local_errors import storage_message


def explain(error: BaseException) -> str:
    """A sentence for the person at the desk, never a traceback."""
    if isinstance(error, ReviewerError):
        return error.message
    local = storage_message(error)  # a full disk, a read-only media folder
    if local is not None:
        return local
    return f"Something went wrong: {error}"
