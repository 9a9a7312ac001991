"""Every check a person or CI runs: ``nox`` runs the default set, ``nox -s bench`` benchmarks.

Sessions read their requirements from ``pyproject.toml`` dependency groups, so the
lists live in one place.
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import socket
import tempfile
from collections.abc import Iterator

import nox

nox.needs_version = ">=2024.4.15"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint", "typecheck", "docs", "plugins"]
nox.options.error_on_missing_interpreters = True

ROOT = pathlib.Path(__file__).parent
PYPROJECT = nox.project.load_toml("pyproject.toml")
PLUGINS = sorted(p for p in (ROOT / "plugins").glob("*/pyproject.toml"))


def group(name: str) -> list[str]:
    return list(nox.project.dependency_groups(PYPROJECT, name))


@nox.session
def tests(session: nox.Session) -> None:
    """Unit, property and CLI tests with coverage (pytest + hypothesis); the records store's
    tests run against SQLite and a throw-away PostgreSQL (see :func:`_postgres`)."""
    session.install("-e", ".[dask,frames,chart,records,service]", *group("test"))
    session.install(*[str(p.parent) for p in PLUGINS])
    with _postgres(session) as postgres_url:
        # coverage runs pytest (rather than a pytest plugin starting coverage) so that
        # modules imported while pytest loads its plugins, civilaffairs' own among them,
        # are measured too
        session.run(
            "coverage",
            "run",
            "-m",
            "pytest",
            "--hypothesis-profile=ci" if os.environ.get("CI") else "--hypothesis-profile=dev",
            *session.posargs,
            env={"CIVILAFFAIRS_TEST_POSTGRES_URL": postgres_url},
        )
    session.run("coverage", "report")


POSTGRES_URL_ENV = "CIVILAFFAIRS_TEST_POSTGRES_URL"


@contextlib.contextmanager
def _postgres(session: nox.Session) -> Iterator[str]:
    """The URL of a PostgreSQL database for the tests: ``CIVILAFFAIRS_TEST_POSTGRES_URL`` if
    given; otherwise a throw-away cluster in a temporary directory, started on a free port
    with its unix socket in that directory (no TCP), a database created in it, and the
    cluster stopped and removed afterwards. Debian's ``postgresql`` is installed with apt
    (as root, or through sudo without a password) if no ``initdb`` is found. ``initdb``
    refuses to run as root: as root the cluster belongs to the ``postgres`` user."""
    given = os.environ.get(POSTGRES_URL_ENV)
    if given:
        yield given
        return
    bindir = _postgres_bin(session)
    root = os.geteuid() == 0
    as_owner = ["runuser", "-u", "postgres", "--"] if root else []
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="civilaffairs-pg-"))
    if root:
        shutil.chown(tmp, "postgres", "postgres")
    data, log = tmp / "data", tmp / "server.log"
    port = _free_port()

    def pg(tool: str, *args: str, **kwargs: object) -> None:
        session.run(*as_owner, str(bindir / tool), *args, external=True, silent=True, **kwargs)

    try:
        pg("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        pg(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-o",
            f"-p {port} -k {tmp} -c listen_addresses='' -c fsync=off",
            "start",
        )
        try:
            pg("createdb", "-h", str(tmp), "-p", str(port), "-U", "postgres", "civilaffairs_test")
            yield f"postgresql+psycopg://postgres@/civilaffairs_test?host={tmp}&port={port}"
        finally:
            pg("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _postgres_bin(session: nox.Session) -> pathlib.Path:
    """The directory of the newest installed PostgreSQL server's programs, installing
    Debian's ``postgresql`` package when there is none."""

    def newest() -> pathlib.Path | None:
        found = sorted(
            pathlib.Path("/usr/lib/postgresql").glob("*/bin/initdb"),
            key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        )
        if found:
            return found[-1].parent
        initdb = shutil.which("initdb")
        return pathlib.Path(initdb).parent if initdb else None

    bindir = newest()
    if bindir is not None:
        return bindir
    if not shutil.which("apt-get"):
        session.error(f"the records tests need PostgreSQL: install it or set {POSTGRES_URL_ENV}")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run(*sudo, "apt-get", "update", "-q", external=True, env=env)
    session.run(
        *sudo,
        "apt-get",
        "install",
        "-y",
        "-q",
        "--no-install-recommends",
        "postgresql",
        external=True,
        env=env,
    )
    bindir = newest()
    if bindir is None:
        session.error("postgresql was installed but no initdb was found")
    return bindir


