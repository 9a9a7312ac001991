"""The HTTP service (HTTP 服务): a FastAPI application over the library.

:func:`create_app` builds the ASGI application (wrapped in
:class:`~civilaffairs.service.logs.RequestLog`); :func:`build_app` the FastAPI object
alone, for its OpenAPI document. Every endpoint calls the same library functions as the
command line (:mod:`civilaffairs.service.operations`), so a document is the same whichever
way it is asked for.

Bodies are read by the service itself, never by the framework: at most
``max_body_bytes`` (a declared ``Content-Length`` above it is refused before a byte is
read, a body that grows past it is refused as soon as it does), within
``request_timeout`` seconds; a batch is read and answered line by line, so memory holds
one line whatever the size of the batch. CPU work runs in worker threads.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any, Literal, TypeVar

import anyio.to_thread
from fastapi import APIRouter, Depends, FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from civilaffairs._version import __version__
from civilaffairs.errors import CivilAffairsError, FieldError, MalformedInput, ValidationError
from civilaffairs.service import operations as ops
from civilaffairs.service.auth import key_from_headers, key_matches
from civilaffairs.service.logs import RequestLog, configure_logging, log_event, request_id_of
from civilaffairs.service.problems import (
    PROBLEM_JSON,
    HttpProblem,
    encode,
    from_assessment_error,
    from_error,
)
from civilaffairs.service.settings import Settings

__all__ = ["NDJSON", "build_app", "create_app", "create_app_from_env"]

#: The media type of JSON Lines bodies.
NDJSON = "application/x-ndjson"
_JSON = "application/json"
T = TypeVar("T")
Lang = Literal["zh", "en"]


# -- response models (they describe the documents; the documents are sent as built) ----


class FieldProblem(BaseModel):
    """One bad field: its path from the top of the record, the message and the code."""

    path: str = Field(examples=["members[0].incomes[0].monthly"])
    message: str
    code: str
    message_zh: str
    message_en: str


class ProblemDetails(BaseModel):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type: str = Field(examples=["urn:civilaffairs:problem:validation_error"])
    title: str
    status: int
    detail: str
    instance: str
    code: str
    message_zh: str
    message_en: str
    errors: list[FieldProblem]
    request_id: str


class Open(BaseModel):
    """A document with more members than listed."""

    model_config = ConfigDict(extra="allow")


class DecisionDocument(Open):
    """One programme's explained decision (see :class:`civilaffairs.decision.Decision`)."""

    program: str
    name: str
    eligible: bool
    amount: str = Field(description="decimal yuan, exact to the fen", examples=["1450.00"])
    period: str
    conditions: list[dict[str, Any]]
    standards: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    basis: Any


class AssessmentDocument(Open):
    """What ``civilaffairs assess --format json`` prints for one household."""

    household: str
    month: str = Field(examples=["2024-08"])
    region: str
    residence: str
    decisions: list[DecisionDocument]
    skipped: Any
    versions: dict[str, str]


class BatchLine(Open):
    """One line of a batch answer: ``{"line", "result"}``, ``{"line", "error"}`` (a problem
    object), or the last line ``{"summary": {...}}``."""

    line: int | None = None
    result: AssessmentDocument | None = None
    error: ProblemDetails | None = None
    summary: dict[str, Any] | None = None


class ValidationReport(BaseModel):
    """What ``civilaffairs validate`` finds in the records of a body."""

    valid: bool
    records: int
    invalid: int
    counts: dict[str, int]
    members: int
    summary: str
    errors: list[dict[str, str]]


class StandardsDocument(Open):
    """What ``civilaffairs standards REGION --format json`` prints."""

    region: str
    region_name: str
    on: str
    values: list[dict[str, Any]]
    missing: list[str]


class ProgramsDocument(BaseModel):
    """The service modules, their scope and their programmes with legal basis."""

    modules: list[dict[str, Any]]


