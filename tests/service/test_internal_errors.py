"""An unexpected exception is a 500 problem with a request id, no traceback and no personal
data, and it is logged by its type only; uvicorn runs with the limits the settings give."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from typing import Any

import httpx
from service_support import SECRET_ID, SECRET_NAME

from civilaffairs.service.app import build_app
from civilaffairs.service.logs import LOGGER, RequestLog
from civilaffairs.service.server import MAX_HEAD_BYTES, uvicorn_options
from civilaffairs.service.settings import Settings


def test_an_unexpected_error_is_a_bare_500() -> None:
    app = build_app(Settings())

    @app.get("/v1/boom")
    async def boom() -> None:
        raise RuntimeError(f"{SECRET_ID} {SECRET_NAME} at /secret/path")

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    try:

        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=RequestLog(app), raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                return await client.get("/v1/boom")

        response = asyncio.run(call())
    finally:
        LOGGER.removeHandler(handler)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["code"] == "internal_error"
    assert body["request_id"] == response.headers["x-request-id"]
    for text in (response.text, stream.getvalue()):
        assert SECRET_ID not in text and SECRET_NAME not in text
        assert "Traceback" not in text and "/secret/path" not in text
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    errors = [x for x in lines if x["event"] == "error"]
    assert errors == [{**errors[0], "error": "RuntimeError", "request_id": body["request_id"]}]
    requests = [x for x in lines if x["event"] == "request"]
    assert requests[0]["status"] == 500
    assert requests[0]["path"] == "/v1/boom"


def test_uvicorn_gets_the_limits() -> None:
    settings = Settings(
        port=9000, workers=3, keep_alive=7, request_timeout=12, limit_concurrency=10
    )
    options = uvicorn_options(settings)
    assert options["workers"] == 3
    assert options["timeout_keep_alive"] == 7
    assert options["limit_concurrency"] == 10
    assert options["h11_max_incomplete_event_size"] == MAX_HEAD_BYTES
    assert options["access_log"] is False
    assert options["factory"] is True
