"""Installing generated plugins in a throwaway venv and running their own tests."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
import sysconfig


def venv_seeing_this_environment(where: pathlib.Path) -> pathlib.Path:
    """A fresh venv with its own pip that also sees this environment's packages (civilaffairs,
    pytest, pip, hatchling): the environment running the tests may have no pip of its own."""
    venv = where / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    outer = sysconfig.get_paths()["purelib"]
    (pathlib.Path(site) / "outer.pth").write_text(
        f"import site; site.addsitedir({outer!r})\n", encoding="utf-8"
    )
    return python


def clean_env() -> dict[str, str]:
    """This environment without civilaffairs' own switches, pip quiet about its version."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIVILAFFAIRS_")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def install_and_test(
    python: pathlib.Path, *plugins: pathlib.Path, cwd: pathlib.Path
) -> subprocess.CompletedProcess[str]:
    """Install *plugins* without build isolation and run the first one's tests."""
    env = clean_env()
    subprocess.run(
        [
            str(python),
            *("-m", "pip", "install", "-q", "--no-build-isolation", "--no-deps"),
            *(str(p) for p in plugins),
        ],
        check=True,
        env=env,
    )
    return subprocess.run(
        [
            str(python),
            *("-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"),
            str(plugins[0] / "tests"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )
