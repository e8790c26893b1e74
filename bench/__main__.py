"""`make bench`: every benchmark module in this folder, each printing ratios to a baseline.

Runs against a fresh SQLite database in a temporary folder (or DATABASE_URL when set), so a
figure never depends on what a developer has in var/. A module named on the command line runs
alone: `python -m bench foundation`.
"""

import importlib
import os
import pkgutil
import sys
import tempfile
from pathlib import Path


def main(selected: list[str]) -> None:
    """Run the benchmarks; their database and files (gigabytes after the lookup log's) go
    with the temporary folder when they end."""
    with tempfile.TemporaryDirectory(prefix="itaku-bench-") as workdir:
        _run(selected, workdir)


def _run(selected: list[str], workdir: str) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(workdir) / 'bench.sqlite3'}")
    os.environ.setdefault("ITAKU_VAR_DIR", workdir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", verbosity=0)
    names = selected or sorted(
        module.name
        for module in pkgutil.iter_modules([str(Path(__file__).parent)])
        if module.name not in {"__main__", "common", "settings", "urls", "locustfile"}
    )
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"\n== {name}: {(module.__doc__ or '').strip().splitlines()[0]}")
        module.run()
    connections.close_all()


if __name__ == "__main__":
    main(sys.argv[1:])
