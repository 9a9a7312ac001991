"""A time limit for calls into plugin code (import and registration hooks)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

__all__ = ["PLUGIN_TIMEOUT", "call_with_limit"]

T = TypeVar("T")

#: Default seconds a plugin may take to import, and again for each registration hook.
PLUGIN_TIMEOUT = 30.0


def call_with_limit(call: Callable[[], T], timeout: float, doing: str) -> T:
    """Run *call* (a plugin's import or hook) in a daemon thread; return its result or
    raise what it raised, ``SystemExit`` included.

    :param doing: what the call does, for the message (``"importing"``).
    :raises TimeoutError: if it did not finish within *timeout* seconds; the thread cannot
        be stopped and goes on in the background.
    """
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # a plugin's SystemExit is a plugin error
            box["error"] = exc

    worker = threading.Thread(target=run, name="civilaffairs-plugin", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError(f"did not finish {doing} within {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return cast("T", box.get("value"))
