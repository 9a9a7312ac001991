"""Every check a person or CI runs: ``nox`` runs the default set, ``nox -s bench`` benchmarks.

Sessions read their requirements from ``pyproject.toml`` dependency groups, so the
lists live in one place.
"""

from __future__ import annotations

import os
import pathlib
import shutil

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
    """Unit, property and CLI tests with coverage (pytest + hypothesis)."""
    session.install("-e", ".[dask,frames,chart]", *group("test"))
    session.install(*[str(p.parent) for p in PLUGINS])
    # coverage runs pytest (rather than a pytest plugin starting coverage) so that modules
    # imported while pytest loads its plugins, civilaffairs' own among them, are measured too
    session.run(
        "coverage",
        "run",
        "-m",
        "pytest",
        "--hypothesis-profile=ci" if os.environ.get("CI") else "--hypothesis-profile=dev",
        *session.posargs,
    )
    session.run("coverage", "report")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(*group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src/."""
    session.install("-e", ".", *group("typecheck"))
    session.run("mypy", "--strict", "src/civilaffairs")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx site (the Chinese build, then the English build into en/) with
    -n -W, check the built site (docs/check_site.py, docs/browser_check.py), then run the
    doctests of both builds."""
    _ensure_chromium(session)
    session.install("-e", ".", *group("docs"), *group("browser"))
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
