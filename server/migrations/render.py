"""How autogenerate writes our own column types: as the plain SQLAlchemy type stored, so a
revision never imports today's models (which will change after it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.types import TypeDecorator


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False
