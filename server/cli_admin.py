"""`reviewer-server` administration commands: `user list|disable|enable|passwd` and
`audit export`. Each change is written to the audit log with the operating-system user
as actor. Passwords come on stdin, never as arguments (they would show in `ps`).
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack
from datetime import UTC, datetime
from typing import Any

from server.accounts import AccountError, disable_user, enable_user, list_users, set_password
from server.audit import audit_events, write_export
from server.cli_common import audit_cli, locations
from server.cli_queues import add_queue_commands
from server.db import Database
from server.decision_export import decision_rows, write_decisions


def cmd_user_list(args: argparse.Namespace) -> int:
    db_url, _ = locations(args)
    print("user\troles\tteams\tstate\tlive tokens\tcreated")
    for row in list_users(db_url):
        state = "disabled" if row.disabled else "active"
        print(f"{row.username}\t{','.join(row.roles)}\t{','.join(row.teams) or '-'}\t{state}"
              f"\t{row.tokens}\t{row.created_at:%Y-%m-%d}")
    return 0


def _user_change(args: argparse.Namespace, action: str) -> int:
    db_url, _ = locations(args)
    try:
        if action == "user.passwd":
            revoked = set_password(db_url, args.name, sys.stdin.readline().rstrip("\r\n"))
            message = f"password of {args.name} changed; {revoked} token(s) revoked"
        elif action == "user.disable":
            revoked = disable_user(db_url, args.name)
            message = f"{args.name} disabled; {revoked} token(s) revoked"
        else:
            enable_user(db_url, args.name)
            message = f"{args.name} enabled"
    except AccountError as exc:
        audit_cli(db_url, action, args.name, "refused")
        print(f"error: {exc}", file=sys.stderr)
        return 2
    audit_cli(db_url, action, args.name, "ok")
    print(message)
    return 0


def parse_since(text: str | None) -> datetime | None:
    """An ISO date or date-time; naive ones are UTC."""
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--since wants an ISO date such as 2026-01-31 or 2026-01-31T08:00Z; got {text!r}"
        ) from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def _export(args: argparse.Namespace, rows: Any, write: Any, action: str, noun: str) -> int:
    """Write `rows(db, since)` with `write` to --out (or stdout), then audit the export."""
    db_url, _ = locations(args)
    db = Database(db_url, strict=True)
    try:
        db.create_schema()
        with ExitStack() as stack:
            out: Any = sys.stdout
            if args.out:
                out = stack.enter_context(open(args.out, "w", newline="", encoding="utf-8"))
            count = write(rows(db, args.since), out, args.format)
    finally:
        db.dispose()
    audit_cli(db_url, action, args.format, "ok")
    print(f"{count} {noun}(s) exported", file=sys.stderr)
    return 0


def cmd_audit_export(args: argparse.Namespace) -> int:
    return _export(args, audit_events, write_export, "audit.export", "audit event")


def cmd_export_decisions(args: argparse.Namespace) -> int:
    return _export(args, decision_rows, write_decisions, "decisions.export", "decision")


def add_admin_commands(commands: Any, user: Any, common: argparse.ArgumentParser) -> None:
    """Hook for `server.cli.build_parser`: adds to its `user` group (`user`) and adds the
    `audit` group to its `commands`."""
    listing = user.add_parser("list", parents=[common], help="list users (never passwords)")
    listing.set_defaults(run=cmd_user_list)
    for name, action, text in (
            ("passwd", "user.passwd", "set a user's password (on stdin); revokes their tokens"),
            ("disable", "user.disable", "refuse a user's logins; revokes their tokens"),
            ("enable", "user.enable", "let a disabled user log in again")):
        sub = user.add_parser(name, parents=[common], help=text)
        sub.add_argument("name")
        sub.set_defaults(run=lambda args, action=action: _user_change(args, action))
    audit = commands.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", required=True)
    export = audit.add_parser("export", parents=[common], help="audit events as JSONL or CSV")
    export.add_argument("--since", type=parse_since, help="ISO date or date-time (UTC)")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--out", metavar="FILE", help="write here instead of stdout")
    export.set_defaults(run=cmd_audit_export)
    exports = commands.add_parser("export", help="data for other systems").add_subparsers(
        dest="export_command", required=True)
    decisions = exports.add_parser("decisions", parents=[common],
                                   help="decisions as JSONL or CSV (never notes)")
    decisions.add_argument("--since", type=parse_since, help="ISO date or date-time (UTC), "
                           "by the server's receipt time")
    decisions.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    decisions.add_argument("--out", metavar="FILE", help="write here instead of stdout")
    decisions.set_defaults(run=cmd_export_decisions)
    add_queue_commands(commands, common)