class PluginsDocument(BaseModel):
    """What ``civilaffairs plugins --format json`` prints."""

    plugins: list[dict[str, Any]]
    errors: list[dict[str, Any]]
    conflicts: list[dict[str, Any]]


class CheckResultDocument(Open):
    """What ``civilaffairs check CHECK_ID FILE --format json`` prints for one record."""


class Health(BaseModel):
    """The process is up."""

    status: str = "ok"
    version: str


class Readiness(BaseModel):
    """The registry is built; plugins that failed to load are listed."""

    status: str
    plugins: int
    errors: list[dict[str, Any]]


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ProblemDetails, "content": {PROBLEM_JSON: {}}, "description": text}
    for status, text in {
        400: "malformed JSON or a bad query value",
        401: "missing or wrong API key",
        404: "unknown region, standard key, check or route",
        413: "body too large",
        422: "a record with bad fields, or one that cannot be assessed",
        500: "unexpected error (the request id is in the problem)",
    }.items()
}


# -- the application ----------------------------------------------------------------


def create_app(settings: Settings | None = None) -> RequestLog:
    """The ASGI application: :func:`build_app` wrapped in the request log."""
    configure_logging()
    return RequestLog(build_app(settings))


def create_app_from_env() -> RequestLog:
    """The application with the settings of
    :meth:`~civilaffairs.service.settings.Settings.from_env` (the workers' factory)."""
    return create_app(Settings.from_env())


def build_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI application with every route, error handler and the OpenAPI document."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from civilaffairs.registry import get_registry

        app.state.registry = await anyio.to_thread.run_sync(get_registry)
        log_event("ready", plugins=len(app.state.registry.plugins))
        yield

    app = FastAPI(
        title="civilaffairs",
        version=__version__,
        summary="Exact, explained civil-affairs decisions over HTTP (民政业务规则服务)",
        description=(
            "The same JSON contracts as the `civilaffairs` command line. Errors are RFC 9457 "
            "problem details. Send the API key as `Authorization: Bearer KEY` or "
            "`X-API-Key: KEY` when the deployment has keys."
        ),
        lifespan=lifespan,
        responses={500: _ERRORS[500]},
    )
    app.state.settings = settings
    app.state.registry = None
    _handlers(app)
    app.include_router(_health_router())
    app.include_router(_v1_router(settings))
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    return app


# -- reading bodies -------------------------------------------------------------------


def _declared_length(request: Request, limit: int) -> None:
    raw = request.headers.get("content-length")
    if raw is None:
        return
    if not raw.strip().isdigit():
        raise HttpProblem(
            400, "bad_content_length", "Content-Length is not a number", "Content-Length 不是数字"
        )
    if int(raw) > limit:
        raise _too_large(limit)


def _too_large(limit: int) -> HttpProblem:
    return HttpProblem(
        413,
        "too_large",
        f"the body is larger than {limit} bytes",
        f"请求体超过 {limit} 字节",
        headers={"Connection": "close"},
    )


def _timed_out(seconds: float) -> HttpProblem:
    return HttpProblem(
        408,
        "request_timeout",
        f"the body did not arrive within {seconds:g} s",
        f"请求体未在 {seconds:g} 秒内送达",
        headers={"Connection": "close"},
    )


