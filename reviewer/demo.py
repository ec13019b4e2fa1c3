"""`reviewer demo`: a seeded review server in this process and the app logged in to it.

The server's SQLite file lives in `<data_dir>/demo-server/` and is seeded once (a
marker file records it). The demo user gets a fresh random password every run, so
no password is ever stored. The demo client keeps its own store in
`<data_dir>/demo-client/` so the demo never touches a real login.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEMO_USER = "demo"
SEEDED_MARKER = "seeded"


@dataclass
class DemoServer:
    server: Any  # server.embedded.EmbeddedServer
    url: str
    password: str

    def stop(self) -> None:
        self.server.stop()


def start_demo_server(data_dir: Path, *, scale: str = "full") -> DemoServer:
    """Start the embedded server on 127.0.0.1 at a free port, seed it on first run and
    give the demo user a fresh password."""
    from server.accounts import set_password
    from server.embedded import EmbeddedServer
    from server.seed import seed_demo

    server_dir = data_dir / "demo-server"
    server_dir.mkdir(parents=True, exist_ok=True)
    db_url = f"sqlite:///{server_dir / 'demo.sqlite3'}"
    server = EmbeddedServer(db_url, server_dir, host="127.0.0.1", port=0, upgrade_schema=True)
    server.start()
    try:
        marker = server_dir / SEEDED_MARKER
        if not marker.exists():
            seed_demo(db_url, server_dir, scale=scale)
            marker.write_text(f"seeded scale={scale}\n")
        password = secrets.token_urlsafe(24)
        set_password(db_url, DEMO_USER, password)
    except BaseException:
        server.stop()
        raise
    return DemoServer(server=server, url=server.url, password=password)


def demo_client_dir(data_dir: Path) -> Path:
    return data_dir / "demo-client"
