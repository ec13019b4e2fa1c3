"""A review server inside this process: uvicorn in a daemon thread on 127.0.0.1.

Used by the tests and by `reviewer demo`. `restart()` comes back on the same port so a
client sees an outage and a recovery, not a new server. `upgrade_schema=True` is for a
private database this process owns (the demo's): it is migrated to head on start, where a
shared server would refuse it and wait for `reviewer-server db upgrade`.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from server.app import create_app
from server.config import ServerSettings
from server.db import Database


class EmbeddedServer:
    def __init__(self, db_url: str, data_dir: Path, host: str = "127.0.0.1", port: int = 0,
                 *, upgrade_schema: bool = False, **settings: Any) -> None:
        """`settings` are extra `ServerSettings` fields, e.g. `lease_ttl=2`."""
        self.db_url = db_url
        self.upgrade_schema = upgrade_schema
        self.data_dir = Path(data_dir)
        self.host = host
        self.port = port
        self.settings = ServerSettings(db_url=db_url, data_dir=self.data_dir, **settings)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._db: Database | None = None
        self._app: FastAPI | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _bind(self) -> socket.socket:
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted sockets only when
        # the listening socket says TCP, else every reply waits ~40 ms on a delayed ACK.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        self.port = sock.getsockname()[1]
        return sock

    def start(self, timeout: float = 15.0) -> EmbeddedServer:
        if self._thread is not None:
            return self
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._db = Database(self.db_url, busy_timeout=self.settings.db_busy_timeout,
                            strict=True)
        try:
            if self.upgrade_schema:
                self._db.upgrade_schema()
            app = self._app = create_app(self.settings, database=self._db)
        except BaseException:  # SchemaBehind and the like: leave nothing open
            self.stop()
            raise
        sock = self._bind()
        # log_config=None: leave the host process's logging set-up alone.
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off",
                                timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"review-server-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the review server did not start on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self, *, wait: bool = True) -> None:
        """Stop serving. uvicorn takes about 0.2 s to wind down (its 0.1 s tick, then a
        0.1 s grace for open connections); `wait=False` lets that happen in the background,
        for a caller that is done with this server and its database (test teardown)."""
        server, thread, db, app = self._server, self._thread, self._db, self._app
        self._server = self._thread = self._db = self._app = None
        if server is not None:
            server.should_exit = True

        def finish() -> None:
            if thread is not None:
                thread.join(timeout=10)
            if app is not None:  # lifespan="off": what the lifespan would stop
                app.state.audit.stop()
            if db is not None:
                db.dispose()

        if wait:
            finish()
        else:
            threading.Thread(target=finish, name="review-server-stop", daemon=True).start()

    def restart(self) -> None:
        """Stop and start again on the same port (same database and media)."""
        self.stop()
        self.start()

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
