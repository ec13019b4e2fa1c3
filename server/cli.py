"""`reviewer-server`: init, user add, seed-demo, ingest, serve.

Every subcommand takes `--db URL` and `--data-dir DIR`; without them the server keeps an
SQLite file and its media in the user data directory ("reviewer-server").
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reviewer.protocol import ROLES
from server.accounts import AccountError, create_user
from server.cli_admin import add_admin_commands
from server.cli_common import audit_cli
from server.cli_ingest import run_ingest
from server.config import ServerSettings, default_data_dir, default_db_url
from server.db import Database, SchemaBehind
from server.file_modes import secure_storage

KEEP_ALIVE = 30
"""Seconds an idle client connection stays open. Longer than httpx's own idle expiry (5 s,
the workstation's client): the client closes first, so a request never races the
server's close of the same connection (uvicorn's default is also 5 s, and a sync every
few seconds then met a closed connection: a ReadError, a retry)."""


def _locations(args: argparse.Namespace) -> tuple[str, Path]:
    data_dir = Path(args.data_dir) if args.data_dir else default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    secure_storage(args.db or default_db_url(data_dir), data_dir)
    return args.db or default_db_url(data_dir), data_dir


def cmd_init(args: argparse.Namespace) -> int:
    """Create the schema of a new database, or bring an existing one to head (migrations)."""
    db_url, data_dir = _locations(args)
    db = Database(db_url, strict=True)
    try:
        before, head = db.upgrade_schema()
    finally:
        db.dispose()
    if not args.media_url:
        (data_dir / "media").mkdir(exist_ok=True)
    print(f"schema ready in {db.url} (revision {head}"
          + (f", upgraded from {before})" if before and before != head else ")"))
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    """Run the schema migrations up to head: the one path that upgrades an existing database."""
    db_url, _ = _locations(args)
    db = Database(db_url, strict=True)
    try:
        before, head = db.upgrade_schema()
    finally:
        db.dispose()
    if before == head:
        print(f"schema already at revision {head}")
    else:
        print(f"schema upgraded from revision {before or 'none (before migrations)'} to {head}")
    return 0


def cmd_user_add(args: argparse.Namespace) -> int:
    db_url, _ = _locations(args)
    password = sys.stdin.readline().rstrip("\r\n")
    try:
        user = create_user(db_url, args.name, password, args.role, args.team or ())
    except (AccountError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    audit_cli(db_url, "user.add", user.username, "ok")
    print(f"created {user.username} ({', '.join(user.roles)})")
    return 0


def cmd_seed_demo(args: argparse.Namespace) -> int:
    from server.seed import seed_demo  # Pillow work: imported only when seeding

    db_url, data_dir = _locations(args)
    summary = seed_demo(db_url, data_dir, scale=args.scale, media_url=args.media_url,
                        s3_endpoint_url=args.s3_endpoint_url)
    print(f"queues: {', '.join(summary.queues)}; items: {summary.items_total} "
          f"({summary.items_created} new); broken cases: {summary.broken}")
    for username, password in summary.passwords.items():
        shown = password if args.print_passwords else "(set; use --print-passwords to show)"
        print(f"user {username}: {shown}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    db_url, data_dir = _locations(args)
    if bool(args.ssl_certfile) != bool(args.ssl_keyfile):
        print("error: --ssl-certfile and --ssl-keyfile go together", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("error: --workers must be at least 1", file=sys.stderr)
        return 2
    settings = ServerSettings(db_url=db_url, data_dir=data_dir, lease_ttl=args.lease_ttl,
                              token_ttl=args.token_ttl, api_docs=args.api_docs,
                              media_url=args.media_url, s3_endpoint_url=args.s3_endpoint_url)
    if args.workers > 1:
        return _serve_workers(args, settings)
    import uvicorn

    from server.app import create_app
    from server.webhooks import WebhookDeliverer

    app = create_app(settings)
    deliverer = WebhookDeliverer(app.state.db)  # per-queue webhooks, in the background
    deliverer.start()
    try:
        uvicorn.run(app, **_uvicorn_options(args))
    finally:
        deliverer.stop()
    return 0


def _uvicorn_options(args: argparse.Namespace) -> dict[str, object]:
    """What one process or N workers serve with. `forwarded_allow_ips`: whose
    `X-Forwarded-For` is believed (the reverse proxies); None keeps uvicorn's default,
    `$FORWARDED_ALLOW_IPS` or 127.0.0.1."""
    return {"host": args.host, "port": args.port, "log_level": "info",
            "access_log": args.access_log,
            "timeout_keep_alive": KEEP_ALIVE, "ssl_certfile": args.ssl_certfile,
            "ssl_keyfile": args.ssl_keyfile,
            "forwarded_allow_ips": args.forwarded_allow_ips}


def _serve_workers(args: argparse.Namespace, settings: ServerSettings) -> int:
    """N uvicorn worker processes, each building the app from the settings in its
    environment; this process checks the schema first (refusing one that is behind),
    delivers webhooks, and keeps the workers' shared request metrics in a temporary
    directory (prometheus-client's multiprocess mode)."""
    import os
    import shutil
    import tempfile

    metrics_dir = tempfile.mkdtemp(prefix="reviewer-server-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir  # before prometheus_client loads
    import uvicorn

    from server.app import SETTINGS_ENV, settings_to_environment
    from server.webhooks import WebhookDeliverer

    db = Database(settings.db_url, busy_timeout=settings.db_busy_timeout, strict=True)
    deliverer = WebhookDeliverer(db)
    try:
        db.create_schema()  # once, here: a new database at head, or SchemaBehind
        os.environ[SETTINGS_ENV] = settings_to_environment(settings)
        deliverer.start()
        uvicorn.run("server.app:app_from_environment", factory=True, workers=args.workers,
                    **_uvicorn_options(args))
    finally:
        deliverer.stop()
        db.dispose()
        shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


def cmd_gold_add(args: argparse.Namespace) -> int:
    """Mark an item of a queue as gold with its expected action."""
    from server.errors import ApiError
    from server.services.gold import mark_gold

    db_url, _ = _locations(args)
    db = Database(db_url, strict=True)
    db.create_schema()
    try:
        with db.writer() as session:
            gold = mark_gold(session, args.item, args.action, args.by, queue=args.queue)
        print(f"gold: {gold.queue}/{gold.item_id} expects {gold.action}")
    except ApiError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2
    finally:
        db.dispose()
    return 0


def _add_qa_commands(commands: argparse._SubParsersAction, common: argparse.ArgumentParser
                     ) -> None:
    """`gold add` (a queue's gold rate and overlap are options of `queue set`, in
    server.cli_queues)."""
    gold = commands.add_parser("gold", help="gold items").add_subparsers(
        dest="gold_command", required=True)
    add = gold.add_parser("add", parents=[common], help="mark an item as gold")
    add.add_argument("queue")
    add.add_argument("item")
    add.add_argument("--action", required=True, help="the expected action")
    add.add_argument("--by", default="admin", help="who marks it (recorded)")
    add.set_defaults(run=cmd_gold_add)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", help="SQLAlchemy URL (sqlite:///... or "
                        "postgresql+psycopg://...); default: SQLite in the data directory")
    common.add_argument("--data-dir", metavar="DIR", help="where media (and the default "
                        "database) live")
    common.add_argument("--media-url", metavar="URL", help="s3://bucket/prefix: media in an "
                        "S3-compatible bucket (default: files in the data directory)")
    common.add_argument("--s3-endpoint-url", metavar="URL", help="the S3 endpoint (default: "
                        "AWS_ENDPOINT_URL or AWS); credentials from the AWS_* variables")
    parser = argparse.ArgumentParser(prog="reviewer-server", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init", parents=[common], help="create the schema").set_defaults(
        run=cmd_init)
    db = commands.add_parser("db", help="the database schema").add_subparsers(
        dest="db_command", required=True)
    db.add_parser("upgrade", parents=[common], help="run the schema migrations up to the "
                  "head revision (back up first)").set_defaults(run=cmd_db_upgrade)
    user = commands.add_parser("user", help="manage users").add_subparsers(dest="user_command",
                                                                          required=True)
    add = user.add_parser("add", parents=[common], help="add a user (password on stdin)")
    add.add_argument("name")
    add.add_argument("--role", action="append", required=True,
                     choices=list(ROLES))
    add.add_argument("--team", action="append")
    add.set_defaults(run=cmd_user_add)
    seed = commands.add_parser("seed-demo", parents=[common], help="synthetic demo content")
    seed.add_argument("--scale", choices=["full", "small"], default="full")
    seed.add_argument("--print-passwords", action="store_true")
    seed.set_defaults(run=cmd_seed_demo)
    ingest = commands.add_parser("ingest", parents=[common], help="add files, directories "
                                 "and JSONL manifests to a queue")
    ingest.add_argument("queue")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--category", default="uncategorised")
    ingest.add_argument("--severity", type=int, choices=range(4), default=0)
    ingest.set_defaults(run=run_ingest)
    serve = commands.add_parser("serve", parents=[common], help="run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--lease-ttl", type=float, default=15 * 60.0, help="seconds")
    serve.add_argument("--token-ttl", type=float, default=12 * 3600.0,
                       help="seconds a login's token lasts")
    serve.add_argument("--ssl-certfile", metavar="PEM", help="serve HTTPS with this certificate")
    serve.add_argument("--ssl-keyfile", metavar="PEM", help="the certificate's private key")
    serve.add_argument("--workers", type=int, default=1, help="worker processes (stateless; "
                       "all shared state is in the database, PostgreSQL advised past 1)")
    serve.add_argument("--forwarded-allow-ips", metavar="ADDRESSES", help="comma-separated "
                       "addresses of the reverse proxies whose X-Forwarded-For is believed "
                       "(default: $FORWARDED_ALLOW_IPS, else 127.0.0.1)")
    serve.add_argument("--access-log", action="store_true", help="log every request to "
                       "standard output (off by default: every API request is already in "
                       "the audit log, and the line cost 4 %% of the server's CPU under load)")
    serve.add_argument("--api-docs", action="store_true", help="serve /docs (loads its "
                       "script from a CDN: off by default)")
    serve.set_defaults(run=cmd_serve)
    _add_qa_commands(commands, common)
    add_admin_commands(commands, user, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SchemaBehind as exc:  # any command on a database an older release made
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
