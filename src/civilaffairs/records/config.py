"""Where the records store lives and the keys it uses (案卷库配置).

Everything comes from the command line or the environment, never from code:

=====================================  ==================================================
setting                                meaning
=====================================  ==================================================
``--db URL_OR_PATH``                   the database; a SQLAlchemy URL
                                       (``postgresql://user@host/db``,
                                       ``sqlite:///path``) or a plain file path (SQLite)
``CIVILAFFAIRS_DATABASE_URL``          the same, when ``--db`` is not given
(neither)                              :data:`DEFAULT_DATABASE` (``records.sqlite``) in
                                       the working directory
``CIVILAFFAIRS_ID_KEY``                the pseudonym key (``civilaffairs.pseudonyms.id_key``)
``CIVILAFFAIRS_ENCRYPTION_KEY``        optional: 32 random bytes as 64 hexadecimal digits
                                       or URL-safe base64; when set, full resident IDs
                                       and names are kept encrypted (AES-256-GCM)
``CIVILAFFAIRS_LEDGER_SIGNING_KEY``    the Ed25519 private key that signs checkpoints:
                                       PEM text or the path of a PEM file (PKCS #8)
``CIVILAFFAIRS_LEDGER_PUBLIC_KEY``     optional: the trusted public key checkpoints must
                                       be signed with (PEM text or path); by default the
                                       signing key's own
=====================================  ==================================================

A ``postgresql://`` or ``postgres://`` URL without a driver uses psycopg 3
(``postgresql+psycopg://``).
"""

from __future__ import annotations

import base64
import binascii
import os
import pathlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from civilaffairs.records.errors import DatabaseError, KeyProblem

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

__all__ = [
    "DATABASE_ENV",
    "DEFAULT_DATABASE",
    "ENCRYPTION_KEY_ENV",
    "PUBLIC_KEY_ENV",
    "SIGNING_KEY_ENV",
    "database_url",
    "display_url",
    "encryption_key",
    "public_key",
    "signing_key",
]

#: The environment variable naming the database when ``--db`` is not given.
DATABASE_ENV = "CIVILAFFAIRS_DATABASE_URL"
#: The default database: a SQLite file of this name in the working directory.
DEFAULT_DATABASE = "records.sqlite"
#: The environment variable holding the key that encrypts full resident IDs and names.
ENCRYPTION_KEY_ENV = "CIVILAFFAIRS_ENCRYPTION_KEY"
#: The environment variable holding the Ed25519 key that signs ledger checkpoints.
SIGNING_KEY_ENV = "CIVILAFFAIRS_LEDGER_SIGNING_KEY"
#: The environment variable holding the public key checkpoints are checked against.
PUBLIC_KEY_ENV = "CIVILAFFAIRS_LEDGER_PUBLIC_KEY"

_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "sqlite": "sqlite",
}


