"""Queues without code: add, change and list queues (title, sensitivity, teams that may
lease them, escalation queue, taxonomy from a JSON or TOML file). Every check happens
before the write, with a message an admin can act on; nothing here logs content.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from reviewer.protocol import SKIP, Taxonomy
from server.db import Database
from server.models import Queue, QueueRoute, QueueTeam, QueueWebhook, utcnow
from server.routes import NAME_PATTERN
from server.services.items import ensure_queue


class QueueConfigError(ValueError):
    """A queue or taxonomy setting is invalid; the message says which and why."""


@dataclass
class QueueChange:
    """What `queue add` / `queue set` asks for; None leaves a setting as it is."""

    title: str | None = None
    sensitivity: int | None = None
    teams: list[str] | None = None
    escalation_queue: str | None = None
    clear_escalation: bool = False
    taxonomy: dict[str, Any] | None = None


@dataclass(frozen=True)
class QueueRow:
    name: str
    title: str
    sensitivity: int
    teams: list[str] = field(default_factory=list)
    escalation_queue: str | None = None
    actions: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


def load_taxonomy(path: Path) -> dict[str, Any]:
    """A taxonomy from a `.json` or `.toml` file, checked (`check_taxonomy`)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise QueueConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        if path.suffix.lower() == ".toml":
            data: Any = tomllib.loads(raw.decode("utf-8"))
        elif path.suffix.lower() == ".json":
            data = json.loads(raw)
        else:
            raise QueueConfigError(f"{path}: a taxonomy file ends in .json or .toml")
    except (UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise QueueConfigError(f"{path} is not valid {path.suffix[1:].upper()}: {exc}") from None
    return check_taxonomy(data, source=str(path))


def check_taxonomy(data: Any, source: str = "taxonomy") -> dict[str, Any]:
    """Validate against the wire model, then refuse repeated ids and shortcut keys."""
    try:
        taxonomy = Taxonomy.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'top level'}: "
                             f"{e['msg']}" for e in exc.errors()[:10])
        raise QueueConfigError(f"{source}: {problems}") from None
    entries = [("action", e) for e in taxonomy.actions] + [("label", e) for e in taxonomy.labels]
    seen_ids: dict[str, str] = {}
    seen_keys: dict[str, str] = {}
    for kind, entry in entries:
        if entry.id == SKIP:
            raise QueueConfigError(f"{source}: {kind} id 'skip' is built in; choose another")
        if entry.id in seen_ids:
            raise QueueConfigError(f"{source}: id {entry.id!r} is used twice "
                                   f"({seen_ids[entry.id]} and {kind})")
        seen_ids[entry.id] = kind
        if entry.key is not None:
            if entry.key in seen_keys:
                raise QueueConfigError(f"{source}: key {entry.key} is given to both "
                                       f"{seen_keys[entry.key]!r} and {entry.id!r}")
            seen_keys[entry.key] = entry.id
    return taxonomy.model_dump()


def _check_name(name: str, what: str = "queue name") -> None:
    if not re.fullmatch(NAME_PATTERN, name):
        raise QueueConfigError(f"{what} {name!r}: use 1-64 letters, digits, '.', '_' or '-'")


def _check_change(change: QueueChange) -> None:
    if change.title is not None and not 1 <= len(change.title) <= 200:
        raise QueueConfigError("the title must have 1 to 200 characters")
    if change.sensitivity is not None and not 0 <= change.sensitivity <= 3:
        raise QueueConfigError("sensitivity is 0 to 3")
    for team in change.teams or []:
        _check_name(team, "team")


def _apply(session: Session, queue: Queue, change: QueueChange) -> None:
    if change.title is not None:
        queue.title = change.title
    if change.sensitivity is not None:
        queue.sensitivity = change.sensitivity
    if change.taxonomy is not None:
        queue.taxonomy = change.taxonomy
    if change.teams is not None:
        session.execute(delete(QueueTeam).where(QueueTeam.queue == queue.name))
        session.add_all(QueueTeam(queue=queue.name, team=t) for t in sorted(set(change.teams)))
    if change.clear_escalation:
        session.execute(delete(QueueRoute).where(QueueRoute.queue == queue.name))
    elif change.escalation_queue is not None:
        if change.escalation_queue == queue.name:
            raise QueueConfigError("a queue cannot escalate to itself")
        if session.get(Queue, change.escalation_queue) is None:
            raise QueueConfigError(f"escalation queue {change.escalation_queue!r} does not "
                                   "exist; add it first")
        session.merge(QueueRoute(queue=queue.name, escalation_queue=change.escalation_queue))


def add_queue(db: Database, name: str, change: QueueChange) -> None:
    _check_name(name)
    _check_change(change)
    with db.writer() as session:
        if session.get(Queue, name) is not None:
            raise QueueConfigError(f"queue {name!r} already exists; use `queue set`")
        queue = ensure_queue(session, name, title=change.title,
                             sensitivity=change.sensitivity or 0, taxonomy=change.taxonomy)
        _apply(session, queue, QueueChange(teams=change.teams,
                                           escalation_queue=change.escalation_queue))


def set_queue(db: Database, name: str, change: QueueChange) -> None:
    _check_change(change)
    with db.writer() as session:
        queue = session.get(Queue, name)
        if queue is None:
            raise QueueConfigError(f"no queue {name!r}; use `queue add`")
        _apply(session, queue, change)


def list_queues(db: Database) -> list[QueueRow]:
    with db.session() as session:
        teams: dict[str, list[str]] = {}
        for row in session.execute(select(QueueTeam.queue, QueueTeam.team)
                                   .order_by(QueueTeam.team)):
            teams.setdefault(row.queue, []).append(row.team)
        routes = {row.queue: row.escalation_queue for row in session.execute(
            select(QueueRoute.queue, QueueRoute.escalation_queue))}
        return [QueueRow(q.name, q.title, q.sensitivity, teams.get(q.name, []),
                         routes.get(q.name),
                         [a["id"] for a in q.taxonomy.get("actions", [])],
                         [lb["id"] for lb in q.taxonomy.get("labels", [])])
                for q in session.scalars(select(Queue).order_by(Queue.name))]


def _check_webhook_url(url: str) -> None:
    """https, or http to this machine only: decisions and signatures are not sent in clear."""
    parts = urlsplit(url)
    loopback = (parts.hostname or "") in {"127.0.0.1", "::1", "localhost"}
    if parts.scheme not in {"http", "https"} or not parts.hostname or (
            parts.scheme == "http" and not loopback):
        raise QueueConfigError(f"webhook URL {url!r}: use https:// (http:// only to "
                               "127.0.0.1 or localhost)")


def set_webhook(db: Database, queue: str, url: str, secret: str) -> None:
    _check_webhook_url(url)
    if len(secret) < 16:
        raise QueueConfigError("the webhook secret must have at least 16 characters")
    with db.writer() as session:
        if session.get(Queue, queue) is None:
            raise QueueConfigError(f"no queue {queue!r}")
        session.merge(QueueWebhook(queue=queue, url=url, secret=secret, created_at=utcnow()))


def remove_webhook(db: Database, queue: str) -> None:
    with db.writer() as session:
        session.execute(delete(QueueWebhook).where(QueueWebhook.queue == queue))
