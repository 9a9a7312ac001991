"""Nothing a client sends can hang the service or grow its memory without bound: oversize
bodies (declared, or sent without a length), a body that never finishes, a batch longer
than allowed, a line longer than allowed. The server is started with small limits."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from service_support import EXAMPLES, LiveServer, body_of, raw_exchange, status_of

SERVER_ENV = {
    "CIVILAFFAIRS_SERVICE_MAX_BODY_BYTES": str(64 * 1024),
    "CIVILAFFAIRS_SERVICE_MAX_BATCH_BYTES": str(2 * 1024 * 1024),
    "CIVILAFFAIRS_SERVICE_MAX_BATCH_LINES": "20",
    "CIVILAFFAIRS_SERVICE_REQUEST_TIMEOUT": "1",
}
LINE = (EXAMPLES / "households" / "beijing-3.json").read_bytes().replace(b"\n", b"") + b"\n"
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def http(live: LiveServer) -> Any:
    with httpx.Client(base_url=live.url, timeout=60) as client:
        yield client


def healthy(live: LiveServer) -> bool:
    return httpx.get(live.url + "/healthz", timeout=10).status_code == 200


def chunked(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def test_a_declared_gigabyte_is_refused_before_it_is_read(live: LiveServer) -> None:
    before = live.rss_kib()
    raw = raw_exchange(
        live.port,
        b"POST /v1/assess HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1073741824\r\n\r\n",
        [b" " * MiB] * 16,
    )
    assert status_of(raw) == 413
    assert body_of(raw)["code"] == "too_large"
    assert live.rss_kib() - before < 32 * 1024
    assert healthy(live)


def test_a_body_without_length_is_cut_at_the_limit(live: LiveServer) -> None:
    before = live.rss_kib()
    raw = raw_exchange(
        live.port,
        b"POST /v1/assess HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        [chunked(b" " * (256 * 1024))] * 200,  # 50 MiB if it were all read
    )
    assert status_of(raw) == 413
    assert live.rss_kib() - before < 32 * 1024
    assert healthy(live)


def test_a_body_that_never_finishes_times_out(live: LiveServer) -> None:
    raw = raw_exchange(
        live.port,
        b'POST /v1/assess HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"id": ',
        read_timeout=30,
    )
    assert status_of(raw) == 408
    assert body_of(raw)["code"] == "request_timeout"
    assert healthy(live)


def test_a_batch_that_stalls_ends_with_an_error_line(live: LiveServer) -> None:
    raw = raw_exchange(
        live.port,
        b"POST /v1/assess/batch?on=2024-08 HTTP/1.1\r\nHost: x\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n",
        [chunked(LINE)],
        read_timeout=30,
    )
    lines = [json.loads(t) for t in raw.split(b"\r\n") if t.startswith(b"{")]
    assert "result" in lines[0]
    assert lines[-2]["error"]["status"] == 408
    assert lines[-1]["summary"]["complete"] is False


def test_a_batch_longer_than_allowed_is_cut_and_says_so(http: httpx.Client) -> None:
    response = http.post("/v1/assess/batch?on=2024-08", content=LINE * 25)
    lines = [json.loads(t) for t in response.text.splitlines()]
    results = [x for x in lines if "result" in x]
    assert [x["line"] for x in results] == list(range(1, 21))
    assert lines[-2]["error"]["code"] == "too_many_lines"
    assert lines[-2]["error"]["status"] == 413
    assert lines[-1]["summary"] == {"lines": 20, "assessed": 20, "failed": 0, "complete": False}


def test_a_batch_larger_than_allowed_is_refused(http: httpx.Client) -> None:
    declared = http.post("/v1/assess/batch", content=b" " * (2 * MiB + 1))
    assert declared.status_code == 413

    def body() -> Any:
        for _ in range(40):
            yield b"\n" * (64 * 1024)  # 2.5 MiB of blank lines, no length declared

    streamed = http.post("/v1/assess/batch", content=body())
    lines = [json.loads(t) for t in streamed.text.splitlines()]
    assert lines[-2]["error"]["code"] == "too_large"
    assert lines[-1]["summary"]["complete"] is False


def test_a_line_longer_than_allowed_is_an_error_for_that_line_only(
    http: httpx.Client, live: LiveServer
) -> None:
    before = live.rss_kib()
    long_line = b'{"id": "' + b"x" * (200 * 1024) + b'"}\n'
    response = http.post("/v1/assess/batch?on=2024-08", content=LINE + long_line + LINE)
    lines = [json.loads(t) for t in response.text.splitlines()]
    assert [("result" in x, x.get("line")) for x in lines[:3]] == [
        (True, 1),
        (False, 2),
        (True, 3),
    ]
    assert lines[1]["error"]["status"] == 413
    assert lines[-1]["summary"] == {"lines": 3, "assessed": 2, "failed": 1, "complete": True}
    assert live.rss_kib() - before < 32 * 1024


def test_the_server_still_answers(http: httpx.Client) -> None:
    response = http.post("/v1/assess?on=2024-08", content=LINE)
    assert response.status_code == 200
