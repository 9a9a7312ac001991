"""A Python client of ``civilaffairs serve`` (HTTP 客户端), and the same calls in-process.

:class:`Client` calls a service over HTTP (httpx); :class:`Local` makes the same calls in
this process, with the same library functions the service runs. Both have the same
methods and return the same documents — the decision JSON of
``civilaffairs assess --format json`` as a dict, and so on — and both raise the library's
own exceptions: a problem-details answer becomes the
:class:`~civilaffairs.errors.CivilAffairsError` subclass it was made from
(:class:`~civilaffairs.errors.ValidationError` with every field error and its path,
:class:`~civilaffairs.errors.UnknownRegion`, :class:`~civilaffairs.errors.MissingStandard`,
…). A system can therefore switch between a remote and a local backend by changing one
line::

    backend = Client("https://civilaffairs.example.gov.cn", api_key=KEY)  # or Local()
    decision = backend.assess(household, on="2024-08", programs=["dibao"])

Errors the library has no class for (a wrong API key, a body too large, a server error)
are :class:`RemoteError`, which keeps the HTTP status and the problem details.

The client needs the ``service`` extra (httpx); :class:`Local` needs nothing more than the
library.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from civilaffairs.errors import (
    CivilAffairsError,
    FieldError,
    InvalidPeriod,
    Lang,
    MalformedInput,
    MissingStandard,
    UnknownProgram,
    UnknownRegion,
    UnknownStandardKey,
    ValidationError,
)

if TYPE_CHECKING:
    import httpx

    from civilaffairs.registry import Registry

__all__ = [
    "BATCH_CHUNK",
    "Client",
    "Local",
    "RemoteError",
    "Unauthorized",
    "error_from_problem",
    "local_assess_json",
]

#: Households sent in one request by :meth:`Client.assess_batch`: the answer to one
#: request is read only after its body is sent, so a request is kept small enough for
#: its answer to wait in the connection's buffers.
BATCH_CHUNK = 200


class RemoteError(CivilAffairsError):
    """An error the service answered that the library has no class for (服务端错误):
    a wrong or missing API key, a body too large, a timeout, a server error.

    :param status: the HTTP status.
    :param problem: the problem details (RFC 9457) as sent.
    """

    code = "remote_error"
    title_zh = "服务端错误"

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        en = str(problem.get("message_en") or problem.get("detail") or f"HTTP {status}")
        zh = str(problem.get("message_zh") or problem.get("detail") or f"HTTP {status}")
        super().__init__(en, en=en, zh=zh)
        self.status = status
        self.problem = problem
        self.code = str(problem.get("code") or self.code)

    @property
    def request_id(self) -> str:
        """The service's id of the request (in its logs too)."""
        return str(self.problem.get("request_id", ""))


class Unauthorized(RemoteError):
    """The service wants a valid API key (401, 未授权)."""

    title_zh = "未授权"


_LIBRARY: dict[str, type[CivilAffairsError]] = {
    "unknown_region": UnknownRegion,
    "missing_standard": MissingStandard,
    "unknown_standard_key": UnknownStandardKey,
    "unknown_program": UnknownProgram,
    "invalid_period": InvalidPeriod,
    "civilaffairs_error": CivilAffairsError,
}


def _field_errors(problem: dict[str, Any]) -> list[FieldError]:
    return [
        FieldError(
            str(e.get("path", "")),
            str(e.get("message_en") or e.get("message", "")),
            str(e.get("code", "invalid")),
            zh=str(e.get("message_zh") or e.get("message", "")),
            en=str(e.get("message_en") or e.get("message", "")),
        )
        for e in problem.get("errors", [])
        if isinstance(e, dict)
    ]


def error_from_problem(status: int, problem: dict[str, Any]) -> CivilAffairsError:
    """The library exception a problem-details answer stands for.

    ``validation_error`` (and ``too_many_members``) become a
    :class:`~civilaffairs.errors.ValidationError` with every field error, ``malformed_input``
    a :class:`~civilaffairs.errors.MalformedInput`, ``unknown_region``,
    ``missing_standard``, ``unknown_standard_key``, ``unknown_program``, ``invalid_period``
    and ``unknown_check`` their classes; anything else a :class:`RemoteError`
    (:class:`Unauthorized` for 401).
    """
    from civilaffairs.service.operations import UnknownCheck

    code = str(problem.get("code", ""))
    errors = _field_errors(problem)
    if status == 401:
        return Unauthorized(status, problem)
    if code == "malformed_input" and errors:
        e = errors[0]
        return MalformedInput(e.message_en, path=e.path, code=e.code, zh=e.zh, en=e.en)
    if code in ("validation_error", "too_many_members") and status == 422:
        return ValidationError(errors, what="record")
    cls: type[CivilAffairsError] | None = _LIBRARY.get(code)
    if code == "unknown_check":
        cls = UnknownCheck
    if cls is None or status >= 500:
        return RemoteError(status, problem)
    first = errors[0] if errors else None
    en = first.message_en if first else str(problem.get("message_en", ""))
    zh = first.message_zh if first else str(problem.get("message_zh", ""))
    made = cls.__new__(cls)
    CivilAffairsError.__init__(made, en, path=(first.path or None) if first else None, zh=zh, en=en)
    return made