def _free_port() -> int:
    """A TCP port nothing listens on now (it names the server's unix socket)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(*group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src/."""
    session.install("-e", ".[records,service]", *group("typecheck"))
    session.run("mypy", "--strict", "src/civilaffairs")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx site (the Chinese build, then the English build into en/) with
    -n -W, check the built site (docs/check_site.py, docs/browser_check.py), then run the
    doctests of both builds."""
    _ensure_chromium(session)
    session.install("-e", ".[records,service]", *group("docs"), *group("browser"))
    session.install(*[str(p.parent) for p in PLUGINS])
    out = ROOT / "docs" / "_build"
    shutil.rmtree(out, ignore_errors=True)
    common = ["-n", "-W", "--keep-going", "-q"]
    # two builds, one site (docs/conf.py): Chinese at the root, English (-D language=en,
    # English labels and search) in en/
    english = ["-c", "docs", "-D", "language=en"]
    session.run(
        "sphinx-build",
        "-b",
        "html",
        *common,
        "-d",
        str(out / "doctrees"),
        "docs",
        str(out / "html"),
    )
    session.run(
        "sphinx-build",
        "-b",
        "html",
        *common,
        *english,
        "-d",
        str(out / "doctrees-en"),
        "docs/en",
        str(out / "html" / "en"),
    )
    # what a -W build cannot see: the search scripts and index, the language-switch links,
    # then the site in headless Chromium (Debian's chromium and chromium-driver, which
    # .ci/run installs): searches, console errors, screenshots in docs/_build/screenshots
    session.run("python", "docs/check_site.py", str(out / "html"))
    session.run("python", "docs/browser_check.py", str(out / "html"), str(out / "screenshots"))
    session.run(
        "sphinx-build",
        "-b",
        "doctest",
        *common,
        "-d",
        str(out / "doctrees"),
        "docs",
        str(out / "doctest"),
    )
    session.run(
        "sphinx-build",
        "-b",
        "doctest",
        *common,
        *english,
        "-d",
        str(out / "doctrees-en"),
        "docs/en",
        str(out / "doctest-en"),
    )


def _ensure_chromium(session: nox.Session) -> None:
    """Install Debian's chromium, chromium-driver and a CJK font (for readable screenshots)
    for the browser check if they are missing (as root, or through sudo without a
    password)."""
    fonts = pathlib.Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if shutil.which("chromium") and shutil.which("chromedriver") and fonts.is_file():
        return
    if not shutil.which("apt-get"):
        session.error("the docs browser check needs chromium and chromedriver (Debian packages)")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run(*sudo, "apt-get", "update", "-q", external=True, env=env)
    session.run(
        *sudo,
        "apt-get",
        "install",
        "-y",
        "-q",
        "--no-install-recommends",
        "chromium",
        "chromium-driver",
        "fonts-noto-cjk",
        external=True,
        env=env,
    )


@nox.session
def plugins(session: nox.Session) -> None:
    """Install every package under plugins/ into a fresh venv; test discovery and each plugin."""
    if not PLUGINS:
        session.error("no plugin packages found under plugins/")
    session.install(".", *group("test"))
    session.install(*[str(p.parent) for p in PLUGINS])
    session.run(
        "pytest",
        "-p",
        "no:cacheprovider",
        "tests/test_plugin_discovery.py",
        *[str(p.parent / "tests") for p in PLUGINS],
        *session.posargs,
    )


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks (not in the default set): ``nox -s bench [-- --benchmark-only ...]``."""
    session.install(".[dask,frames,chart]", *group("bench"))
    session.install(*[str(p.parent) for p in PLUGINS])
    session.run(
        "pytest",
        "benchmarks",
        "--benchmark-only",
        "--benchmark-columns=min,median,mean,ops,rounds",
        "--benchmark-sort=name",
        "-p",
        "no:cacheprovider",
        *session.posargs,
    )