def database_url(db: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """The SQLAlchemy URL of the store: *db* (``--db``), else ``CIVILAFFAIRS_DATABASE_URL``,
    else ``records.sqlite`` in the working directory.

    >>> database_url("postgresql://ca@db.example/records")
    'postgresql+psycopg://ca@db.example/records'
    >>> database_url("/srv/ca/records.sqlite")
    'sqlite:////srv/ca/records.sqlite'

    :raises DatabaseError: for an empty value or a URL of a database other than SQLite
        and PostgreSQL.
    """
    env = os.environ if environ is None else environ
    value = db if db is not None else env.get(DATABASE_ENV) or DEFAULT_DATABASE
    value = value.strip()
    if not value:
        raise DatabaseError(
            "--db is empty: give a database URL or a file path (--db 不能为空)",
            path="--db",
            zh="--db 不能为空：请给出数据库 URL 或文件路径",
        )
    if "://" not in value:
        return "sqlite:///" + str(pathlib.Path(value).expanduser().resolve())
    scheme, _, rest = value.partition("://")
    dialect = scheme.split("+", 1)[0].lower()
    if dialect not in _DRIVERS:
        raise DatabaseError(
            f"the database URL names {dialect!r}; the records store runs on SQLite and "
            "PostgreSQL (不支持的数据库)",
            path="--db",
            zh=f"数据库 URL 指向 {dialect!r}；案卷库只支持 SQLite 和 PostgreSQL",
        )
    if "+" not in scheme:
        scheme = _DRIVERS[dialect]
    elif dialect == "postgres":
        scheme = "postgresql" + scheme[len("postgres") :]
    return f"{scheme}://{rest}"


def display_url(url: str) -> str:
    """*url* with any password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("://", 1)[0] + "://…"


def _secret(name: str, value: str) -> bytes:
    text = value.strip()
    raw: bytes | None = None
    if len(text) == 64:
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raw = None
    if raw is None:
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            raw = None
    if raw is None or len(raw) != 32:
        raise KeyProblem(
            f"{name} must be 32 random bytes written as 64 hexadecimal digits or URL-safe "
            "base64 (密钥格式错误)",
            path=name,
            zh=f"{name} 应为 32 字节随机数，写成 64 位十六进制或 URL 安全的 base64",
        )
    return raw


def encryption_key(environ: Mapping[str, str] | None = None) -> bytes | None:
    """The AES-256 key from ``CIVILAFFAIRS_ENCRYPTION_KEY``, or ``None`` when it is unset
    (then only pseudonyms and masked forms are stored).

    :raises KeyProblem: if the variable is set but is not 32 bytes in hex or base64.
    """
    env = os.environ if environ is None else environ
    value = env.get(ENCRYPTION_KEY_ENV, "")
    if not value.strip():
        return None
    return _secret(ENCRYPTION_KEY_ENV, value)


def _pem(name: str, value: str) -> bytes:
    text = value.strip()
    if text.startswith("-----BEGIN"):
        return text.encode("ascii", "replace")
    path = pathlib.Path(text).expanduser()
    try:
        return path.read_bytes()
    except OSError as exc:
        raise KeyProblem(
            f"{name} is neither PEM text nor a readable file: {exc.strerror or exc} (无法读取密钥)",
            path=name,
            zh=f"{name} 既不是 PEM 文本也不是可读的文件",
        ) from None


def signing_key(environ: Mapping[str, str] | None = None) -> Ed25519PrivateKey:
    """The Ed25519 private key from ``CIVILAFFAIRS_LEDGER_SIGNING_KEY``.

    :raises KeyProblem: if the variable is unset, or does not hold an unencrypted
        Ed25519 private key in PEM.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    env = os.environ if environ is None else environ
    value = env.get(SIGNING_KEY_ENV, "")
    if not value.strip():
        raise KeyProblem(
            f"{SIGNING_KEY_ENV} is not set: checkpoints are signed with an Ed25519 key; "
            "create one with 'civilaffairs records keygen' (未配置账本签名密钥)",
            path=SIGNING_KEY_ENV,
            zh=f"未设置 {SIGNING_KEY_ENV}：检查点须用 Ed25519 私钥签名，"
            "可用 'civilaffairs records keygen' 生成",
        )
    try:
        key = load_pem_private_key(_pem(SIGNING_KEY_ENV, value), password=None)
    except (ValueError, TypeError):
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyProblem(
            f"{SIGNING_KEY_ENV} does not hold an unencrypted Ed25519 private key in PEM "
            "(签名密钥无效)",
            path=SIGNING_KEY_ENV,
            zh=f"{SIGNING_KEY_ENV} 不是未加密的 PEM 格式 Ed25519 私钥",
        )
    return key


def public_key(environ: Mapping[str, str] | None = None) -> Ed25519PublicKey | None:
    """The trusted checkpoint key: ``CIVILAFFAIRS_LEDGER_PUBLIC_KEY``, else the public half
    of the signing key, else ``None`` (a checkpoint is then checked with the key it
    carries, which proves it unaltered but not who signed it).

    :raises KeyProblem: if a variable is set but holds no Ed25519 key.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    env = os.environ if environ is None else environ
    value = env.get(PUBLIC_KEY_ENV, "")
    if value.strip():
        try:
            key = load_pem_public_key(_pem(PUBLIC_KEY_ENV, value))
        except (ValueError, TypeError):
            key = None
        if not isinstance(key, Ed25519PublicKey):
            raise KeyProblem(
                f"{PUBLIC_KEY_ENV} does not hold an Ed25519 public key in PEM (公钥无效)",
                path=PUBLIC_KEY_ENV,
                zh=f"{PUBLIC_KEY_ENV} 不是 PEM 格式的 Ed25519 公钥",
            )
        return key
    if env.get(SIGNING_KEY_ENV, "").strip():
        return signing_key(env).public_key()
    return None
