"""Batches over HTTP (批量评估): JSON Lines in, JSON Lines out, line by line.

``POST /v1/assess/batch`` reads its body a line at a time and answers each non-blank line
as soon as it is assessed, so memory holds one line however long the batch. Every
non-blank line gets exactly one answer line, in order::

    {"line": 1, "result": {...the decision document...}}
    {"line": 2, "error": {...problem details, with "status"...}}

and the last line is always the summary, which says whether every line was read::

    {"summary": {"lines": 2, "assessed": 1, "failed": 1, "complete": true}}

A batch that breaks a limit (more than ``max_batch_lines`` records, more than
``max_batch_bytes``, a pause longer than ``request_timeout``) ends with an ``error`` line
without a line number (413 or 408) and a summary with ``"complete": false``: the lines
answered before it stand, the rest were not read. A line longer than ``max_body_bytes``
is answered with a 413 error for that line and skipped without being held in memory.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import anyio.to_thread
from fastapi import Request
from fastapi.responses import Response

from civilaffairs.errors import CivilAffairsError, Lang, MalformedInput, ValidationError
from civilaffairs.ids import mask_text
from civilaffairs.service import operations as ops
from civilaffairs.service.logs import request_id_of
from civilaffairs.service.problems import HttpProblem, from_assessment_error
from civilaffairs.service.settings import Settings

__all__ = ["LineStream", "assess_stream", "records_of"]


class _Stop(Exception):
    """A limit ended the batch; carries the problem to send as its last error."""

    def __init__(self, problem: HttpProblem) -> None:
        super().__init__(problem.en)
        self.problem = problem


class LineStream(Response):
    """A response sent as its lines are made.

    Unlike Starlette's ``StreamingResponse`` it does not listen for a disconnect while
    sending, which would take the request body's messages away from the reader of a batch
    that is answered while it is still arriving; a client that goes away shows as a failed
    send, and the stream stops there.
    """

    media_type = "application/x-ndjson"

    def __init__(self, lines: AsyncIterator[bytes]) -> None:
        super().__init__(content=None, media_type=self.media_type)
        # no Content-Length: the length is not known until the last line
        self.raw_headers = [(k, v) for k, v in self.raw_headers if k != b"content-length"]
        self.lines = lines

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send(
            {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
        )
        try:
            async for line in self.lines:
                await send({"type": "http.response.body", "body": line, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
        except OSError:
            return
        finally:
            close = getattr(self.lines, "aclose", None)
            if close is not None:
                await close()


def _line(obj: dict[str, Any]) -> bytes:
    return (mask_text(json.dumps(obj, ensure_ascii=False, separators=(",", ":"))) + "\n").encode()


async def _chunks(request: Request, settings: Settings) -> AsyncIterator[bytes]:
    """The body's chunks; at most ``max_batch_bytes`` in all, each within the timeout."""
    stream = request.stream().__aiter__()
    total = 0
    while True:
        try:
            async with asyncio.timeout(settings.request_timeout):
                chunk = await stream.__anext__()
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise _Stop(
                HttpProblem(
                    408,
                    "request_timeout",
                    f"no part of the body arrived within {settings.request_timeout:g} s",
                    f"{settings.request_timeout:g} 秒内未收到请求体的后续内容",
                )
            ) from None
        total += len(chunk)
        if total > settings.max_batch_bytes:
            raise _Stop(
                HttpProblem(
                    413,
                    "too_large",
                    f"the batch is larger than {settings.max_batch_bytes} bytes",
                    f"批量请求体超过 {settings.max_batch_bytes} 字节",
                )
            )
        yield chunk


