"""A real ``civilaffairs serve`` on the loopback interface, for the service's tests.

:class:`LiveServer` starts the command in a subprocess on a free port with the settings
given as ``CIVILAFFAIRS_SERVICE_*`` variables, waits until ``/readyz`` answers, and keeps
the server's stderr (its request log) in a file the tests read.
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time
from typing import Any

import httpx

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
HOUSEHOLDS = sorted((EXAMPLES / "households").glob("*.json"))

#: A resident ID and a name sent in requests; neither may ever reach the logs.
SECRET_ID = "11010519491231002X"
SECRET_NAME = "欧阳秀芝"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``python -m civilaffairs serve`` on 127.0.0.1 with *env* settings."""

    def __init__(
        self, log: pathlib.Path, env: dict[str, str] | None = None, args: tuple[str, ...] = ()
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        environ = {k: v for k, v in os.environ.items() if not k.startswith("CIVILAFFAIRS_SERVICE_")}
        environ.update(env or {})
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "civilaffairs", "serve", "--port", str(self.port), *args],
            env=environ,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server exited:\n" + self.log_path.read_text("utf-8"))
            try:
                if httpx.get(self.url + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not become ready:\n" + self.log_path.read_text("utf-8"))

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_kib(self) -> int:
        """The server process's resident memory, KiB."""
        for line in pathlib.Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS")

    def log_lines(self) -> list[dict[str, Any]]:
        """The JSON lines the server logged so far."""
        self._log.flush()
        out = []
        for line in self.log_path.read_text("utf-8").splitlines():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def raw_exchange(
    port: int,
    head: bytes,
    chunks: list[bytes] = (),
    *,  # type: ignore[assignment]
    pause: float = 0.0,
    read_timeout: float = 20.0,
) -> bytes:
    """Send *head* and *chunks* on a plain socket (the way a hostile client would), then
    read the answer until the server closes or *read_timeout* passes; a send the server
    refuses (it closed) ends the sending."""
    with socket.create_connection(("127.0.0.1", port), timeout=read_timeout) as s:
        s.sendall(head)
        for chunk in chunks:
            try:
                s.sendall(chunk)
            except OSError:
                break
            if pause:
                time.sleep(pause)
        data = b""
        s.settimeout(read_timeout)
        try:
            while True:
                got = s.recv(65536)
                if not got:
                    break
                data += got
                if b"\r\n\r\n" in data and _complete(data):
                    break
        except (TimeoutError, ConnectionResetError):
            pass
        return data


def _complete(data: bytes) -> bool:
    head, _, body = data.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def status_of(raw: bytes) -> int:
    return int(raw.split(b" ", 2)[1])


def body_of(raw: bytes) -> Any:
    return json.loads(raw.partition(b"\r\n\r\n")[2])
