"""Configuration follows the installation: `make run` writes var/itaku.env once, every command
reads it in any shell, and a missing setting in production is one line naming the variable."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from itaku import envfile
from tests.deploy.support import VENV, clean_environment, fresh_copy, itaku

# Each starts an installation of its own (tests/conftest.py).
pytestmark = pytest.mark.once


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh copy after the steps of `make run` that come before the server."""
    copy = fresh_copy(tmp_path_factory.mktemp("itaku"))
    env = clean_environment(PYTHONPATH=str(copy))
    # The Makefile's own rule writes the configuration file.
    subprocess.run(  # noqa: S603
        ["make", "-s", f"VENV={VENV}", str(copy / "var" / "itaku.env")],  # noqa: S607
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    for step in (("migrate", "--noinput", "--verbosity", "0"), ("demo",)):
        result = itaku(copy, *step)
        assert result.returncode == 0, result.stderr
    return copy


def test_make_run_writes_development_settings_with_a_generated_secret_key(installed):
    text = (installed / "var" / "itaku.env").read_text()
    assert "ITAKU_DEBUG=1" in text
    assert f"ITAKU_AUDIT_SIGNING_KEY={installed / 'var' / 'audit-signing.key'}" in text
    key = re.search(r"^SECRET_KEY=(\S+)$", text, re.MULTILINE)
    assert key is not None
    assert len(key.group(1)) >= 50
    assert (installed / "var" / "itaku.env").stat().st_mode & 0o077 == 0


def test_the_readmes_commands_work_in_a_new_shell(installed):
    code = itaku(installed, "totp-code", "kanri")
    assert code.returncode == 0, code.stderr
    assert re.fullmatch(r"\d{6}\n", code.stdout)

    compliance = itaku(installed, "compliance", "--format", "text")
    assert compliance.returncode in (0, 1), compliance.stderr
    assert "Traceback" not in compliance.stderr
    assert "3-6" in compliance.stdout

    keygen = itaku(installed, "audit", "keygen", str(installed / "var" / "audit-signing.key"))
    assert keygen.returncode == 0, keygen.stderr
    checkpoint = itaku(installed, "audit", "checkpoint")
    assert checkpoint.returncode == 0, checkpoint.stderr
    verify = itaku(installed, "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_the_configuration_file_is_never_overwritten(tmp_path):
    path = tmp_path / "itaku.env"
    assert envfile.write(path, development=True)
    first = path.read_text()
    assert not envfile.write(path, development=True)
    assert envfile.main([str(path), "--development"]) == 0
    assert path.read_text() == first


def test_the_environment_wins_over_the_file(tmp_path):
    envfile.write(tmp_path / "itaku.env", development=True)
    key = re.search(r"^SECRET_KEY=(\S+)$", (tmp_path / "itaku.env").read_text(), re.MULTILINE)
    env = clean_environment(ITAKU_VAR_DIR=str(tmp_path), ITAKU_DEBUG="0")
    result = itaku(Path.cwd(), "diffsettings", "--all", env=env)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^(### )?DEBUG = False$", result.stdout, re.MULTILINE)
    assert f"SECRET_KEY = '{key.group(1)}'" in result.stdout


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({}, "itaku: Set the environment variable SECRET_KEY.\n"),
        (
            {"SECRET_KEY": "x" * 50, "ITAKU_IDLE_TIMEOUT_MINUTES": "fifteen"},
            "itaku: The variable ITAKU_IDLE_TIMEOUT_MINUTES must be a whole number, "
            "not 'fifteen'.\n",
        ),
        (
            {"ITAKU_ENV_FILE": "/nonexistent/itaku.env"},
            "itaku: ITAKU_ENV_FILE names /nonexistent/itaku.env, which is not a readable file.\n",
        ),
    ],
)
def test_a_missing_setting_in_production_is_one_line_naming_it(tmp_path, variables, message):
    env = clean_environment(ITAKU_VAR_DIR=str(tmp_path), **variables)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "itaku", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == message
