"""``civilaffairs serve``: run the HTTP service (see :mod:`civilaffairs.service`)."""

from __future__ import annotations

import sys

import click

from civilaffairs.cli import echo

_ENV = "CIVILAFFAIRS_SERVICE_"


@click.command("serve")
@click.option(
    "--host",
    envvar=_ENV + "HOST",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Without keys only a loopback address is allowed.",
)
@click.option(
    "--port", envvar=_ENV + "PORT", type=click.IntRange(0, 65535), default=8000, show_default=True
)
@click.option(
    "--workers",
    envvar=_ENV + "WORKERS",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help="Worker processes; each builds the registry once.",
)
@click.option(
    "--max-body-bytes",
    envvar=_ENV + "MAX_BODY_BYTES",
    type=click.IntRange(1),
    default=None,
    help="Largest body of one request [default: 1048576].",
)
@click.option(
    "--max-batch-bytes",
    envvar=_ENV + "MAX_BATCH_BYTES",
    type=click.IntRange(1),
    default=None,
    help="Largest body of a batch [default: 67108864].",
)
@click.option(
    "--max-batch-lines",
    envvar=_ENV + "MAX_BATCH_LINES",
    type=click.IntRange(1),
    default=None,
    help="Most lines of a batch [default: 10000].",
)
@click.option(
    "--max-members",
    envvar=_ENV + "MAX_MEMBERS",
    type=click.IntRange(1, 100),
    default=None,
    help="Most members of one household [default: 100].",
)
@click.option(
    "--request-timeout",
    envvar=_ENV + "REQUEST_TIMEOUT",
    type=click.FloatRange(0.01),
    default=None,
    help="Seconds to read a body and answer [default: 30].",
)
@click.option(
    "--keep-alive",
    envvar=_ENV + "KEEP_ALIVE",
    type=click.FloatRange(0.01),
    default=None,
    help="Seconds an idle connection stays open [default: 5].",
)
@click.option(
    "--limit-concurrency",
    envvar=_ENV + "LIMIT_CONCURRENCY",
    type=click.IntRange(1),
    default=None,
    help="Connections and requests at once per worker, then 503 [default: 64].",
)
@click.option(
    "--keys-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="File of SHA-256 digests of the API keys, one a line (also "
    "CIVILAFFAIRS_SERVICE_KEYS_FILE, and digests in CIVILAFFAIRS_SERVICE_KEYS).",
)
@click.option(
    "--insecure-no-auth",
    is_flag=True,
    default=False,
    help="Serve without API keys on a non-loopback address (only behind a proxy "
    "that checks access).",
)
@click.option(
    "--hash-key",
    "hash_key",
    default=None,
    metavar="KEY",
    help="Print the SHA-256 digest of KEY (for CIVILAFFAIRS_SERVICE_KEYS) and exit; "
    "'-' reads the key from stdin.",
)
def serve_command(
    host: str,
    port: int,
    workers: int,
    max_body_bytes: int | None,
    max_batch_bytes: int | None,
    max_batch_lines: int | None,
    max_members: int | None,
    request_timeout: float | None,
    keep_alive: float | None,
    limit_concurrency: int | None,
    keys_file: str | None,
    insecure_no_auth: bool,
    hash_key: str | None,
) -> None:
    """Serve the library over HTTP: POST /v1/assess, /v1/assess/batch, /v1/validate,
    /v1/checks/ID; GET /v1/standards/REGION, /v1/programs, /v1/plugins,
    /v1/schema/household, /v1/checks, /healthz, /readyz; the OpenAPI document at
    /openapi.json.

    Every limit has an option and a CIVILAFFAIRS_SERVICE_* variable; API keys are given as
    SHA-256 digests (--hash-key prints one) in CIVILAFFAIRS_SERVICE_KEYS or a keys file.
    Without keys the service listens only on a loopback address, unless --insecure-no-auth.
    Needs the 'service' extra: pip install 'civilaffairs[service]'.
    """
    if hash_key is not None:
        from civilaffairs.service import auth

        key = sys.stdin.readline().strip() if hash_key == "-" else hash_key
        if not key:
            from civilaffairs.cli import fail

            fail("--hash-key: the key is empty")
        click.echo(auth.hash_key(key))
        return
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        from civilaffairs.cli import fail

        fail("civilaffairs serve needs the 'service' extra: pip install 'civilaffairs[service]'")
    from civilaffairs.service.server import serve
    from civilaffairs.service.settings import Settings

    settings = Settings.from_env(
        host=host,
        port=port,
        workers=workers,
        max_body_bytes=max_body_bytes,
        max_batch_bytes=max_batch_bytes,
        max_batch_lines=max_batch_lines,
        max_members=max_members,
        request_timeout=request_timeout,
        keep_alive=keep_alive,
        limit_concurrency=limit_concurrency,
        keys_file=keys_file,
        insecure_no_auth=insecure_no_auth or None,
    )
    settings.check_bind()
    access = "API keys required" if settings.auth_required else "no API keys (loopback only)"
    if settings.insecure_no_auth and not settings.auth_required:
        access = "no API keys (--insecure-no-auth)"
    echo(
        f"civilaffairs serve: http://{settings.host}:{settings.port} · "
        f"{settings.workers} worker(s) · {access}",
        err=True,
    )
    serve(settings)
