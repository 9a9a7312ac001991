"""The service's settings (服务配置): limits, keys and where to listen.

Each setting has a default, a ``civilaffairs serve`` option and an environment variable
``CIVILAFFAIRS_SERVICE_<NAME>``; the option wins over the variable. Workers read the
variables (``civilaffairs serve`` sets them for its workers), so every worker of one
server runs with the same settings.

==========================  ======================================  =====================
variable                    meaning                                 default
==========================  ======================================  =====================
``HOST``, ``PORT``          where to listen                         ``127.0.0.1``, 8000
``WORKERS``                 worker processes                        1
``MAX_BODY_BYTES``          largest body of one request (bytes)     1 MiB
``MAX_BATCH_BYTES``         largest body of a batch (bytes)         64 MiB
``MAX_BATCH_LINES``         most lines of a batch                   10,000
``MAX_MEMBERS``             most members of one household           100
``REQUEST_TIMEOUT``         seconds to read a body and answer;      30
                            for a batch, the longest wait for the
                            next part of the body
``KEEP_ALIVE``              seconds an idle connection stays open   5
``LIMIT_CONCURRENCY``       connections and requests at once,       64
                            per worker (then 503)
``KEYS``                    SHA-256 hex digests of the API keys,    none
                            separated by commas or spaces
``KEYS_FILE``               a file of such digests, one a line      none
                            (``#`` starts a comment)
``INSECURE_NO_AUTH``        ``1`` to serve without keys on a        off
                            non-loopback address
==========================  ======================================  =====================
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from typing import Any

import attrs

from civilaffairs.errors import CivilAffairsError

__all__ = ["ENV_PREFIX", "ServiceConfigError", "Settings", "is_loopback", "read_key_file"]

#: The prefix of the service's environment variables.
ENV_PREFIX = "CIVILAFFAIRS_SERVICE_"
_DIGEST = re.compile(r"[0-9a-f]{64}")


class ServiceConfigError(CivilAffairsError):
    """A service setting has a bad value (服务配置错误)."""

    code = "service_config_error"
    title_zh = "服务配置错误"


def _positive(name: str, lowest: float = 1) -> Any:
    def check(instance: object, attribute: attrs.Attribute[Any], value: float) -> None:
        if value < lowest:
            raise ServiceConfigError(
                f"{name} must be at least {lowest:g}, got {value:g}",
                path=name,
                zh=f"{name} 至少为 {lowest:g}，实为 {value:g}",
            )

    return check


def _digests(value: Any) -> frozenset[str]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Settings:
    """The settings of one service (see the module's table for each)."""

    host: str = "127.0.0.1"
    port: int = attrs.field(default=8000, validator=_positive("port", 0))
    workers: int = attrs.field(default=1, validator=_positive("workers"))
    max_body_bytes: int = attrs.field(default=1024 * 1024, validator=_positive("max_body_bytes"))
    max_batch_bytes: int = attrs.field(
        default=64 * 1024 * 1024, validator=_positive("max_batch_bytes")
    )
    max_batch_lines: int = attrs.field(default=10_000, validator=_positive("max_batch_lines"))
    max_members: int = attrs.field(default=100, validator=_positive("max_members"))
    request_timeout: float = attrs.field(default=30.0, validator=_positive("request_timeout", 0.01))
    keep_alive: float = attrs.field(default=5.0, validator=_positive("keep_alive", 0.01))
    limit_concurrency: int = attrs.field(default=64, validator=_positive("limit_concurrency"))
    key_digests: frozenset[str] = attrs.field(default=frozenset(), converter=_digests, repr=False)
    insecure_no_auth: bool = False

    def __attrs_post_init__(self) -> None:
        from civilaffairs.service.operations import MAX_MEMBERS

        if self.max_members > MAX_MEMBERS:
            raise ServiceConfigError(
                f"max_members must be at most {MAX_MEMBERS} (the domain's bound), "
                f"got {self.max_members}",
                path="max_members",
                zh=f"max_members 至多为 {MAX_MEMBERS}（领域模型的上限），实为 {self.max_members}",
            )
        for digest in self.key_digests:
            if not _DIGEST.fullmatch(digest):
                raise ServiceConfigError(
                    "an API key digest is not 64 lowercase hex digits (a SHA-256 digest); "
                    "make one with civilaffairs serve --hash-key",
                    path="keys",
                    zh="API 密钥摘要应为 64 位小写十六进制数（SHA-256 摘要），"
                    "可用 civilaffairs serve --hash-key 生成",
                )

    @property
    def auth_required(self) -> bool:
        """Whether requests to ``/v1`` need a key (keys are configured)."""
        return bool(self.key_digests)

    def check_bind(self) -> None:
        """Refuse to listen on a non-loopback address without keys, unless
        ``insecure_no_auth``.

        :raises ServiceConfigError: naming the address.
        """
        if self.key_digests or self.insecure_no_auth or is_loopback(self.host):
            return
        raise ServiceConfigError(
            f"refusing to listen on {self.host} without API keys: set "
            f"{ENV_PREFIX}KEYS or {ENV_PREFIX}KEYS_FILE (digests from civilaffairs serve "
            "--hash-key), or pass --insecure-no-auth if a proxy in front checks access",
            path="--host",
            zh=f"未配置 API 密钥时拒绝监听 {self.host}：请设置 {ENV_PREFIX}KEYS 或 "
            f"{ENV_PREFIX}KEYS_FILE（用 civilaffairs serve --hash-key 生成摘要），"
            "或在前置代理已做访问控制时加 --insecure-no-auth",
        )

    def to_env(self) -> dict[str, str]:
        """The environment variables that give these settings to a worker."""
        env = {
            "HOST": self.host,
            "PORT": str(self.port),
            "WORKERS": str(self.workers),
            "MAX_BODY_BYTES": str(self.max_body_bytes),
            "MAX_BATCH_BYTES": str(self.max_batch_bytes),
            "MAX_BATCH_LINES": str(self.max_batch_lines),
            "MAX_MEMBERS": str(self.max_members),
            "REQUEST_TIMEOUT": repr(self.request_timeout),
            "KEEP_ALIVE": repr(self.keep_alive),
            "LIMIT_CONCURRENCY": str(self.limit_concurrency),
            "KEYS": ",".join(sorted(self.key_digests)),
            "INSECURE_NO_AUTH": "1" if self.insecure_no_auth else "",
        }
        return {ENV_PREFIX + k: v for k, v in env.items()}

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``CIVILAFFAIRS_SERVICE_*`` variables, then *overrides* (the options
        given; ``None`` values are ignored).

        :raises ServiceConfigError: a variable with a bad value, named.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        ints = (
            "port",
            "workers",
            "max_body_bytes",
            "max_batch_bytes",
            "max_batch_lines",
            "max_members",
            "limit_concurrency",
        )
        for name in ints:
            raw = env.get(ENV_PREFIX + name.upper(), "").strip()
            if raw:
                values[name] = _number(name, raw, int)
        for name in ("request_timeout", "keep_alive"):
            raw = env.get(ENV_PREFIX + name.upper(), "").strip()
            if raw:
                values[name] = _number(name, raw, float)
        host = env.get(ENV_PREFIX + "HOST", "").strip()
        if host:
            values["host"] = host
        digests = set(re.split(r"[\s,]+", env.get(ENV_PREFIX + "KEYS", "").strip().lower()))
        keys_file = env.get(ENV_PREFIX + "KEYS_FILE", "").strip()
        if keys_file:
            digests |= read_key_file(keys_file)
        values["key_digests"] = frozenset(d for d in digests if d)
        values["insecure_no_auth"] = env.get(ENV_PREFIX + "INSECURE_NO_AUTH", "").strip() in (
            "1",
            "true",
            "yes",
        )
        keys_file_option = overrides.pop("keys_file", None)
        if keys_file_option:
            values["key_digests"] = values["key_digests"] | read_key_file(keys_file_option)
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
        return cls(**values)


def _number(name: str, raw: str, kind: type[int] | type[float]) -> Any:
    try:
        return kind(raw)
    except ValueError:
        raise ServiceConfigError(
            f"{ENV_PREFIX}{name.upper()} must be a number, got {raw[:40]!r}",
            path=ENV_PREFIX + name.upper(),
            zh=f"{ENV_PREFIX}{name.upper()} 应为数字，实为 {raw[:40]!r}",
        ) from None


def read_key_file(path: str | os.PathLike[str]) -> set[str]:
    """The key digests in the file at *path*: one a line, ``#`` starts a comment.

    :raises ServiceConfigError: the file cannot be read.
    """
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read(1024 * 1024)
    except OSError as exc:
        raise ServiceConfigError(
            f"cannot read the keys file: {exc.strerror or type(exc).__name__}",
            path="keys_file",
            zh=f"无法读取密钥文件：{exc.strerror or type(exc).__name__}",
        ) from None
    lines = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return {line for line in lines if line}


def is_loopback(host: str) -> bool:
    """Whether *host* is a loopback address or ``localhost``."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
