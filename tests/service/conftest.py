"""One live server per test module: a module sets ``SERVER_ENV`` (and ``SERVER_ARGS``) to
start it with other settings. The tests import their helpers (``service_support``) from
this folder."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from service_support import LiveServer


@pytest.fixture(scope="module")
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    env = getattr(request.module, "SERVER_ENV", {})
    args = getattr(request.module, "SERVER_ARGS", ())
    log = tmp_path_factory.mktemp("server") / "server.log"
    server = LiveServer(log, env, args)
    try:
        yield server
    finally:
        server.stop()
