"""A Qt program run as a child process on the test's X display, talked to by lines: it
prints what happened on stdout, the test reads them (with a timeout) and can write
commands to its stdin. Why a child: pytest-qt's application already runs on the
offscreen platform, and a process has one Qt platform for its life.
"""

from __future__ import annotations

import queue
import subprocess
import sys
import threading
from pathlib import Path


class QtChild:
    def __init__(self, script: Path, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(script), *args], env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.errors: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines.put),
                         daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.errors.append),
                         daemon=True).start()

    @staticmethod
    def _read(stream, put) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            put(line.rstrip("\n"))
        put(None)

    def expect(self, prefix: str, timeout: float = 30.0) -> str:
        """The rest of the next line that starts with `prefix` (other lines are skipped)."""
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no {prefix!r} from the child in {timeout} s; "
                                     f"stderr: {self.stderr()}") from None
            if line is None:
                raise AssertionError(f"the child ended before {prefix!r}; "
                                     f"stderr: {self.stderr()}")
            if line.startswith(prefix):
                return line[len(prefix):].strip()

    def send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def stderr(self) -> str:
        return "\n".join(line for line in self.errors if line)[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.send("quit")
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(timeout=10)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()
