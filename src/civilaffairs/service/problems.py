"""Errors as RFC 9457 problem details (问题详情, ``application/problem+json``).

Every error the service sends is one JSON object with ``type``, ``title``, ``status``,
``detail`` and ``instance`` (RFC 9457), and these extension members:

* ``code``: the library's stable error code (``validation_error``, ``unknown_region``, …);
* ``errors``: every bad field, each ``{path, message, code}``, from
  ``errors`` of :class:`civilaffairs.errors.ValidationError` (one entry for other errors);
* ``message_zh`` and ``message_en``: the detail in both languages;
* ``request_id``: the id of the request, as in the ``X-Request-ID`` header and the logs.

``type`` is ``urn:civilaffairs:problem:<code>``. Every text is masked
(:func:`civilaffairs.domain._privacy.safe_text`): no resident ID, body or traceback is
ever sent back.
"""

from __future__ import annotations

import json
from typing import Any

from civilaffairs.domain._privacy import safe_text
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

__all__ = [
    "PROBLEM_JSON",
    "TYPE_PREFIX",
    "HttpProblem",
    "from_assessment_error",
    "from_error",
    "problem",
    "status_of",
]

#: The media type of problem details.
PROBLEM_JSON = "application/problem+json"
#: The prefix of every problem ``type``; the library's error code follows it.
TYPE_PREFIX = "urn:civilaffairs:problem:"

#: Titles of the statuses the service sends.
TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class HttpProblem(Exception):
    """An HTTP error to send as problem details (raised inside the service).

    :param status: the HTTP status.
    :param code: the stable error code (the end of ``type``).
    :param en: what is wrong, in English.
    :param zh: what is wrong, in Chinese.
    :param errors: the bad fields, if any.
    :param headers: extra response headers (``WWW-Authenticate`` for 401).
    """

    def __init__(
        self,
        status: int,
        code: str,
        en: str,
        zh: str,
        *,
        errors: tuple[FieldError, ...] = (),
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(en)
        self.status = status
        self.code = code
        self.en = en
        self.zh = zh
        self.errors = errors
        self.headers = dict(headers or {})

    def body(self, *, instance: str, request_id: str, lang: Lang = "zh") -> dict[str, Any]:
        """The problem details object."""
        return problem(
            self.status,
            self.code,
            en=self.en,
            zh=self.zh,
            errors=self.errors,
            instance=instance,
            request_id=request_id,
            lang=lang,
        )


def status_of(exc: CivilAffairsError) -> int:
    """The HTTP status of a library error: 413 for input too large, 400 for input that is
    not JSON or a bad query value, 404 for an unknown region or a missing standard, 422
    for a record with bad fields or one that cannot be assessed."""
    if isinstance(exc, MalformedInput):
        codes = {e.code for e in exc.errors}
        return 413 if "too_large" in codes else 400
    if isinstance(exc, ValidationError):
        return 422
    if isinstance(exc, UnknownRegion | MissingStandard | UnknownStandardKey):
        return 404
    if isinstance(exc, InvalidPeriod | UnknownProgram):
        return 400
    if exc.code == "unknown_check":
        return 404
    return 400


def from_assessment_error(exc: CivilAffairsError) -> HttpProblem:
    """The :class:`HttpProblem` of an error raised while assessing a household: a standard
    the household's region lacks makes the household unprocessable (422), not a missing
    resource."""
    return from_error(exc, status=422 if isinstance(exc, MissingStandard) else None)


def from_error(exc: CivilAffairsError, *, status: int | None = None) -> HttpProblem:
    """The :class:`HttpProblem` of a library error, every field error kept with its path."""
    errors: tuple[FieldError, ...]
    if isinstance(exc, ValidationError):
        errors = exc.errors
        if len(errors) == 1:
            en, zh = errors[0].text("en"), errors[0].text("zh")
        else:
            en = f"{len(errors)} fields are invalid; see errors"
            zh = f"共有 {len(errors)} 处字段错误，详见 errors"
    else:
        errors = (exc.field_error(),)
        en, zh = exc.text("en"), exc.text("zh")
    return HttpProblem(status or status_of(exc), exc.code, en, zh, errors=errors)


def problem(
    status: int,
    code: str,
    *,
    en: str,
    zh: str,
    errors: tuple[FieldError, ...] = (),
    instance: str = "",
    request_id: str = "",
    lang: Lang = "zh",
) -> dict[str, Any]:
    """A problem details object (RFC 9457), every text masked."""
    return {
        "type": TYPE_PREFIX + code,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": safe_text(zh if lang == "zh" else en),
        "instance": safe_text(instance),
        "code": code,
        "message_zh": safe_text(zh),
        "message_en": safe_text(en),
        "errors": [
            {
                "path": safe_text(e.path),
                "message": safe_text(e.message_zh if lang == "zh" else e.message_en),
                "code": e.code,
                "message_zh": safe_text(e.message_zh),
                "message_en": safe_text(e.message_en),
            }
            for e in errors
        ],
        "request_id": request_id,
    }


def encode(body: dict[str, Any]) -> bytes:
    """The UTF-8 JSON of a problem (compact, Chinese kept)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
