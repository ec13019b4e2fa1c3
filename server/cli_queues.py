"""`reviewer-server queue add|set|list`: queues configured from the command line, each
change written to the audit log."""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path
from typing import Any

from server.cli_common import audit_cli, locations
from server.db import Database
from server.queue_admin import (
    QueueChange,
    QueueConfigError,
    add_queue,
    list_queues,
    load_taxonomy,
    remove_webhook,
    set_queue,
    set_webhook,
)
from server.webhooks import WebhookDeliverer


def _change(args: argparse.Namespace) -> QueueChange:
    teams = [] if getattr(args, "no_teams", False) else args.team
    return QueueChange(
        title=args.title, sensitivity=args.sensitivity, teams=teams,
        escalation_queue=args.escalation_queue,
        clear_escalation=getattr(args, "no_escalation", False),
        taxonomy=load_taxonomy(Path(args.taxonomy)) if args.taxonomy else None)


SHARING = ("gold_rate", "overlap_rate", "overlap_k")


def _set_sharing(db: Database, args: argparse.Namespace) -> None:
    """The QA settings of `queue set`: gold rate and overlap share (server.services.gold)."""
    from server.errors import ApiError
    from server.services.gold import set_sharing

    try:
        with db.writer() as session:
            queue = set_sharing(session, args.name, gold_rate=args.gold_rate,
                                overlap_rate=args.overlap_rate, overlap_k=args.overlap_k)
            print(f"{queue.name}: gold rate {queue.gold_rate or 0:g}, overlap rate "
                  f"{queue.overlap_rate or 0:g}, overlap k {queue.overlap_k or 2}")
    except (ApiError, ValueError) as exc:
        raise QueueConfigError(str(getattr(exc, "detail", None) or exc)) from exc


def _run_change(args: argparse.Namespace, action: str) -> int:
    db_url, _ = locations(args)
    db = Database(db_url, strict=True)
    try:
        db.create_schema()
        change = _change(args)
        (add_queue if action == "queue.add" else set_queue)(db, args.name, change)
        if any(getattr(args, name, None) is not None for name in SHARING):
            _set_sharing(db, args)
    except QueueConfigError as exc:
        db.dispose()
        audit_cli(db_url, action, args.name, "refused")
        print(f"error: {exc}", file=sys.stderr)
        return 2
    db.dispose()
    audit_cli(db_url, action, args.name, "ok")
    print(f"queue {args.name} {'added' if action == 'queue.add' else 'changed'}")
    return 0


def cmd_queue_list(args: argparse.Namespace) -> int:
    db_url, _ = locations(args)
    db = Database(db_url, strict=True)
    try:
        db.create_schema()
        rows = list_queues(db)
    finally:
        db.dispose()
    print("queue\ttitle\tsensitivity\tteams\tescalation\tactions\tlabels")
    for r in rows:
        print(f"{r.name}\t{r.title}\t{r.sensitivity}\t{','.join(r.teams) or '(everyone)'}\t"
              f"{r.escalation_queue or '-'}\t{','.join(r.actions)}\t{','.join(r.labels) or '-'}")
    return 0


def cmd_queue_webhook(args: argparse.Namespace) -> int:
    """Set (secret on stdin; none given: one is made and printed once) or remove."""
    db_url, _ = locations(args)
    db = Database(db_url, strict=True)
    made = ""
    try:
        db.create_schema()
        if args.remove:
            remove_webhook(db, args.name)
        else:
            if not args.url:
                raise QueueConfigError("give --url URL, or --remove")
            secret = "" if sys.stdin.isatty() else sys.stdin.readline().strip()
            if not secret:
                secret = made = secrets.token_urlsafe(32)
            set_webhook(db, args.name, args.url, secret)
    except QueueConfigError as exc:
        db.dispose()
        audit_cli(db_url, "queue.webhook", args.name, "refused")
        print(f"error: {exc}", file=sys.stderr)
        return 2
    db.dispose()
    audit_cli(db_url, "queue.webhook", args.name, "ok")
    print(f"webhook of {args.name} {'removed' if args.remove else 'set'}")
    if made:
        print(f"signing secret (shown once; give it to the receiver): {made}")
    return 0


def cmd_webhooks_deliver(args: argparse.Namespace) -> int:
    db_url, _ = locations(args)
    db = Database(db_url, strict=True)
    deliverer = WebhookDeliverer(db)
    try:
        db.create_schema()
        delivered = deliverer.run_once()
    finally:
        deliverer.stop()
        db.dispose()
    print(f"{delivered} decision(s) delivered")
    return 0


def _options(parser: argparse.ArgumentParser, *, setting: bool) -> None:
    parser.add_argument("name")
    parser.add_argument("--title")
    parser.add_argument("--sensitivity", type=int, choices=range(4))
    parser.add_argument("--team", action="append", default=None,
                        help="a team that may lease it (repeat; none: everyone)")
    parser.add_argument("--escalation-queue", metavar="QUEUE")
    parser.add_argument("--taxonomy", metavar="FILE", help="actions and labels, .json or .toml")
    if setting:
        parser.add_argument("--no-teams", action="store_true", help="open it to everyone")
        parser.add_argument("--no-escalation", action="store_true")
        parser.add_argument("--gold-rate", type=float, metavar="SHARE",
                            help="share of each reviewer's leased items that are gold, e.g. 0.05")
        parser.add_argument("--overlap-rate", type=float, metavar="SHARE",
                            help="share of new items decided by several reviewers, e.g. 0.1")
        parser.add_argument("--overlap-k", type=int, metavar="K",
                            help="how many distinct reviewers decide an overlap item (2-20)")


def add_queue_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    queue = commands.add_parser("queue", help="manage queues").add_subparsers(
        dest="queue_command", required=True)
    add = queue.add_parser("add", parents=[common], help="add a queue")
    _options(add, setting=False)
    add.set_defaults(run=lambda args: _run_change(args, "queue.add"))
    change = queue.add_parser("set", parents=[common], help="change a queue")
    _options(change, setting=True)
    change.set_defaults(run=lambda args: _run_change(args, "queue.set"))
    queue.add_parser("list", parents=[common], help="list queues").set_defaults(
        run=cmd_queue_list)
    hook = queue.add_parser("webhook", parents=[common], help="POST the queue's final "
                            "decisions to a URL (signing secret on stdin)")
    hook.add_argument("name")
    hook.add_argument("--url")
    hook.add_argument("--remove", action="store_true")
    hook.set_defaults(run=cmd_queue_webhook)
    webhooks = commands.add_parser("webhooks", help="webhook deliveries").add_subparsers(
        dest="webhooks_command", required=True)
    webhooks.add_parser("deliver", parents=[common], help="deliver what is due once "
                        "(`serve` delivers continuously)").set_defaults(
        run=cmd_webhooks_deliver)