async def read_body(request: Request, limit: int, timeout: float) -> bytes:
    """The whole body of *request*: at most *limit* bytes, within *timeout* seconds.

    :raises HttpProblem: 413 above the limit (declared or read), 408 past the timeout.
    """
    _declared_length(request, limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                chunks.append(chunk)
    except TimeoutError:
        raise _timed_out(timeout) from None
    return b"".join(chunks)


async def _in_thread(settings: Settings, call: Callable[[], T]) -> T:
    try:
        async with asyncio.timeout(settings.request_timeout):
            return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
    except TimeoutError:
        raise HttpProblem(
            503,
            "timeout",
            f"the answer took longer than {settings.request_timeout:g} s",
            f"处理超过 {settings.request_timeout:g} 秒",
        ) from None


def _json_body(body: bytes) -> Any:
    if not body.strip():
        raise MalformedInput(
            "the body is empty; send one JSON document (请求体为空)",
            code="empty",
            zh="请求体为空，请发送一个 JSON 文档",
        )
    from civilaffairs.convert import parse_json

    return parse_json(body)


def _json(text: str, status: int = 200) -> Response:
    return Response(text.encode("utf-8"), status_code=status, media_type=_JSON)


def _document(document: Any) -> Response:
    return _json(json.dumps(document, ensure_ascii=False, indent=2))


# -- errors ---------------------------------------------------------------------------


def _lang_of(request: Request) -> Lang:
    return "en" if request.query_params.get("lang") == "en" else "zh"


def _problem_response(request: Request, problem: HttpProblem) -> Response:
    body = problem.body(
        instance=request.url.path, request_id=request_id_of(request.scope), lang=_lang_of(request)
    )
    return Response(
        encode(body), status_code=problem.status, media_type=PROBLEM_JSON, headers=problem.headers
    )


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(HttpProblem)
    async def on_problem(request: Request, exc: HttpProblem) -> Response:
        return _problem_response(request, exc)

    @app.exception_handler(CivilAffairsError)
    async def on_library_error(request: Request, exc: CivilAffairsError) -> Response:
        return _problem_response(request, from_error(exc))

    @app.exception_handler(RequestValidationError)
    async def on_request_invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = tuple(
            FieldError(
                ".".join(str(p) for p in e.get("loc", ())),
                str(e.get("msg", "invalid")),
                str(e.get("type", "invalid")),
            )
            for e in exc.errors()
        )
        problem = from_error(ValidationError(errors, what="request"))
        return _problem_response(request, problem)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> Response:
        texts = {
            404: ("no such route", "没有这个地址", "not_found"),
            405: ("method not allowed on this route", "此地址不支持该方法", "method_not_allowed"),
        }
        en, zh, code = texts.get(exc.status_code, (str(exc.detail), str(exc.detail), "http"))
        return _problem_response(request, HttpProblem(exc.status_code, code, en, zh))

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log_event(
            "error",
            request_id=request_id_of(request.scope),
            path=request.url.path[:200],
            error=type(exc).__name__,
        )
        return _problem_response(
            request,
            HttpProblem(
                500,
                "internal_error",
                "unexpected error; quote the request id when you report it",
                "服务内部错误；报告时请附上 request_id",
            ),
        )


def _require_key(request: Request) -> None:
    settings: Settings = request.app.state.settings
    if not settings.auth_required:
        return
    if key_matches(key_from_headers(request.headers), settings.key_digests):
        return
    raise HttpProblem(
        401,
        "unauthorized",
        "a valid API key is required: Authorization: Bearer KEY or X-API-Key: KEY",
        "需要有效的 API 密钥：Authorization: Bearer KEY 或 X-API-Key: KEY",
        headers={"WWW-Authenticate": 'Bearer realm="civilaffairs"'},
    )


# -- routes ---------------------------------------------------------------------------


def _health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model=Health, summary="The process is up")
    async def healthz() -> Health:
        return Health(version=__version__)

    @router.get(
        "/readyz",
        response_model=Readiness,
        summary="The registry is built (plugin load errors listed)",
        responses={503: {"model": Readiness, "description": "the registry is not built yet"}},
    )
    async def readyz(request: Request) -> Response:
        registry = request.app.state.registry
        if registry is None:
            body = Readiness(status="starting", plugins=0, errors=[])
            return Response(body.model_dump_json(), status_code=503, media_type=_JSON)
        errors = [{"plugin": e.plugin, **e.to_dict()} for e in registry.errors]
        body = Readiness(status="ready", plugins=len(registry.plugins), errors=errors)
        return _json(ops.dumps(body.model_dump()))

    return router