def local_assess_json(
    household: Any,
    on: str | None = None,
    programs: Sequence[str] | None = None,
    *,
    lang: Lang = "zh",
    registry: Registry | None = None,
) -> dict[str, Any]:
    """``civilaffairs.assess(household, on, programs).to_dict(lang)`` as the service and the
    command line give it (resident IDs masked): the document :meth:`Client.assess`
    returns, computed in this process. *household* is a
    :class:`~civilaffairs.domain.Household` or its JSON-ready data."""
    return Local(registry=registry).assess(household, on=on, programs=programs, lang=lang)


def _data(record: Any) -> Any:
    """JSON-ready data of a domain object (or *record* itself if it already is)."""
    import attrs

    if attrs.has(type(record)):
        from civilaffairs.convert import unstructure

        data = unstructure(record)
        if isinstance(data, dict):
            data.pop("type", None)
        return data
    return record


class Local:
    """The service's calls in this process: same methods, documents and exceptions as
    :class:`Client`, no server.

    :param registry: the registry to use (the installed plugins' by default).
    :param max_members: the most members of one household, as the service's setting.
    """

    def __init__(self, *, registry: Registry | None = None, max_members: int = 100) -> None:
        self.registry = registry
        self.max_members = max_members

    def assess(
        self,
        household: Any,
        *,
        on: str | None = None,
        programs: Sequence[str] | None = None,
        lang: Lang = "zh",
    ) -> dict[str, Any]:
        """The decision document of *household* (``POST /v1/assess``)."""
        from civilaffairs.service import operations as ops

        return ops.assess_data(
            _data(household),
            on=on,
            programs=ops.parse_programs(programs),
            lang=lang,
            max_members=self.max_members,
            registry=self.registry,
        )

    def assess_batch(
        self,
        households: Iterable[Any],
        *,
        on: str | None = None,
        programs: Sequence[str] | None = None,
        lang: Lang = "zh",
    ) -> Iterator[dict[str, Any]]:
        """One ``{"line", "result"}`` or ``{"line", "error"}`` per household, in order
        (``POST /v1/assess/batch``); an error is the problem details the service sends."""
        from civilaffairs.service.problems import from_assessment_error

        for n, household in enumerate(households, start=1):
            try:
                yield {
                    "line": n,
                    "result": self.assess(household, on=on, programs=programs, lang=lang),
                }
            except CivilAffairsError as exc:
                body = from_assessment_error(exc).body(
                    instance="/v1/assess/batch", request_id="", lang=lang
                )
                yield {"line": n, "error": body}

    def validate(
        self, records: Any, *, record_type: str = "auto", lang: Lang = "zh"
    ) -> dict[str, Any]:
        """The validation report of *records*: one record or a list (``POST /v1/validate``)."""
        from civilaffairs.service import operations as ops

        data = _data(records) if not isinstance(records, list) else [_data(r) for r in records]
        items = (
            [("", f"[{i}]", item) for i, item in enumerate(data)]
            if isinstance(data, list)
            else [("", "", data)]
        )
        return ops.validate_data(items, record_type=record_type, lang=lang)

    def standards(
        self,
        region: str,
        *,
        on: str | None = None,
        keys: Sequence[str] = (),
        residence: str | None = None,
    ) -> dict[str, Any]:
        """The standards in force for *region* (``GET /v1/standards/{region}``)."""
        from civilaffairs.service import operations as ops

        return ops.standards_document(
            region, on=on, keys=tuple(keys), residence=residence, registry=self.registry
        )

    def programs(self) -> dict[str, Any]:
        """Modules and programmes with scope and legal basis (``GET /v1/programs``)."""
        from civilaffairs.service import operations as ops

        return ops.programs_document(self.registry)

    def plugins(self) -> dict[str, Any]:
        """Plugins and load errors (``GET /v1/plugins``)."""
        from civilaffairs.service import operations as ops

        return ops.plugins_document(self.registry)

    def checks(self, modules: Sequence[str] = ()) -> dict[str, Any]:
        """The checks of the service modules by module (``GET /v1/checks``)."""
        from civilaffairs.service import operations as ops

        return ops.checks_document(tuple(modules), self.registry)

    def check(
        self, check_id: str, record: Any, *, on: str | None = None, lang: Lang = "zh"
    ) -> dict[str, Any]:
        """Run check *check_id* on *record* (``POST /v1/checks/{check_id}``)."""
        from civilaffairs.service import operations as ops

        return ops.check_data(check_id, _data(record), on=on, lang=lang, registry=self.registry)

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of a household (``GET /v1/schema/household``)."""
        from civilaffairs.service import operations as ops

        return ops.schema_document()


class Client:
    """A client of ``civilaffairs serve``.

    :param base_url: the service's address, e.g. ``http://127.0.0.1:8000``.
    :param api_key: the API key, sent as ``Authorization: Bearer KEY``.
    :param timeout: seconds to wait for an answer.
    :param transport: an httpx transport (for tests); default a real connection.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None = None,
        *,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        import httpx

        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout, transport=transport
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    # -- plumbing ------------------------------------------------------------------------

    def _answer(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise self._error(response)
        return response.json()

    @staticmethod
    def _error(response: httpx.Response) -> CivilAffairsError:
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        if not isinstance(problem, dict):
            problem = {}
        problem.setdefault("status", response.status_code)
        return error_from_problem(response.status_code, problem)

    def _post(self, path: str, body: Any, params: dict[str, Any]) -> Any:
        content = json.dumps(body, ensure_ascii=False).encode("utf-8")
        response = self._http.post(
            path,
            content=content,
            params=_params(params),
            headers={"Content-Type": "application/json"},
        )
        return self._answer(response)

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._answer(self._http.get(path, params=_params(params or {})))

    # -- the calls -----------------------------------------------------------------------

    def assess(
        self,
        household: Any,
        *,
        on: str | None = None,
        programs: Sequence[str] | None = None,
        lang: Lang = "zh",
    ) -> dict[str, Any]:
        """The decision document of *household* (a
        :class:`~civilaffairs.domain.Household` or its JSON data), as
        ``civilaffairs assess --format json`` prints it."""
        params = {"on": on, "programs": ",".join(programs) if programs else None, "lang": lang}
        return dict(self._post("/v1/assess", _data(household), params))

    def assess_batch(
        self,
        households: Iterable[Any],
        *,
        on: str | None = None,
        programs: Sequence[str] | None = None,
        lang: Lang = "zh",
        chunk: int = BATCH_CHUNK,
    ) -> Iterator[dict[str, Any]]:
        """One ``{"line", "result"}`` or ``{"line", "error"}`` per household, in order,
        sent *chunk* households a request; ``line`` counts from 1 over all of them.

        :raises RemoteError: a batch the service cut short (its last error), or any error
            of the request itself.
        """
        params = {"on": on, "programs": ",".join(programs) if programs else None, "lang": lang}
        batch: list[bytes] = []
        offset = 0
        for household in households:
            line = json.dumps(_data(household), ensure_ascii=False, separators=(",", ":"))
            batch.append(line.encode("utf-8") + b"\n")
            if len(batch) >= chunk:
                yield from self._batch(batch, params, offset)
                offset += len(batch)
                batch = []
        if batch:
            yield from self._batch(batch, params, offset)

    def _batch(
        self, lines: list[bytes], params: dict[str, Any], offset: int
    ) -> Iterator[dict[str, Any]]:
        with self._http.stream(
            "POST",
            "/v1/assess/batch",
            content=b"".join(lines),
            params=_params(params),
            headers={"Content-Type": "application/x-ndjson"},
        ) as response:
            if response.status_code >= 400:
                response.read()
                raise self._error(response)
            summary: dict[str, Any] | None = None
            for text in response.iter_lines():
                if not text.strip():
                    continue
                item = json.loads(text)
                if "summary" in item:
                    summary = item["summary"]
                elif item.get("line") is None:
                    problem = item.get("error", {})
                    raise error_from_problem(int(problem.get("status", 500)), problem)
                else:
                    item["line"] = int(item["line"]) + offset
                    yield item
            if summary is None or not summary.get("complete"):
                raise RemoteError(502, {"detail": "the batch answer ended early"})

    def validate(
        self, records: Any, *, record_type: str = "auto", lang: Lang = "zh"
    ) -> dict[str, Any]:
        """The validation report of *records*: one record or a list."""
        data = [_data(r) for r in records] if isinstance(records, list) else _data(records)
        return dict(self._post("/v1/validate", data, {"type": record_type, "lang": lang}))

    def standards(
        self,
        region: str,
        *,
        on: str | None = None,
        keys: Sequence[str] = (),
        residence: str | None = None,
    ) -> dict[str, Any]:
        """The standards in force for *region*, each with its source."""
        from urllib.parse import quote

        params = {"on": on, "key": list(keys) or None, "residence": residence}
        return dict(self._get(f"/v1/standards/{quote(region, safe='')}", params))

    def programs(self) -> dict[str, Any]:
        """Modules and programmes with scope and legal basis."""
        return dict(self._get("/v1/programs"))

    def plugins(self) -> dict[str, Any]:
        """Plugins and load errors."""
        return dict(self._get("/v1/plugins"))

    def checks(self, modules: Sequence[str] = ()) -> dict[str, Any]:
        """The checks of the service modules by module."""
        return dict(self._get("/v1/checks", {"module": list(modules) or None}))

    def check(
        self, check_id: str, record: Any, *, on: str | None = None, lang: Lang = "zh"
    ) -> dict[str, Any]:
        """Run check *check_id* on *record*."""
        from urllib.parse import quote

        path = f"/v1/checks/{quote(check_id, safe='')}"
        return dict(self._post(path, _data(record), {"on": on, "lang": lang}))

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of a household."""
        return dict(self._get("/v1/schema/household"))

    def ready(self) -> dict[str, Any]:
        """``/readyz``: whether the registry is built, and plugin load errors."""
        return dict(self._get("/readyz"))


def _params(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}
