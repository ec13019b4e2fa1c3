"""Settings (small named strings) and the last policy the server sent, in the local store.

The policy is cached so that exposure caps hold offline (invariant 4). One setting,
`schema_version`, belongs to the store itself (`offline_cache.migrations`): it is
readable here and refused as a key to write.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from offline_cache.engine import StoreEngine
from offline_cache.models import PolicyRow, SettingRow, utc_now
from reviewer.protocol import PolicyReply

SCHEMA_VERSION_KEY = "schema_version"


class Settings:
    """Named settings and the cached policy of one store."""

    def __init__(self, db: StoreEngine) -> None:
        self._db = db

    def get(self, key: str) -> str | None:
        with self._db.read() as s:
            return s.scalar(select(SettingRow.value).where(SettingRow.key == key))

    def set(self, key: str, value: str) -> None:
        if key == SCHEMA_VERSION_KEY:
            raise ValueError("the schema version is kept by the store's migrations")
        stmt = sqlite_insert(SettingRow).values(key=key, value=value)
        with self._db.writing() as s:
            s.execute(stmt.on_conflict_do_update(index_elements=["key"], set_={"value": value}))

    def save_policy(self, reply: PolicyReply) -> None:
        row = {"id": 1, "reply_json": reply.model_dump_json(), "saved_at": utc_now()}
        stmt = sqlite_insert(PolicyRow).values(**row)
        with self._db.writing() as s:
            s.execute(stmt.on_conflict_do_update(index_elements=["id"], set_=row))

    def cached_policy(self) -> PolicyReply | None:
        with self._db.read() as s:
            text = s.scalar(select(PolicyRow.reply_json).where(PolicyRow.id == 1))
        return None if text is None else PolicyReply.model_validate_json(text)