OnMonth = Annotated[
    str | None,
    Query(description="Month to assess, YYYY-MM (default: the current month)", max_length=32),
]
OnDay = Annotated[
    str | None,
    Query(
        description="Date, YYYY-MM-DD, or a month for its first day (default: today)", max_length=32
    ),
]
LangQuery = Annotated[Lang, Query(description="Language of labels, text and errors")]
ProgramsQuery = Annotated[
    str | None,
    Query(
        description="Comma-separated programme ids, e.g. dibao,tekun (default: all)",
        max_length=2000,
    ),
]


def _v1_router(settings: Settings) -> APIRouter:
    router = APIRouter(prefix="/v1", dependencies=[Depends(_require_key)], responses=_ERRORS)
    household_body = {
        "requestBody": {
            "required": True,
            "content": {_JSON: {"schema": {"$ref": "#/components/schemas/Household"}}},
        }
    }

    @router.post(
        "/assess",
        tags=["assess"],
        summary="Assess one household (civilaffairs assess --format json)",
        response_model=None,
        responses={200: {"model": AssessmentDocument}},
        openapi_extra=household_body,
    )
    async def assess(
        request: Request,
        on: OnMonth = None,
        programs: ProgramsQuery = None,
        lang: LangQuery = "zh",
    ) -> Response:
        ids = ops.parse_programs(programs)
        body = await read_body(request, settings.max_body_bytes, settings.request_timeout)
        data = _json_body(body)
        try:
            text = await _in_thread(
                settings,
                lambda: ops.assess_text(
                    data, on=on, programs=ids, lang=lang, max_members=settings.max_members
                ),
            )
        except CivilAffairsError as exc:
            raise from_assessment_error(exc) from None
        return _json(text)

    @router.post(
        "/assess/batch",
        tags=["assess"],
        summary="Assess a JSON Lines stream of households, answered line by line",
        response_model=None,
        responses={200: {"model": BatchLine, "content": {NDJSON: {}}}},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {NDJSON: {"schema": {"type": "string"}}},
            }
        },
    )
    async def assess_batch(
        request: Request,
        on: OnMonth = None,
        programs: ProgramsQuery = None,
        lang: LangQuery = "zh",
    ) -> Response:
        from civilaffairs.cli.assess import parse_on

        ids = ops.parse_programs(programs)
        parse_on(on)
        _declared_length(request, settings.max_batch_bytes)
        from civilaffairs.service.batch import LineStream, assess_stream

        return LineStream(assess_stream(request, settings, on=on, programs=ids, lang=lang))

    @router.post(
        "/validate",
        tags=["records"],
        summary="Validate records: one JSON object, a JSON array or JSON Lines",
        response_model=ValidationReport,
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    _JSON: {"schema": {"type": ["object", "array"]}},
                    NDJSON: {"schema": {"type": "string"}},
                },
            }
        },
    )
    async def validate(
        request: Request,
        type: Annotated[
            Literal["auto", "household", "institution", "application", "service", "service_record"],
            Query(description="Record type of every record; auto reads each record's type"),
        ] = "auto",
        lang: LangQuery = "zh",
    ) -> Response:
        from civilaffairs.service.batch import records_of

        body = await read_body(request, settings.max_body_bytes, settings.request_timeout)
        lines = request.headers.get("content-type", "").split(";")[0].strip() in (
            NDJSON,
            "application/jsonl",
            "application/x-jsonlines",
        )
        records = records_of(body, lines=lines)
        report = await _in_thread(
            settings, lambda: ops.validate_data(records, record_type=type, lang=lang)
        )
        return _document(report)

    @router.get(
        "/standards/{region}",
        tags=["standards"],
        summary="Standards in force for a region (civilaffairs standards --format json)",
        response_model=StandardsDocument,
    )
    async def standards(
        region: Annotated[str, Path(max_length=32, description="GB/T 2260 code, e.g. 110105")],
        on: OnDay = None,
        key: Annotated[list[str] | None, Query(description="Only this key (repeatable)")] = None,
        residence: Annotated[Literal["urban", "rural"] | None, Query()] = None,
        lang: LangQuery = "zh",
    ) -> Response:
        keys = tuple(key or ())
        document = await _in_thread(
            settings,
            lambda: ops.standards_document(region, on=on, keys=keys, residence=residence),
        )
        return _document(document)

    @router.get(
        "/programs",
        tags=["registry"],
        summary="Service modules and programmes, with scope and legal basis",
        response_model=ProgramsDocument,
    )
    async def programs_() -> Response:
        return _document(ops.programs_document())

    @router.get(
        "/plugins",
        tags=["registry"],
        summary="Plugins, what each registered, load errors (civilaffairs plugins)",
        response_model=PluginsDocument,
    )
    async def plugins() -> Response:
        return _document(ops.plugins_document())

    @router.get(
        "/schema/household",
        tags=["records"],
        summary="The JSON Schema of a household (civilaffairs schema household)",
        response_model=dict[str, Any],
    )
    async def schema() -> Response:
        return _document(ops.schema_document())

    @router.get(
        "/checks",
        tags=["checks"],
        summary="Checks of the service modules by module (civilaffairs checks --format json)",
        response_model=dict[str, list[dict[str, Any]]],
    )
    async def checks(
        module: Annotated[list[str] | None, Query(description="Only this module")] = None,
    ) -> Response:
        return _document(ops.checks_document(tuple(module or ())))

    @router.post(
        "/checks/{check_id}",
        tags=["checks"],
        summary="Run a check on one record (civilaffairs check CHECK_ID --format json)",
        response_model=CheckResultDocument,
        openapi_extra={
            "requestBody": {"required": True, "content": {_JSON: {"schema": {"type": "object"}}}}
        },
    )
    async def check(
        request: Request,
        check_id: Annotated[str, Path(max_length=128, description="MODULE.NAME")],
        on: OnDay = None,
        lang: LangQuery = "zh",
    ) -> Response:
        body = await read_body(request, settings.max_body_bytes, settings.request_timeout)
        data = _json_body(body)
        document = await _in_thread(
            settings, lambda: ops.check_data(check_id, data, on=on, lang=lang)
        )
        return _document(document)

    return router


