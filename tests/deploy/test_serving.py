"""The production server: gunicorn with DEBUG off serves pages and static files behind a proxy."""

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.deploy.support import ROOT, clean_environment

# Each starts an installation of its own (tests/conftest.py).
pytestmark = pytest.mark.once


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    var = tmp_path_factory.mktemp("var")
    env = clean_environment(
        ITAKU_VAR_DIR=str(var),
        SECRET_KEY="serve-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "-m", "itaku", "migrate", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "itaku", "serve", f"--bind=127.0.0.1:{port}", "--workers=2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                fetch(base + "/login/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        process.stderr.read().decode() if process.stderr else ""
                    ) from None
                time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_login_page_is_served_with_debug_off_behind_the_tls_proxy(server):
    status, headers, body = fetch(server + "/login/", **{"X-Forwarded-Proto": "https"})

    assert status == 200
    assert "ログイン".encode() in body
    assert "Strict-Transport-Security" in headers


def test_plain_http_is_sent_to_https(server):
    status, headers, _ = fetch(server + "/login/")

    assert status == 301
    assert headers["Location"].startswith("https://127.0.0.1")
    assert headers["Location"].endswith("/login/")


def test_static_files_are_served_with_debug_off(server):
    css = (Path(ROOT) / "itaku/core/static/itaku/itaku.css").read_bytes()

    status, headers, body = fetch(
        server + "/static/itaku/itaku.css", **{"X-Forwarded-Proto": "https"}
    )

    assert status == 200
    assert body == css
    assert headers["Content-Type"].startswith("text/css")


def test_an_unknown_host_is_refused(server):
    status, _, _ = fetch(server + "/login/", Host="evil.example", **{"X-Forwarded-Proto": "https"})

    assert status == 400


def test_an_oversized_request_line_is_refused_by_the_server(server):
    status, _, _ = fetch(server + "/login/?q=" + "x" * 5000, **{"X-Forwarded-Proto": "https"})

    assert status in (400, 414)
