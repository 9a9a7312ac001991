"""Running the service on uvicorn (运行服务).

:func:`serve` checks the settings (no non-loopback address without keys unless asked),
hands them to the workers through ``CIVILAFFAIRS_SERVICE_*`` variables and runs uvicorn
with the application factory, so each worker builds the registry once at start-up.
uvicorn's own access log is off: :class:`~civilaffairs.service.logs.RequestLog` writes the
request lines instead, without query strings or personal data.
"""

from __future__ import annotations

import os

from civilaffairs.service.settings import Settings

__all__ = ["serve", "uvicorn_options"]

#: The largest request head (request line and headers) uvicorn holds: 16 KiB.
MAX_HEAD_BYTES = 16 * 1024


def uvicorn_options(settings: Settings) -> dict[str, object]:
    """The keyword arguments of ``uvicorn.run`` for *settings*."""
    return {
        "host": settings.host,
        "port": settings.port,
        "workers": settings.workers,
        "factory": True,
        "access_log": False,
        "server_header": False,
        "timeout_keep_alive": max(1, round(settings.keep_alive)),
        "timeout_graceful_shutdown": max(1, round(settings.request_timeout)),
        "limit_concurrency": settings.limit_concurrency,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        "http": "h11",
        "lifespan": "on",
        "log_level": "info",
    }


def serve(settings: Settings) -> None:
    """Run the service with *settings* until interrupted.

    :raises ServiceConfigError: a non-loopback address without keys and without
        ``insecure_no_auth``.
    """
    import uvicorn

    settings.check_bind()
    os.environ.update(settings.to_env())
    uvicorn.run("civilaffairs.service.app:create_app_from_env", **uvicorn_options(settings))  # type: ignore[arg-type]
