"""Request logging and request ids (请求日志): one JSON line per request, no personal data.

:class:`RequestLog` wraps the whole application: it gives each request an id (the
caller's ``X-Request-ID`` when it is a short token, else a new one), sends it back in the
``X-Request-ID`` header, and writes one line to the ``civilaffairs.service`` logger when
the request ends::

    {"ts": "2026-12-02T04:18:03.512Z", "event": "request", "request_id": "…",
     "method": "POST", "path": "/v1/assess", "status": 200, "duration_ms": 4.1}

A line never holds a body, a query string, a header or an exception message: the path is
logged as the template of the route it matched (``/v1/standards/{region}``), never with
the values a client put in it; a caller's request id is used only when it is a short token
that holds no resident ID; an unexpected exception is logged by its type only. So neither
a resident ID nor a name sent in a request can reach the logs.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from civilaffairs.ids import mask_text

__all__ = ["LOGGER", "RequestLog", "configure_logging", "log_event", "request_id_of"]

#: The logger of the service's lines.
LOGGER = logging.getLogger("civilaffairs.service")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_TOKEN = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def configure_logging(level: int = logging.INFO) -> None:
    """Send the service's lines to stderr, one JSON object a line (once per process)."""
    if any(getattr(h, "_civilaffairs", False) for h in LOGGER.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler._civilaffairs = True  # type: ignore[attr-defined]
    LOGGER.addHandler(handler)
    LOGGER.setLevel(level)
    LOGGER.propagate = False


def log_event(event: str, **fields: Any) -> None:
    """Write one JSON line: the time, *event* and *fields* (each text masked)."""
    now = _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    record = {"ts": now, "event": event}
    for key, value in fields.items():
        record[key] = mask_text(value) if isinstance(value, str) else value
    LOGGER.info(json.dumps(record, ensure_ascii=False, separators=(",", ":")))


def request_id_of(scope: Scope) -> str:
    """The id :class:`RequestLog` gave the request of *scope*."""
    return str(scope.get("state", {}).get("request_id", ""))


class RequestLog:
    """ASGI middleware around the whole application: request ids and one log line per
    request; an exception that escapes the application is logged by type and swallowed
    (the application has already answered 500)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = _header(scope, b"x-request-id")
        usable = sent is not None and _TOKEN.fullmatch(sent) and mask_text(sent) == sent
        rid = sent if usable and sent is not None else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        status = 0
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [
                    (k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"
                ]
                headers.append((b"x-request-id", rid.encode("ascii")))
                message["headers"] = headers
            await send(message)

        error: str | None = None
        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            error = type(exc).__name__
            if status == 0:
                status = 500
        finally:
            fields: dict[str, Any] = {
                "request_id": rid,
                "method": str(scope.get("method", ""))[:16],
                "path": _route(scope),
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }
            if error is not None:
                fields["error"] = error
            log_event("request", **fields)


def _route(scope: Scope) -> str:
    """The route the request matched, as its template (``/v1/standards/{region}``): the
    values in a path may be anything a client typed, a name among them, so they are not
    logged; a path that matched no route is logged as ``(no route)``."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path)[:200] if isinstance(path, str) else "(no route)"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            try:
                return bytes(value).decode("ascii")
            except UnicodeDecodeError:
                return None
    return None
