"""Errors of the reviewer core, as types the UI turns into sentences.

Every error carries `.message`, a sentence a reviewer understands; the UI shows it
as is. Never put a token, a password or a stack trace into a message.
"""

from __future__ import annotations


class ReviewerError(Exception):
    """Base of every error the core raises on purpose."""

    default_message = "Something went wrong."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)


class ServerUnavailable(ReviewerError):
    default_message = "The review server cannot be reached. Your work is kept and will sync later."


class AuthExpired(ReviewerError):
    default_message = "Your session has expired. Please log in again."


class BadCredentials(AuthExpired):
    """A login refused: a subclass of AuthExpired so a caller that re-shows the login
    dialog on AuthExpired handles it too."""

    default_message = "The username or password is not correct."


class Forbidden(ReviewerError):
    default_message = "Your account is not allowed to do this."


class ProtocolError(ReviewerError):
    default_message = "The review server sent a reply this workstation does not understand."


class LeaseExpired(ReviewerError):
    default_message = "The lease on these items has expired; decisions are still recorded."


class MediaRejected(ReviewerError):
    """The media of one item cannot be shown; `.reason` says why (same as `.message`)."""

    default_message = "This item's media cannot be displayed."

    @property
    def reason(self) -> str:
        return self.message


class RequestRejected(ReviewerError):
    """The server refused a request (a 4xx other than 401/403) and said why."""

    default_message = "The review server refused the request."

    def __init__(self, message: str | None = None, *, status: int = 400, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class ExposureCapReached(ReviewerError):
    default_message = "You have reached your exposure limit; content stays protected."


class InvalidAction(ReviewerError):
    """A decision named an action or label the queue's taxonomy does not have."""

    default_message = "That action is not available for this queue."


class NothingToDecide(ReviewerError):
    """decide()/undo() called while no item is current or a decision is being recorded."""

    default_message = "There is no item to decide right now."


class NotLoggedIn(ReviewerError):
    default_message = "Please log in first."