async def _lines(
    chunks: AsyncIterator[bytes], limit: int
) -> AsyncIterator[tuple[int, bytes | None]]:
    """Number the lines, from 1; a line longer than *limit* comes as ``None`` and is
    skipped without being held."""
    buffer = bytearray()
    lineno = 0
    skipping = False
    async for chunk in chunks:
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                if not skipping:
                    buffer += chunk[start:]
                    if len(buffer) > limit:
                        skipping = True
                        buffer.clear()
                break
            lineno += 1
            if skipping:
                skipping = False
                yield lineno, None
            else:
                buffer += chunk[start:end]
                line = bytes(buffer)
                buffer.clear()
                yield lineno, (None if len(line) > limit else line)
            start = end + 1
    if skipping:
        yield lineno + 1, None
    elif buffer.strip():
        yield lineno + 1, bytes(buffer)


async def assess_stream(
    request: Request,
    settings: Settings,
    *,
    on: str | None,
    programs: tuple[str, ...],
    lang: Lang,
) -> AsyncIterator[bytes]:
    """The answer lines of a batch (see the module)."""
    from civilaffairs.convert import parse_json
    from civilaffairs.convert._jsonio import line_too_long

    rid = request_id_of(request.scope)
    where = request.url.path
    counts = {"lines": 0, "assessed": 0, "failed": 0}
    complete = True

    def error(problem: HttpProblem, line: int | None) -> bytes:
        body = problem.body(instance=where, request_id=rid, lang=lang)
        return _line({"line": line, "error": body} if line is not None else {"error": body})

    def assess_line(raw: bytes, lineno: int) -> str:
        return ops.assess_text(
            parse_json(raw, line=lineno),
            on=on,
            programs=programs,
            lang=lang,
            max_members=settings.max_members,
        )

    try:
        async for lineno, raw in _lines(_chunks(request, settings), settings.max_body_bytes):
            if raw is not None and not raw.strip():
                continue
            counts["lines"] += 1
            if counts["lines"] > settings.max_batch_lines:
                counts["lines"] -= 1
                raise _Stop(
                    HttpProblem(
                        413,
                        "too_many_lines",
                        f"the batch has more than {settings.max_batch_lines} lines; "
                        "send the rest in another request",
                        f"批量请求超过 {settings.max_batch_lines} 行，其余请分批发送",
                    )
                )
            try:
                if raw is None:
                    raise line_too_long()
                async with asyncio.timeout(settings.request_timeout):
                    text = await anyio.to_thread.run_sync(
                        assess_line, raw, lineno, abandon_on_cancel=True
                    )
            except CivilAffairsError as exc:
                counts["failed"] += 1
                yield error(from_assessment_error(exc), lineno)
                continue
            except TimeoutError:
                counts["failed"] += 1
                yield error(
                    HttpProblem(503, "timeout", "the line took too long", "该行处理超时"), lineno
                )
                continue
            counts["assessed"] += 1
            yield b'{"line":%d,"result":%s}\n' % (lineno, text.encode("utf-8"))
    except _Stop as stop:
        complete = False
        yield error(stop.problem, None)
    yield _line({"summary": {**counts, "complete": complete}})


def records_of(body: bytes, *, lines: bool) -> list[tuple[str, str, Any]]:
    """The records of a ``validate`` body: ``(where, path prefix, data or error)``.

    JSON Lines give one record per non-blank line (``where`` is ``line N``; a line that is
    not JSON is that line's error). A JSON document gives its items (prefix ``[i]``) or
    itself.

    :raises MalformedInput: a JSON document that cannot be read.
    """
    from civilaffairs.convert import parse_json

    if lines:
        return list(_jsonl_records(body))
    if not body.strip():
        raise MalformedInput(
            "the body is empty; send one JSON document (请求体为空)",
            code="empty",
            zh="请求体为空，请发送一个 JSON 文档",
        )
    data = parse_json(body)
    if isinstance(data, list):
        return [("", f"[{i}]", item) for i, item in enumerate(data)]
    return [("", "", data)]


def _jsonl_records(body: bytes) -> Iterator[tuple[str, str, Any]]:
    from civilaffairs.convert import parse_json

    for lineno, line in enumerate(body.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            yield f"line {lineno}", "", parse_json(line.rstrip(b"\r"), line=lineno)
        except ValidationError as exc:
            yield f"line {lineno}", "", exc