# -- OpenAPI --------------------------------------------------------------------------


def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """The OpenAPI document, generated, with the library's own household JSON Schema
    (:func:`civilaffairs.convert.json_schema`) as the schema of a household body."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        document = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            description=app.description,
            routes=app.routes,
        )
        _media_types(document)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            if unused in schemas and f'/{unused}"' not in json.dumps(document["paths"]):
                del schemas[unused]
        household = ops.schema_document()
        defs = household.pop("$defs", {})
        household.pop("$schema", None)
        for name, schema in {**defs, "Household": household}.items():
            if name in schemas:  # pragma: no cover - a model of the same name
                raise RuntimeError(f"schema name {name!r} is taken in the OpenAPI document")
            schemas[name] = _rebase(schema)
        app.openapi_schema = document
        return document

    return openapi


def _media_types(document: dict[str, Any]) -> None:
    """Put each response's schema under the media type the service sends
    (``application/problem+json`` for errors, JSON Lines for batches) instead of the
    ``application/json`` the framework assumes."""
    for item in document.get("paths", {}).values():
        for operation in item.values():
            for response in operation.get("responses", {}).values():
                content = response.get("content", {})
                others = [m for m in content if m != _JSON and not content[m]]
                if _JSON in content and others:
                    schema = content.pop(_JSON)
                    for media in others:
                        content[media] = schema


def _rebase(node: Any) -> Any:
    """*node* with ``#/$defs/X`` references pointing into ``#/components/schemas/X``."""
    if isinstance(node, dict):
        return {
            k: (
                v.replace("#/$defs/", "#/components/schemas/")
                if k == "$ref" and isinstance(v, str)
                else _rebase(v)
            )
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rebase(v) for v in node]
    return node
