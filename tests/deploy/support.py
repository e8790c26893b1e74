"""Run Itaku as an installation would: a copy of the project, a clean environment, a subprocess."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VENV = Path(sys.executable).parent.parent


def clean_environment(**extra: str) -> dict[str, str]:
    """The environment of a new shell: none of Itaku's or Django's variables."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PGHOST"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    return {**env, **extra}


def fresh_copy(target: Path) -> Path:
    """The project's tracked files, as a new clone has them (no var/, no .venv)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for raw in filter(None, listed):
        name = raw.decode()
        source = ROOT / name
        if not source.is_file():
            continue
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, destination)
    return target


def itaku(
    copy: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """`itaku ARGS` run from the copy: its own code and its own var/ folder."""
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "itaku", *args],
        cwd=copy,
        env=env if env is not None else clean_environment(PYTHONPATH=str(copy)),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
