"""Thin HTTP handlers, one module per resource; rules live in `server.services`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

NAME_PATTERN = r"^[A-Za-z0-9_.\-]{1,64}$"
NamePath = Annotated[str, Path(pattern=NAME_PATTERN, max_length=64)]
