"""The password policy, checked wherever a password is set (`user add`, `user passwd`,
seeding): a minimum length and a refusal of well-known passwords (a small list shipped in
the package, `common_passwords.txt`). Never logs or echoes the password.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
"""The wire limit of `TokenRequest.password`: a longer one could never log in."""


class WeakPassword(ValueError):
    """The password does not meet the policy; the message says why (without the password)."""


@cache
def common_passwords() -> frozenset[str]:
    text = files("server").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def check_password(password: str, username: str = "") -> None:
    """Raise WeakPassword unless `password` is acceptable for `username`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword(f"the password must have at most {MAX_PASSWORD_LENGTH} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        raise WeakPassword("the password must not contain control characters")
    lowered = password.lower()
    if lowered in common_passwords() or len(set(password)) < 4:
        raise WeakPassword("the password is too common or too simple; choose another")
    if username and lowered == username.lower():
        raise WeakPassword("the password must not be the username")
