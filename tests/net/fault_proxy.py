"""A fault-injecting TCP proxy between the real client and the real server.

Modes (set `proxy.mode` at any time; each new request reads it):
- "pass": forward both ways;
- "drop": close every connection as soon as it is accepted;
- "delay": wait `delay_s` before forwarding each request;
- "cut": forward the request, then only the first `cut_after` bytes of the reply, then
  close (a reply lost mid-body: the server did the work, the client never learns it);
- "blackhole": read requests and never answer;
- "error": answer every request itself with `error_status` (and `Retry-After` when
  `retry_after` is set), as a failing server would.

It counts the requests it sees (`requests`: "METHOD /path" in arrival order), so a test
can bound how many requests an idle or failing client makes. Plain sockets and
threads; `close()` ends every thread and connection it started.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

ERROR_BODY = b'{"error":"internal_error","detail":"injected by the fault proxy"}'


class FaultProxy:
    def __init__(self, upstream_port: int, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.mode = "pass"
        self.delay_s = 2.0
        self.cut_after = 40
        self.error_status = 500
        self.retry_after: float | None = None
        self.requests: list[str] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._sockets: set[socket.socket] = set()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def count(self, needle: str = "") -> int:
        """Requests seen whose "METHOD /path" contains `needle`."""
        with self._lock:
            return sum(needle in line for line in self.requests)

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()

    def close(self) -> None:
        self._closed.set()
        self._thread.join(5)
        self._listener.close()
        with self._lock:
            for sock in list(self._sockets):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._sockets.clear()

    # --- plumbing ---------------------------------------------------------------------

    def _track(self, sock: socket.socket) -> socket.socket:
        with self._lock:
            self._sockets.add(sock)
        return sock

    def _forget(self, *socks: socket.socket) -> None:
        with self._lock:
            for sock in socks:
                self._sockets.discard(sock)
                with contextlib.suppress(OSError):
                    sock.close()

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            if self.mode == "drop":
                client.close()
                continue
            self._track(client)
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        reader = _Reader(client)
        try:
            while not self._closed.is_set():
                request = reader.request()
                if request is None:
                    return
                line = request.split(b"\r\n", 1)[0].decode("latin-1")
                with self._lock:
                    self.requests.append(" ".join(line.split(" ")[:2]))
                mode = self.mode
                if mode == "blackhole":
                    self._closed.wait()
                    return
                if mode == "error":
                    client.sendall(self._error_reply())
                    continue
                if mode == "delay":
                    time.sleep(self.delay_s)
                if upstream is None:
                    upstream = self._track(socket.create_connection(self.upstream))
                upstream.sendall(request)
                if not self._relay_reply(_Reader(upstream), client, cut=mode == "cut"):
                    return
        except OSError:
            return
        finally:
            self._forget(client, *([upstream] if upstream else []))

    def _error_reply(self) -> bytes:
        extra = f"Retry-After: {self.retry_after:g}\r\n" if self.retry_after else ""
        return (f"HTTP/1.1 {self.error_status} Injected\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(ERROR_BODY)}\r\n{extra}\r\n").encode() + ERROR_BODY

    def _relay_reply(self, upstream: _Reader, client: socket.socket, *, cut: bool) -> bool:
        """Forward one reply; False when the connection ended (or was cut)."""
        reply = upstream.reply()
        if reply is None:
            return False
        if cut:
            client.sendall(reply[: self.cut_after])
            return False
        client.sendall(reply)
        return True


class _Reader:
    """Reads whole HTTP/1.1 messages (Content-Length or chunked bodies) off a socket."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buffer += data
        return True

    def _take(self, n: int) -> bytes | None:
        while len(self.buffer) < n:
            if not self._fill():
                return None
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def _head(self) -> bytes | None:
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                return None
        end = self.buffer.index(b"\r\n\r\n") + 4
        head, self.buffer = self.buffer[:end], self.buffer[end:]
        return head

    def request(self) -> bytes | None:
        return self._message(reply=False)

    def reply(self) -> bytes | None:
        return self._message(reply=True)

    def _message(self, *, reply: bool) -> bytes | None:
        head = self._head()
        if head is None:
            return None
        headers = {k.strip().lower(): v.strip() for k, _, v in
                   (line.partition(":") for line in head.decode("latin-1").split("\r\n")[1:])
                   if k}
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._chunked()
        else:
            body = self._take(int(headers.get("content-length", "0") or 0))
        if body is None:
            return None
        return head + body

    def _chunked(self) -> bytes | None:
        out = b""
        while True:
            while b"\r\n" not in self.buffer:
                if not self._fill():
                    return None
            end = self.buffer.index(b"\r\n") + 2
            size_line, self.buffer = self.buffer[:end], self.buffer[end:]
            size = int(size_line.split(b";")[0].strip() or b"0", 16)
            chunk = self._take(size + 2)
            if chunk is None:
                return None
            out += size_line + chunk
            if size == 0:
                return out
