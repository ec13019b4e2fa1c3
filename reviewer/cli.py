"""The `reviewer` command: open the app, log in or out, run the demo.

Errors the reviewer can act on (server unreachable, session expired, wrong
password) are printed as one sentence, never as a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path

from reviewer.errors import ReviewerError

INSECURE_NOTE = ("No secure keyring is available on this machine: the login token is kept "
                 "in memory for this session only.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reviewer",
                                     description="Trust & safety review workstation.")
    parser.add_argument("--data-dir", type=Path, help="where the local store lives")
    parser.add_argument("--allow-insecure", action="store_true", dest="app_allow_insecure",
                        help="let the app's login use plain http:// to another machine")
    commands = parser.add_subparsers(dest="command")
    login = commands.add_parser("login", help="log in and keep the token in the keyring")
    login.add_argument("--server", required=True, help="review server URL")
    login.add_argument("--username", required=True)
    login.add_argument("--password-stdin", action="store_true",
                       help="read the password from standard input")
    login.add_argument("--allow-insecure", action="store_true",
                       help="allow plain http:// to a server on another machine")
    commands.add_parser("logout", help="revoke the token on the server, forget it and "
                        "delete cached media")
    demo = commands.add_parser("demo", help="run a seeded demo server and the app")
    demo.add_argument("--data-dir", type=Path, dest="demo_data_dir",
                      help="where the demo server and client keep their files")
    demo.add_argument("--no-gui", action="store_true",
                      help="start the demo, print the server URL and queues, then exit")
    demo.add_argument("--scale", choices=("full", "small"), default="full",
                      help="size of the seeded content (first run only)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "login":
            return _login(args)
        if args.command == "logout":
            return _logout(args)
        if args.command == "demo":
            return _demo(args)
        return _open_app(args)
    except ReviewerError as exc:
        print(f"reviewer: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _workstation(data_dir: Path | None):
    from reviewer.workstation import Workstation

    return Workstation.open(data_dir)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return getpass.getpass("Password: ")


def _login(args: argparse.Namespace) -> int:
    from reviewer.api import normalize_server_url

    normalize_server_url(args.server)  # a bad address is said before a password is asked
    password = _read_password(args.password_stdin)
    workstation = _workstation(args.data_dir)
    try:
        user = workstation.login(args.server, args.username, password,
                                 allow_insecure=args.allow_insecure)
        print(f"Logged in to {workstation.last_server()} as {user.username}.")
        if not workstation.secure_secrets:
            print(INSECURE_NOTE, file=sys.stderr)
    finally:
        workstation.close()
    return 0


def _logout(args: argparse.Namespace) -> int:
    workstation = _workstation(args.data_dir)
    try:
        revoked = workstation.logout()
        pending = workstation.store.outbox_count_pending()
    finally:
        workstation.close()
    print("Logged out; cached media deleted.")
    if not revoked:
        print("The server could not be told: the token is forgotten here and lapses at its "
              "expiry.")
    if pending:
        print(f"{pending} decision(s) are still waiting to sync; they are sent after the "
              "next login.")
    return 0


def _run_ui(workstation, *, demo: bool = False) -> int:
    try:
        from ui.app import run_app
    except ImportError as exc:
        print(f"reviewer: the desktop interface is not available ({exc}).", file=sys.stderr)
        return 1
    return int(run_app(workstation, demo=demo) or 0)


def _open_app(args: argparse.Namespace) -> int:
    workstation = _workstation(args.data_dir)
    workstation.allow_insecure = args.app_allow_insecure
    try:
        return _run_ui(workstation)
    finally:
        workstation.close()


def _demo(args: argparse.Namespace) -> int:
    from reviewer.demo import DEMO_USER, demo_client_dir, start_demo_server
    from reviewer.workstation import default_data_dir

    data_dir = args.demo_data_dir or args.data_dir or default_data_dir()
    print("Starting the demo review server…", flush=True)
    demo = start_demo_server(data_dir, scale=args.scale)
    workstation = _workstation(demo_client_dir(data_dir))
    try:
        workstation.login(demo.url, DEMO_USER, demo.password)
        print(f"Demo server: {demo.url} (user “{DEMO_USER}”)", flush=True)
        if args.no_gui:
            for queue in workstation.queues():
                print(f"  {queue.name}: {queue.pending} pending — {queue.title}")
            return 0
        return _run_ui(workstation, demo=True)
    finally:
        # The password changes next run; the token is useless after this, so drop it.
        workstation.secrets.delete_token(demo.url, DEMO_USER)
        workstation.close()
        demo.stop()


if __name__ == "__main__":
    raise SystemExit(main())
