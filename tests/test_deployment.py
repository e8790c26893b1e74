"""Safe by default: production settings pass Django's deployment checks without warnings."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _itaku(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ITAKU_", "DJANGO_"))}
    clean.pop("SECRET_KEY", None)
    clean.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "itaku", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_with_production_settings_prints_no_warnings(tmp_path):
    result = _itaku(
        "check",
        "--deploy",
        SECRET_KEY="k" * 20 + "production-secret-with-enough-entropy-1234567890",
        ALLOWED_HOSTS="itaku.city.example",
        ITAKU_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr + result.stdout


def test_without_a_secret_key_production_refuses_to_start(tmp_path):
    result = _itaku("check", ITAKU_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
